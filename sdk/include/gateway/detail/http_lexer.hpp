// detail/http_lexer.hpp - the HTTP lexical rules of the gateway, in one place: character classes
// (token, field value, request-target, host), hex digits, optional whitespace, ASCII case
// folding, decimal numbers, control-character escaping and the path normaliser (percent-decoding
// and dot-segment removal). Header-only, C++17, standard library only.
//
// The gateway (gateway/http/Lexer.h, gateway/http/PathNormalizer.h) and the SDK's fake host
// (gateway/testing.hpp) both include this file, so the rules they apply cannot drift apart.
// Not part of the plugin API: anything in gateway::detail may change in any release.
#ifndef GATEWAY_DETAIL_HTTP_LEXER_HPP
#define GATEWAY_DETAIL_HTTP_LEXER_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gateway::detail {

// ---- character classes --------------------------------------------------------------------

/// One bit per class in one 256-entry table: a single lookup per byte on the hot loops.
enum CharClass : std::uint8_t {
    kTchar = 1,       ///< token character (RFC 9110 §5.6.2)
    kFieldChar = 2,   ///< allowed in a field value: HTAB, SP, VCHAR, obs-text (no CTL, no DEL)
    kTargetChar = 4,  ///< allowed in a request-target: VCHAR except '#'
    kHostChar = 8,    ///< allowed in Host / authority: reg-name, IP-literal, ':' port
};

struct CharTable {
    std::uint8_t bits[256];

    constexpr CharTable() : bits{} {
        for (unsigned c = 0; c < 256; ++c) bits[c] = classify(c);
    }

private:
    static constexpr bool oneOf(unsigned c, const char* set) {
        for (; *set != 0; ++set)
            if (static_cast<unsigned char>(*set) == c) return true;
        return false;
    }
    static constexpr std::uint8_t classify(unsigned c) {
        std::uint8_t bits = 0;
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum || oneOf(c, "!#$%&'*+-.^_`|~")) bits |= kTchar;
        if (c == '\t' || (c >= 0x20 && c != 0x7F)) bits |= kFieldChar;
        if (c > 0x20 && c < 0x7F && c != '#') bits |= kTargetChar;
        if (alnum || oneOf(c, "-._~!$&'()*+,;=%:[]")) bits |= kHostChar;
        return bits;
    }
};

inline constexpr CharTable kCharTable{};

constexpr bool hasClass(char c, std::uint8_t classes) noexcept {
    return (kCharTable.bits[static_cast<unsigned char>(c)] & classes) != 0;
}
constexpr bool isTchar(char c) noexcept {
    return hasClass(c, kTchar);
}
/// HTAB, SP, VCHAR or obs-text: anything but CR, LF, NUL, the other controls and DEL.
constexpr bool isFieldChar(char c) noexcept {
    return hasClass(c, kFieldChar);
}
constexpr bool isDigit(char c) noexcept {
    return static_cast<unsigned char>(c - '0') < 10;
}

/// Every character of `text` is in `classes` (true for an empty text).
constexpr bool allOf(std::string_view text, std::uint8_t classes) noexcept {
    for (char c : text)
        if (!hasClass(c, classes)) return false;
    return true;
}
/// RFC 9110 token: one or more tchar.
constexpr bool isToken(std::string_view text) noexcept {
    return !text.empty() && allOf(text, kTchar);
}
/// A field value (or reason phrase) without CR, LF, NUL or another control except HTAB.
constexpr bool isFieldValue(std::string_view text) noexcept {
    return allOf(text, kFieldChar);
}

/// A client's X-Request-Id the gateway adopts as gateway.request_id (SPEC section 3): 1 to 200
/// characters of A-Z a-z 0-9 - . _ ~ : + / =.
constexpr bool isRequestId(std::string_view text) noexcept {
    if (text.empty() || text.size() > 200) return false;
    for (char c : text) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && c != '-' && c != '.' && c != '_' && c != '~' && c != ':' && c != '+' &&
            c != '/' && c != '=')
            return false;
    }
    return true;
}

/// 0-15 for a hex digit (either case), -1 for anything else.
constexpr int hexValue(char c) noexcept {
    const unsigned u = static_cast<unsigned char>(c);
    if (u - '0' < 10) return static_cast<int>(u - '0');
    const unsigned letter = (u | 0x20) - 'a';
    return letter < 6 ? static_cast<int>(letter + 10) : -1;
}

// ---- lines and whitespace -----------------------------------------------------------------

/// A line ends with CR LF, nowhere and never otherwise: a bare LF or a bare CR is a malformed
/// message (RFC 9112 §2.2 allows a lenient reading; differing readings are a smuggling vector).
constexpr bool isCrlf(const char* p) noexcept {
    return p[0] == '\r' && p[1] == '\n';
}

/// Optional whitespace (SP or HTAB, RFC 9110 §5.6.3).
constexpr bool isOws(char c) noexcept {
    return c == ' ' || c == '\t';
}

/// `text` without leading and trailing optional whitespace.
constexpr std::string_view trimOws(std::string_view text) noexcept {
    while (!text.empty() && isOws(text.front())) text.remove_prefix(1);
    while (!text.empty() && isOws(text.back())) text.remove_suffix(1);
    return text;
}

// ---- case and numbers ---------------------------------------------------------------------

constexpr char toLowerAscii(char c) noexcept {
    return static_cast<unsigned char>(c - 'A') < 26 ? static_cast<char>(c | 0x20) : c;
}

/// ASCII case-insensitive comparison: the one rule for header names and tokens.
constexpr bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (toLowerAscii(a[i]) != toLowerAscii(b[i])) return false;
    return true;
}

/// 1*DIGIT into a non-negative int64 (Content-Length); false on anything else, including an
/// empty text, a sign, whitespace and overflow.
constexpr bool parseDecimal(std::string_view text, std::int64_t& out) noexcept {
    if (text.empty()) return false;
    std::uint64_t value = 0;
    for (char c : text) {
        if (!isDigit(c)) return false;
        const auto digit = static_cast<unsigned>(c - '0');
        if (value > (static_cast<std::uint64_t>(INT64_MAX) - digit) / 10) return false;
        value = value * 10 + digit;
    }
    out = static_cast<std::int64_t>(value);
    return true;
}

// ---- log text -----------------------------------------------------------------------------

/// Appends `text` fit for a log line: control bytes and DEL as "\xHH" (upper-case hex, as nginx
/// writes them), and with `escapeQuote` also '"' and '\', so a quoted field cannot be broken
/// out of.
inline void appendEscaped(std::string& out, std::string_view text, bool escapeQuote = false) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F || (escapeQuote && (c == '"' || c == '\\'))) {
            out.append("\\x");
            out.push_back(kHex[u >> 4]);
            out.push_back(kHex[u & 15]);
        } else {
            out.push_back(c);
        }
    }
}

// ---- paths --------------------------------------------------------------------------------

/// What normalizePath() found. BadEscape, Nul and NotRooted make the request malformed (400);
/// the others are refusals under the policy (the caller decides how to answer).
enum class PathResult : std::uint8_t {
    Ok,
    BadEscape,   ///< '%' not followed by two hex digits
    Nul,         ///< a decoded NUL
    NotRooted,   ///< does not start with '/' (PathPolicy::requireRoot)
    Climbs,      ///< ".." segments would climb above the root
    Dotfile,     ///< a segment starting with '.' (PathPolicy::refuseDotfiles)
    UnsafeByte,  ///< a byte no served name contains (PathPolicy::refuseUnsafeBytes)
};

constexpr bool isMalformed(PathResult result) noexcept {
    return result == PathResult::BadEscape || result == PathResult::Nul ||
           result == PathResult::NotRooted;
}

/// What normalizePath() accepts besides the common rules. Common to every policy: each %XX is
/// decoded exactly once, a decoded '/' (%2F) separates segments like a literal one (so "..%2f"
/// is a ".." segment, never a name), "." segments are dropped and ".." removes the previous
/// segment (RFC 3986 §5.2.4), never climbing above the root.
struct PathPolicy {
    /// The decoded path must start with '/' (else NotRooted); without it a leading '/' is implied.
    bool requireRoot;
    /// Empty segments stay ("/a//b" → "/a//b", PATH_INFO); without it they collapse ("/a/b").
    bool keepEmptySegments;
    /// A segment starting with '.' is refused (.git, .env, .htpasswd), except ".well-known".
    bool refuseDotfiles;
    /// '\', control bytes, DEL and bytes that never start valid UTF-8 (0xC0, 0xC1 only begin
    /// overlong forms such as %c0%ae for '.'; 0xF5-0xFF) are refused.
    bool refuseUnsafeBytes;
};

/// PATH_INFO of an app (SPEC section 3): empty segments kept, anything else a name may hold.
inline constexpr PathPolicy kPathInfoPolicy{true, true, false, false};
/// A file below the docroot: "//" collapsed; dotfiles and unsafe bytes refused.
inline constexpr PathPolicy kFilePolicy{false, false, true, true};

constexpr bool isUnsafePathByte(unsigned char c) noexcept {
    return c == '\\' || c < 0x20 || c == 0x7F || c == 0xC0 || c == 0xC1 || c >= 0xF5;
}

/// Percent-decodes `raw` and removes dot segments in one pass, into `out`: "" for an empty
/// `raw`, else "/" followed by the segments joined by '/'. `out` ends with '/' exactly when the
/// path names a directory by its form ("/", "/a/", "/a/.", "/a/b/.."; with
/// keepEmptySegments a final empty segment is that '/'). `out` is unspecified unless Ok.
/// A malformed escape or NUL anywhere wins over a refusal earlier in the path.
inline PathResult normalizePath(std::string_view raw, std::string& out, const PathPolicy& policy) {
    out.clear();
    if (raw.empty()) return PathResult::Ok;
    out.push_back('/');
    std::size_t start = 1;  // the segment being decoded is out[start, out.size())
    PathResult refusal = PathResult::Ok;

    // Ends the current segment; `last`: the path ends here (no '/' follows).
    auto finish = [&](bool last) {
        const std::string_view segment(out.data() + start, out.size() - start);
        if (segment == "." || segment == "..") {
            if (segment.size() == 2) {
                if (start == 1) return PathResult::Climbs;
                start = out.rfind('/', start - 2) + 1;  // drop the previous segment too
            }
            out.resize(start);
            return PathResult::Ok;
        }
        if (policy.refuseDotfiles && !segment.empty() && segment[0] == '.' &&
            segment != ".well-known")
            return PathResult::Dotfile;
        if (!last && (!segment.empty() || policy.keepEmptySegments)) {
            out.push_back('/');
            start = out.size();
        }
        return PathResult::Ok;
    };

    bool first = true;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        auto c = static_cast<unsigned char>(raw[i]);
        if (c == '%') {
            if (raw.size() - i < 3) return PathResult::BadEscape;
            const int high = hexValue(raw[i + 1]), low = hexValue(raw[i + 2]);
            if (high < 0 || low < 0) return PathResult::BadEscape;
            c = static_cast<unsigned char>(high * 16 + low);
            i += 2;
        }
        if (c == 0) return PathResult::Nul;
        if (first) {
            first = false;
            if (c == '/') continue;  // the root: `out` already starts with it
            if (policy.requireRoot) return PathResult::NotRooted;
        }
        if (refusal != PathResult::Ok) continue;  // only looking for a malformation now
        if (c == '/') {
            refusal = finish(false);
            continue;
        }
        if (policy.refuseUnsafeBytes && isUnsafePathByte(c)) {
            refusal = PathResult::UnsafeByte;
            continue;
        }
        out.push_back(static_cast<char>(c));
    }
    if (refusal != PathResult::Ok) return refusal;
    return finish(true);
}

}  // namespace gateway::detail

#endif  // GATEWAY_DETAIL_HTTP_LEXER_HPP
