#include "gateway/net/Connection.h"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "gateway/http/ResponseWriter.h"
#include "gateway/net/ConnectionManager.h"
#include "gateway/obs/AccessLog.h"
#include "gateway/route/Router.h"

namespace gateway {

Connection::Connection(ConnectionManager& manager)
    : _manager(manager), _parser(manager.parserLimits()) {
    _timer.owner = this;
}

void Connection::open(int fd, const sockaddr_in6& peer, std::int64_t nowMs) {
    _fd = fd;
    _state = State::Head;
    _noDelay = false;
    _peerClosed = false;
    _eofPending = false;
    _closeAfterWrite = false;
    _lingerOnClose = false;
    _drainChunked = false;
    _drainRemaining = 0;
    _inBegin = _inEnd = 0;
    _outSent = 0;
    _bodyRemaining = 0;
    _peer = peer;
    _peerText[0] = '\0';
    _parser.reset();
    // A new client must send its first request head within the header timeout.
    _manager.headTimeouts().arm(_timer, nowMs);
    _headTimerArmed = true;
    // Accepted after its first bytes arrived (TCP_DEFER_ACCEPT): serve it now, and register with
    // epoll only if it is still open then, i.e. has to wait (a "Connection: close" exchange never
    // does). Every later wait happens on a registered connection.
    _readable = true;
    drive();
    if (_state != State::Closed)
        _manager.loop().add(_fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, this);
}

void Connection::setNoDelay() {
    // Once a second response may follow the first (keep-alive, pipelining, streaming), Nagle's
    // algorithm would hold it back until the first is acknowledged.
    if (_noDelay) return;
    const int one = 1;
    ::setsockopt(_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    _noDelay = true;
}

std::string_view Connection::peerAddress() {
    if (_peerText[0] == '\0') {
        if (_peer.sin6_family == AF_INET) {
            const auto* v4 = reinterpret_cast<const sockaddr_in*>(&_peer);
            inet_ntop(AF_INET, &v4->sin_addr, _peerText, sizeof(_peerText));
        } else {
            inet_ntop(AF_INET6, &_peer.sin6_addr, _peerText, sizeof(_peerText));
        }
    }
    return _peerText;
}

void Connection::onEvents(std::uint32_t events) {
    if (_state == State::Closed) return;
    if (_state == State::Offloaded) {  // a pool thread owns the socket; resume reads afterwards
        return;
    }
    if (events & EPOLLERR) {
        close();
        return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) _readable = true;
    if (events & (EPOLLRDHUP | EPOLLHUP)) _eofPending = true;
    drive();
}

void Connection::drive() {
    while (_state != State::Closed) {
        if (!flush()) return;  // blocked: EPOLLOUT resumes us
        if (_closeAfterWrite) {
            startLingering();
            return;
        }
        if (_state == State::Lingering) {
            lingerRead();
            return;
        }
        const Progress progress = consumeInput();
        if (progress == Progress::Stop) return;
        if (progress == Progress::Continue) continue;
        if (_peerClosed) {  // the client sent all it will; nothing complete is left
            close();
            return;
        }
        if (!_readable) {
            waitForNextRequest();
            return;
        }
        if (!readInput()) return;
    }
}

bool Connection::readInput() {
    if (!_in) {
        _in = _manager.buffers().acquire();
        _inCapacity = static_cast<std::uint32_t>(_manager.buffers().bufferSize());
        _inBegin = _inEnd = 0;
    }
    if (_inEnd == _inCapacity) {
        if (_inBegin > 0) {
            std::memmove(_in.get(), _in.get() + _inBegin, _inEnd - _inBegin);
            _inEnd -= _inBegin;
            _inBegin = 0;
        } else if (_inCapacity < _manager.maxInputBuffer()) {
            // A head larger than a pool buffer: grow (the parser's limits bound this).
            const auto grown = static_cast<std::uint32_t>(
                std::min<std::size_t>(_inCapacity * 2u, _manager.maxInputBuffer()));
            auto bigger = std::make_unique_for_overwrite<char[]>(grown);
            std::memcpy(bigger.get(), _in.get(), _inEnd);
            if (_inCapacity == _manager.buffers().bufferSize())
                _manager.buffers().release(std::move(_in));
            _in = std::move(bigger);
            _inCapacity = grown;
        } else {
            respondError(431, nullptr);
            return true;
        }
    }
    const std::size_t space = _inCapacity - _inEnd;
    const ssize_t n = ::read(_fd, _in.get() + _inEnd, space);
    if (n > 0) {
        _inEnd += static_cast<std::uint32_t>(n);
        // A short read drained the socket: the next byte to arrive brings a new edge.
        if (static_cast<std::size_t>(n) < space && !_eofPending) _readable = false;
        return true;
    }
    if (n == 0) {
        _peerClosed = true;
        _readable = false;
        return true;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        _readable = false;
        return true;
    }
    if (errno == EINTR) return true;
    close();
    return false;
}

Connection::Progress Connection::consumeInput() {
    if (_state == State::Body) {
        const Progress progress = drainBody();
        if (progress != Progress::Continue) return progress;
    }
    if (_inBegin == _inEnd) return Progress::NeedInput;

    Request& request = _manager.scratchRequest();
    const std::string_view data(_in.get() + _inBegin, _inEnd - _inBegin);
    switch (_parser.parse(data, request)) {
        case RequestParser::Status::Incomplete:
            if (!_headTimerArmed) {
                _manager.headTimeouts().arm(_timer, _manager.nowMs());
                _headTimerArmed = true;
            }
            return Progress::NeedInput;
        case RequestParser::Status::Error:
            respondError(_parser.errorStatus(), nullptr);
            return Progress::Continue;
        case RequestParser::Status::Complete:
            handleRequest(request);
            // Offloaded: a pool thread owns the connection until finishOffload().
            return _state == State::Closed || _state == State::Offloaded ? Progress::Stop
                                                                         : Progress::Continue;
    }
    return Progress::Stop;
}

Connection::Progress Connection::drainBody() {
    if (!_drainChunked) {
        const std::uint64_t take = std::min<std::uint64_t>(_drainRemaining, _inEnd - _inBegin);
        consume(static_cast<std::size_t>(take));
        _drainRemaining -= take;
        if (_drainRemaining > 0) {
            if (take > 0) _manager.headTimeouts().arm(_timer, _manager.nowMs());
            return Progress::NeedInput;
        }
    } else {
        for (;;) {
            std::size_t used = 0;
            std::string_view data;
            const auto status =
                _chunked.next({_in.get() + _inBegin, _inEnd - _inBegin}, used, data);
            consume(used);
            if (status == ChunkedDecoder::Status::Data) continue;
            if (status == ChunkedDecoder::Status::Done) break;
            if (status == ChunkedDecoder::Status::NeedMore) {
                if (used > 0) _manager.headTimeouts().arm(_timer, _manager.nowMs());
                return Progress::NeedInput;
            }
            close();  // a malformed or oversized body after the response: nothing to answer
            return Progress::Stop;
        }
    }
    _state = State::Head;
    return Progress::Continue;
}

int Connection::checkBeforeRouting(const Request& request) const {
    const Settings& settings = _manager.settings();
    if (request.contentLength > 0 &&
        static_cast<std::uint64_t>(request.contentLength) > settings.maxBodyBytes)
        return 413;
    // Only 100-continue is known (and on HTTP/1.0 it is ignored, RFC 9110 §10.1.1).
    const HeaderField* expect = request.find("Expect");
    if (expect && !equalsIgnoreCase(expect->value, "100-continue")) return 417;
    return 0;
}

void Connection::handleRequest(Request& request) {
    _requestStartUs = EventLoop::nowUs();
    TimeoutList::unlink(_timer);
    _headTimerArmed = false;

    if (const int status = checkBeforeRouting(request)) {
        respondError(status, &request);
        return;
    }

    request.remoteAddress = peerAddress();
    request.remotePort = ntohs(_peer.sin6_port);
    request.localAddress = _manager.settings().bind;
    request.localPort = _manager.localPort();
    route(request, nullptr);
}

void Connection::route(Request& request, const Handler* after) {
    Response& response = _manager.scratchResponse();
    response.reset();
    const Handler* chosen = nullptr;
    if (_manager.router().dispatch(request, response, after, &chosen) == HandlerResult::Offload) {
        offload(request, response, chosen);
        return;
    }

    bool keepAlive = request.keepAlive && !response.closeConnection && !_manager.shuttingDown();
    if (request.hasBody()) {
        // Handlers that did not read the body leave it to us: discard a small one, else close.
        // With Expect: 100-continue the client may never send it, so the connection ends.
        if (request.expectContinue ||
            (!request.chunked && static_cast<std::uint64_t>(request.contentLength) > kDrainLimit)) {
            keepAlive = false;
            _lingerOnClose = true;
        } else {
            _state = State::Body;
            _drainChunked = request.chunked;
            _drainRemaining =
                request.chunked ? 0 : static_cast<std::uint64_t>(request.contentLength);
            if (_drainChunked) _chunked.reset(kDrainLimit);
        }
    }
    if (!keepAlive)
        _closeAfterWrite = true;
    else
        setNoDelay();

    const bool withBody = !request.isHead() && response.status != 304 && response.status != 204;
    std::string& head = _manager.scratchHead();
    head.clear();
    ResponseWriter::writeHead(head, response, _manager.date().get(), keepAlive,
                              keepAlive && request.versionMinor == 0);
    send(head, response, withBody);
    _manager.accessLog().record(request, peerAddress(), response.status,
                                withBody ? response.length : 0,
                                EventLoop::nowUs() - _requestStartUs, _manager.date().now());
    response.reset();
    if (_state == State::Closed) return;
    consume(_parser.consumed());
    _parser.reset();
}

void Connection::respondError(int status, const Request* request) {
    _requestStartUs = EventLoop::nowUs();
    TimeoutList::unlink(_timer);
    _headTimerArmed = false;
    std::string& head = _manager.scratchHead();
    head.clear();
    const bool withBody = !(request && request->isHead());
    ResponseWriter::writeError(head, status, _manager.date().get(), withBody);
    _closeAfterWrite = true;
    _lingerOnClose = true;  // the client may be in the middle of sending
    Response& response = _manager.scratchResponse();
    response.reset();
    send(head, response, false);
    static const Request kUnparsed{};
    _manager.accessLog().record(request ? *request : kUnparsed, peerAddress(), status, 0,
                                EventLoop::nowUs() - _requestStartUs, _manager.date().now());
}

void Connection::send(std::string_view head, const Response& response, bool withBody) {
    const std::string_view memory = withBody && response.bodyKind == Response::BodyKind::Memory
                                        ? response.memory
                                        : std::string_view{};
    iovec iov[2] = {{const_cast<char*>(head.data()), head.size()},
                    {const_cast<char*>(memory.data()), memory.size()}};
    // With a file body to follow, MSG_MORE lets the head share a segment with the file's bytes.
    const bool fileFollows =
        withBody && response.bodyKind == Response::BodyKind::File && response.length > 0;
    msghdr message{};
    message.msg_iov = iov;
    message.msg_iovlen = memory.empty() ? 1 : 2;
    ssize_t n = ::sendmsg(_fd, &message, fileFollows ? MSG_MORE : 0);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            close();
            return;
        }
        n = 0;
    }
    const auto written = static_cast<std::size_t>(n);
    if (written < head.size()) {
        _out = std::make_unique<std::string>(head.substr(written));
        _outSent = 0;
        _bodyMemory = memory;
    } else {
        _bodyMemory = memory.substr(written - head.size());
    }
    if (fileFollows) {
        _bodyFd = response.fileFd;
        _bodyOffset = response.fileOffset;
        _bodyRemaining = response.length;
    }
    if (!_bodyMemory.empty() && !response.pin) {
        // Valid only during the handler call: keep a copy of what is still unsent.
        if (!_out) {
            _out = std::make_unique<std::string>();
            _outSent = 0;
        }
        _out->append(_bodyMemory);
        _bodyMemory = {};
    }
    if (!_bodyMemory.empty() || _bodyRemaining > 0) _bodyPin = response.pin;
}

bool Connection::pendingOutput() const {
    return _out || !_bodyMemory.empty() || _bodyRemaining > 0;
}

bool Connection::flush() {
    while (pendingOutput()) {
        ssize_t n;
        if (_out || !_bodyMemory.empty()) {
            iovec iov[2];
            int count = 0;
            if (_out) iov[count++] = {_out->data() + _outSent, _out->size() - _outSent};
            if (!_bodyMemory.empty())
                iov[count++] = {const_cast<char*>(_bodyMemory.data()), _bodyMemory.size()};
            msghdr message{};
            message.msg_iov = iov;
            message.msg_iovlen = static_cast<std::size_t>(count);
            n = ::sendmsg(_fd, &message, _bodyRemaining > 0 ? MSG_MORE : 0);
            if (n > 0) {
                auto written = static_cast<std::size_t>(n);
                if (_out) {
                    const std::size_t fromHead = std::min(written, _out->size() - _outSent);
                    _outSent += fromHead;
                    written -= fromHead;
                    if (_outSent == _out->size()) _out.reset();
                }
                _bodyMemory.remove_prefix(written);
                continue;
            }
        } else {
            off_t offset = static_cast<off_t>(_bodyOffset);
            const std::size_t chunk = std::min<std::uint64_t>(_bodyRemaining, 1u << 30);
            n = ::sendfile(_fd, _bodyFd, &offset, chunk);
            if (n > 0) {
                _bodyOffset = static_cast<std::uint64_t>(offset);
                _bodyRemaining -= static_cast<std::uint64_t>(n);
                continue;
            }
            if (n == 0) {  // the file shrank under us: the promised length cannot be kept
                close();
                return false;
            }
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            _manager.writeTimeouts().arm(_timer, _manager.nowMs());
            return false;
        }
        close();
        return false;
    }
    _bodyPin.reset();
    if (_timer.list == &_manager.writeTimeouts()) TimeoutList::unlink(_timer);
    return true;
}

void Connection::consume(std::size_t bytes) {
    _inBegin += static_cast<std::uint32_t>(bytes);
    if (_inBegin == _inEnd) _inBegin = _inEnd = 0;
}

void Connection::releaseInputIfEmpty() {
    if (!_in || _inBegin != _inEnd) return;
    if (_inCapacity == _manager.buffers().bufferSize()) _manager.buffers().release(std::move(_in));
    _in.reset();
    _inCapacity = 0;
}

void Connection::waitForNextRequest() {
    if (_state == State::Head && _inBegin == _inEnd) {
        releaseInputIfEmpty();
        if (!_headTimerArmed && _timer.list != &_manager.idleTimeouts())
            _manager.idleTimeouts().arm(_timer, _manager.nowMs());
    }
}

void Connection::startLingering() {
    // Half-close and discard what the client still sends for a moment, so our final response
    // is not destroyed by a reset caused by unread input. Not needed when everything the client
    // sent was read (the common "Connection: close"): then close at once.
    const bool unread = _lingerOnClose || _readable || _inBegin != _inEnd || _state == State::Body;
    if (_peerClosed || !unread) {
        close();
        return;
    }
    ::shutdown(_fd, SHUT_WR);
    _state = State::Lingering;
    _closeAfterWrite = false;
    _inBegin = _inEnd = 0;
    releaseInputIfEmpty();
    _manager.lingerTimeouts().arm(_timer, _manager.nowMs());
    lingerRead();
}

void Connection::lingerRead() {
    char discard[4096];
    for (;;) {
        const ssize_t n = ::read(_fd, discard, sizeof(discard));
        if (n > 0) continue;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        close();
        return;
    }
}

void Connection::onTimeout() {
    TimeoutList* expired = _timer.list;
    TimeoutList::unlink(_timer);
    if (expired == &_manager.headTimeouts() && _state == State::Head && _inBegin != _inEnd &&
        !pendingOutput()) {
        respondError(408, nullptr);  // slowloris: answer, then close
        drive();
        return;
    }
    if (expired == &_manager.writeTimeouts()) {
        // A reader that stopped reading: reset rather than leave unsent data in the kernel.
        const linger reset{1, 0};
        ::setsockopt(_fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    }
    close();
}

void Connection::shutdown() {
    // An offloaded request finishes first; finishOffload() then sees the manager shutting down.
    if (_state == State::Closed || _state == State::Lingering || _state == State::Offloaded) return;
    if (_state == State::Head && _inBegin == _inEnd && !pendingOutput()) {
        close();
        return;
    }
    // A partial head may still complete: its response then carries "Connection: close".
    if (pendingOutput() || _state == State::Body) _closeAfterWrite = true;
}

void Connection::close() {
    if (_state == State::Closed) return;
    TimeoutList::unlink(_timer);
    ::close(_fd);  // also removes it from epoll
    _fd = -1;
    _state = State::Closed;
    _inBegin = _inEnd = 0;
    releaseInputIfEmpty();
    _out.reset();
    _bodyMemory = {};
    _bodyRemaining = 0;
    _bodyPin.reset();
    _manager.closed(*this);
}

}  // namespace gateway
