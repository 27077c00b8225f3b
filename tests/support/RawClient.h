#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/support/RawResponse.h"

namespace gateway::test {

/// A plain TCP client for bytes no HTTP library would send: connects to host:port (IPv4 or IPv6
/// literal), sends raw bytes, reads responses with a deadline (poll). Every call is bounded.
/// Throws std::runtime_error on connect/send errors and on timeouts while reading a response.
class RawClient {
public:
    using Ms = std::chrono::milliseconds;
    static constexpr Ms kDefaultTimeout{5000};

    /// `receiveBuffer` > 0 sets SO_RCVBUF before connecting (to keep a download in flight).
    /// `source`: the local address to connect from (e.g. 127.0.0.2, another loopback client).
    explicit RawClient(std::uint16_t port, const std::string& host = "127.0.0.1",
                       int receiveBuffer = 0, const std::string& source = "");
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    int fd() const { return _fd; }

    /// Sends all of `bytes` (bounded by `timeout`). Throws on error.
    void send(std::string_view bytes, Ms timeout = kDefaultTimeout);

    /// Reads exactly one response (a 100 Continue counts as one). `headRequest`: no body expected.
    /// Bytes after it stay buffered for the next call. Throws if none arrives in time or the
    /// connection closes before it is complete.
    RawResponse readResponse(bool headRequest = false, Ms timeout = kDefaultTimeout);

    /// Reads until the peer closes (EOF or reset) or `timeout`; returns buffered + new bytes.
    /// closed() tells which.
    std::string readUntilClose(Ms timeout = kDefaultTimeout);

    /// Reads at least `n` bytes beyond what is buffered (or until close/timeout); returns the
    /// number of bytes now buffered.
    std::size_t readAtLeast(std::size_t n, Ms timeout = kDefaultTimeout);

    /// True when the peer closes within `timeout`. Bytes that arrive meanwhile are kept in
    /// buffered().
    bool waitClosed(Ms timeout = kDefaultTimeout);

    bool closed() const { return _closed; }
    const std::string& buffered() const { return _buffer; }
    /// Removes and returns the buffered bytes.
    std::string takeBuffered();

private:
    /// One poll+recv round; false on timeout. Sets _closed on EOF/reset.
    bool fill(std::chrono::steady_clock::time_point deadline);

    int _fd = -1;
    bool _closed = false;
    std::string _buffer;
};

/// "GET /path HTTP/1.1\r\nHost: test\r\n<extra>\r\n" — `extra` lines must end in "\r\n".
std::string httpRequest(std::string_view method, std::string_view target,
                        std::string_view extraHeaders = "", std::string_view version = "HTTP/1.1");

}  // namespace gateway::test
