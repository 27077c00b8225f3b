#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace gateway {

/// The metrics part of the shared memory the master maps before forking (see WorkerSlots).
/// Counters only grow: a slot's counters outlive its worker and the next worker in the slot adds
/// to them, so a sum over all slots never goes backwards. Gauges are zeroed when the worker is
/// gone. Every field is written by one process (its worker, or the master) with relaxed atomics.

/// Upper bounds of the request duration buckets in microseconds (0.5 ms .. 10 s, then +Inf).
inline constexpr std::uint64_t kDurationBucketsUs[] = {500,     1000,    2500,    5000,    10000,
                                                       25000,   50000,   100000,  250000,  500000,
                                                       1000000, 2500000, 5000000, 10000000};
inline constexpr std::size_t kDurationBuckets = std::size(kDurationBucketsUs);

/// The counters of one mount, as seen by one worker slot. `name` is written once, before the
/// entry is published by MountTableCounters::count.
struct MountCounters {
    static constexpr std::size_t kNameBytes = 96;
    static constexpr std::size_t kClasses = 5;  ///< 1xx .. 5xx

    char name[kNameBytes];
    std::atomic<std::uint64_t> requests[kClasses];
    std::atomic<std::uint64_t> buckets[kDurationBuckets + 1];  ///< not cumulative; last = +Inf
    std::atomic<std::uint64_t> durationUs;
    std::atomic<std::uint64_t> bytesSent;
};

/// One loaded app of a worker, for gateway_app_info.
struct AppInfo {
    char app[64];
    char version[32];
    char mount[MountCounters::kNameBytes];
};

/// A worker slot's metrics.
struct WorkerCounters {
    static constexpr std::size_t kMounts = 32;  ///< further mounts count under entry 0 ("")
    static constexpr std::size_t kApps = 32;

    std::atomic<std::uint32_t> mountCount;  ///< entries published (release); entry 0 is ""
    MountCounters mounts[kMounts];

    // Gauges: zeroed by the master when the worker is gone.
    std::atomic<std::int64_t> inFlight;
    std::atomic<std::int64_t> openConnections;
    std::atomic<std::int64_t> bodyConnections;  ///< requests whose body is being buffered / held
    std::atomic<std::int64_t> bodyBytes;        ///< bytes of those bodies (memory or temp file)
    std::atomic<std::uint32_t> generation;      ///< set by the master; 0 = no worker
    std::atomic<std::uint32_t> appCount;        ///< entries of `apps` published (release)
    AppInfo apps[kApps];
};

/// Why the master replaced a worker.
enum class RestartCause : std::uint8_t { Crash, Stuck, Reload };
inline constexpr std::size_t kRestartCauses = 3;

/// Written by the master only.
struct MasterCounters {
    std::atomic<std::uint64_t> restarts[kRestartCauses];
    std::atomic<std::uint32_t> generation;  ///< the generation serving now
    std::atomic<std::uint32_t> slotsUsed;   ///< slots ever claimed: readers look no further
};

}  // namespace gateway
