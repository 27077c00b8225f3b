#include "gateway/http/Request.h"

namespace gateway {

const HeaderField* Request::find(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < headerCount; ++i)
        if (equalsIgnoreCase(headers[i].name, name)) return &headers[i];
    return nullptr;
}

std::string_view Request::value(std::string_view name) const noexcept {
    const HeaderField* field = find(name);
    return field ? field->value : std::string_view{};
}

}  // namespace gateway
