#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/obs/Counters.h"

namespace gateway {

/// What one thread of a worker is doing in app code, kept where the master can read it: which
/// app, mount and request, since when, and until when it may. Written by its own thread without
/// locks (a sequence number brackets the text), read by the master for crash attribution (after
/// the worker died) and stuck-handler detection (while it lives).
struct AppActivity {
    static constexpr std::size_t kAppBytes = 64;
    static constexpr std::size_t kMountBytes = 96;
    static constexpr std::size_t kMethodBytes = 16;
    static constexpr std::size_t kTargetBytes = 192;

    std::atomic<std::uint32_t> sequence{0};   ///< odd while the text below is being written
    std::atomic<std::int64_t> sinceMs{0};     ///< CLOCK_MONOTONIC ms it entered app code; 0 = out
    std::atomic<std::int64_t> deadlineMs{0};  ///< CLOCK_MONOTONIC ms; 0 = no deadline
    char app[kAppBytes];
    char mount[kMountBytes];
    char method[kMethodBytes];
    char target[kTargetBytes];
};

/// A consistent copy of an AppActivity, for the master.
struct ActivityReport {
    std::int64_t sinceMs = 0;
    std::int64_t deadlineMs = 0;
    std::string app, mount, method, target;

    /// "app hello at /hello: GET /hello/x", the target truncated and control characters escaped.
    std::string describe() const;
};

/// One worker's slot: an AppActivity per thread that ever entered app code (the loop thread and
/// the handler pool's threads, each claiming the next entry on its first call).
struct WorkerSlot {
    static constexpr std::size_t kThreads = 64;  ///< threads beyond this are not tracked

    std::atomic<pid_t> pid{0};
    std::atomic<std::uint32_t> claimed{0};
    AppActivity threads[kThreads];
    WorkerCounters counters;  ///< metrics: outlive the worker (see Counters.h)
};

/// The shared memory the master maps before forking, one WorkerSlot per worker that may live at
/// once, plus the master's own counters. The master hands each worker a free slot; the worker
/// attach()es to it after the fork. Workers read every slot too (the metrics endpoint sums them).
class WorkerSlots {
public:
    static constexpr std::size_t kSlots = 512;

    WorkerSlots();  ///< maps the region (MAP_SHARED | MAP_ANONYMOUS; untouched pages cost nothing)
    ~WorkerSlots();
    WorkerSlots(const WorkerSlots&) = delete;
    WorkerSlots& operator=(const WorkerSlots&) = delete;

    /// Master: a cleared slot for a worker of `generation` about to be forked, or -1 when none
    /// is free. The slot's metric counters are kept: the new worker adds to them.
    int claim(unsigned generation = 0);
    /// Master: the slot's worker is gone; its slot may be reused (its gauges read 0 from now).
    void release(int index);
    WorkerSlot& slot(int index) { return _region->slots[index]; }
    const WorkerSlot& slot(int index) const { return _region->slots[index]; }
    /// Slots ever claimed: the ones a reader of the counters needs to look at.
    std::size_t slotsUsed() const {
        return _region->master.slotsUsed.load(std::memory_order_acquire);
    }

    /// Master: a worker was replaced (counted in gateway_worker_restarts_total).
    void countRestart(RestartCause cause) {
        _region->master.restarts[static_cast<std::size_t>(cause)].fetch_add(
            1, std::memory_order_relaxed);
    }
    /// Master: the generation serving now.
    void setGeneration(unsigned id) {
        _region->master.generation.store(id, std::memory_order_relaxed);
    }
    const MasterCounters& master() const { return _region->master; }

    /// Master: the threads of `slot` that are in app code now.
    static std::vector<ActivityReport> inAppCode(const WorkerSlot& slot);

    /// Worker, after the fork: the calling process writes its activity to slot `index`.
    static void attach(WorkerSlots& slots, int index) noexcept;
    /// Worker: the region and slot attach() named; nullptr when none (a single-process gateway).
    static WorkerSlots* attachedRegion() noexcept;
    static WorkerSlot* attachedSlot() noexcept;
    /// Forget the attached slot (tests).
    static void detach() noexcept;

    /// Brackets a call into app code on the calling thread; does nothing when no slot is attached
    /// (a single-process gateway, unit tests).
    class Scope {
    public:
        Scope(std::string_view app, std::string_view mount, std::string_view method,
              std::string_view target, std::int64_t deadlineMs) noexcept;
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        AppActivity* _activity;
    };

    /// CLOCK_MONOTONIC in milliseconds: the one clock master and workers compare.
    static std::int64_t monotonicMs() noexcept;

private:
    struct Region {
        MasterCounters master;
        WorkerSlot slots[kSlots];
    };
    Region* _region = nullptr;
    std::vector<bool> _used;
};

}  // namespace gateway
