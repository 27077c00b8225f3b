#pragma once

#include <netinet/in.h>
#include <sys/uio.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "gateway/http/ChunkedDecoder.h"
#include "gateway/http/RequestParser.h"
#include "gateway/net/EventLoop.h"
#include "gateway/net/TimeoutList.h"
#include "gateway/route/ClientChannel.h"
#include "gateway/route/Handler.h"

namespace gateway {

class ConnectionManager;
struct Response;

/// One client connection: read → parse → route → write, then the next (pipelined) request.
/// Registered once with epoll, edge-triggered for both directions, so the steady state needs no
/// epoll_ctl calls. Owns a read buffer only while it holds unparsed bytes and an output buffer
/// only while a write is blocked; everything else it borrows from its ConnectionManager.
/// A handler may offload a request to the handler pool: the connection then lends itself to that
/// thread as the request's ClientChannel (blocking I/O) and resumes on the loop afterwards.
class Connection final : public EventHandler, private ClientChannel {
public:
    explicit Connection(ConnectionManager& manager);

    /// Start serving an accepted, non-blocking socket.
    void open(int fd, const sockaddr_in6& peer, std::int64_t nowMs);
    void onEvents(std::uint32_t events) override;
    /// The timeout this connection was armed with expired.
    void onTimeout();
    /// Graceful shutdown: close now if idle, else after the response in progress.
    void shutdown();

    bool isOpen() const { return _fd >= 0; }
    TimeoutHook& timer() { return _timer; }
    /// Numeric peer address ("127.0.0.1", "::1").
    std::string_view peerAddress() override;

    std::size_t managerIndex = 0;  ///< position in the manager's list of open connections

private:
    /// An unread request body up to this size is read and discarded to keep the connection;
    /// a larger one costs the connection instead (like nginx's lingering discard).
    static constexpr std::uint64_t kDrainLimit = 1024 * 1024;

    enum class State : std::uint8_t { Head, Body, Offloaded, Lingering, Closed };
    /// A request a pool thread is serving (see ConnectionOffload.cpp).
    struct Offload {
        Request request;  ///< a copy: the loop's scratch request serves other connections meanwhile
        std::function<void(ClientChannel&)> job;
        const Handler* handler = nullptr;  ///< who offloaded: routing resumes after it on decline
        bool declined = false;
        std::uint32_t bodyStart = 0;   ///< next unread body byte in the connection's buffer
        std::string head;              ///< scratch for heads and chunk-size lines
        std::unique_ptr<char[]> side;  ///< chunked bodies are refilled here, past the head's buffer
        std::uint32_t sideBegin = 0;
        std::uint32_t sideEnd = 0;
        std::string_view pending;  ///< decoded chunk data not yet handed out
        std::uint64_t bodyRead = 0;
        ReadStatus bodyError = ReadStatus::Ok;
        int status = 0;
        std::uint64_t bytesSent = 0;
        std::int64_t declaredLength = -1;
        bool continueSent = false;
        bool headSent = false;
        bool dropBody = false;
        bool chunked = false;
        bool ended = false;
        bool close = false;
        bool failed = false;
        std::int64_t deadlineMs = 0;           ///< 0 = none (see Response::offloadTimeoutMs)
        std::atomic<bool> headClaimed{false};  ///< whoever sets it writes the head: job or watchdog
        bool expired = false;                  ///< the watchdog answered (loop thread only)
    };

    // ClientChannel, used by the handler-pool thread while Offloaded (ConnectionOffload.cpp).
    const Request& request() const override;
    std::uint16_t peerPort() const override;
    std::uint16_t localPort() const override;
    ReadStatus readBody(void* buffer, std::size_t capacity, std::size_t& got,
                        std::uint64_t limit) override;
    bool sendHead(const Response& head, std::int64_t contentLength, bool close) override;
    bool sendBody(std::string_view data) override;
    bool endBody() override;
    bool headSent() const override;
    void sendError(int status) override;
    void abort() override;
    void decline() override;
    void route(Request& request, const Handler* after);
    void offload(const Request& request, Response& response, const Handler* handler);
    void runOffloaded();
    void finishOffload();
    bool claimHead();

public:
    /// Loop thread, each tick while offloaded: enforce the job's deadline. True while watched.
    bool watchDeadline(std::int64_t nowMs);

private:
    ReadStatus readChunked(void* buffer, std::size_t capacity, std::size_t& got,
                           std::uint64_t limit);
    ssize_t readBlocking(void* buffer, std::size_t capacity);
    bool writeBlocking(iovec* iov, int count);

    enum class Progress : std::uint8_t { NeedInput, Continue, Stop };

    void drive();
    bool readInput();
    Progress consumeInput();
    Progress drainBody();
    void handleRequest(Request& request);
    int checkBeforeRouting(const Request& request) const;
    void respondError(int status, const Request* request);
    void send(std::string_view head, const Response& response, bool withBody);
    bool flush();
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
    bool _drainChunked = false;

    RequestParser _parser;
    ChunkedDecoder _chunked;
    std::uint64_t _drainRemaining = 0;

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

    std::unique_ptr<Offload> _offload;  ///< only while a pool thread serves the request
    bool _chunkedDone = false;          ///< the chunked request body was read to its end

    std::int64_t _requestStartUs = 0;
    TimeoutHook _timer;
    sockaddr_in6 _peer{};
    char _peerText[48] = {};
};

}  // namespace gateway
