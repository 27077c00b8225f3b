#include "gateway/obs/WorkerSlots.h"

#include <sys/mman.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <system_error>

#include "gateway/http/Lexer.h"

namespace gateway {
namespace {

WorkerSlots* ownRegion = nullptr;  ///< the region this worker attached to (after the fork)
WorkerSlot* ownSlot = nullptr;     ///< this worker's slot
thread_local AppActivity* threadActivity = nullptr;
thread_local bool threadClaimed = false;

constexpr std::size_t kShownTarget = 120;

/// Copies `text` into a fixed field, truncated, always NUL-terminated.
template <std::size_t N>
void copyField(char (&field)[N], std::string_view text) {
    const std::size_t n = std::min(text.size(), N - 1);
    std::memcpy(field, text.data(), n);
    field[n] = '\0';
}

AppActivity* activityOfThisThread() {
    if (!threadClaimed && ownSlot) {
        threadClaimed = true;
        const std::uint32_t index = ownSlot->claimed.fetch_add(1, std::memory_order_relaxed);
        if (index < WorkerSlot::kThreads) threadActivity = &ownSlot->threads[index];
    }
    return threadActivity;
}

}  // namespace

std::string ActivityReport::describe() const {
    std::string text = "app " + app + " at " + (mount.empty() ? "/" : mount) + ": ";
    appendEscaped(text, method);
    text.push_back(' ');
    appendEscaped(text, std::string_view(target).substr(0, kShownTarget));
    if (target.size() > kShownTarget || target.size() + 1 == AppActivity::kTargetBytes)
        text.append("...");
    return text;
}

WorkerSlots::WorkerSlots() {
    void* region = ::mmap(nullptr, sizeof(Region), PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (region == MAP_FAILED)
        throw std::system_error(errno, std::generic_category(), "mmap worker slots");
    _region = static_cast<Region*>(region);  // zero pages: every atomic starts at 0
    _used.assign(kSlots, false);
}

WorkerSlots::~WorkerSlots() {
    ::munmap(_region, sizeof(Region));
}

int WorkerSlots::claim(unsigned generation) {
    const auto free = std::find(_used.begin(), _used.end(), false);
    if (free == _used.end()) return -1;
    const int index = static_cast<int>(free - _used.begin());
    *free = true;
    if (static_cast<std::uint32_t>(index) >= _region->master.slotsUsed.load())
        _region->master.slotsUsed.store(index + 1, std::memory_order_release);
    WorkerSlot& slot = _region->slots[index];
    slot.counters.generation.store(generation, std::memory_order_relaxed);
    slot.pid.store(0, std::memory_order_relaxed);
    slot.claimed.store(0, std::memory_order_relaxed);
    for (AppActivity& activity : slot.threads) {
        activity.sinceMs.store(0, std::memory_order_relaxed);
        activity.deadlineMs.store(0, std::memory_order_relaxed);
    }
    return index;
}

void WorkerSlots::release(int index) {
    if (index < 0 || static_cast<std::size_t>(index) >= kSlots) return;
    _used[index] = false;
    // The worker is gone: what it had open or in flight is not any more. Counters stay.
    WorkerCounters& counters = _region->slots[index].counters;
    for (auto* gauge : {&counters.inFlight, &counters.openConnections, &counters.bodyConnections,
                        &counters.bodyBytes})
        gauge->store(0, std::memory_order_relaxed);
    counters.appCount.store(0, std::memory_order_relaxed);
    counters.generation.store(0, std::memory_order_relaxed);
}

std::vector<ActivityReport> WorkerSlots::inAppCode(const WorkerSlot& slot) {
    std::vector<ActivityReport> reports;
    const std::uint32_t threads =
        std::min<std::uint32_t>(slot.claimed.load(std::memory_order_acquire), WorkerSlot::kThreads);
    for (std::uint32_t i = 0; i < threads; ++i) {
        const AppActivity& activity = slot.threads[i];
        // A seqlock read: retry while the writer is mid-way (bounded: a live writer is fast, a
        // dead one left it as it was).
        for (int attempt = 0; attempt < 100; ++attempt) {
            const std::uint32_t before = activity.sequence.load(std::memory_order_acquire);
            ActivityReport report;
            report.sinceMs = activity.sinceMs.load(std::memory_order_relaxed);
            report.deadlineMs = activity.deadlineMs.load(std::memory_order_relaxed);
            report.app = std::string(activity.app, strnlen(activity.app, sizeof(activity.app)));
            report.mount =
                std::string(activity.mount, strnlen(activity.mount, sizeof(activity.mount)));
            report.method =
                std::string(activity.method, strnlen(activity.method, sizeof(activity.method)));
            report.target =
                std::string(activity.target, strnlen(activity.target, sizeof(activity.target)));
            std::atomic_thread_fence(std::memory_order_acquire);
            const bool settled =
                (before & 1) == 0 && activity.sequence.load(std::memory_order_relaxed) == before;
            if (!settled && attempt + 1 < 100) continue;
            if (report.sinceMs != 0) reports.push_back(std::move(report));
            break;
        }
    }
    return reports;
}

void WorkerSlots::attach(WorkerSlots& slots, int index) noexcept {
    ownRegion = &slots;
    ownSlot = &slots.slot(index);
    threadActivity = nullptr;  // the forking thread's claim belonged to the master
    threadClaimed = false;
}

WorkerSlots* WorkerSlots::attachedRegion() noexcept {
    return ownRegion;
}

WorkerSlot* WorkerSlots::attachedSlot() noexcept {
    return ownSlot;
}

void WorkerSlots::detach() noexcept {
    ownRegion = nullptr;
    ownSlot = nullptr;
    threadActivity = nullptr;
    threadClaimed = false;
}

WorkerSlots::Scope::Scope(std::string_view app, std::string_view mount, std::string_view method,
                          std::string_view target, std::int64_t deadlineMs) noexcept
    : _activity(activityOfThisThread()) {
    if (!_activity) return;
    AppActivity& a = *_activity;
    const std::uint32_t sequence = a.sequence.load(std::memory_order_relaxed);
    a.sequence.store(sequence + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    copyField(a.app, app);
    copyField(a.mount, mount);
    copyField(a.method, method);
    copyField(a.target, target);
    a.deadlineMs.store(deadlineMs, std::memory_order_relaxed);
    // The coarse clock (a few ns, tick-precise) is enough to say "since when" on the hot path.
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    a.sinceMs.store(static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1000000 + 1,
                    std::memory_order_relaxed);
    a.sequence.store(sequence + 2, std::memory_order_release);
}

WorkerSlots::Scope::~Scope() {
    if (_activity) _activity->sinceMs.store(0, std::memory_order_release);
}

std::int64_t WorkerSlots::monotonicMs() noexcept {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

}  // namespace gateway
