#include "gateway/obs/Metrics.h"

#include <algorithm>
#include <cstring>

namespace gateway {
namespace {

Metrics* processMetrics = nullptr;  ///< the worker's Metrics, for RequestBody

template <std::size_t N>
void copyName(char (&field)[N], std::string_view text) {
    const std::size_t n = std::min(text.size(), N - 1);
    std::memcpy(field, text.data(), n);
    field[n] = '\0';
}

std::size_t bucketOf(std::int64_t micros) {
    const auto us = static_cast<std::uint64_t>(std::max<std::int64_t>(micros, 0));
    std::size_t i = 0;
    while (i < kDurationBuckets && us > kDurationBucketsUs[i]) ++i;
    return i;
}

}  // namespace

Metrics::Metrics(WorkerCounters& counters) : _counters(counters) {
    // Entry 0 is "" (static files, unrouted requests); a fresh slot publishes it now.
    if (_counters.mountCount.load(std::memory_order_acquire) == 0) {
        _counters.mounts[0].name[0] = '\0';
        _counters.mountCount.store(1, std::memory_order_release);
    }
    processMetrics = this;
}

Metrics::~Metrics() {
    if (processMetrics == this) processMetrics = nullptr;
}

void Metrics::addMount(std::string_view prefix, const Handler* handler) {
    const std::string_view name = prefix.substr(0, MountCounters::kNameBytes - 1);
    const std::uint32_t count = _counters.mountCount.load(std::memory_order_acquire);
    std::uint32_t entry = 0;
    for (std::uint32_t i = 0; i < count; ++i)
        if (name == _counters.mounts[i].name) entry = i;
    if (entry == 0 && !name.empty() && count < WorkerCounters::kMounts) {
        copyName(_counters.mounts[count].name, name);
        _counters.mountCount.store(count + 1, std::memory_order_release);  // publishes the name
        entry = count;
    }
    _mounts.emplace_back(handler, entry);
}

void Metrics::addApp(std::string_view app, std::string_view version, std::string_view mount) {
    const std::uint32_t count = _counters.appCount.load(std::memory_order_relaxed);
    if (count >= WorkerCounters::kApps) return;
    AppInfo& info = _counters.apps[count];
    copyName(info.app, app);
    copyName(info.version, version);
    copyName(info.mount, mount);
    _counters.appCount.store(count + 1, std::memory_order_release);
}

MountCounters& Metrics::mountOf(const Handler* handler) noexcept {
    for (const auto& [mounted, entry] : _mounts)
        if (mounted == handler) return _counters.mounts[entry];
    return _counters.mounts[0];
}

void Metrics::requestFinished(const Handler* handler, int status, std::uint64_t bytes,
                              std::int64_t micros, bool wasStarted) noexcept {
    MountCounters& mount = mountOf(handler);
    const int statusClass = std::clamp(status / 100, 1, 5) - 1;
    add(mount.requests[statusClass], 1);
    add(mount.buckets[bucketOf(micros)], 1);
    add(mount.durationUs, std::max<std::int64_t>(micros, 0));
    add(mount.bytesSent, bytes);
    if (wasStarted) add(_counters.inFlight, -1);
}

void Metrics::bodyStarted() noexcept {
    if (processMetrics)
        processMetrics->_counters.bodyConnections.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::bodyStored(std::uint64_t bytes) noexcept {
    if (processMetrics)
        processMetrics->_counters.bodyBytes.fetch_add(static_cast<std::int64_t>(bytes),
                                                      std::memory_order_relaxed);
}

void Metrics::bodyReleased(std::uint64_t bytes) noexcept {
    if (!processMetrics) return;
    processMetrics->_counters.bodyConnections.fetch_sub(1, std::memory_order_relaxed);
    processMetrics->_counters.bodyBytes.fetch_sub(static_cast<std::int64_t>(bytes),
                                                  std::memory_order_relaxed);
}

}  // namespace gateway
