#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/obs/Counters.h"

namespace gateway {

class Handler;

/// A worker's side of the metrics: counts its requests, connections and buffered bodies into
/// its slot's WorkerCounters (shared memory the master and the other workers read). Everything
/// per request is a few relaxed loads and stores on the loop thread, the only writer.
class Metrics {
public:
    /// Counts into `counters`; becomes the process's body counter (bodyStarted() etc.).
    explicit Metrics(WorkerCounters& counters);
    ~Metrics();
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    /// Requests answered by `handler` count under mount `prefix` (static files and requests no
    /// handler took count under ""). A slot reused by a later worker keeps its mount entries.
    void addMount(std::string_view prefix, const Handler* handler);
    /// A loaded app, for gateway_app_info.
    void addApp(std::string_view app, std::string_view version, std::string_view mount);

    void requestStarted() noexcept { add(_counters.inFlight, 1); }
    /// A response was sent (or given up on). `handler` took the request (nullptr: none did).
    /// `wasStarted`: it had been counted by requestStarted() (in flight).
    void requestFinished(const Handler* handler, int status, std::uint64_t bytes,
                         std::int64_t micros, bool wasStarted = true) noexcept;
    void setOpenConnections(std::size_t open) noexcept {
        _counters.openConnections.store(static_cast<std::int64_t>(open), std::memory_order_relaxed);
    }

    /// Request bodies being buffered or held for a handler (called by RequestBody; no-ops when
    /// this process counts no metrics).
    static void bodyStarted() noexcept;
    static void bodyStored(std::uint64_t bytes) noexcept;
    static void bodyReleased(std::uint64_t bytes) noexcept;

private:
    /// Single writer: a load and a store, no locked instruction.
    template <typename T, typename D>
    static void add(std::atomic<T>& counter, D delta) noexcept {
        counter.store(counter.load(std::memory_order_relaxed) + static_cast<T>(delta),
                      std::memory_order_relaxed);
    }
    MountCounters& mountOf(const Handler* handler) noexcept;

    WorkerCounters& _counters;
    std::vector<std::pair<const Handler*, std::uint32_t>> _mounts;  ///< handler → entry
};

}  // namespace gateway
