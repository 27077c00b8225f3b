#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "gateway/http/Request.h"
#include "gateway/http/Response.h"

namespace gateway {

/// The client of one request as seen by a handler that runs off the event loop, on a handler-pool
/// thread, with blocking I/O (an app that may block, a body too large to produce inline). The
/// connection lends one (net/PoolChannel) for the job; it keeps the request's bytes alive and
/// stays out of the way until the job returns, then resumes serving the connection (keep-alive,
/// pipelining). Every call blocks at most for the configured body/write timeouts.
class ClientChannel {
public:
    enum class ReadStatus : std::uint8_t {
        Ok,        ///< `got` > 0 bytes were read
        End,       ///< the body is complete (got == 0)
        TooLarge,  ///< the body exceeds `limit` (answer 413 if nothing was sent yet)
        BadBody,   ///< malformed chunked framing (answer 400 if nothing was sent yet)
        Timeout,   ///< the client stalled longer than the read timeout
        Gone,      ///< the client closed the connection or an I/O error occurred
    };

    /// A stable copy of the request (views stay valid until the job returns).
    virtual const Request& request() const = 0;
    virtual std::string_view peerAddress() = 0;
    virtual std::uint16_t peerPort() const = 0;
    virtual std::uint16_t localPort() const = 0;

    /// Read de-chunked body bytes into `buffer`. The first call answers `Expect: 100-continue`.
    /// `limit` is the largest body accepted (the mount's body limit).
    virtual ReadStatus readBody(void* buffer, std::size_t capacity, std::size_t& got,
                                std::uint64_t limit) = 0;

    /// Send the head: status + `head.headers` (the handler's lines) + Date, Server, Connection.
    /// `contentLength` -1 means unknown: chunked on HTTP/1.1, close-delimited on 1.0. For HEAD
    /// requests and 204/304 responses later body bytes are dropped. `close` ends the connection
    /// after this response. Returns false when the client is gone.
    virtual bool sendHead(const Response& head, std::int64_t contentLength, bool close) = 0;
    /// Send body bytes with the framing chosen by sendHead. False when the client is gone.
    virtual bool sendBody(std::string_view data) = 0;
    /// The rest of the body is `length` bytes of the file `fd` from `offset`, kept open by `pin`:
    /// after the job returns the connection sends them from the event loop with sendfile (the
    /// one sendfile path, Connection::flush), so neither a pool thread nor the loop waits for a
    /// slow client. Only with a head of Content-Length framing; dropped with the pin (closing the
    /// file) when the body is not sent (HEAD, 204, 304, client gone). False when the client is
    /// gone.
    virtual bool sendFile(std::shared_ptr<const void> pin, int fd, std::uint64_t offset,
                          std::uint64_t length) = 0;
    /// Finish the body (the last chunk when chunked). False when the client is gone.
    virtual bool endBody() = 0;
    virtual bool headSent() const = 0;
    /// A complete small error response (before the head only); the connection then closes.
    virtual void sendError(int status) = 0;
    /// Give up on the connection (an error after the head was sent): it is closed, not reused.
    virtual void abort() = 0;
    /// The handler declines after all (GW_DECLINED from an offloaded app): routing goes on with
    /// the next shorter mount, then static files. Only before the head and before any body read;
    /// otherwise the client gets a 404.
    virtual void decline() = 0;

protected:
    ~ClientChannel() = default;
};

}  // namespace gateway
