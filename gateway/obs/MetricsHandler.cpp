#include "gateway/obs/MetricsHandler.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "gateway/http/Lexer.h"
#include "gateway/obs/WorkerSlots.h"

namespace gateway {
namespace {

constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view kCauses[kRestartCauses] = {"crash", "stuck", "reload"};

/// One mount's counters summed over every slot.
struct MountTotals {
    std::string name;
    std::uint64_t requests[MountCounters::kClasses] = {};
    std::uint64_t buckets[kDurationBuckets + 1] = {};
    std::uint64_t durationUs = 0;
    std::uint64_t bytesSent = 0;
};

struct AppLabels {
    std::string app, version, mount;
    unsigned generation;
    bool operator==(const AppLabels&) const = default;
};

std::string_view fieldText(const char* field, std::size_t size) {
    return {field, strnlen(field, size)};
}

std::uint64_t load(const std::atomic<std::uint64_t>& counter) {
    return counter.load(std::memory_order_relaxed);
}

/// A label value: backslash, double quote and newline escaped (the text format's rules).
void appendLabel(std::string& out, std::string_view name, std::string_view value) {
    out.append(name).append("=\"");
    for (char c : value) {
        if (c == '\\' || c == '"')
            out.push_back('\\');
        else if (c == '\n') {
            out.append("\\n");
            continue;
        }
        out.push_back(c);
    }
    out.push_back('"');
}

void appendSeconds(std::string& out, std::uint64_t micros) {
    char text[32];
    const int n = std::snprintf(text, sizeof(text), "%.6g", static_cast<double>(micros) / 1e6);
    out.append(text, static_cast<std::size_t>(n));
}

void appendHeader(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
    out.append(name).append(" ").append(type).append("\n");
}

template <typename Integer>
void appendValue(std::string& out, Integer value) {
    out.push_back(' ');
    if (value < 0) {  // a gauge summed while a worker was mid-update; never shown below 0
        out.push_back('0');
    } else {
        appendNumber(out, value);
    }
    out.push_back('\n');
}

void appendGauge(std::string& out, std::string_view name, std::string_view help,
                 std::int64_t value) {
    appendHeader(out, name, "gauge", help);
    out.append(name);
    appendValue(out, value);
}

MountTotals& totalsFor(std::vector<MountTotals>& totals, std::string_view name) {
    for (MountTotals& mount : totals)
        if (mount.name == name) return mount;
    totals.push_back(MountTotals{std::string(name)});
    return totals.back();
}

}  // namespace

MetricsHandler::MetricsHandler(const WorkerSlots& slots, CidrList allowed)
    : _slots(slots), _allowed(std::move(allowed)) {}

bool MetricsHandler::allows(const CidrList& allowed, std::string_view remoteAddress) noexcept {
    return CidrList::isLoopback(remoteAddress) || allowed.contains(remoteAddress);
}

HandlerResult MetricsHandler::handle(const Request& request, std::string_view pathInfo,
                                     Response& response) {
    if (!pathInfo.empty()) return HandlerResult::Declined;  // the exact path only
    if (!allows(_allowed, request.remoteAddress)) {
        response.status = 403;
        response.header("Content-Type", "text/plain");
        response.setMemoryBody("metrics are served to loopback and --metrics-allow only\n");
        return HandlerResult::Done;
    }
    if (request.methodId != Method::Get && request.methodId != Method::Head) {
        response.status = 405;
        response.header("Allow", "GET, HEAD");
        return HandlerResult::Done;
    }
    render(_body, _slots);
    response.header("Content-Type", kContentType);
    response.header("Cache-Control", "no-store");
    response.setMemoryBody(_body);
    return HandlerResult::Done;
}

void MetricsHandler::render(std::string& out, const WorkerSlots& slots) {
    std::vector<MountTotals> mounts;
    std::vector<AppLabels> apps;
    std::int64_t inFlight = 0, open = 0, bodyConnections = 0, bodyBytes = 0, workers = 0;
    const std::size_t used = slots.slotsUsed();
    for (std::size_t i = 0; i < used; ++i) {
        const WorkerCounters& slot = slots.slot(static_cast<int>(i)).counters;
        const std::uint32_t count = std::min<std::uint32_t>(
            slot.mountCount.load(std::memory_order_acquire), WorkerCounters::kMounts);
        for (std::uint32_t m = 0; m < count; ++m) {
            const MountCounters& counters = slot.mounts[m];
            MountTotals& totals =
                totalsFor(mounts, fieldText(counters.name, sizeof(counters.name)));
            for (std::size_t c = 0; c < MountCounters::kClasses; ++c)
                totals.requests[c] += load(counters.requests[c]);
            for (std::size_t b = 0; b <= kDurationBuckets; ++b)
                totals.buckets[b] += load(counters.buckets[b]);
            totals.durationUs += load(counters.durationUs);
            totals.bytesSent += load(counters.bytesSent);
        }
        const unsigned generation = slot.generation.load(std::memory_order_relaxed);
        if (generation == 0) continue;  // no worker in this slot now: its gauges are 0
        ++workers;
        inFlight += slot.inFlight.load(std::memory_order_relaxed);
        open += slot.openConnections.load(std::memory_order_relaxed);
        bodyConnections += slot.bodyConnections.load(std::memory_order_relaxed);
        bodyBytes += slot.bodyBytes.load(std::memory_order_relaxed);
        const std::uint32_t appCount = std::min<std::uint32_t>(
            slot.appCount.load(std::memory_order_acquire), WorkerCounters::kApps);
        for (std::uint32_t a = 0; a < appCount; ++a) {
            const AppInfo& info = slot.apps[a];
            AppLabels labels{std::string(fieldText(info.app, sizeof(info.app))),
                             std::string(fieldText(info.version, sizeof(info.version))),
                             std::string(fieldText(info.mount, sizeof(info.mount))), generation};
            if (std::find(apps.begin(), apps.end(), labels) == apps.end())
                apps.push_back(std::move(labels));
        }
    }
    std::sort(mounts.begin(), mounts.end(),
              [](const MountTotals& a, const MountTotals& b) { return a.name < b.name; });

    out.clear();
    appendHeader(out, "gateway_requests_total", "counter",
                 "Requests answered, by mount (\"\" = static files and requests no mount took) "
                 "and status class.");
    for (const MountTotals& mount : mounts)
        for (std::size_t c = 0; c < MountCounters::kClasses; ++c) {
            out.append("gateway_requests_total{");
            appendLabel(out, "mount", mount.name);
            out.append(",class=\"");
            out.push_back(static_cast<char>('1' + c));
            out.append("xx\"}");
            appendValue(out, mount.requests[c]);
        }

    appendHeader(out, "gateway_request_duration_seconds", "histogram",
                 "Time from the request's first byte to its response handed to the kernel.");
    for (const MountTotals& mount : mounts) {
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b <= kDurationBuckets; ++b) {
            cumulative += mount.buckets[b];
            out.append("gateway_request_duration_seconds_bucket{");
            appendLabel(out, "mount", mount.name);
            out.append(",le=\"");
            if (b < kDurationBuckets)
                appendSeconds(out, kDurationBucketsUs[b]);
            else
                out.append("+Inf");
            out.append("\"}");
            appendValue(out, cumulative);
        }
        out.append("gateway_request_duration_seconds_sum{");
        appendLabel(out, "mount", mount.name);
        out.append("} ");
        appendSeconds(out, mount.durationUs);
        out.append("\ngateway_request_duration_seconds_count{");
        appendLabel(out, "mount", mount.name);
        out.append("}");
        appendValue(out, cumulative);
    }

    appendHeader(out, "gateway_response_bytes_total", "counter",
                 "Response body bytes sent (as in the access log), by mount.");
    for (const MountTotals& mount : mounts) {
        out.append("gateway_response_bytes_total{");
        appendLabel(out, "mount", mount.name);
        out.append("}");
        appendValue(out, mount.bytesSent);
    }

    appendGauge(out, "gateway_requests_in_flight", "Requests being handled now.", inFlight);
    appendGauge(out, "gateway_open_connections", "Client connections open now.", open);
    appendGauge(out, "gateway_request_body_buffered_requests",
                "Requests whose body is being buffered or held for a handler now.",
                bodyConnections);
    appendGauge(out, "gateway_request_body_buffered_bytes",
                "Bytes of buffered request bodies now (memory and temporary files).", bodyBytes);
    appendGauge(out, "gateway_workers", "Worker processes running now.", workers);

    appendHeader(out, "gateway_worker_restarts_total", "counter",
                 "Workers replaced by the master, by cause (crash, stuck, reload).");
    for (std::size_t c = 0; c < kRestartCauses; ++c) {
        out.append("gateway_worker_restarts_total{cause=\"").append(kCauses[c]).append("\"}");
        appendValue(out, load(slots.master().restarts[c]));
    }
    appendGauge(out, "gateway_generation",
                "The generation serving now (a reload or hot deploy starts the next).",
                slots.master().generation.load(std::memory_order_relaxed));

    appendHeader(out, "gateway_app_info", "gauge",
                 "Loaded apps: name, version, mount and the generation of the workers running "
                 "them.");
    for (const AppLabels& app : apps) {
        out.append("gateway_app_info{");
        appendLabel(out, "app", app.app);
        out.push_back(',');
        appendLabel(out, "version", app.version);
        out.push_back(',');
        appendLabel(out, "mount", app.mount);
        out.append(",generation=\"");
        appendNumber(out, app.generation);
        out.append("\"} 1\n");
    }
}

}  // namespace gateway
