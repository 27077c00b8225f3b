// headers.hpp - request headers an app interprets: cookies (Cookie), media types with parameters
// (Content-Type) and content negotiation (Accept). Pure functions over string_view: no host, no
// exceptions, header-only, C++17, standard library only. Malformed parts never throw: they are
// skipped or give nullopt, as described per function.
//
//     #include "gateway/headers.hpp"
//
//     // Accept: "text/html;q=0.9, application/json" -> "application/json"
//     // Accept: "image/png"                         -> nullopt: answer 406 Not Acceptable
//     std::optional<std::string_view> pick(std::string_view accept) {
//         return gateway::sdk::negotiate(accept, {"text/html", "application/json"});
//     }
//
//     bool isJson(std::string_view contentType) {  // "Application/JSON; charset=utf-8" -> true
//         const auto type = gateway::sdk::MediaType::parse(contentType);
//         return type && type->is("application/json");
//     }
//
// In call(), Request::cookie(), Request::contentType() and Request::negotiate() use these on the
// request's own headers.
#ifndef GATEWAY_HEADERS_HPP
#define GATEWAY_HEADERS_HPP

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/detail/http_lexer.hpp"

namespace gateway::sdk {

namespace detail {

/// A cursor over a header value, for the grammar of RFC 9110 §5.6 (tokens, quoted strings,
/// parameters).
struct HeaderCursor {
    std::string_view text;
    std::size_t at = 0;
    bool bad = false;  ///< nextParameter() met a malformed parameter

    bool done() const noexcept { return at >= text.size(); }
    char peek() const noexcept { return done() ? '\0' : text[at]; }
    void skipOws() noexcept {
        while (!done() && ::gateway::detail::isOws(text[at])) ++at;
    }
    bool skip(char c) noexcept {
        if (peek() != c) return false;
        ++at;
        return true;
    }
    /// 1*tchar, or an empty view when none is here.
    std::string_view token() noexcept {
        const std::size_t start = at;
        while (!done() && ::gateway::detail::isTchar(text[at])) ++at;
        return text.substr(start, at - start);
    }
    /// A quoted-string including its quotes, or an empty view when malformed.
    std::string_view quoted() noexcept {
        const std::size_t start = at;
        if (!skip('"')) return {};
        while (!done() && text[at] != '"') {
            if (text[at] == '\\' && ++at == text.size()) break;
            if (!::gateway::detail::isFieldChar(text[at])) return {};
            ++at;
        }
        if (!skip('"')) return {};
        return text.substr(start, at - start);
    }
    /// The next `OWS ";" OWS name "=" (token / quoted-string)`, the value raw (quotes kept).
    /// False when no ';' follows (the end, a ',', anything else) and when the parameter is
    /// malformed, which also sets `bad`. An empty parameter (";;", which RFC 9110 allows) has
    /// an empty name.
    bool nextParameter(std::string_view& name, std::string_view& value) noexcept {
        skipOws();
        if (!skip(';')) return false;
        skipOws();
        name = token();
        value = {};
        if (name.empty()) {
            bad = !(done() || peek() == ';' || peek() == ',');
            return !bad;
        }
        if (skip('=')) value = peek() == '"' ? quoted() : token();
        bad = value.empty();
        return !bad;
    }
    /// Blanks, then the end or a ',' (what ends a list element).
    bool atElementEnd() noexcept {
        skipOws();
        return done() || peek() == ',';
    }
};

/// A parameter value without its quotes and backslash escapes.
inline std::string unquote(std::string_view raw) {
    if (raw.size() < 2 || raw.front() != '"') return std::string(raw);
    std::string out;
    out.reserve(raw.size() - 2);
    for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
        if (raw[i] == '\\') ++i;
        out.push_back(raw[i]);
    }
    return out;
}

}  // namespace detail

/// The cookies of a Cookie header ("a=1; b=2"), as views into it, without allocating. Pairs
/// split at ';', name and value at the first '=' and trimmed; a value in double quotes loses
/// them; a pair without '=' or with an empty name is skipped. Values are not decoded (RFC 6265
/// gives them no encoding; an app that percent-encodes its own decodes with percentDecode).
///     for (auto [name, value] : gateway::sdk::Cookies(request.env("HTTP_COOKIE", ""))) ...
class Cookies {
public:
    struct Cookie {
        std::string_view name;
        std::string_view value;
    };

    explicit Cookies(std::string_view header) noexcept : _header(header) {}

    /// The value of the first cookie called `name` (case-sensitive), or nullopt.
    std::optional<std::string_view> get(std::string_view name) const noexcept {
        for (const Cookie cookie : *this)
            if (cookie.name == name) return cookie.value;
        return std::nullopt;
    }

    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Cookie;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = Cookie;

        explicit iterator(std::string_view rest) noexcept : _rest(rest) { advance(); }
        Cookie operator*() const noexcept { return _cookie; }
        iterator& operator++() noexcept {
            advance();
            return *this;
        }
        iterator operator++(int) noexcept {
            iterator before = *this;
            advance();
            return before;
        }
        bool operator==(const iterator& other) const noexcept {
            return _done == other._done && (_done || _rest.data() == other._rest.data());
        }
        bool operator!=(const iterator& other) const noexcept { return !(*this == other); }

    private:
        void advance() noexcept {
            using ::gateway::detail::trimOws;
            while (!_rest.empty()) {
                const std::size_t semi = _rest.find(';');
                const std::string_view pair = _rest.substr(0, semi);
                _rest =
                    semi == std::string_view::npos ? std::string_view() : _rest.substr(semi + 1);
                const std::size_t eq = pair.find('=');
                if (eq == std::string_view::npos) continue;
                const std::string_view name = trimOws(pair.substr(0, eq));
                std::string_view value = trimOws(pair.substr(eq + 1));
                if (name.empty()) continue;
                if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                    value = value.substr(1, value.size() - 2);
                _cookie = {name, value};
                return;
            }
            _done = true;
        }
        std::string_view _rest;
        Cookie _cookie{};
        bool _done = false;
    };
    iterator begin() const noexcept { return iterator(_header); }
    iterator end() const noexcept { return iterator(std::string_view()); }

private:
    std::string_view _header;
};

/// A media type with its parameters, as in Content-Type: `type/subtype; name=value; ...`
/// (RFC 9110 §8.3.1). Views into the parsed text: keep the text alive.
struct MediaType {
    std::string_view type;        ///< "text" (as written; compare with is())
    std::string_view subtype;     ///< "html"
    std::string_view parameters;  ///< the raw rest from the first ';' on ("" if none)

    /// Parses "text/html; charset=\"utf-8\"" (blanks around ';' allowed, a quoted or token
    /// value per parameter). nullopt when malformed: no '/', a type or subtype that is not a
    /// token, a parameter without '=' or with a broken quoted string, trailing garbage.
    static std::optional<MediaType> parse(std::string_view text) noexcept {
        detail::HeaderCursor in{text};
        in.skipOws();
        MediaType media;
        media.type = in.token();
        if (media.type.empty() || !in.skip('/')) return std::nullopt;
        media.subtype = in.token();
        if (media.subtype.empty()) return std::nullopt;
        const std::size_t parametersAt = in.at;
        for (std::string_view name, value; in.nextParameter(name, value);) {
        }
        if (in.bad || !in.atElementEnd() || !in.done()) return std::nullopt;
        media.parameters = ::gateway::detail::trimOws(text.substr(parametersAt));
        return media;
    }

    /// True for the same "type/subtype", case-insensitively: is("application/json").
    bool is(std::string_view typeSlashSubtype) const noexcept {
        const std::size_t slash = typeSlashSubtype.find('/');
        return slash != std::string_view::npos &&
               ::gateway::detail::equalsIgnoreCase(type, typeSlashSubtype.substr(0, slash)) &&
               ::gateway::detail::equalsIgnoreCase(subtype, typeSlashSubtype.substr(slash + 1));
    }

    /// The value of parameter `name` (case-insensitive name), unquoted ("charset" ->
    /// "utf-8"), or nullopt when absent.
    std::optional<std::string> parameter(std::string_view name) const {
        detail::HeaderCursor in{parameters};
        for (std::string_view key, value; in.nextParameter(key, value);)
            if (!key.empty() && ::gateway::detail::equalsIgnoreCase(key, name))
                return detail::unquote(value);
        return std::nullopt;
    }
};

namespace detail {

/// A qvalue ("0", "0.5", "1.000") in thousandths, or -1 when malformed (RFC 9110 §12.4.2).
inline int qvalue(std::string_view text) noexcept {
    if (text.empty() || (text[0] != '0' && text[0] != '1')) return -1;
    int value = (text[0] - '0') * 1000;
    if (text.size() == 1) return value;
    if (text[1] != '.' || text.size() > 5) return -1;
    int scale = 100;
    for (const char c : text.substr(2)) {
        if (!::gateway::detail::isDigit(c)) return -1;
        value += (c - '0') * scale;
        scale /= 10;
    }
    return value <= 1000 ? value : -1;
}

/// One element of an Accept header: a media range, its parameters (those before q, raw, as
/// in MediaType::parameters) and its q in thousandths.
struct AcceptRange {
    MediaType range;
    int q = 1000;
};

/// Reads one element at `in` (which stands at its start); false when it is malformed.
inline bool readAcceptRange(HeaderCursor& in, AcceptRange& out) noexcept {
    out = AcceptRange{};
    in.bad = false;
    out.range.type = in.token();
    if (out.range.type.empty() || !in.skip('/')) return false;
    out.range.subtype = in.token();
    if (out.range.subtype.empty()) return false;
    const std::size_t parametersAt = in.at;
    std::size_t parametersEnd = in.at;
    bool afterQ = false;  // what follows q is accept-ext: read, never matched
    for (std::string_view name, value; in.nextParameter(name, value);) {
        if (afterQ) continue;
        if (::gateway::detail::equalsIgnoreCase(name, "q")) {
            out.q = qvalue(value);
            afterQ = true;
            if (out.q < 0) return false;
        } else {
            parametersEnd = in.at;
        }
    }
    out.range.parameters = in.text.substr(parametersAt, parametersEnd - parametersAt);
    return !in.bad && in.atElementEnd();
}

/// The next well-formed element of an Accept value; false at the end. Malformed elements are
/// skipped up to the next ',' outside a quoted string.
inline bool nextAcceptRange(HeaderCursor& in, AcceptRange& out) noexcept {
    for (;;) {
        do in.skipOws();
        while (in.skip(','));
        if (in.done()) return false;
        if (readAcceptRange(in, out)) return true;
        while (!in.done() && in.peek() != ',') {
            if (in.peek() != '"' || in.quoted().empty()) ++in.at;
        }
    }
}

/// How specifically Accept range `range` matches `offered`: -1 not at all, else higher for
/// more specific (a concrete type, then subtype, then each matching parameter).
inline int rangeSpecificity(const MediaType& range, const MediaType& offered) {
    using ::gateway::detail::equalsIgnoreCase;
    int score = 0;
    if (range.type != "*") {
        if (!equalsIgnoreCase(range.type, offered.type)) return -1;
        score += 1000;
    }
    if (range.subtype != "*") {
        if (range.type == "*" || !equalsIgnoreCase(range.subtype, offered.subtype)) return -1;
        score += 1000;
    }
    HeaderCursor in{range.parameters};
    for (std::string_view name, value; in.nextParameter(name, value);) {
        if (name.empty()) continue;
        const std::optional<std::string> mine = offered.parameter(name);
        if (!mine || !equalsIgnoreCase(*mine, unquote(value))) return -1;
        ++score;
    }
    return score;
}

}  // namespace detail

/// Content negotiation (RFC 9110 §12.5.1): the entry of `offered` (the app's media types, most
/// preferred first, e.g. {"application/json", "text/html"}) that the Accept header value
/// `accept` rates highest, or nullopt when it accepts none of them: answer 406.
///   - Each offered type takes the q of the most specific range that matches it
///     ("text/html;level=1" > "text/html" > "text/*" > "*/*"); no matching range, or q=0,
///     means not acceptable.
///   - Ties go to the earlier entry of `offered`: the app's preference.
///   - An empty or absent Accept (pass "") accepts anything: the first offered type wins. A
///     malformed element is skipped; a header with no well-formed element counts as absent.
/// The result views the entry of `offered` (the bytes of its std::string_view).
inline std::optional<std::string_view> negotiate(std::string_view accept,
                                                 const std::string_view* offered,
                                                 std::size_t count) {
    detail::HeaderCursor probe{accept};
    detail::AcceptRange element;
    if (count == 0) return std::nullopt;
    if (!detail::nextAcceptRange(probe, element)) return offered[0];
    std::optional<std::string_view> best;
    int bestQ = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::optional<MediaType> mine = MediaType::parse(offered[i]);
        if (!mine) continue;
        int q = 0, specificity = -1;
        detail::HeaderCursor in{accept};
        while (detail::nextAcceptRange(in, element)) {
            const int score = detail::rangeSpecificity(element.range, *mine);
            if (score > specificity) {
                specificity = score;
                q = element.q;
            }
        }
        if (q > bestQ) {
            best = offered[i];
            bestQ = q;
        }
    }
    return best;
}
/// As above, for a braced list: negotiate(accept, {"application/json", "text/html"}).
inline std::optional<std::string_view> negotiate(std::string_view accept,
                                                 std::initializer_list<std::string_view> offered) {
    return negotiate(accept, offered.begin(), offered.size());
}

}  // namespace gateway::sdk

#endif  // GATEWAY_HEADERS_HPP
