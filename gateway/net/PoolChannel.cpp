#include "gateway/net/PoolChannel.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "gateway/config/Settings.h"
#include "gateway/http/DateCache.h"
#include "gateway/http/ResponseWriter.h"
#include "gateway/net/EventLoop.h"
#include "gateway/net/RequestBody.h"
#include "gateway/net/UnreadBody.h"

namespace gateway {
namespace {

constexpr std::size_t kSideBufferSize = 16 * 1024;

/// Date for heads written on pool threads (the loop's DateCache belongs to the loop thread).
std::string_view poolDate() {
    thread_local DateCache cache;
    cache.refresh();
    return cache.get();
}

bool waitFor(int fd, short events, std::int64_t timeoutMs) {
    pollfd p{fd, events, 0};
    for (;;) {
        const int n = ::poll(&p, 1, static_cast<int>(timeoutMs));
        if (n > 0) return true;
        if (n == 0) return false;
        if (errno != EINTR) return false;
    }
}

Poco::Logger& logger() {
    return Poco::Logger::get("gateway");
}

}  // namespace

PoolChannel::PoolChannel(const Settings& settings, int fd, const Request& request,
                         std::function<void(ClientChannel&)> job, const Handler* handler)
    : _settings(settings), _fd(fd), _request(request), _job(std::move(job)), _handler(handler) {}

void PoolChannel::run() {
    try {
        _job(*this);
    } catch (const std::exception& e) {
        logger().error(std::string("offloaded handler threw: ") + e.what());
        if (_headSent)
            abort();
        else
            sendError(500);
    }
    if (_declined) return;  // the connection routes the request on
    // The handler closed the connection without an answer on purpose (a client gone mid-body,
    // say), and logged why in its own words, naming the request: one line per event.
    if (!_headSent && _failed) return;
    if (!_headSent && _bodyError == ReadStatus::Gone) {
        // The client left mid-body: nobody to answer, and not the server's fault.
        logger().information("client " + std::string(_request.remoteAddress) +
                             " left before its request body was read [request_id=" +
                             std::string(_request.id.view()) + "]");
        abort();
    } else if (!_headSent) {
        logger().error("offloaded handler sent no response [request_id=" +
                       std::string(_request.id.view()) + "]");
        sendError(500);
    } else if (!_ended) {
        endBody();
    }
}

bool PoolChannel::watchDeadline(std::int64_t nowMs, std::string_view date) {
    if (!_deadlineMs || _expired) return false;
    if (nowMs < _deadlineMs) return true;
    _expired = true;
    // The job may never return (a hung app): answer for it if it sent nothing yet, then cut the
    // socket so whatever it still does fails fast. The connection closes when the job returns.
    if (claimHead()) {
        std::string response;
        ResponseWriter::writeError(response, 504, date, !_request.isHead());
        [[maybe_unused]] const ssize_t n =
            ::send(_fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    logger().warning("request " + std::string(_request.target) +
                     " passed its deadline: answered 504 / closed");
    ::shutdown(_fd, SHUT_RDWR);
    return false;
}

std::string_view PoolChannel::sideInput() const {
    if (!_side || _sideEnd <= _sideBegin) return {};
    return {_side.get() + _sideBegin, _sideEnd - _sideBegin};
}

ssize_t PoolChannel::readSocket(void* buffer, std::size_t capacity) {
    const std::int64_t timeoutMs = _settings.bodyTimeout.count();
    if (_readStartMs == 0) _readStartMs = EventLoop::nowMs();
    for (;;) {
        const ssize_t n = ::read(_fd, buffer, capacity);
        if (n > 0 && belowMinimumRate(_bodyRead + static_cast<std::uint64_t>(n),
                                      EventLoop::nowMs() - _readStartMs, _settings.minBodyRate))
            return -2;
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        if (!waitFor(_fd, POLLIN, timeoutMs)) return -2;
    }
}

bool PoolChannel::writeAll(iovec* iov, int count) {
    const std::int64_t timeoutMs = _settings.writeTimeout.count();
    while (count > 0) {
        const ssize_t n = ::writev(_fd, iov, count);
        if (n < 0) {
            if (errno == EINTR) continue;
            if ((errno == EAGAIN || errno == EWOULDBLOCK) && waitFor(_fd, POLLOUT, timeoutMs))
                continue;
            return false;
        }
        auto written = static_cast<std::size_t>(n);
        while (count > 0 && written >= iov->iov_len) {
            written -= iov->iov_len;
            ++iov;
            --count;
        }
        if (count > 0) {
            iov->iov_base = static_cast<char*>(iov->iov_base) + written;
            iov->iov_len -= written;
        }
    }
    return true;
}

ClientChannel::ReadStatus PoolChannel::readBody(void* buffer, std::size_t capacity,
                                                std::size_t& got, std::uint64_t limit) {
    got = 0;
    if (_bodyError != ReadStatus::Ok) return _bodyError;
    if (!_request.hasBody()) return ReadStatus::End;
    if (!_request.chunked && static_cast<std::uint64_t>(_request.contentLength) > limit)
        return _bodyError = ReadStatus::TooLarge;
    if (_buffered) {  // read by the loop already, within the limit of the mount it was for
        if (_buffered->size() > limit) return _bodyError = ReadStatus::TooLarge;
        if (capacity == 0) return ReadStatus::Ok;
        const std::ptrdiff_t n = _buffered->read(buffer, capacity);
        if (n < 0) return _bodyError = ReadStatus::Gone;
        if (n == 0) return ReadStatus::End;
        got = static_cast<std::size_t>(n);
        _bodyRead += got;
        return ReadStatus::Ok;
    }
    if (_request.expectContinue && !_continueSent) {
        _continueSent = true;
        const std::string_view line = ResponseWriter::continueLine();
        iovec iov{const_cast<char*>(line.data()), line.size()};
        if (!writeAll(&iov, 1)) return _bodyError = ReadStatus::Gone;
    }
    if (capacity == 0) return ReadStatus::Ok;
    return _stream.unread->chunked ? readChunked(buffer, capacity, got, limit)
                                   : readStreamed(buffer, capacity, got, limit);
}

ClientChannel::ReadStatus PoolChannel::readStreamed(void* buffer, std::size_t capacity,
                                                    std::size_t& got, std::uint64_t) {
    UnreadBody& unread = *_stream.unread;
    if (unread.bytes == 0) return ReadStatus::End;
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, unread.bytes));
    std::size_t n;
    if (_stream.begin < _stream.end) {
        n = std::min<std::size_t>(want, _stream.end - _stream.begin);
        std::memcpy(buffer, _stream.buffer + _stream.begin, n);
        _stream.begin += static_cast<std::uint32_t>(n);
    } else {
        const ssize_t r = readSocket(buffer, want);  // straight into the app's buffer
        if (r == -2) return _bodyError = ReadStatus::Timeout;
        if (r <= 0) return _bodyError = ReadStatus::Gone;
        n = static_cast<std::size_t>(r);
    }
    unread.bytes -= n;
    _bodyRead += n;
    got = n;
    return ReadStatus::Ok;
}

ClientChannel::ReadStatus PoolChannel::readChunked(void* buffer, std::size_t capacity,
                                                   std::size_t& got, std::uint64_t limit) {
    UnreadBody& unread = *_stream.unread;
    while (_pending.empty()) {
        if (unread.chunkedDone) return ReadStatus::End;
        // Decode from the connection's buffer first, then from the side buffer, refilled from
        // the socket (the head stays where it is: the request's views point into it).
        std::string_view input;
        const bool fromSide = _stream.begin >= _stream.end;
        if (!fromSide) {
            input = {_stream.buffer + _stream.begin, _stream.end - _stream.begin};
        } else {
            if (!_side) _side = std::make_unique_for_overwrite<char[]>(kSideBufferSize);
            if (_sideBegin == _sideEnd) {
                const ssize_t r = readSocket(_side.get(), kSideBufferSize);
                if (r == -2) return _bodyError = ReadStatus::Timeout;
                if (r <= 0) return _bodyError = ReadStatus::Gone;
                _sideBegin = 0;
                _sideEnd = static_cast<std::uint32_t>(r);
            }
            input = {_side.get() + _sideBegin, _sideEnd - _sideBegin};
        }
        std::size_t used = 0;
        std::string_view data;
        const auto status = unread.decoder.next(input, used, data);
        (fromSide ? _sideBegin : _stream.begin) += static_cast<std::uint32_t>(used);
        if (status == ChunkedDecoder::Status::Data) _pending = data;
        if (status == ChunkedDecoder::Status::Done) unread.chunkedDone = true;
        if (status == ChunkedDecoder::Status::Error)
            return _bodyError = unread.decoder.errorStatus() == 413 ? ReadStatus::TooLarge
                                                                    : ReadStatus::BadBody;
    }
    const std::size_t n = std::min(capacity, _pending.size());
    if (_bodyRead + n > limit) return _bodyError = ReadStatus::TooLarge;
    std::memcpy(buffer, _pending.data(), n);
    _pending.remove_prefix(n);
    _bodyRead += n;
    got = n;
    return ReadStatus::Ok;
}

bool PoolChannel::sendHead(const Response& head, std::int64_t contentLength, bool close) {
    if (_headSent) return false;
    if (!claimHead()) {  // the deadline passed: the watchdog answered 504
        _headSent = _ended = _failed = true;
        _status = 504;
        return false;
    }
    _status = head.status;
    _dropBody = _request.isHead() || head.status == 204 || head.status == 304 || head.status < 200;
    ResponseWriter::Framing framing = ResponseWriter::Framing::Length;
    if (contentLength < 0 && !_request.isHead())
        framing = _request.versionMinor >= 1 ? ResponseWriter::Framing::Chunked
                                             : ResponseWriter::Framing::Close;
    const bool keepAlive =
        !close && _request.keepAlive && framing != ResponseWriter::Framing::Close;
    _close = !keepAlive;
    _chunkedOut = framing == ResponseWriter::Framing::Chunked && !_dropBody;
    _declaredLength = contentLength;

    Response framed;
    framed.status = head.status;
    framed.reason = head.reason;
    framed.headers = head.headers;
    framed.length = contentLength < 0 ? 0 : static_cast<std::uint64_t>(contentLength);
    // HEAD of a body whose length the app did not declare: GET would stream it chunked, which a
    // HEAD cannot show, so neither framing header is sent (RFC 9110 §9.3.2 allows omitting).
    framed.omitLength = contentLength < 0;
    _head.clear();
    ResponseWriter::writeHead(_head, framed, poolDate(), keepAlive,
                              keepAlive && _request.versionMinor == 0, framing);
    _headSent = true;
    iovec iov{_head.data(), _head.size()};
    if (!writeAll(&iov, 1)) {
        _failed = true;
        return false;
    }
    return true;
}

bool PoolChannel::sendBody(std::string_view data) {
    if (!_headSent || _ended || _failed) return false;
    if (_dropBody || data.empty()) return true;
    bool overrun = false;
    if (_declaredLength >= 0) {
        const auto room = static_cast<std::uint64_t>(_declaredLength) - _bytesSent;
        if (data.size() > room) {  // more than the declared Content-Length: never send it
            data = data.substr(0, room);
            overrun = true;
        }
    }
    char sizeLine[24];
    iovec iov[3];
    int count = 0;
    if (_chunkedOut) {
        const auto end = std::to_chars(sizeLine, sizeLine + 16, data.size(), 16).ptr;
        end[0] = '\r';
        end[1] = '\n';
        iov[count++] = {sizeLine, static_cast<std::size_t>(end + 2 - sizeLine)};
    }
    if (!data.empty()) iov[count++] = {const_cast<char*>(data.data()), data.size()};
    if (_chunkedOut) iov[count++] = {const_cast<char*>("\r\n"), 2};
    if (!writeAll(iov, count)) {
        _failed = true;
        return false;
    }
    _bytesSent += data.size();
    if (overrun) _failed = true;
    return !overrun;
}

bool PoolChannel::sendFile(std::shared_ptr<const void> pin, int fd, std::uint64_t offset,
                           std::uint64_t length) {
    if (!_headSent || _ended || _failed) return false;
    if (_dropBody || length == 0) return true;
    if (_chunkedOut || _declaredLength < 0 ||
        _bytesSent + length != static_cast<std::uint64_t>(_declaredLength)) {
        _failed = true;  // a caller bug: the file must be the declared rest of the body
        return false;
    }
    _file = {std::move(pin), fd, offset, length};
    _bytesSent += length;  // counted as sent, like the loop's own file bodies
    return true;
}

bool PoolChannel::endBody() {
    if (!_headSent || _failed) return false;
    if (_ended) return true;
    _ended = true;
    if (_dropBody) return true;
    if (_chunkedOut) {
        iovec iov{const_cast<char*>("0\r\n\r\n"), 5};
        if (!writeAll(&iov, 1)) {
            _failed = true;
            return false;
        }
        return true;
    }
    if (_declaredLength >= 0 && _bytesSent < static_cast<std::uint64_t>(_declaredLength)) {
        _failed = true;  // shorter than declared: only closing tells the client
        return false;
    }
    return true;
}

void PoolChannel::sendError(int status) {
    if (_headSent || !claimHead()) {
        if (!_headSent) _status = 504;  // the watchdog answered
        _headSent = true;
        abort();
        return;
    }
    _head.clear();
    ResponseWriter::writeError(_head, status, poolDate(), !_request.isHead());
    _headSent = _ended = _close = true;
    _status = status;
    iovec iov{_head.data(), _head.size()};
    if (!writeAll(&iov, 1)) _failed = true;
}

void PoolChannel::decline() {
    if (_headSent || _bodyRead > 0 || (_continueSent && !_buffered))
        sendError(404);  // too late to pass the request on
    else
        _declined = true;
}

void PoolChannel::abort() {
    _failed = _close = true;
    _file = {};  // the response is given up: its file is not sent (and is closed)
}

}  // namespace gateway
