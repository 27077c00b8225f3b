#include "gateway/http/DateCache.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <cstdint>
#include <cstring>

namespace gateway {

// Strict RFC 9110 §5.6.7 parsing, without allocation: Poco's DateTimeParser accepts "not a
// date" (as year 0) and reads RFC 850's "06-Nov-94" as the year 94, which would turn a
// garbage If-Unmodified-Since into a 412.
namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& value) {
    if (at + n > s.size()) return false;
    value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        value = value * 10 + (s[i] - '0');
    }
    return true;
}

int monthIndex(std::string_view s, std::size_t at) {
    static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (at + 3 > s.size()) return -1;
    for (int m = 0; m < 12; ++m)
        if (s.substr(at, 3) == kMonths[m]) return m + 1;
    return -1;
}

/// "Sun" .. "Sat" (short) or "Sunday" .. "Saturday" (long); returns the length matched, or 0.
std::size_t dayName(std::string_view s, bool longForm) {
    static constexpr std::string_view kShort[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr std::string_view kLong[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                 "Friday", "Saturday", "Sunday"};
    for (std::string_view name : longForm ? kLong : kShort)
        if (s.substr(0, name.size()) == name) return name.size();
    return 0;
}

bool time(std::string_view s, std::size_t at, int& h, int& m, int& sec) {
    return at + 8 <= s.size() && digits(s, at, 2, h) && s[at + 2] == ':' &&
           digits(s, at + 3, 2, m) && s[at + 5] == ':' && digits(s, at + 6, 2, sec) && h < 24 &&
           m < 60 && sec <= 60;
}

std::optional<std::time_t> toEpoch(int year, int month, int day, int h, int m, int s) {
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap))
        return std::nullopt;
    // Days from civil (H. Hinnant).
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = static_cast<unsigned>(y - era * 400);
    unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    return static_cast<std::time_t>(days * 86400 + h * 3600 + m * 60 + s);
}

}  // namespace

std::optional<std::time_t> parseHttpDate(std::string_view s) {
    int day, month, year, h, m, sec;
    if (std::size_t n = dayName(s, false); n == 3 && s.size() == 29 && s[3] == ',') {
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        if (s[4] != ' ' || !digits(s, 5, 2, day) || s[7] != ' ' || (month = monthIndex(s, 8)) < 0 ||
            s[11] != ' ' || !digits(s, 12, 4, year) || s[16] != ' ' || !time(s, 17, h, m, sec) ||
            s.substr(25) != " GMT")
            return std::nullopt;
        return toEpoch(year, month, day, h, m, sec);
    }
    if (std::size_t n = dayName(s, false); n == 3 && s.size() == 24 && s[3] == ' ') {
        // asctime: "Sun Nov  6 08:49:37 1994"
        if ((month = monthIndex(s, 4)) < 0 || s[7] != ' ') return std::nullopt;
        if (s[8] == ' ') {
            if (!digits(s, 9, 1, day)) return std::nullopt;
        } else if (!digits(s, 8, 2, day)) {
            return std::nullopt;
        }
        if (s[10] != ' ' || !time(s, 11, h, m, sec) || s[19] != ' ' || !digits(s, 20, 4, year))
            return std::nullopt;
        return toEpoch(year, month, day, h, m, sec);
    }
    if (std::size_t n = dayName(s, true); n > 0) {
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
        std::string_view r = s.substr(n);
        if (r.size() != 24 || r[0] != ',' || r[1] != ' ' || !digits(r, 2, 2, day) || r[4] != '-' ||
            (month = monthIndex(r, 5)) < 0 || r[8] != '-' || !digits(r, 9, 2, year) ||
            r[11] != ' ' || !time(r, 12, h, m, sec) || r.substr(20) != " GMT")
            return std::nullopt;
        year += year < 70 ? 2000 : 1900;  // RFC 9110: two-digit years ~50 years back
        return toEpoch(year, month, day, h, m, sec);
    }
    return std::nullopt;
}

std::string formatHttpDate(std::time_t t) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(t),
                                           Poco::DateTimeFormat::HTTP_FORMAT);
}

std::time_t DateCache::refresh() {
    const std::time_t now = std::time(nullptr);
    if (now != _now) {
        _now = now;
        const std::string text = formatHttpDate(now);
        _length = std::min(text.size(), sizeof(_text));
        std::memcpy(_text, text.data(), _length);
    }
    return _now;
}

}  // namespace gateway
