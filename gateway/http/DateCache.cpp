#include "gateway/http/DateCache.h"

#include <cstdint>

#include "gateway/http.h"

namespace gateway {

// Strict RFC 9110 §5.6.7 dates, without allocation, by the SDK's rules (gateway/http.h, their
// one home; Poco's DateTimeParser accepts "not a date" as year 0 and reads RFC 850's
// "06-Nov-94" as the year 94, which would turn a garbage If-Unmodified-Since into a 412).
std::optional<std::time_t> parseHttpDate(std::string_view s) {
    std::int64_t t = 0;
    if (!gw_http_date_parse({s.data(), s.size()}, &t)) return std::nullopt;
    return static_cast<std::time_t>(t);
}

std::string formatHttpDate(std::time_t t) {
    char text[GW_HTTP_DATE_SIZE];
    return std::string(text, gw_http_date_format(text, static_cast<std::int64_t>(t)));
}

std::time_t DateCache::refresh() {
    const std::time_t now = std::time(nullptr);
    if (now != _now) {
        _now = now;
        static_assert(sizeof(_text) >= GW_HTTP_DATE_SIZE);
        _length = gw_http_date_format(_text, static_cast<std::int64_t>(now));
    }
    return _now;
}

}  // namespace gateway
