#include "gateway/obs/AccessLog.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "gateway/http/Lexer.h"
#include "gateway/obs/JsonString.h"

namespace gateway {
namespace {

constexpr std::size_t kFlushThreshold = 32 * 1024;

/// Quoted field: '"', '\' and control bytes escaped like nginx does (\x22), "-" when empty.
void appendQuoted(std::string& out, std::string_view value) {
    out.push_back('"');
    if (value.empty()) out.push_back('-');
    appendEscaped(out, value, true);
    out.push_back('"');
}

/// A JSON string, or null when `value` is empty (an absent header, an unparsed request).
void appendJsonOrNull(std::string& out, std::string_view value) {
    if (value.empty())
        out.append("null");
    else
        appendJsonString(out, value);
}

}  // namespace

AccessLog::Format AccessLog::formatNamed(std::string_view name) {
    return name == "json" ? Format::Json : Format::Combined;
}

AccessLog::AccessLog(std::string target, Format format)
    : _target(std::move(target)), _format(format) {
    open();
    if (enabled()) _buffer.reserve(kFlushThreshold * 2);
}

AccessLog::~AccessLog() {
    flush();
    if (_fd > STDERR_FILENO) ::close(_fd);
}

void AccessLog::open() {
    if (_target.empty()) return;
    if (_target == "-") {
        _fd = STDOUT_FILENO;
        return;
    }
    _fd = ::open(_target.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (_fd < 0)
        throw std::runtime_error("cannot open access log " + _target + ": " + std::strerror(errno));
}

void AccessLog::reopen() {
    flush();
    if (_fd > STDERR_FILENO) ::close(_fd);
    _fd = -1;
    open();
}

std::string_view AccessLog::timestamp(std::time_t now) {
    if (now != _stampTime) {
        _stampTime = now;
        tm parts{};
        gmtime_r(&now, &parts);
        _stampLength = std::strftime(
            _stamp, sizeof(_stamp),
            _format == Format::Json ? "%Y-%m-%dT%H:%M:%S" : "[%d/%b/%Y:%H:%M:%S +0000]", &parts);
    }
    return {_stamp, _stampLength};
}

void AccessLog::record(const Request& request, std::string_view remoteAddress, int status,
                       std::uint64_t bodyBytes, std::int64_t micros, std::time_t now,
                       std::string_view mount, std::string_view app) {
    if (!enabled()) return;
    if (_format == Format::Json)
        recordJson(request, remoteAddress, status, bodyBytes, micros, mount, app);
    else
        recordCombined(request, remoteAddress, status, bodyBytes, micros, now);
    if (_buffer.size() >= kFlushThreshold) flush();
}

void AccessLog::recordCombined(const Request& request, std::string_view remoteAddress, int status,
                               std::uint64_t bodyBytes, std::int64_t micros, std::time_t now) {
    std::string& out = _buffer;
    out.append(remoteAddress).append(" - - ").append(timestamp(now)).append(" \"");
    // The request line as received: method, target, version.
    const std::size_t lineStart = out.size();
    if (request.method.empty()) {  // the head could not be parsed
        out.push_back('-');
    } else {
        out.append(request.method).push_back(' ');
        out.append(request.target).append(request.versionMinor == 0 ? " HTTP/1.0" : " HTTP/1.1");
    }
    for (std::size_t i = lineStart; i < out.size(); ++i)
        if (out[i] == '"') out[i] = '\'';
    out.append("\" ");
    appendNumber(out, status);
    out.push_back(' ');
    if (bodyBytes == 0)
        out.push_back('-');
    else
        appendNumber(out, bodyBytes);
    out.push_back(' ');
    appendQuoted(out, request.value("Referer"));
    out.push_back(' ');
    appendQuoted(out, request.value("User-Agent"));
    out.push_back(' ');
    appendNumber(out, micros);
    out.push_back('\n');
}

void AccessLog::recordJson(const Request& request, std::string_view remoteAddress, int status,
                           std::uint64_t bodyBytes, std::int64_t micros, std::string_view mount,
                           std::string_view app) {
    // The wall clock with milliseconds at the end of the request: clock_gettime is answered by
    // the vDSO, no syscall.
    timespec clock{};
    clock_gettime(CLOCK_REALTIME, &clock);
    const auto millis = static_cast<int>(clock.tv_nsec / 1000000);
    const char fraction[5] = {'.', static_cast<char>('0' + millis / 100),
                              static_cast<char>('0' + millis / 10 % 10),
                              static_cast<char>('0' + millis % 10), 'Z'};
    std::string& out = _buffer;
    out.append("{\"time\":\"").append(timestamp(clock.tv_sec)).append(fraction, sizeof fraction);
    out.append("\",\"remote_addr\":");
    appendJsonString(out, remoteAddress);
    const bool parsed = !request.method.empty();
    out.append(",\"method\":");
    appendJsonOrNull(out, request.method);
    out.append(",\"target\":");
    appendJsonOrNull(out, request.target);
    out.append(",\"protocol\":");
    out.append(!parsed ? "null" : request.versionMinor == 0 ? "\"HTTP/1.0\"" : "\"HTTP/1.1\"");
    out.append(",\"status\":");
    appendNumber(out, status);
    out.append(",\"bytes\":");
    appendNumber(out, bodyBytes);
    out.append(",\"duration_us\":");
    appendNumber(out, micros);
    out.append(",\"mount\":");
    appendJsonOrNull(out, mount);
    out.append(",\"app\":");
    appendJsonOrNull(out, app);
    out.append(",\"user_agent\":");
    appendJsonOrNull(out, request.value("User-Agent"));
    out.append(",\"referer\":");
    appendJsonOrNull(out, request.value("Referer"));
    out.append(",\"request_id\":");
    appendJsonOrNull(out, request.id.view());
    out.append("}\n");
}

void AccessLog::flush() {
    std::size_t done = 0;
    while (_fd >= 0 && done < _buffer.size()) {
        const ssize_t n = ::write(_fd, _buffer.data() + done, _buffer.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // a full disk must not stop the server; the lines are lost
        done += static_cast<std::size_t>(n);
    }
    _buffer.clear();
}

}  // namespace gateway
