#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace gateway {

/// Something registered with the loop: gets the epoll event mask for its descriptor.
class EventHandler {
public:
    virtual void onEvents(std::uint32_t events) = 0;

protected:
    ~EventHandler() = default;
};

/// One epoll loop (per worker). Descriptors are registered edge-triggered by their owners; the
/// loop waits, dispatches, then runs the tick callback (timeouts, date, log flushing) with the
/// current monotonic time. post() hands work to the loop from other threads.
class EventLoop {
public:
    using Tick = std::function<void(std::int64_t nowMs)>;

    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    void add(int fd, std::uint32_t events, EventHandler* handler);
    void modify(int fd, std::uint32_t events, EventHandler* handler);
    void remove(int fd);

    /// Called after every batch of events, and at least every `maxWaitMs`.
    void setTick(Tick tick, int maxWaitMs);

    /// Runs until stop(). Returns normally; errors from epoll_wait other than EINTR throw.
    void run();
    void stop() { _running = false; }
    bool running() const { return _running; }

    /// Thread-safe: run `task` on the loop thread soon.
    void post(std::function<void()> task);

    /// Milliseconds on the monotonic clock (what timeouts are measured in; coarse and cheap).
    static std::int64_t nowMs();
    /// Microseconds on the monotonic clock (request durations for the access log).
    static std::int64_t nowUs();

private:
    void runPosted();

    int _epollFd = -1;
    int _wakeFd = -1;
    bool _running = false;
    Tick _tick;
    int _maxWaitMs = 1000;
    std::mutex _postedMutex;
    std::vector<std::function<void()>> _posted;
};

}  // namespace gateway
