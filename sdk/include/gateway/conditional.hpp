// conditional.hpp - conditional requests (RFC 9110 §13): entity-tag lists (If-None-Match,
// If-Match), HTTP dates (If-Modified-Since, Last-Modified) and the order in which the
// precondition headers are evaluated. Pure functions: no host, no exceptions, header-only,
// C++17, standard library only. This is the one home of these rules in the SDK.
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

#include "gateway/detail/http_lexer.hpp"

namespace gateway::sdk {

/// An entity-tag split into its parts: `W/"xyz"` -> weak, opaque `"xyz"` (quotes kept).
struct EntityTag {
    bool weak = false;
    std::string_view opaque;

    /// Parses `"xyz"` or `W/"xyz"` (etagc: any visible byte but '"', or obs-text); nullopt
    /// otherwise.
    static std::optional<EntityTag> parse(std::string_view text) noexcept {
        EntityTag tag;
        if (text.substr(0, 2) == "W/") {
            tag.weak = true;
            text.remove_prefix(2);
        }
        if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::nullopt;
        for (const char c : text.substr(1, text.size() - 2)) {
            const auto u = static_cast<unsigned char>(c);
            if (c == '"' || u <= 0x20 || u == 0x7F) return std::nullopt;
        }
        tag.opaque = text;
        return tag;
    }
};

/// Whether entity-tag `etag` (the resource's, e.g. `"v7"` or `W/"v7"`) is in the list `list`
/// (an If-None-Match or If-Match value). "*" matches any current representation, even one
/// without a tag (`etag` ""). Strong comparison (If-Match)
/// matches only when both tags are strong and equal; weak comparison (If-None-Match) ignores
/// W/. A malformed `etag` matches nothing; in a malformed list, elements up to the first
/// malformed one still count.
inline bool etagMatches(std::string_view list, std::string_view etag, bool strong) noexcept {
    using ::gateway::detail::isOws;
    const std::optional<EntityTag> mine = EntityTag::parse(etag);
    list = ::gateway::detail::trimOws(list);
    if (list == "*") return true;
    if (!mine || (strong && mine->weak)) return false;
    std::size_t i = 0;
    while (i < list.size()) {
        while (i < list.size() && (isOws(list[i]) || list[i] == ',')) ++i;
        if (i == list.size()) break;
        const bool weak = list.compare(i, 2, "W/") == 0;
        if (weak) i += 2;
        if (i == list.size() || list[i] != '"') return false;
        const std::size_t close = list.find('"', i + 1);
        if (close == std::string_view::npos) return false;
        if (list.substr(i, close - i + 1) == mine->opaque && !(strong && weak)) return true;
        i = close + 1;
        while (i < list.size() && isOws(list[i])) ++i;
        if (i < list.size() && list[i] != ',') return false;
    }
    return false;
}

namespace detail {

inline bool digits(std::string_view s, std::size_t at, std::size_t n, int& value) noexcept {
    if (at + n > s.size()) return false;
    value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (!::gateway::detail::isDigit(s[i])) return false;
        value = value * 10 + (s[i] - '0');
    }
    return true;
}

inline constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
inline constexpr std::string_view kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
inline constexpr std::string_view kLongDays[] = {"Thursday", "Friday",  "Saturday", "Sunday",
                                                 "Monday",   "Tuesday", "Wednesday"};

/// 1-12 for "Jan".."Dec" at `at`, else -1.
inline int monthAt(std::string_view s, std::size_t at) noexcept {
    for (int m = 0; m < 12; ++m)
        if (s.substr(at, 3) == kMonths[m]) return m + 1;
    return -1;
}

/// The length of the day name `s` starts with (short "Sun" or long "Sunday"), or 0.
inline std::size_t dayNameLength(std::string_view s, bool longForm) noexcept {
    for (const std::string_view name : longForm ? kLongDays : kDays)
        if (s.substr(0, name.size()) == name) return name.size();
    return 0;
}

inline bool timeAt(std::string_view s, std::size_t at, int& h, int& m, int& sec) noexcept {
    return at + 8 <= s.size() && digits(s, at, 2, h) && s[at + 2] == ':' &&
           digits(s, at + 3, 2, m) && s[at + 5] == ':' && digits(s, at + 6, 2, sec) && h < 24 &&
           m < 60 && sec <= 60;
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
constexpr std::int64_t daysFromCivil(int year, int month, int day) noexcept {
    const int y = year - (month <= 2);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy =
        static_cast<unsigned>((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

inline std::optional<std::time_t> toEpoch(int year, int month, int day, int h, int m,
                                          int s) noexcept {
    static constexpr int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day < 1 || day > kMonthDays[month - 1] || (month == 2 && day == 29 && !leap))
        return std::nullopt;
    return static_cast<std::time_t>(daysFromCivil(year, month, day) * 86400 + h * 3600 + m * 60 +
                                    s);
}

}  // namespace detail

/// An HTTP date (RFC 9110 §5.6.7) as seconds since the Unix epoch: the IMF-fixdate
/// "Sun, 06 Nov 1994 08:49:37 GMT", and the obsolete forms a recipient must accept, RFC 850
/// "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994". nullopt for
/// anything else (exact case and spacing; the day name is not checked against the date).
inline std::optional<std::time_t> parseHttpDate(std::string_view s) noexcept {
    using detail::digits;
    int day = 0, month = 0, year = 0, h = 0, m = 0, sec = 0;
    if (detail::dayNameLength(s, false) == 3 && s.size() == 29 && s[3] == ',') {
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        if (s[4] != ' ' || !digits(s, 5, 2, day) || s[7] != ' ' ||
            (month = detail::monthAt(s, 8)) < 0 || s[11] != ' ' || !digits(s, 12, 4, year) ||
            s[16] != ' ' || !detail::timeAt(s, 17, h, m, sec) || s.substr(25) != " GMT")
            return std::nullopt;
        return detail::toEpoch(year, month, day, h, m, sec);
    }
    if (detail::dayNameLength(s, false) == 3 && s.size() == 24 && s[3] == ' ') {
        // asctime: "Sun Nov  6 08:49:37 1994"
        if ((month = detail::monthAt(s, 4)) < 0 || s[7] != ' ') return std::nullopt;
        if (!(s[8] == ' ' ? digits(s, 9, 1, day) : digits(s, 8, 2, day)) || s[10] != ' ' ||
            !detail::timeAt(s, 11, h, m, sec) || s[19] != ' ' || !digits(s, 20, 4, year))
            return std::nullopt;
        return detail::toEpoch(year, month, day, h, m, sec);
    }
    if (const std::size_t n = detail::dayNameLength(s, true); n > 0) {
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; two-digit years are 1970-2069
        const std::string_view r = s.substr(n);
        if (r.size() != 24 || r[0] != ',' || r[1] != ' ' || !digits(r, 2, 2, day) || r[4] != '-' ||
            (month = detail::monthAt(r, 5)) < 0 || r[8] != '-' || !digits(r, 9, 2, year) ||
            r[11] != ' ' || !detail::timeAt(r, 12, h, m, sec) || r.substr(20) != " GMT")
            return std::nullopt;
        return detail::toEpoch(year + (year < 70 ? 2000 : 1900), month, day, h, m, sec);
    }
    return std::nullopt;
}

/// `t` as an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", for Last-Modified (years 0-9999).
inline std::string formatHttpDate(std::time_t t) {
    const std::int64_t seconds = static_cast<std::int64_t>(t);
    std::int64_t days = seconds / 86400, rest = seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    // Civil from days (H. Hinnant), the inverse of detail::daysFromCivil.
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned day = doy - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2);
    const std::int64_t weekday = ((days % 7) + 7) % 7;  // 1970-01-01 was a Thursday

    std::string out(detail::kDays[weekday]);
    auto two = [&out](std::int64_t v) {
        out.push_back(static_cast<char>('0' + v / 10));
        out.push_back(static_cast<char>('0' + v % 10));
    };
    out += ", ";
    two(day);
    out.append(" ").append(detail::kMonths[month - 1]).append(" ");
    two(year / 100 % 100);
    two(year % 100);
    out.push_back(' ');
    two(rest / 3600);
    out.push_back(':');
    two(rest / 60 % 60);
    out.push_back(':');
    two(rest % 60);
    out += " GMT";
    return out;
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
    using ::gateway::detail::trimOws;
    const bool getOrHead = method == "GET" || method == "HEAD";
    if (!headers.ifMatch.empty()) {
        if (!etagMatches(headers.ifMatch, etag, true)) return Precondition::Failed;
    } else if (!headers.ifUnmodifiedSince.empty() && lastModified) {
        const std::optional<std::time_t> date = parseHttpDate(trimOws(headers.ifUnmodifiedSince));
        if (date && *lastModified > *date) return Precondition::Failed;
    }
    if (!headers.ifNoneMatch.empty()) {
        if (etagMatches(headers.ifNoneMatch, etag, false))
            return getOrHead ? Precondition::NotModified : Precondition::Failed;
    } else if (getOrHead && !headers.ifModifiedSince.empty() && lastModified) {
        const std::optional<std::time_t> date = parseHttpDate(trimOws(headers.ifModifiedSince));
        if (date && *lastModified <= *date) return Precondition::NotModified;
    }
    return Precondition::Proceed;
}

}  // namespace gateway::sdk

#endif  // GATEWAY_CONDITIONAL_HPP
