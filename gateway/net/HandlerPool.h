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
/// The threads start with the first job: a worker whose apps all run inline never pays for
/// them, and a reload's new worker is ready sooner (its start competes with serving workers).
class HandlerPool {
public:
    explicit HandlerPool(std::size_t threads);
    /// Waits for queued and running jobs to finish.
    ~HandlerPool();
    HandlerPool(const HandlerPool&) = delete;
    HandlerPool& operator=(const HandlerPool&) = delete;

    /// Called from one thread (the worker's event loop), which also starts the threads.
    void submit(std::function<void()> job);
    /// Jobs queued or running.
    std::size_t busy() const;

private:
    void start();
    void work();

    mutable std::mutex _mutex;
    std::condition_variable _wake;
    std::deque<std::function<void()>> _queue;
    std::size_t _running = 0;
    bool _stopping = false;
    std::size_t _size;
    std::vector<std::thread> _threads;  ///< empty until the first submit()
};

}  // namespace gateway
