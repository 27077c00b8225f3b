#include "gateway/obs/JsonString.h"

#include <array>

namespace gateway {
namespace {

constexpr char kHex[] = "0123456789abcdef";

/// The bytes copied as they are: printable ASCII but '"' and '\'.
constexpr auto kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x7F; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
}();

bool continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

/// The length of the valid UTF-8 sequence starting at `at` (lead byte 0x80 or above), or 0.
std::size_t utf8Length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
        return 0;
    }
    if (text.size() - at < length || byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (!continuation(byte(i))) return 0;
    return length;
}

void appendUnicodeEscape(std::string& out, unsigned char c) {
    const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
    out.append(escape, sizeof escape);
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
    out.push_back('"');
    std::size_t plain = 0;  // start of the run of bytes copied as they are
    std::size_t i = 0;
    const std::size_t size = text.size();
    while (i < size) {
        while (i < size && kPlain[static_cast<unsigned char>(text[i])]) ++i;
        if (i == size) break;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            if (const std::size_t length = utf8Length(text, i)) {
                i += length;
                continue;
            }
        }
        out.append(text.data() + plain, i - plain);
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            default:
                appendUnicodeEscape(out, c);
        }
        plain = ++i;
    }
    out.append(text.data() + plain, text.size() - plain);
    out.push_back('"');
}

}  // namespace gateway
