#include "gateway/http/Response.h"

#include <charconv>

namespace gateway {

void Response::header(std::string_view name, std::uint64_t value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
    header(name, std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

}  // namespace gateway
