#pragma once

#include <cstdint>
#include <string>

#include "gateway/net/EventLoop.h"

namespace gateway {

class ConnectionManager;

/// A bound, listening, non-blocking socket (IPv4 or IPv6) with SO_REUSEADDR.
class ListenSocket {
public:
    /// Throws std::runtime_error "cannot listen on ADDR:PORT: reason".
    ListenSocket(const std::string& address, std::uint16_t port, int backlog);
    ~ListenSocket();
    ListenSocket(const ListenSocket&) = delete;
    ListenSocket& operator=(const ListenSocket&) = delete;

    int fd() const { return _fd; }
    /// Stop listening: clients connecting afterwards are refused instead of waiting.
    void close();
    std::uint16_t port() const { return _port; }  ///< the bound port (resolves port 0)

private:
    int _fd = -1;
    std::uint16_t _port = 0;
};

/// Accepts connections on a listening socket and hands them to the ConnectionManager, draining
/// the backlog on each wake-up. At the connection cap it stops accepting (new clients wait in the
/// kernel backlog, existing ones are unharmed) and resumes when a connection closes.
class Listener final : public EventHandler {
public:
    Listener(EventLoop& loop, ConnectionManager& manager, int fd);
    ~Listener();

    void start();
    void stop();
    /// Retry accepting after a descriptor shortage (EMFILE) or once below the cap again.
    void tick(std::int64_t nowMs);
    void onEvents(std::uint32_t events) override;

private:
    void pause(std::int64_t retryAtMs);

    EventLoop& _loop;
    ConnectionManager& _manager;
    int _fd;
    bool _registered = false;
    bool _stopped = true;
    std::int64_t _retryAtMs = 0;
    std::int64_t _lastWarningMs = -1000000;
};

}  // namespace gateway
