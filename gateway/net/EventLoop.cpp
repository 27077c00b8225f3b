#include "gateway/net/EventLoop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <system_error>

namespace gateway {
namespace {

[[noreturn]] void throwErrno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// The wake eventfd is registered with this marker instead of a handler.
EventHandler* const kWakeMarker = nullptr;

}  // namespace

EventLoop::EventLoop() {
    _epollFd = epoll_create1(EPOLL_CLOEXEC);
    if (_epollFd < 0) throwErrno("epoll_create1");
    _wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (_wakeFd < 0) throwErrno("eventfd");
    add(_wakeFd, EPOLLIN, kWakeMarker);
}

EventLoop::~EventLoop() {
    ::close(_wakeFd);
    ::close(_epollFd);
}

void EventLoop::add(int fd, std::uint32_t events, EventHandler* handler) {
    epoll_event event{};
    event.events = events;
    event.data.ptr = handler;
    if (epoll_ctl(_epollFd, EPOLL_CTL_ADD, fd, &event) < 0) throwErrno("epoll_ctl(ADD)");
}

void EventLoop::modify(int fd, std::uint32_t events, EventHandler* handler) {
    epoll_event event{};
    event.events = events;
    event.data.ptr = handler;
    if (epoll_ctl(_epollFd, EPOLL_CTL_MOD, fd, &event) < 0) throwErrno("epoll_ctl(MOD)");
}

void EventLoop::remove(int fd) {
    epoll_ctl(_epollFd, EPOLL_CTL_DEL, fd, nullptr);
}

void EventLoop::setTick(Tick tick, int maxWaitMs) {
    _tick = std::move(tick);
    _maxWaitMs = maxWaitMs;
}

std::int64_t EventLoop::nowMs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::int64_t EventLoop::nowUs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

void EventLoop::run() {
    constexpr int kBatch = 256;
    epoll_event events[kBatch];
    _running = true;
    while (_running) {
        const int n = epoll_wait(_epollFd, events, kBatch, _maxWaitMs);
        if (n < 0) {
            if (errno == EINTR) continue;
            throwErrno("epoll_wait");
        }
        for (int i = 0; i < n; ++i) {
            auto* handler = static_cast<EventHandler*>(events[i].data.ptr);
            if (handler == kWakeMarker)
                runPosted();
            else
                handler->onEvents(events[i].events);
        }
        if (_tick) _tick(nowMs());
    }
}

void EventLoop::post(std::function<void()> task) {
    {
        std::lock_guard lock(_postedMutex);
        _posted.push_back(std::move(task));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(_wakeFd, &one, sizeof(one));
}

void EventLoop::runPosted() {
    std::uint64_t count = 0;
    [[maybe_unused]] auto got = ::read(_wakeFd, &count, sizeof(count));
    std::vector<std::function<void()>> tasks;
    {
        std::lock_guard lock(_postedMutex);
        tasks.swap(_posted);
    }
    for (auto& task : tasks) task();
}

}  // namespace gateway
