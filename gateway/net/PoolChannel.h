#pragma once

#include <sys/uio.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "gateway/http/Request.h"
#include "gateway/route/ClientChannel.h"
#include "gateway/route/Handler.h"

namespace gateway {

class RequestBody;
struct Settings;
struct UnreadBody;

/// The blocking side of a connection, lent to a handler-pool thread for one offloaded request.
/// While the job runs the event loop leaves the socket alone; the channel writes with poll()
/// bounded by the write timeout and reads the body either from the loop's buffer (RequestBody,
/// the default) or, for a mount with request buffering off, from the socket itself, bounded by
/// the body timeout and minimum rate. When the job returns the connection reads the outcome
/// (declined, status, whether to keep the connection) and resumes on the loop.
class PoolChannel final : public ClientChannel {
public:
    /// Where the body comes from when it was not buffered: the connection's read buffer from
    /// `begin` to `end` (bytes after the head), then the socket.
    struct StreamInput {
        char* buffer = nullptr;
        std::uint32_t begin = 0;
        std::uint32_t end = 0;
        UnreadBody* unread = nullptr;
    };

    PoolChannel(const Settings& settings, int fd, const Request& request,
                std::function<void(ClientChannel&)> job, const Handler* handler);

    void readFrom(RequestBody* buffered) { _buffered = buffered; }
    void streamFrom(const StreamInput& input) { _stream = input; }
    /// 100 Continue was already sent (by the loop, before buffering the body).
    void continueAlreadySent() { _continueSent = true; }

    /// Pool thread: run the job, and finish a response it left unfinished.
    void run();
    /// Loop thread, each tick: answer 504 once `deadlineMs` passed, even if the job never
    /// returns. True while still watching.
    bool watchDeadline(std::int64_t nowMs, std::string_view date);
    void setDeadline(std::int64_t deadlineMs) { _deadlineMs = deadlineMs; }
    std::int64_t deadline() const { return _deadlineMs; }

    // Outcome, read by the connection after run() returned.
    bool declined() const { return _declined; }
    const Handler* handler() const { return _handler; }
    int status() const { return _expired && _status == 0 ? 504 : _status; }
    std::uint64_t bytesSent() const { return _bytesSent; }
    /// The connection may serve another request (as far as this response is concerned).
    bool reusable() const {
        return !_close && !_failed && !_expired && _request.keepAlive &&
               _bodyError == ReadStatus::Ok;
    }
    /// The client waits for a "100 Continue" that was never sent: it may never send the body.
    bool continuePending() const { return _request.expectContinue && !_continueSent; }
    /// Streamed input: next unread byte in the connection's buffer, and bytes read past it from
    /// the socket that belong to the next request.
    std::uint32_t bufferPosition() const { return _stream.begin; }
    std::string_view sideInput() const;
    /// A file body left for the connection to send (sendFile), if any.
    struct PendingFile {
        std::shared_ptr<const void> pin;
        int fd = -1;
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
    };
    PendingFile takeFile() { return std::exchange(_file, {}); }

    // ClientChannel
    const Request& request() const override { return _request; }
    std::string_view peerAddress() override { return _request.remoteAddress; }
    std::uint16_t peerPort() const override { return _request.remotePort; }
    std::uint16_t localPort() const override { return _request.localPort; }
    ReadStatus readBody(void* buffer, std::size_t capacity, std::size_t& got,
                        std::uint64_t limit) override;
    bool sendHead(const Response& head, std::int64_t contentLength, bool close) override;
    bool sendBody(std::string_view data) override;
    bool sendFile(std::shared_ptr<const void> pin, int fd, std::uint64_t offset,
                  std::uint64_t length) override;
    bool endBody() override;
    bool headSent() const override { return _headSent; }
    void sendError(int status) override;
    void abort() override;
    void decline() override;

private:
    ReadStatus readStreamed(void* buffer, std::size_t capacity, std::size_t& got,
                            std::uint64_t limit);
    ReadStatus readChunked(void* buffer, std::size_t capacity, std::size_t& got,
                           std::uint64_t limit);
    /// A read from the socket bounded by the body timeout; -2 on timeout or too slow a client.
    ssize_t readSocket(void* buffer, std::size_t capacity);
    bool writeAll(iovec* iov, int count);
    bool claimHead() { return !_headClaimed.exchange(true); }

    const Settings& _settings;
    const int _fd;
    Request _request;  ///< a copy: the loop's scratch request serves other connections meanwhile
    std::function<void(ClientChannel&)> _job;
    const Handler* _handler;  ///< who offloaded: routing resumes after it on decline

    RequestBody* _buffered = nullptr;
    StreamInput _stream;
    std::unique_ptr<char[]> _side;  ///< a chunked stream is refilled here, past the head's buffer
    std::uint32_t _sideBegin = 0;
    std::uint32_t _sideEnd = 0;
    std::string_view _pending;  ///< decoded chunk data not yet handed out
    std::int64_t _readStartMs = 0;
    std::uint64_t _bodyRead = 0;
    ReadStatus _bodyError = ReadStatus::Ok;

    PendingFile _file;  ///< sent by the connection after the job (sendFile)
    std::string _head;  ///< scratch for heads
    int _status = 0;
    std::uint64_t _bytesSent = 0;
    std::int64_t _declaredLength = -1;
    bool _continueSent = false;
    bool _headSent = false;
    bool _dropBody = false;
    bool _chunkedOut = false;
    bool _ended = false;
    bool _close = false;
    bool _failed = false;
    bool _declined = false;

    std::int64_t _deadlineMs = 0;           ///< 0 = none
    std::atomic<bool> _headClaimed{false};  ///< whoever sets it writes the head: job or watchdog
    bool _expired = false;                  ///< the watchdog answered (loop thread only)
};

}  // namespace gateway
