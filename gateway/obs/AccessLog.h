#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "gateway/http/Request.h"

namespace gateway {

/// Combined Log Format plus the request time in microseconds:
///   127.0.0.1 - - [25/Nov/2026:13:55:00 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/7.88.1" 143
/// Lines are collected in a buffer and written with one write(2) when it fills or on flush()
/// (the loop flushes once a second and at exit), so logging costs no syscall per request.
class AccessLog {
public:
    /// `target`: "" = off, "-" = stdout, else a file opened for appending.
    /// Throws std::runtime_error naming the file when it cannot be opened.
    explicit AccessLog(std::string target);
    ~AccessLog();
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    bool enabled() const { return _fd >= 0; }

    void record(const Request& request, std::string_view remoteAddress, int status,
                std::uint64_t bodyBytes, std::int64_t micros, std::time_t now);
    void flush();
    /// Re-open the file (after log rotation).
    void reopen();

private:
    void open();
    std::string_view timestamp(std::time_t now);

    std::string _target;
    int _fd = -1;
    std::string _buffer;
    std::time_t _stampTime = -1;
    char _stamp[40] = {};
    std::size_t _stampLength = 0;
};

}  // namespace gateway
