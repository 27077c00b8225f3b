// json.hpp - the glue between an app's JSON library and HTTP: the media type and string escaping
// for the simplest cases. Not a JSON library: to parse or build documents use one (nlohmann-json,
// Debian's nlohmann-json3-dev, header-only; or Poco::JSON) and hand its text to
// Response::json(), which also takes any value with a dump() method (an nlohmann::json).
// Header-only, C++17, standard library only.
//
//     #include "gateway/json.hpp"
//
//     #include <string>
//
//     // {"greeting":"say \"hi\"\n"}
//     std::string greeting(std::string_view text) {
//         return "{\"greeting\":\"" + gateway::sdk::jsonEscape(text) + "\"}";
//     }
#ifndef GATEWAY_JSON_HPP
#define GATEWAY_JSON_HPP

#include <string>
#include <string_view>

namespace gateway::sdk {

/// The Content-Type of Response::json() and Error::json(). JSON is UTF-8 by definition
/// (RFC 8259), so no charset parameter.
inline constexpr std::string_view kJsonType = "application/json";

/// Appends `text` escaped for the inside of a JSON string (without the quotes): '"' and '\' get
/// a backslash, control characters become \n, \t, \r, \b, \f or \u00XX. Other bytes pass
/// unchanged: `text` should be UTF-8.
inline void appendJsonEscaped(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += "\\u00";
                    out.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
                    out.push_back(kHex[c & 15]);
                } else {
                    out.push_back(c);
                }
        }
    }
}

/// `text` escaped for the inside of a JSON string (see appendJsonEscaped).
inline std::string jsonEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    appendJsonEscaped(out, text);
    return out;
}

}  // namespace gateway::sdk

#endif  // GATEWAY_JSON_HPP
