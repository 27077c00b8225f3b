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
#include <utility>

#include <Poco/Logger.h>

#include "gateway/http/ForwardedClient.h"
#include "gateway/http/ResponseWriter.h"
#include "gateway/net/ConnectionManager.h"
#include "gateway/net/HandlerPool.h"
#include "gateway/net/PoolChannel.h"
#include "gateway/net/RequestBody.h"
#include "gateway/obs/AccessLog.h"
#include "gateway/obs/Metrics.h"
#include "gateway/route/Router.h"

namespace gateway {

Connection::Connection(ConnectionManager& manager)
    : _manager(manager), _parser(manager.parserLimits()) {
    _timer.owner = this;
}

Connection::~Connection() = default;

void Connection::open(int fd, const sockaddr_in6& peer, std::int64_t nowMs) {
    _fd = fd;
    _state = State::Head;
    _noDelay = false;
    _peerClosed = false;
    _eofPending = false;
    _closeAfterWrite = false;
    _lingerOnClose = false;
    _bodyRead = false;
    _unread.reset();
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
        if (pendingOutput()) {  // reset mid-response (a client that hung up on a download)
            int error = 0;
            socklen_t length = sizeof(error);
            ::getsockopt(_fd, SOL_SOCKET, SO_ERROR, &error, &length);
            logClientLeft(error);
        }
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
            respondError(431, nullptr, "request head larger than the read buffer");
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
    if (_state == State::ReadBody) return readBody();
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
            respondError(_parser.errorStatus(), nullptr, _parser.errorReason());
            return Progress::Continue;
        case RequestParser::Status::Complete:
            handleRequest(request);
            // Offloaded: a pool thread owns the connection until finishOffload().
            return _state == State::Closed || _state == State::Offloaded ? Progress::Stop
                                                                         : Progress::Continue;
    }
    return Progress::Stop;
}

Connection::Progress Connection::readBody() {
    // The head stays at the front of the buffer (the request is parsed again from it once the
    // body is complete); body bytes after it are fed to the RequestBody and dropped from the
    // buffer, so it never holds more than one read's worth of them.
    const std::uint32_t bodyStart = _inBegin + static_cast<std::uint32_t>(_parser.consumed());
    std::size_t used = 0;
    RequestBody::Status status = _body->feed({_in.get() + bodyStart, _inEnd - bodyStart}, used);
    std::memmove(_in.get() + bodyStart, _in.get() + bodyStart + used, _inEnd - bodyStart - used);
    _inEnd -= static_cast<std::uint32_t>(used);
    // The rest of a Content-Length body comes straight from the socket, into its place in
    // memory (no copy) or in large pieces through a scratch buffer on the way to the file. No
    // read passes the body's end, so the next request's bytes are left to readInput().
    while (status == RequestBody::Status::NeedMore && _readable && _body->lengthLeft() > 0) {
        std::span<char> into = _body->space();
        const bool direct = !into.empty();
        if (!direct) {
            into = _manager.bodyScratch();
            into = into.first(static_cast<std::size_t>(
                std::min<std::uint64_t>(into.size(), _body->lengthLeft())));
        }
        const std::size_t want = into.size();
        const ssize_t n = ::read(_fd, into.data(), want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            close();
            return Progress::Stop;
        }
        if (n <= 0) {  // drained, or the client hung up mid-body (drive() then closes)
            _readable = false;
            if (n == 0) _peerClosed = true;
            break;
        }
        if (static_cast<std::size_t>(n) < want && !_eofPending) _readable = false;
        std::size_t took = static_cast<std::size_t>(n);
        status = direct ? _body->commit(took) : _body->feed({into.data(), took}, took);
        used += took;
    }
    if (status == RequestBody::Status::Error) {
        respondError(_body->errorStatus(), nullptr, _body->errorReason());
        return Progress::Continue;
    }
    if (status == RequestBody::Status::NeedMore) {
        if (used > 0 && belowMinimumRate(_body->size(), _manager.nowMs() - _body->startedMs(),
                                         _manager.settings().minBodyRate)) {
            respondError(408, nullptr, "request body arriving below --min-body-rate");
            return Progress::Continue;
        }
        armBodyTimeout(used > 0);
        return Progress::NeedInput;
    }
    TimeoutList::unlink(_timer);
    _state = State::Head;
    _bodyRead = true;
    Request& request = _manager.scratchRequest();  // other connections used it meanwhile
    _parser.reset();
    _parser.parse({_in.get() + _inBegin, _inEnd - _inBegin}, request);
    identifyClient(request);
    identify(request);  // parsed again: a client's id views the buffer, a generated one is new
    dispatch(request);
    return _state == State::Closed || _state == State::Offloaded ? Progress::Stop
                                                                 : Progress::Continue;
}

Connection::Progress Connection::drainBody() {
    if (!_unread.chunked) {
        const std::uint64_t take = std::min<std::uint64_t>(_unread.bytes, _inEnd - _inBegin);
        consume(static_cast<std::size_t>(take));
        _unread.bytes -= take;
        if (_unread.bytes > 0) {
            armBodyTimeout(take > 0);
            return Progress::NeedInput;
        }
    } else {
        while (!_unread.chunkedDone) {
            std::size_t used = 0;
            std::string_view data;
            const auto status =
                _unread.decoder.next({_in.get() + _inBegin, _inEnd - _inBegin}, used, data);
            consume(used);
            if (status == ChunkedDecoder::Status::Data) continue;
            if (status == ChunkedDecoder::Status::Done) break;
            if (status == ChunkedDecoder::Status::NeedMore) {
                armBodyTimeout(used > 0);
                return Progress::NeedInput;
            }
            close();  // a malformed or oversized body after the response: nothing to answer
            return Progress::Stop;
        }
    }
    _unread.reset();
    TimeoutList::unlink(_timer);
    _state = State::Head;
    return Progress::Continue;
}

void Connection::armBodyTimeout(bool progress) {
    // Restarted by every read that brings body bytes; armed anew if a blocked write (of the
    // response or a 100 Continue) took the connection's one timer meanwhile.
    if (progress || _timer.list != &_manager.bodyTimeouts())
        _manager.bodyTimeouts().arm(_timer, _manager.nowMs());
}

int Connection::checkBeforeRouting(const Request& request, const char*& reason) const {
    // Only 100-continue is known (and on HTTP/1.0 it is ignored, RFC 9110 §10.1.1).
    const HeaderField* expect = request.find("Expect");
    if (expect && !equalsIgnoreCase(expect->value, "100-continue")) {
        reason = "unsupported Expect";
        return 417;
    }
    return 0;
}

void Connection::identify(Request& request) {
    _manager.requestIds().assign(request.id, request.value("X-Request-Id"));
}

void Connection::handleRequest(Request& request) {
    _requestStartUs = EventLoop::nowUs();
    TimeoutList::unlink(_timer);
    _headTimerArmed = false;
    identifyClient(request);
    identify(request);

    const char* reason = "";
    if (const int status = checkBeforeRouting(request, reason)) {
        respondError(status, &request, reason);
        return;
    }
    if (request.hasBody()) {
        BodyPolicy policy = _manager.router().bodyPolicy(request);
        if (policy.limit == 0) policy.limit = _manager.settings().maxBodyBytes;
        if (request.contentLength > 0 &&
            static_cast<std::uint64_t>(request.contentLength) > policy.limit) {
            respondError(413, &request, "Content-Length larger than the body limit");
            return;
        }
        if (startReadingBody(request, policy)) return;
        // Left on the socket: the handler's job streams it, or it is drained after the response.
        _unread.expect(request, policy.limit);
    }
    dispatch(request);
}

bool Connection::startReadingBody(const Request& request, const BodyPolicy& policy) {
    // The policy of the handler the request goes to decides: an app gets its body read here first
    // (unless it streams it itself); a handler that ignores bodies has a chunked one decoded here,
    // so that broken framing is answered 400 rather than after a 200 (as nginx does); a
    // Content-Length body it ignores is drained after the response, and one the client holds back
    // for "100 Continue" is never asked for.
    const bool store = policy.mode == BodyPolicy::Mode::Buffer;
    if (policy.mode == BodyPolicy::Mode::Stream) return false;
    if (!store && (!request.chunked || request.expectContinue)) return false;
    if (!_body) _body = std::make_unique<RequestBody>();
    _body->start(request, policy.limit, store, _manager.settings().bodyBufferSize,
                 _manager.nowMs());
    _state = State::ReadBody;
    _manager.bodyTimeouts().arm(_timer, _manager.nowMs());
    if (request.expectContinue) {  // flushed by drive() before reading on
        _out = std::make_unique<std::string>(ResponseWriter::continueLine());
        _outSent = 0;
    }
    return true;
}

void Connection::identifyClient(Request& request) {
    request.remoteAddress = peerAddress();
    request.remotePort = ntohs(_peer.sin6_port);
    request.urlScheme = {};
    // Nobody trusted (the default) costs this one comparison per request.
    const CidrList& proxies = _manager.trustedProxies();
    if (proxies.empty() || !proxies.contains(reinterpret_cast<const sockaddr&>(_peer))) return;
    const ForwardedClient forwarded = ForwardedClient::of(request, proxies);
    if (!forwarded.address.empty()) {
        request.remoteAddress = forwarded.address;
        request.remotePort = 0;  // the proxy's port is not the client's, which is not known
    }
    request.urlScheme = forwarded.scheme;
}

void Connection::dispatch(Request& request) {
    request.localAddress = _manager.settings().bind;
    request.localPort = _manager.localPort();
    if (Metrics* metrics = _manager.metrics()) {
        metrics->requestStarted();
        _inFlight = true;
    }
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

    // With Expect: 100-continue and no 100 sent, the client may never send the body.
    const bool keepAlive =
        settle(request.keepAlive && !response.closeConnection, request.expectContinue);
    const bool withBody = !request.isHead() && response.status != 304 && response.status != 204;
    std::string& head = _manager.scratchHead();
    head.clear();
    ResponseWriter::writeHead(head, response, _manager.date().get(), keepAlive,
                              keepAlive && request.versionMinor == 0);
    send(head, response, withBody);
    const std::int64_t micros = EventLoop::nowUs() - _requestStartUs;
    const std::uint64_t bytes = withBody ? response.length : 0;
    const HandlerLabel served = chosen ? chosen->label() : HandlerLabel{};
    _manager.accessLog().record(request, request.remoteAddress, response.status, bytes, micros,
                                _manager.date().now(), served.mount, served.app);
    countFinished(chosen, response.status, bytes, micros);
    response.reset();
    if (_state == State::Closed) return;
    consume(_parser.consumed());
    endRequest();
}

bool Connection::settle(bool keepAlive, bool continuePending) {
    // The one keep-alive decision after a response, for the loop and the pool alike: what is
    // left of the request body is drained when that is cheap (a chunked rest, or up to
    // kDrainLimit bytes), else the connection ends with this response.
    keepAlive = keepAlive && !_manager.shuttingDown();
    if (_unread.pending()) {
        _lingerOnClose = true;  // the client may still be sending
        if (continuePending || (!_unread.chunked && _unread.bytes > kDrainLimit))
            keepAlive = false;
        else if (keepAlive) {
            _state = State::Body;
            _manager.bodyTimeouts().arm(_timer, _manager.nowMs());
        }
    }
    if (!keepAlive)
        _closeAfterWrite = true;
    else
        setNoDelay();
    return keepAlive;
}

void Connection::endRequest() {
    _parser.reset();
    if (_bodyRead) {
        _bodyRead = false;
        _body->clear();
    }
}

void Connection::offload(const Request& request, Response& response, const Handler* handler) {
    HandlerPool* pool = _manager.handlerPool();
    if (!pool) {  // a handler offloaded but the worker has no pool: a wiring bug, not the client's
        Poco::Logger::get("gateway").error("handler offloaded a request but there is no pool");
        respondError(500, &request, "no handler pool");
        return;
    }
    _channel = std::make_unique<PoolChannel>(_manager.settings(), _fd, request,
                                             std::move(response.offload), handler);
    const std::uint32_t bodyStart = _inBegin + static_cast<std::uint32_t>(_parser.consumed());
    if (_bodyRead) {
        _channel->readFrom(_body.get());
        _channel->continueAlreadySent();
    } else {
        _channel->streamFrom({_in.get(), bodyStart, _inEnd, &_unread});
    }
    if (response.offloadTimeoutMs > 0) {
        _channel->setDeadline(_manager.nowMs() + response.offloadTimeoutMs);
        _manager.watch(*this);
    }
    response.reset();
    _state = State::Offloaded;
    setNoDelay();  // streamed chunks must not wait for acknowledgements
    TimeoutList::unlink(_timer);
    pool->submit([this] {
        _channel->run();
        _manager.loop().post([this] { finishOffload(); });
    });
}

bool Connection::watchDeadline(std::int64_t nowMs) {
    return _state == State::Offloaded && _channel &&
           _channel->watchDeadline(nowMs, _manager.date().get());
}

void Connection::finishOffload() {
    PoolChannel& channel = *_channel;
    if (channel.declined()) {
        // Route on from the declining handler. Nothing of the body was read by it, so the
        // connection continues as if the handler had declined on the loop.
        Request& request = _manager.scratchRequest();
        request = channel.request();
        const Handler* after = channel.handler();
        _channel.reset();
        _state = State::Head;
        route(request, after);
        if (_state != State::Offloaded) drive();
        return;
    }
    const std::int64_t micros = EventLoop::nowUs() - _requestStartUs;
    const HandlerLabel served = channel.handler() ? channel.handler()->label() : HandlerLabel{};
    _manager.accessLog().record(channel.request(), channel.request().remoteAddress,
                                channel.status(), channel.bytesSent(), micros,
                                _manager.date().now(), served.mount, served.app);
    countFinished(channel.handler(), channel.status(), channel.bytesSent(), micros);
    if (_bodyRead) {
        _inBegin += static_cast<std::uint32_t>(_parser.consumed());
    } else {
        // A streamed body: the buffer is consumed up to where the job stopped reading; a
        // chunked one may have left bytes (the start of the next request) in its side buffer.
        _inBegin = channel.bufferPosition();
        if (const std::string_view side = channel.sideInput(); !side.empty()) {
            std::memmove(_in.get(), side.data(), side.size());
            _inBegin = 0;
            _inEnd = static_cast<std::uint32_t>(side.size());
        }
    }
    if (_inBegin == _inEnd) _inBegin = _inEnd = 0;
    const bool reusable = channel.reusable();
    const bool continuePending = channel.continuePending();
    if (PoolChannel::PendingFile file = channel.takeFile(); file.pin) {
        _bodyFd = file.fd;  // flush() below sends it, as it sends static files
        _bodyOffset = file.offset;
        _bodyRemaining = file.length;
        _bodyPin = std::move(file.pin);
    }
    _channel.reset();
    _state = State::Head;
    endRequest();
    settle(reusable, continuePending);
    _readable = true;  // events were ignored meanwhile: look for ourselves
    drive();
}

void Connection::respondError(int status, const Request* request, const char* reason) {
    _requestStartUs = EventLoop::nowUs();
    TimeoutList::unlink(_timer);
    _headTimerArmed = false;
    // The client's mistake, not ours: INFO, naming the client (nginx logs these at info too).
    Poco::Logger& logger = Poco::Logger::get("gateway");
    if (logger.information())
        logger.information("client " + std::string(peerAddress()) + ":" +
                           std::to_string(ntohs(_peer.sin6_port)) + ": " + std::to_string(status) +
                           " " + reason);
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
    const std::int64_t micros = EventLoop::nowUs() - _requestStartUs;
    _manager.accessLog().record(request ? *request : kUnparsed,
                                request ? request->remoteAddress : peerAddress(), status, 0, micros,
                                _manager.date().now());
    countFinished(nullptr, status, 0, micros);
}

void Connection::countFinished(const Handler* handler, int status, std::uint64_t bytes,
                               std::int64_t micros) {
    if (Metrics* metrics = _manager.metrics())
        metrics->requestFinished(handler, status, bytes, micros, std::exchange(_inFlight, false));
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
        logClientLeft(errno);
        close();
        return false;
    }
    _bodyPin.reset();
    if (_timer.list == &_manager.writeTimeouts()) TimeoutList::unlink(_timer);
    return true;
}

void Connection::logClientLeft(int error) {
    // The client hung up mid-response (EPIPE, ECONNRESET): its doing, not the server's, so INFO
    // (SPEC §7), as for a client that leaves mid-body. Only on this error path, never per request.
    Poco::Logger& logger = Poco::Logger::get("gateway");
    if (!logger.information()) return;
    const std::uint64_t unsent =
        (_out ? _out->size() - _outSent : 0) + _bodyMemory.size() + _bodyRemaining;
    logger.information("client " + std::string(peerAddress()) + ":" +
                       std::to_string(ntohs(_peer.sin6_port)) + " left mid-response with " +
                       std::to_string(unsent) + " bytes unsent: " + std::strerror(error));
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
    const bool unread = _lingerOnClose || _readable || _inBegin != _inEnd ||
                        _state == State::Body || _state == State::ReadBody;
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
        respondError(408, nullptr, "request head not complete within --header-timeout");
        drive();
        return;
    }
    if (expired == &_manager.bodyTimeouts() && _state == State::ReadBody && !pendingOutput()) {
        respondError(408, nullptr, "request body stalled past --body-timeout");
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
        // Idle keep-alive: its client may be sending the next request right now, and closing
        // would reset it (a failed request during a reload). It gets the short drain idle time
        // instead: a request that arrives is answered with "Connection: close"; silence closes.
        _manager.idleTimeouts().arm(_timer, _manager.nowMs());
        return;
    }
    // A partial head may still complete: its response then carries "Connection: close".
    if (pendingOutput() || _state == State::Body) _closeAfterWrite = true;
    // A body being read (ReadBody) finishes first; its response then carries "Connection: close".
}

void Connection::close() {
    if (_state == State::Closed) return;
    TimeoutList::unlink(_timer);
    ::close(_fd);  // also removes it from epoll
    _fd = -1;
    _state = State::Closed;
    if (_bodyRead) _body->clear();  // its memory or temporary file
    _bodyRead = false;
    _inBegin = _inEnd = 0;
    releaseInputIfEmpty();
    _out.reset();
    _bodyMemory = {};
    _bodyRemaining = 0;
    _bodyPin.reset();
    _manager.closed(*this);
}

}  // namespace gateway
