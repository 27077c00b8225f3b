#pragma once

#include <string_view>

namespace gateway {

/// RFC 9110 reason phrase for `status` ("Unknown" for codes we never send).
std::string_view reasonPhrase(int status) noexcept;

}  // namespace gateway
