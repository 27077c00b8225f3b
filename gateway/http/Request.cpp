#include "gateway/http/Request.h"

namespace gateway {

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        unsigned char x = a[i], y = b[i];
        if (static_cast<unsigned>(x - 'A') < 26u) x |= 0x20;
        if (static_cast<unsigned>(y - 'A') < 26u) y |= 0x20;
        if (x != y) return false;
    }
    return true;
}

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
