#include "gateway/net/HandlerPool.h"

#include <signal.h>

namespace gateway {

HandlerPool::HandlerPool(std::size_t threads) : _size(threads) {}

void HandlerPool::start() {
    // Pool threads never take process signals: the event loop reads them from its signalfd.
    // Faults stay deliverable: a crash in a handler must end the worker, not be held pending.
    sigset_t all;
    sigfillset(&all);
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS})
        sigdelset(&all, sig);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    _threads.reserve(_size);
    for (std::size_t i = 0; i < _size; ++i) _threads.emplace_back([this] { work(); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

HandlerPool::~HandlerPool() {
    {
        std::lock_guard lock(_mutex);
        _stopping = true;
    }
    _wake.notify_all();
    for (std::thread& thread : _threads) thread.join();
}

void HandlerPool::submit(std::function<void()> job) {
    if (_threads.empty()) start();
    {
        std::lock_guard lock(_mutex);
        _queue.push_back(std::move(job));
    }
    _wake.notify_one();
}

std::size_t HandlerPool::busy() const {
    std::lock_guard lock(_mutex);
    return _queue.size() + _running;
}

void HandlerPool::work() {
    std::unique_lock lock(_mutex);
    for (;;) {
        _wake.wait(lock, [this] { return _stopping || !_queue.empty(); });
        if (_queue.empty()) return;  // stopping, and everything queued has run
        std::function<void()> job = std::move(_queue.front());
        _queue.pop_front();
        ++_running;
        lock.unlock();
        job();
        lock.lock();
        --_running;
    }
}

}  // namespace gateway
