#include "gateway/http/DateCache.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>

#include <cstring>

namespace gateway {

std::string formatHttpDate(std::time_t t) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(t),
                                           Poco::DateTimeFormat::HTTP_FORMAT);
}

std::optional<std::time_t> parseHttpDate(std::string_view text) {
    // IMF-fixdate, then the two obsolete forms RFC 9110 §5.6.7 says recipients must accept.
    static const std::string formats[] = {Poco::DateTimeFormat::HTTP_FORMAT,
                                          Poco::DateTimeFormat::RFC850_FORMAT,
                                          Poco::DateTimeFormat::ASCTIME_FORMAT};
    const std::string value(text);
    for (const auto& format : formats) {
        Poco::DateTime dateTime;
        int tzd = 0;
        try {
            if (Poco::DateTimeParser::tryParse(format, value, dateTime, tzd))
                return dateTime.timestamp().epochTime() - tzd;
        } catch (const Poco::Exception&) {
        }
    }
    return std::nullopt;
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
