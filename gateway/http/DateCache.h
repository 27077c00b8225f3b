#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace gateway {

/// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") for `t`.
std::string formatHttpDate(std::time_t t);
/// Parses any of the three HTTP date formats (RFC 9110 §5.6.7); nullopt when invalid.
std::optional<std::time_t> parseHttpDate(std::string_view text);

/// The Date header value, formatted at most once per second (the event loop calls refresh()).
class DateCache {
public:
    DateCache() { refresh(); }
    /// Re-format when the second changed; returns the current time.
    std::time_t refresh();
    std::string_view get() const { return {_text, _length}; }
    std::time_t now() const { return _now; }

private:
    std::time_t _now = 0;
    char _text[32] = {};
    std::size_t _length = 0;
};

}  // namespace gateway
