#pragma once

#include <cstdint>

namespace gateway {

/// Hook a connection embeds to sit in one TimeoutList at a time.
struct TimeoutHook {
    TimeoutHook* prev = nullptr;
    TimeoutHook* next = nullptr;
    class TimeoutList* list = nullptr;
    std::int64_t deadlineMs = 0;
    void* owner = nullptr;  ///< what the hook belongs to (set once by the owner)
};

/// Intrusive list of hooks that all share one timeout, so appending keeps it sorted by deadline:
/// arming, re-arming and cancelling are O(1), and expiry looks only at the head. This is how
/// 10,000 idle connections cost no timer work until one of them is due.
class TimeoutList {
public:
    explicit TimeoutList(std::int64_t timeoutMs = 0) : _timeoutMs(timeoutMs) {}
    TimeoutList(const TimeoutList&) = delete;
    TimeoutList& operator=(const TimeoutList&) = delete;

    void setTimeout(std::int64_t timeoutMs) { _timeoutMs = timeoutMs; }
    std::int64_t timeout() const { return _timeoutMs; }

    /// (Re)arm: the hook leaves whatever list it was in and expires at now + timeout.
    void arm(TimeoutHook& hook, std::int64_t nowMs) {
        unlink(hook);
        hook.deadlineMs = nowMs + _timeoutMs;
        hook.list = this;
        hook.prev = _tail;
        hook.next = nullptr;
        (_tail ? _tail->next : _head) = &hook;
        _tail = &hook;
    }

    static void unlink(TimeoutHook& hook) {
        TimeoutList* list = hook.list;
        if (!list) return;
        (hook.prev ? hook.prev->next : list->_head) = hook.next;
        (hook.next ? hook.next->prev : list->_tail) = hook.prev;
        hook.prev = hook.next = nullptr;
        hook.list = nullptr;
    }

    /// The earliest hook if it is due at `nowMs`, else nullptr.
    TimeoutHook* due(std::int64_t nowMs) const {
        return _head && _head->deadlineMs <= nowMs ? _head : nullptr;
    }
    bool empty() const { return _head == nullptr; }

private:
    TimeoutHook* _head = nullptr;
    TimeoutHook* _tail = nullptr;
    std::int64_t _timeoutMs;
};

}  // namespace gateway
