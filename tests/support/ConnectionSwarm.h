#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gateway::test {

/// Many concurrent keep-alive connections from one thread: nonblocking connects and epoll, one
/// request and one response per connection per round; the sockets stay open until destruction.
class ConnectionSwarm {
public:
    using Deadline = std::chrono::steady_clock::time_point;

    struct Result {
        std::size_t answered = 0;         ///< complete responses with the expected status
        std::size_t failed = 0;           ///< connect errors, resets, wrong statuses
        std::size_t unanswered = 0;       ///< still waiting at the deadline
        std::vector<std::string> errors;  ///< the first few failures, described
    };

    explicit ConnectionSwarm(std::uint16_t port);
    ~ConnectionSwarm();
    ConnectionSwarm(const ConnectionSwarm&) = delete;
    ConnectionSwarm& operator=(const ConnectionSwarm&) = delete;

    /// Opens `count` connections (at most `maxConnecting` handshakes pending at a time), sends
    /// `request` on each as soon as it is connected and reads one response.
    Result connectAll(std::size_t count, const std::string& request, int expectedStatus,
                      Deadline deadline, std::size_t maxConnecting = 256);

    /// Sends `request` again on every `stride`-th connection that is still open and healthy.
    Result again(std::size_t stride, const std::string& request, int expectedStatus,
                 Deadline deadline);

    /// Connections opened and answered in the last round, still held open.
    std::size_t openCount() const;

private:
    enum class State { Connecting, Reading, Idle, Failed };
    struct Conn {
        int fd = -1;
        State state = State::Connecting;
        std::string buffer;
    };

    void fail(Conn& c, Result& r, const std::string& why);
    /// Runs the epoll loop until `pending` reaches 0 or the deadline; `open` may start connects.
    void loop(Result& r, std::size_t& pending, const std::string& request, int expectedStatus,
              Deadline deadline, const std::function<void()>& open);

    std::uint16_t _port;
    int _epoll = -1;
    std::vector<Conn> _conns;
    std::function<void()> _onConnected;  ///< connectAll's count of pending handshakes
};

}  // namespace gateway::test
