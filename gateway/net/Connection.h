#pragma once

#include <netinet/in.h>
#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "gateway/http/RequestParser.h"
#include "gateway/net/EventLoop.h"
#include "gateway/net/TimeoutList.h"
#include "gateway/net/UnreadBody.h"
#include "gateway/route/Handler.h"

namespace gateway {

class ConnectionManager;
class Handler;
class PoolChannel;
class RequestBody;
struct Response;

/// One client connection: read → parse → (read the body) → route → write, then the next
/// (pipelined) request. Registered once with epoll, edge-triggered for both directions, so the
/// steady state needs no epoll_ctl calls. Owns a read buffer only while it holds unparsed bytes
/// and an output buffer only while a write is blocked; everything else it borrows from its
/// ConnectionManager. A request body is read here, on the loop, before a handler that wants it
/// runs (RequestBody); a handler may offload the request to the handler pool, which then serves
/// it through a PoolChannel while the connection waits, and resumes on the loop afterwards.
class Connection final : public EventHandler {
public:
    explicit Connection(ConnectionManager& manager);
    ~Connection();

    /// Start serving an accepted, non-blocking socket.
    void open(int fd, const sockaddr_in6& peer, std::int64_t nowMs);
    void onEvents(std::uint32_t events) override;
    /// The timeout this connection was armed with expired.
    void onTimeout();
    /// Graceful shutdown: close now if idle, else after the response in progress.
    void shutdown();
    /// Loop thread, each tick while offloaded: enforce the job's deadline. True while watched.
    bool watchDeadline(std::int64_t nowMs);

    bool isOpen() const { return _fd >= 0; }
    TimeoutHook& timer() { return _timer; }
    /// Numeric peer address ("127.0.0.1", "::1").
    std::string_view peerAddress();

    std::size_t managerIndex = 0;  ///< position in the manager's list of open connections

private:
    /// An unread request body up to this size is read and discarded to keep the connection;
    /// a larger one costs the connection instead (like nginx's lingering discard).
    static constexpr std::uint64_t kDrainLimit = 1024 * 1024;

    enum class State : std::uint8_t { Head, ReadBody, Body, Offloaded, Lingering, Closed };
    enum class Progress : std::uint8_t { NeedInput, Continue, Stop };

    void drive();
    bool readInput();
    Progress consumeInput();
    Progress readBody();
    Progress drainBody();
    void armBodyTimeout(bool progress);
    void handleRequest(Request& request);
    bool startReadingBody(const Request& request, const BodyPolicy& policy);
    /// Gives the request its id (the client's X-Request-Id when valid, else a new one).
    void identify(Request& request);
    void dispatch(Request& request);
    void identifyClient(Request& request);
    int checkBeforeRouting(const Request& request, const char*& reason) const;
    void route(Request& request, const Handler* after);
    bool settle(bool keepAlive, bool continuePending);
    void endRequest();
    void offload(const Request& request, Response& response, const Handler* handler);
    void finishOffload();
    void respondError(int status, const Request* request, const char* reason);
    /// Metrics for a finished request (after its access log line).
    void countFinished(const Handler* handler, int status, std::uint64_t bytes,
                       std::int64_t micros);
    void send(std::string_view head, const Response& response, bool withBody);
    bool flush();
    /// INFO line for a client that hung up while output was pending (errno `error`).
    void logClientLeft(int error);
    bool pendingOutput() const;
    void consume(std::size_t bytes);
    void releaseInputIfEmpty();
    void waitForNextRequest();
    void startLingering();
    void setNoDelay();
    void lingerRead();
    void close();

    ConnectionManager& _manager;
    int _fd = -1;
    State _state = State::Closed;
    bool _readable = false;    ///< an edge said data may be waiting; cleared by EAGAIN
    bool _peerClosed = false;  ///< read returned 0: serve what is buffered, then close
    bool _eofPending = false;  ///< the peer hung up: keep reading until read() says 0
    bool _closeAfterWrite = false;
    bool _noDelay = false;  ///< TCP_NODELAY set: only for connections that see a 2nd response
    bool _lingerOnClose =
        false;  ///< unread input may follow: half-close and discard before closing
    bool _headTimerArmed = false;
    bool _bodyRead = false;  ///< the loop read this request's body (into _body)
    bool _inFlight = false;  ///< counted by Metrics::requestStarted, not yet finished

    RequestParser _parser;
    UnreadBody _unread;                  ///< body bytes still on the socket (stream, drain)
    std::unique_ptr<RequestBody> _body;  ///< the body the loop read, kept between requests

    std::unique_ptr<char[]> _in;  ///< read buffer (pooled), [_inBegin, _inEnd) unconsumed
    std::uint32_t _inCapacity = 0;
    std::uint32_t _inBegin = 0;
    std::uint32_t _inEnd = 0;

    std::unique_ptr<std::string> _out;  ///< unsent head bytes, only while a write is blocked
    std::size_t _outSent = 0;
    std::string_view _bodyMemory;  ///< unsent memory body
    int _bodyFd = -1;              ///< unsent file body
    std::uint64_t _bodyOffset = 0;
    std::uint64_t _bodyRemaining = 0;
    std::shared_ptr<const void> _bodyPin;

    std::unique_ptr<PoolChannel> _channel;  ///< only while a pool thread serves the request

    std::int64_t _requestStartUs = 0;
    TimeoutHook _timer;
    sockaddr_in6 _peer{};
    char _peerText[48] = {};
};

}  // namespace gateway
