#include "tests/support/RawClient.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace gateway::test {

namespace {

int remainingMs(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<long>(0, left.count()));
}

std::runtime_error sysError(const std::string& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

RawClient::RawClient(std::uint16_t port, const std::string& host, int receiveBuffer,
                     const std::string& source) {
    sockaddr_storage addr{};
    socklen_t len = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
    if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        len = sizeof(sockaddr_in);
    } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        len = sizeof(sockaddr_in6);
    } else {
        throw std::runtime_error("not an IP literal: " + host);
    }
    _fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (_fd < 0) throw sysError("socket");
    if (receiveBuffer > 0) {
        ::setsockopt(_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    }
    if (!source.empty()) {
        sockaddr_storage local{};
        local.ss_family = addr.ss_family;
        void* bytes = addr.ss_family == AF_INET
                          ? static_cast<void*>(&reinterpret_cast<sockaddr_in*>(&local)->sin_addr)
                          : static_cast<void*>(&reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr);
        if (::inet_pton(addr.ss_family, source.c_str(), bytes) != 1 ||
            ::bind(_fd, reinterpret_cast<sockaddr*>(&local), len) != 0) {
            const std::runtime_error error = sysError("bind " + source);
            ::close(_fd);
            _fd = -1;
            throw error;
        }
    }
    // A loopback connect completes (or is refused) at once; blocking here is bounded.
    if (::connect(_fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
        const std::runtime_error error = sysError("connect " + host + ":" + std::to_string(port));
        ::close(_fd);
        _fd = -1;
        throw error;
    }
    const int one = 1;
    ::setsockopt(_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawClient::~RawClient() {
    if (_fd >= 0) ::close(_fd);
}

void RawClient::send(std::string_view bytes, Ms timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!bytes.empty()) {
        const ssize_t n = ::send(_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{_fd, POLLOUT, 0};
            if (::poll(&p, 1, remainingMs(deadline)) == 0) {
                throw std::runtime_error("send: timed out with " + std::to_string(bytes.size()) +
                                         " bytes unsent");
            }
            continue;
        }
        throw sysError("send");
    }
}

bool RawClient::fill(std::chrono::steady_clock::time_point deadline) {
    if (_closed) return false;
    pollfd p{_fd, POLLIN, 0};
    int n = 0;
    do {
        n = ::poll(&p, 1, remainingMs(deadline));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    char chunk[65536];
    const ssize_t got = ::recv(_fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (got > 0) {
        _buffer.append(chunk, static_cast<std::size_t>(got));
    } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        _closed = true;  // EOF, or ECONNRESET and friends
    }
    return true;
}

RawResponse RawClient::readResponse(bool headRequest, Ms timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        RawResponse response;
        const std::size_t used = RawResponse::parse(_buffer, headRequest, _closed, response);
        if (used > 0) {
            _buffer.erase(0, used);
            return response;
        }
        if (_closed) {
            throw std::runtime_error("connection closed before a complete response; got " +
                                     std::to_string(_buffer.size()) +
                                     " bytes: " + _buffer.substr(0, 200));
        }
        if (!fill(deadline) && std::chrono::steady_clock::now() >= deadline) {
            throw std::runtime_error(
                "no complete response within " + std::to_string(timeout.count()) + " ms; got " +
                std::to_string(_buffer.size()) + " bytes: " + _buffer.substr(0, 200));
        }
    }
}

std::string RawClient::readUntilClose(Ms timeout) {
    waitClosed(timeout);
    return takeBuffered();
}

std::size_t RawClient::readAtLeast(std::size_t n, Ms timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::size_t target = _buffer.size() + n;
    while (_buffer.size() < target && !_closed) {
        if (!fill(deadline) && std::chrono::steady_clock::now() >= deadline) break;
    }
    return _buffer.size();
}

bool RawClient::waitClosed(Ms timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!_closed) {
        if (!fill(deadline) && std::chrono::steady_clock::now() >= deadline) break;
    }
    return _closed;
}

std::string RawClient::takeBuffered() {
    std::string out;
    out.swap(_buffer);
    return out;
}

std::string httpRequest(std::string_view method, std::string_view target,
                        std::string_view extraHeaders, std::string_view version) {
    std::string r;
    r.append(method).append(" ").append(target).append(" ").append(version).append("\r\n");
    r.append("Host: test\r\n").append(extraHeaders).append("\r\n");
    return r;
}

}  // namespace gateway::test
