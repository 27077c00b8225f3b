// Connection as a ClientChannel: the part of a connection's life spent on a handler-pool thread.
// While the state is Offloaded the loop thread leaves the connection alone (events are ignored,
// no timer is armed); the pool thread owns the socket and the read buffer, does blocking I/O
// with poll() bounded by the configured timeouts, and finally posts finishOffload() to the loop.

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>

#include "gateway/http/DateCache.h"
#include "gateway/http/ResponseWriter.h"
#include "gateway/net/Connection.h"
#include "gateway/net/ConnectionManager.h"
#include "gateway/net/HandlerPool.h"
#include "gateway/obs/AccessLog.h"

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

}  // namespace

void Connection::offload(const Request& request, Response& response, const Handler* handler) {
    HandlerPool* pool = _manager.handlerPool();
    if (!pool) {  // a handler offloaded but the worker has no pool: a wiring bug, not the client's
        Poco::Logger::get("gateway").error("handler offloaded a request but there is no pool");
        respondError(500, &request);
        return;
    }
    _offload = std::make_unique<Offload>();
    _offload->request = request;
    _offload->job = std::move(response.offload);
    _offload->handler = handler;
    if (response.offloadTimeoutMs > 0) {
        _offload->deadlineMs = _manager.nowMs() + response.offloadTimeoutMs;
        _manager.watch(*this);
    }
    _offload->bodyStart = _inBegin + static_cast<std::uint32_t>(_parser.consumed());
    response.reset();
    _drainChunked = request.chunked;
    _drainRemaining =
        request.chunked
            ? 0
            : static_cast<std::uint64_t>(std::max<std::int64_t>(request.contentLength, 0));
    _chunkedDone = false;
    if (_drainChunked) _chunked.reset();
    _state = State::Offloaded;
    setNoDelay();  // streamed chunks must not wait for acknowledgements
    TimeoutList::unlink(_timer);
    pool->submit([this] { runOffloaded(); });
}

void Connection::runOffloaded() {
    Offload& off = *_offload;
    try {
        off.job(*this);
    } catch (const std::exception& e) {
        Poco::Logger::get("gateway").error(std::string("offloaded handler threw: ") + e.what());
        if (off.headSent)
            abort();
        else
            sendError(500);
    }
    if (off.declined) {
        // finishOffload() routes the request on.
    } else if (!off.headSent) {
        Poco::Logger::get("gateway").error("offloaded handler sent no response");
        sendError(500);
    } else if (!off.ended) {
        endBody();
    }
    _manager.loop().post([this] { finishOffload(); });
}

bool Connection::watchDeadline(std::int64_t nowMs) {
    if (_state != State::Offloaded || !_offload || !_offload->deadlineMs) return false;
    Offload& off = *_offload;
    if (off.expired || nowMs < off.deadlineMs) return !off.expired;
    off.expired = true;
    // The job may never return (a hung app): answer for it if it sent nothing yet, then cut the
    // socket so whatever it still does fails fast. finishOffload() closes the connection.
    if (!off.headClaimed.exchange(true)) {
        std::string response;
        ResponseWriter::writeError(response, 504, _manager.date().get(), !off.request.isHead());
        [[maybe_unused]] const ssize_t n =
            ::send(_fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    Poco::Logger::get("gateway").warning("request " + std::string(off.request.target) +
                                         " passed its deadline: answered 504 / closed");
    ::shutdown(_fd, SHUT_RDWR);
    return false;
}

bool Connection::claimHead() {
    return !_offload->headClaimed.exchange(true);
}

void Connection::finishOffload() {
    Offload& off = *_offload;
    if (off.declined) {
        // Route on from the declining handler. Nothing of the body was read, so the request's
        // bytes are where they were: the connection continues as if the handler had declined
        // on the loop.
        Request& request = _manager.scratchRequest();
        request = off.request;
        const Handler* after = off.handler;
        _offload.reset();
        _state = State::Head;
        route(request, after);
        if (_state != State::Offloaded) drive();
        return;
    }
    if (off.expired && off.status == 0) off.status = 504;
    _manager.accessLog().record(off.request, peerAddress(), off.status, off.bytesSent,
                                EventLoop::nowUs() - _requestStartUs, _manager.date().now());
    const bool bodyDone = _drainChunked ? _chunkedDone : _drainRemaining == 0;
    bool keepAlive = !off.close && !off.failed && !off.expired && off.request.keepAlive &&
                     !_manager.shuttingDown() && off.bodyError == ReadStatus::Ok;
    // Unread input: the connection's buffer is consumed up to bodyStart; a chunked body may have
    // left bytes (the start of the next request) in the side buffer.
    _inBegin = off.bodyStart;
    if (off.side && off.sideEnd > off.sideBegin) {
        const std::uint32_t leftover = off.sideEnd - off.sideBegin;
        std::memmove(_in.get(), off.side.get() + off.sideBegin, leftover);
        _inBegin = 0;
        _inEnd = leftover;
    }
    if (_inBegin == _inEnd) _inBegin = _inEnd = 0;
    _offload.reset();
    _parser.reset();
    _state = State::Head;
    if (keepAlive && !bodyDone) {
        if (_drainChunked || _drainRemaining <= kDrainLimit)
            _state = State::Body;
        else
            keepAlive = false;
    }
    if (!bodyDone) _lingerOnClose = true;
    if (!keepAlive) _closeAfterWrite = true;
    _readable = true;  // events were ignored meanwhile: look for ourselves
    drive();
}

const Request& Connection::request() const {
    return _offload->request;
}

std::uint16_t Connection::peerPort() const {
    return ntohs(_peer.sin6_port);
}

std::uint16_t Connection::localPort() const {
    return _manager.localPort();
}

ssize_t Connection::readBlocking(void* buffer, std::size_t capacity) {
    const std::int64_t timeoutMs = _manager.settings().idleTimeout.count();
    for (;;) {
        const ssize_t n = ::read(_fd, buffer, capacity);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        if (!waitFor(_fd, POLLIN, timeoutMs)) return -2;
    }
}

bool Connection::writeBlocking(iovec* iov, int count) {
    const std::int64_t timeoutMs = _manager.settings().writeTimeout.count();
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

ClientChannel::ReadStatus Connection::readBody(void* buffer, std::size_t capacity, std::size_t& got,
                                               std::uint64_t limit) {
    got = 0;
    Offload& off = *_offload;
    if (off.bodyError != ReadStatus::Ok) return off.bodyError;
    const Request& req = off.request;
    if (!req.hasBody()) return ReadStatus::End;
    if (!req.chunked && static_cast<std::uint64_t>(req.contentLength) > limit)
        return off.bodyError = ReadStatus::TooLarge;
    if (req.expectContinue && !off.continueSent) {
        off.continueSent = true;
        const std::string_view line = ResponseWriter::continueLine();
        iovec iov{const_cast<char*>(line.data()), line.size()};
        if (!writeBlocking(&iov, 1)) return off.bodyError = ReadStatus::Gone;
    }
    if (capacity == 0) return ReadStatus::Ok;
    if (_drainChunked) return readChunked(buffer, capacity, got, limit);

    if (_drainRemaining == 0) return ReadStatus::End;
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(capacity, _drainRemaining));
    std::size_t n;
    if (off.bodyStart < _inEnd) {
        n = std::min<std::size_t>(want, _inEnd - off.bodyStart);
        std::memcpy(buffer, _in.get() + off.bodyStart, n);
        off.bodyStart += static_cast<std::uint32_t>(n);
    } else {
        const ssize_t r = readBlocking(buffer, want);  // straight into the app's buffer
        if (r == -2) return off.bodyError = ReadStatus::Timeout;
        if (r <= 0) return off.bodyError = ReadStatus::Gone;
        n = static_cast<std::size_t>(r);
    }
    _drainRemaining -= n;
    off.bodyRead += n;
    got = n;
    return ReadStatus::Ok;
}

ClientChannel::ReadStatus Connection::readChunked(void* buffer, std::size_t capacity,
                                                  std::size_t& got, std::uint64_t limit) {
    Offload& off = *_offload;
    while (off.pending.empty()) {
        if (_chunkedDone) return ReadStatus::End;
        // Decode from the connection's buffer first, then from the side buffer, refilled from
        // the socket (the head stays where it is: the request's views point into it).
        std::string_view input;
        bool fromSide = off.bodyStart >= _inEnd;
        if (!fromSide) {
            input = {_in.get() + off.bodyStart, _inEnd - off.bodyStart};
        } else {
            if (!off.side) off.side = std::make_unique_for_overwrite<char[]>(kSideBufferSize);
            if (off.sideBegin == off.sideEnd) {
                const ssize_t r = readBlocking(off.side.get(), kSideBufferSize);
                if (r == -2) return off.bodyError = ReadStatus::Timeout;
                if (r <= 0) return off.bodyError = ReadStatus::Gone;
                off.sideBegin = 0;
                off.sideEnd = static_cast<std::uint32_t>(r);
            }
            input = {off.side.get() + off.sideBegin, off.sideEnd - off.sideBegin};
        }
        std::size_t used = 0;
        std::string_view data;
        const auto status = _chunked.next(input, used, data);
        if (fromSide)
            off.sideBegin += static_cast<std::uint32_t>(used);
        else
            off.bodyStart += static_cast<std::uint32_t>(used);
        if (status == ChunkedDecoder::Status::Data) off.pending = data;
        if (status == ChunkedDecoder::Status::Done) _chunkedDone = true;
        if (status == ChunkedDecoder::Status::Error)
            return off.bodyError =
                       _chunked.errorStatus() == 413 ? ReadStatus::TooLarge : ReadStatus::BadBody;
    }
    const std::size_t n = std::min(capacity, off.pending.size());
    if (off.bodyRead + n > limit) return off.bodyError = ReadStatus::TooLarge;
    std::memcpy(buffer, off.pending.data(), n);
    off.pending.remove_prefix(n);
    off.bodyRead += n;
    got = n;
    return ReadStatus::Ok;
}

bool Connection::sendHead(const Response& head, std::int64_t contentLength, bool close) {
    Offload& off = *_offload;
    if (off.headSent) return false;
    if (!claimHead()) {  // the deadline passed: the watchdog answered 504
        off.headSent = off.ended = off.failed = true;
        off.status = 504;
        return false;
    }
    const Request& req = off.request;
    off.status = head.status;
    off.dropBody = req.isHead() || head.status == 204 || head.status == 304 || head.status < 200;
    ResponseWriter::Framing framing = ResponseWriter::Framing::Length;
    if (contentLength < 0)
        framing = req.versionMinor >= 1 ? ResponseWriter::Framing::Chunked
                                        : ResponseWriter::Framing::Close;
    const bool keepAlive = !close && req.keepAlive && framing != ResponseWriter::Framing::Close;
    off.close = !keepAlive;
    off.chunked = framing == ResponseWriter::Framing::Chunked && !off.dropBody;
    off.declaredLength = contentLength;

    Response framed;
    framed.status = head.status;
    framed.reason = head.reason;
    framed.headers = head.headers;
    framed.length = contentLength < 0 ? 0 : static_cast<std::uint64_t>(contentLength);
    off.head.clear();
    ResponseWriter::writeHead(off.head, framed, poolDate(), keepAlive,
                              keepAlive && req.versionMinor == 0, framing);
    off.headSent = true;
    iovec iov{off.head.data(), off.head.size()};
    if (!writeBlocking(&iov, 1)) {
        off.failed = true;
        return false;
    }
    return true;
}

bool Connection::sendBody(std::string_view data) {
    Offload& off = *_offload;
    if (!off.headSent || off.ended || off.failed) return false;
    if (off.dropBody || data.empty()) return true;
    bool overrun = false;
    if (off.declaredLength >= 0) {
        const auto room = static_cast<std::uint64_t>(off.declaredLength) - off.bytesSent;
        if (data.size() > room) {  // more than the declared Content-Length: never send it
            data = data.substr(0, room);
            overrun = true;
        }
    }
    char sizeLine[24];
    iovec iov[3];
    int count = 0;
    if (off.chunked) {
        const auto end = std::to_chars(sizeLine, sizeLine + 16, data.size(), 16).ptr;
        end[0] = '\r';
        end[1] = '\n';
        iov[count++] = {sizeLine, static_cast<std::size_t>(end + 2 - sizeLine)};
    }
    if (!data.empty()) iov[count++] = {const_cast<char*>(data.data()), data.size()};
    if (off.chunked) iov[count++] = {const_cast<char*>("\r\n"), 2};
    if (!writeBlocking(iov, count)) {
        off.failed = true;
        return false;
    }
    off.bytesSent += data.size();
    if (overrun) off.failed = true;
    return !overrun;
}

bool Connection::endBody() {
    Offload& off = *_offload;
    if (!off.headSent || off.failed) return false;
    if (off.ended) return true;
    off.ended = true;
    if (off.dropBody) return true;
    if (off.chunked) {
        iovec iov{const_cast<char*>("0\r\n\r\n"), 5};
        if (!writeBlocking(&iov, 1)) {
            off.failed = true;
            return false;
        }
        return true;
    }
    if (off.declaredLength >= 0 && off.bytesSent < static_cast<std::uint64_t>(off.declaredLength)) {
        off.failed = true;  // shorter than declared: only closing tells the client
        return false;
    }
    return true;
}

bool Connection::headSent() const {
    return _offload->headSent;
}

void Connection::sendError(int status) {
    Offload& off = *_offload;
    if (off.headSent || !claimHead()) {
        if (!off.headSent) off.status = 504;  // the watchdog answered
        off.headSent = true;
        abort();
        return;
    }
    off.head.clear();
    ResponseWriter::writeError(off.head, status, poolDate(), !off.request.isHead());
    off.headSent = true;
    off.ended = true;
    off.close = true;
    off.status = status;
    iovec iov{off.head.data(), off.head.size()};
    if (!writeBlocking(&iov, 1)) off.failed = true;
}

void Connection::decline() {
    Offload& off = *_offload;
    if (off.headSent || off.bodyRead > 0 || off.continueSent)
        sendError(404);  // too late to pass the request on
    else
        off.declined = true;
}

void Connection::abort() {
    _offload->failed = true;
    _offload->close = true;
}

}  // namespace gateway
