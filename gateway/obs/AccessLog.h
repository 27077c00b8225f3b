#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "gateway/http/Request.h"

namespace gateway {

/// One line per request, in one of two formats (--access-log-format):
///   combined: Combined Log Format plus the request time in microseconds
///     127.0.0.1 - - [25/Nov/2026:13:55:00 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/7.88.1" 143
///   json: one JSON object per line (docs/operating.md "Logs" lists the fields)
///     {"time":"2026-11-25T13:55:00.123Z","remote_addr":"127.0.0.1","method":"GET",...}
/// Lines are collected in a buffer and written with one write(2) when it fills or on flush()
/// (the loop flushes once a second and at exit), so logging costs no syscall and, once the
/// buffer has its capacity, no allocation per request.
class AccessLog {
public:
    enum class Format : std::uint8_t { Combined, Json };
    /// "json" → Json; anything else (the settings accept only "combined") → Combined.
    static Format formatNamed(std::string_view name);

    /// `target`: "" = off, "-" = stdout, else a file opened for appending.
    /// Throws std::runtime_error naming the file when it cannot be opened.
    explicit AccessLog(std::string target, Format format = Format::Combined);
    ~AccessLog();
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    bool enabled() const { return _fd >= 0; }

    /// `mount` and `app` name the app that served the request (both empty for static files and
    /// errors the server answered itself).
    void record(const Request& request, std::string_view remoteAddress, int status,
                std::uint64_t bodyBytes, std::int64_t micros, std::time_t now,
                std::string_view mount = {}, std::string_view app = {});
    void flush();
    /// Re-open the file (after log rotation).
    void reopen();

private:
    void open();
    void recordCombined(const Request& request, std::string_view remoteAddress, int status,
                        std::uint64_t bodyBytes, std::int64_t micros, std::time_t now);
    void recordJson(const Request& request, std::string_view remoteAddress, int status,
                    std::uint64_t bodyBytes, std::int64_t micros, std::string_view mount,
                    std::string_view app);
    /// "[25/Nov/2026:13:55:00 +0000]" for combined, "2026-11-25T13:55:00" for json; formatted
    /// once a second.
    std::string_view timestamp(std::time_t now);

    std::string _target;
    Format _format;
    int _fd = -1;
    std::string _buffer;
    std::time_t _stampTime = -1;
    char _stamp[40] = {};
    std::size_t _stampLength = 0;
};

}  // namespace gateway
