#pragma once

#include <string>
#include <string_view>

namespace gateway {

/// Appends `text` as a JSON string (RFC 8259), quotes included, so that any bytes make valid
/// JSON: '"' and '\' escaped, control characters and DEL as \u00XX (\n, \r, \t short), valid
/// UTF-8 kept as it is, and every byte that is not part of a valid UTF-8 sequence (RFC 3629: no
/// overlong forms, no surrogates, nothing past U+10FFFF) escaped as \u00XX of the byte, so the
/// byte's value survives (read back, it is the code point U+0080..U+00FF). Never allocates
/// beyond what `out` needs to grow.
void appendJsonString(std::string& out, std::string_view text);

}  // namespace gateway
