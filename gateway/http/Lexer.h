#pragma once

#include <charconv>
#include <string>
#include <type_traits>

#include "gateway/detail/http_lexer.hpp"

namespace gateway {

// The HTTP lexical rules live in the SDK's standard-library-only detail header, so that the
// fake host in gateway/testing.hpp applies exactly the same ones; here they are in the gateway's
// namespace. Parser, chunked decoder, header policy, access log and path normaliser use them.
using detail::allOf;
using detail::appendEscaped;
using detail::CharClass;
using detail::equalsIgnoreCase;
using detail::hasClass;
using detail::hexValue;
using detail::isCrlf;
using detail::isDigit;
using detail::isFieldChar;
using detail::isFieldValue;
using detail::isOws;
using detail::isTchar;
using detail::isToken;
using detail::kFieldChar;
using detail::kHostChar;
using detail::kTargetChar;
using detail::kTchar;
using detail::parseDecimal;
using detail::toLowerAscii;
using detail::trimOws;

/// Appends `value` in decimal (or another base, e.g. 16 for chunk sizes and ETags, lower case).
template <typename Integer>
void appendNumber(std::string& out, Integer value, int base = 10) {
    static_assert(std::is_integral_v<Integer>);
    char digits[66];  // 64 binary digits and a sign
    const auto end = std::to_chars(digits, digits + sizeof digits, value, base).ptr;
    out.append(digits, static_cast<std::size_t>(end - digits));
}

}  // namespace gateway
