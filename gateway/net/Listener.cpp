#include "gateway/net/Listener.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "gateway/net/ConnectionManager.h"

namespace gateway {

ListenSocket::ListenSocket(const std::string& address, std::uint16_t port, int backlog) {
    const std::string where =
        (address.find(':') != std::string::npos ? "[" + address + "]" : address) + ":" +
        std::to_string(port);
    auto fail = [&](const std::string& reason) {
        if (_fd >= 0) ::close(_fd);
        throw std::runtime_error("cannot listen on " + where + ": " + reason);
    };
    Poco::Net::SocketAddress socketAddress;
    try {
        socketAddress = Poco::Net::SocketAddress(address, port);
    } catch (const Poco::Exception& e) {
        fail(e.displayText());
    }
    _fd = ::socket(socketAddress.af(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (_fd < 0) fail(std::strerror(errno));
    const int one = 1;
    ::setsockopt(_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (socketAddress.af() == AF_INET6)
        ::setsockopt(_fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (::bind(_fd, socketAddress.addr(), socketAddress.length()) < 0) fail(std::strerror(errno));
    if (::listen(_fd, backlog) < 0) fail(std::strerror(errno));
    // Hand over connections once their first bytes arrived: the request can be read at once,
    // without a trip through epoll (clients that never send wait in the kernel, not here).
    const int deferSeconds = 1;
    ::setsockopt(_fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &deferSeconds, sizeof(deferSeconds));
    sockaddr_storage bound{};
    socklen_t length = sizeof(bound);
    ::getsockname(_fd, reinterpret_cast<sockaddr*>(&bound), &length);
    _port = Poco::Net::SocketAddress(reinterpret_cast<sockaddr*>(&bound), length).port();
}

ListenSocket::~ListenSocket() {
    close();
}

void ListenSocket::close() {
    if (_fd >= 0) ::close(_fd);
    _fd = -1;
}

Listener::Listener(EventLoop& loop, ConnectionManager& manager, int fd)
    : _loop(loop), _manager(manager), _fd(fd) {}

Listener::~Listener() {
    stop();
}

void Listener::start() {
    _stopped = false;
    if (!_registered) {
        // Level-triggered and exclusive: several worker processes may share this socket.
        _loop.add(_fd, EPOLLIN | EPOLLEXCLUSIVE, this);
        _registered = true;
    }
}

void Listener::stop() {
    _stopped = true;
    if (_registered) {
        _loop.remove(_fd);
        _registered = false;
    }
}

void Listener::pause(std::int64_t retryAtMs) {
    if (_registered) {
        _loop.remove(_fd);
        _registered = false;
    }
    _retryAtMs = retryAtMs;
}

void Listener::tick(std::int64_t nowMs) {
    if (!_stopped && !_registered && nowMs >= _retryAtMs && !_manager.atCapacity()) start();
}

void Listener::onEvents(std::uint32_t) {
    // Stopped earlier in this epoll batch (a drain closes the socket): its event is stale.
    if (_stopped) return;
    while (!_manager.atCapacity()) {
        sockaddr_in6 peer{};
        socklen_t length = sizeof(peer);
        const int fd = ::accept4(_fd, reinterpret_cast<sockaddr*>(&peer), &length,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                const std::int64_t now = EventLoop::nowMs();
                if (now - _lastWarningMs > 10000) {
                    Poco::Logger::get("gateway").warning(
                        std::string("accept: ") + std::strerror(errno) +
                        " (raise the open-file limit or lower --max-connections)");
                    _lastWarningMs = now;
                }
                pause(now + 100);
                return;
            }
            Poco::Logger::get("gateway").error(std::string("accept: ") + std::strerror(errno));
            return;
        }
        _manager.adopt(fd, peer);
    }
    pause(0);  // at the cap: tick() resumes once a connection closes
}

}  // namespace gateway
