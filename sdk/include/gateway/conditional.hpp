// conditional.hpp - conditional requests (RFC 9110 §13): entity-tag lists (If-None-Match,
// If-Match), HTTP dates (If-Modified-Since, Last-Modified) and the order in which the
// precondition headers are evaluated. Pure functions: no host, no exceptions, header-only,
// C++17. The rules themselves live in gateway/http.h (C, so C plugins have them too); these are
// their C++ faces.
//
//     #include "gateway/conditional.hpp"
//
//     // A GET with If-None-Match: W/"v7" for a representation whose ETag is "v7": 304.
//     bool unchanged() {
//         gateway::sdk::Preconditions headers;
//         headers.ifNoneMatch = "W/\"v7\"";
//         return gateway::sdk::evaluatePreconditions(headers, "GET", "\"v7\"", std::nullopt) ==
//                gateway::sdk::Precondition::NotModified;
//     }
//
// In call(), Request::evaluatePreconditions(etag, lastModified) reads the headers and returns
// the 304 or 412 response to send, if any.
#ifndef GATEWAY_CONDITIONAL_HPP
#define GATEWAY_CONDITIONAL_HPP

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/http.h"

namespace gateway::sdk {

namespace detail {
inline gw_str cStr(std::string_view text) noexcept {
    return {text.data(), text.size()};
}
}  // namespace detail

/// An entity-tag split into its parts: `W/"xyz"` -> weak, opaque `"xyz"` (quotes kept).
struct EntityTag {
    bool weak = false;
    std::string_view opaque;

    /// Parses `"xyz"` or `W/"xyz"` (etagc: any visible byte but '"', or obs-text); nullopt
    /// otherwise. (gw_etag_parse in gateway/http.h.)
    static std::optional<EntityTag> parse(std::string_view text) noexcept {
        int weak = 0;
        gw_str opaque{nullptr, 0};
        if (!gw_etag_parse(detail::cStr(text), &weak, &opaque)) return std::nullopt;
        return EntityTag{weak != 0, std::string_view(opaque.ptr, opaque.len)};
    }
};

/// Whether entity-tag `etag` (the resource's, e.g. `"v7"` or `W/"v7"`) is in the list `list`
/// (an If-None-Match or If-Match value). "*" matches any current representation, even one
/// without a tag (`etag` ""). Strong comparison (If-Match)
/// matches only when both tags are strong and equal; weak comparison (If-None-Match) ignores
/// W/. A malformed `etag` matches nothing; in a malformed list, elements up to the first
/// malformed one still count. (gw_etag_matches in gateway/http.h.)
inline bool etagMatches(std::string_view list, std::string_view etag, bool strong) noexcept {
    return gw_etag_matches(detail::cStr(list), detail::cStr(etag), strong ? 1 : 0) != 0;
}

/// An HTTP date (RFC 9110 §5.6.7) as seconds since the Unix epoch: the IMF-fixdate
/// "Sun, 06 Nov 1994 08:49:37 GMT", and the obsolete forms a recipient must accept, RFC 850
/// "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994". nullopt for
/// anything else (exact case and spacing; the day name is not checked against the date).
/// (gw_http_date_parse in gateway/http.h.)
inline std::optional<std::time_t> parseHttpDate(std::string_view s) noexcept {
    std::int64_t t = 0;
    if (!gw_http_date_parse(detail::cStr(s), &t)) return std::nullopt;
    return static_cast<std::time_t>(t);
}

/// `t` as an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", for Last-Modified (years 0-9999).
/// (gw_http_date_format in gateway/http.h.)
inline std::string formatHttpDate(std::time_t t) {
    char text[GW_HTTP_DATE_SIZE];
    return std::string(text, gw_http_date_format(text, static_cast<std::int64_t>(t)));
}

/// The conditional headers of a request, as sent (empty: absent).
struct Preconditions {
    std::string_view ifMatch;
    std::string_view ifNoneMatch;
    std::string_view ifModifiedSince;
    std::string_view ifUnmodifiedSince;
};

/// What the preconditions call for.
enum class Precondition {
    Proceed,      ///< answer as usual
    NotModified,  ///< 304 Not Modified (GET and HEAD only)
    Failed,       ///< 412 Precondition Failed
};

/// RFC 9110 §13.2.2 for a resource that exists, with entity-tag `etag` (`"v7"`, `W/"v7"`, or
/// "" for none) and last modification `lastModified` (nullopt for none):
///   1. If-Match present: Failed unless it matches `etag` strongly; else
///   2. If-Unmodified-Since (a valid date, with `lastModified`): Failed if modified since;
///   3. If-None-Match present: a weak match is NotModified for GET/HEAD, Failed otherwise; it
///      makes If-Modified-Since ignored; else
///   4. If-Modified-Since (GET/HEAD, a valid date, with `lastModified`): NotModified unless
///      modified since.
/// Invalid dates are ignored. `method` is compared exactly ("GET", "HEAD").
inline Precondition evaluatePreconditions(const Preconditions& headers, std::string_view method,
                                          std::string_view etag,
                                          std::optional<std::time_t> lastModified) noexcept {
    using detail::cStr;
    switch (gw_http_preconditions(
        cStr(headers.ifMatch), cStr(headers.ifNoneMatch), cStr(headers.ifModifiedSince),
        cStr(headers.ifUnmodifiedSince), method == "GET" || method == "HEAD", cStr(etag),
        lastModified.has_value(), lastModified ? static_cast<std::int64_t>(*lastModified) : 0)) {
        case GW_PRECONDITION_NOT_MODIFIED:
            return Precondition::NotModified;
        case GW_PRECONDITION_FAILED:
            return Precondition::Failed;
        default:
            return Precondition::Proceed;
    }
}

}  // namespace gateway::sdk

#endif  // GATEWAY_CONDITIONAL_HPP
