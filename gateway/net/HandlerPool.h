#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gateway {

/// A fixed set of threads for handlers that may block (apps without GW_APP_NON_BLOCKING, large
/// bodies). Jobs queue when every thread is busy; the connection cap bounds the queue.
class HandlerPool {
public:
    explicit HandlerPool(std::size_t threads);
    /// Waits for queued and running jobs to finish.
    ~HandlerPool();
    HandlerPool(const HandlerPool&) = delete;
    HandlerPool& operator=(const HandlerPool&) = delete;

    void submit(std::function<void()> job);
    /// Jobs queued or running.
    std::size_t busy() const;

private:
    void work();

    mutable std::mutex _mutex;
    std::condition_variable _wake;
    std::deque<std::function<void()>> _queue;
    std::size_t _running = 0;
    bool _stopping = false;
    std::vector<std::thread> _threads;
};

}  // namespace gateway
