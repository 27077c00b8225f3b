#include "tests/support/ConnectionSwarm.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "tests/support/RawResponse.h"

namespace gateway::test {

namespace {

int remainingMs(ConnectionSwarm::Deadline deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::clamp<long>(left.count(), 0, 1000));
}

}  // namespace

ConnectionSwarm::ConnectionSwarm(std::uint16_t port) : _port(port) {
    _epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (_epoll < 0) throw std::runtime_error(std::string("epoll_create1: ") + strerror(errno));
}

ConnectionSwarm::~ConnectionSwarm() {
    for (Conn& c : _conns) {
        if (c.fd >= 0) ::close(c.fd);
    }
    ::close(_epoll);
}

std::size_t ConnectionSwarm::openCount() const {
    return std::count_if(_conns.begin(), _conns.end(),
                         [](const Conn& c) { return c.state == State::Idle; });
}

void ConnectionSwarm::fail(Conn& c, Result& r, const std::string& why) {
    ++r.failed;
    if (r.errors.size() < 10) {
        r.errors.push_back("connection #" + std::to_string(&c - _conns.data()) + ": " + why);
    }
    if (c.fd >= 0) {
        ::epoll_ctl(_epoll, EPOLL_CTL_DEL, c.fd, nullptr);
        ::close(c.fd);
        c.fd = -1;
    }
    c.state = State::Failed;
}

ConnectionSwarm::Result ConnectionSwarm::connectAll(std::size_t count, const std::string& request,
                                                    int expectedStatus, Deadline deadline,
                                                    std::size_t maxConnecting) {
    Result r;
    _conns.reserve(_conns.size() + count);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(_port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    std::size_t started = 0;
    std::size_t pending = count;  // not yet answered or failed
    std::size_t connecting = 0;
    auto open = [&] {
        while (started < count && connecting < maxConnecting) {
            ++started;
            Conn& c = _conns.emplace_back();
            c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (c.fd < 0) {
                fail(c, r, std::string("socket: ") + strerror(errno));
                --pending;
                continue;
            }
            if (::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 &&
                errno != EINPROGRESS) {
                fail(c, r, std::string("connect: ") + strerror(errno));
                --pending;
                continue;
            }
            epoll_event ev{};
            ev.events = EPOLLOUT;
            ev.data.u64 = _conns.size() - 1;
            ::epoll_ctl(_epoll, EPOLL_CTL_ADD, c.fd, &ev);
            ++connecting;
        }
    };
    _onConnected = [&] { --connecting; };
    open();
    loop(r, pending, request, expectedStatus, deadline, open);
    _onConnected = nullptr;
    r.unanswered = pending;
    return r;
}

ConnectionSwarm::Result ConnectionSwarm::again(std::size_t stride, const std::string& request,
                                               int expectedStatus, Deadline deadline) {
    Result r;
    std::size_t pending = 0;
    for (std::size_t i = 0; i < _conns.size(); i += std::max<std::size_t>(stride, 1)) {
        Conn& c = _conns[i];
        if (c.state != State::Idle) continue;
        const ssize_t n = ::send(c.fd, request.data(), request.size(), MSG_NOSIGNAL);
        if (n != static_cast<ssize_t>(request.size())) {
            fail(c, r, std::string("send: ") + (n < 0 ? strerror(errno) : "short write"));
            continue;
        }
        c.state = State::Reading;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.u64 = i;
        ::epoll_ctl(_epoll, EPOLL_CTL_ADD, c.fd, &ev);
        ++pending;
    }
    loop(r, pending, request, expectedStatus, deadline, [] {});
    r.unanswered = pending;
    return r;
}

void ConnectionSwarm::loop(Result& r, std::size_t& pending, const std::string& request,
                           int expectedStatus, Deadline deadline,
                           const std::function<void()>& open) {
    std::vector<epoll_event> events(1024);
    char chunk[16384];
    while (pending > 0 && std::chrono::steady_clock::now() < deadline) {
        const int n = ::epoll_wait(_epoll, events.data(), static_cast<int>(events.size()),
                                   remainingMs(deadline));
        if (n < 0 && errno != EINTR) throw std::runtime_error("epoll_wait failed");
        for (int i = 0; i < n; ++i) {
            Conn& c = _conns[events[i].data.u64];
            if (c.state == State::Connecting) {
                if (_onConnected) _onConnected();
                int err = 0;
                socklen_t len = sizeof err;
                ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err != 0) {
                    fail(c, r, std::string("connect: ") + strerror(err));
                    --pending;
                    continue;
                }
                // The request is tiny: one send on a fresh socket always takes it whole.
                const ssize_t sent = ::send(c.fd, request.data(), request.size(), MSG_NOSIGNAL);
                if (sent != static_cast<ssize_t>(request.size())) {
                    fail(c, r, std::string("send: ") + (sent < 0 ? strerror(errno) : "short"));
                    --pending;
                    continue;
                }
                c.state = State::Reading;
                epoll_event ev{};
                ev.events = EPOLLIN | EPOLLRDHUP;
                ev.data.u64 = events[i].data.u64;
                ::epoll_ctl(_epoll, EPOLL_CTL_MOD, c.fd, &ev);
                continue;
            }
            if (c.state != State::Reading) continue;
            const ssize_t got = ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
            if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (got <= 0) {
                fail(c, r,
                     got == 0 ? "closed before a complete response"
                              : std::string("recv: ") + strerror(errno));
                --pending;
                continue;
            }
            c.buffer.append(chunk, static_cast<std::size_t>(got));
            RawResponse response;
            std::size_t used = 0;
            try {
                used = RawResponse::parse(c.buffer, false, false, response);
            } catch (const std::exception& e) {
                fail(c, r, e.what());
                --pending;
                continue;
            }
            if (used == 0) continue;
            --pending;
            if (response.status != expectedStatus) {
                fail(c, r, "status " + std::to_string(response.status));
                continue;
            }
            c.buffer.erase(0, used);
            c.state = State::Idle;
            ::epoll_ctl(_epoll, EPOLL_CTL_DEL, c.fd, nullptr);
            ++r.answered;
        }
        open();
    }
}

}  // namespace gateway::test
