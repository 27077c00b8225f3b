#include "gateway/config/SettingsTable.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

#include "gateway/http/CidrList.h"

namespace gateway {
namespace {

// Value parsers: text → the field's value. The field's own type is applied by assign().

std::string text(std::string_view value) {
    return std::string(value);
}

template <std::uint64_t Low, std::uint64_t High>
std::uint64_t numberIn(std::string_view value) {
    return parseNumber(value, Low, High);
}

/// "cores" (the default) = one worker per core.
std::uint64_t workerCount(std::string_view value) {
    if (value == "cores") return std::max(1u, std::thread::hardware_concurrency());
    try {
        return parseNumber(value, 0, 1024);
    } catch (const std::invalid_argument&) {
        throw std::invalid_argument("expected cores or a number from 0 to 1024, got '" +
                                    std::string(value) + "'");
    }
}

std::string logLevel(std::string_view value) {
    static constexpr std::string_view kLevels[] = {"fatal",  "critical",    "error", "warning",
                                                   "notice", "information", "debug", "trace"};
    if (std::find(std::begin(kLevels), std::end(kLevels), value) == std::end(kLevels))
        throw std::invalid_argument(
            "expected one of fatal, critical, error, warning, notice, "
            "information, debug, trace; got '" +
            std::string(value) + "'");
    return std::string(value);
}

/// A path a built-in endpoint answers exactly: "/x..." (not the root), no query, no spaces.
std::string endpointPath(std::string_view value) {
    const bool valid = value.empty() || (value.size() > 1 && value.front() == '/' &&
                                         value.find_first_of("?# \t") == std::string_view::npos);
    if (!valid)
        throw std::invalid_argument("expected a path like /metrics or /healthz, got '" +
                                    std::string(value) + "'");
    return std::string(value);
}

/// Checked here so that a typo is a startup error; the worker parses the text again.
std::string cidrList(std::string_view value) {
    CidrList::parse(value);
    return std::string(value);
}

std::string accessLogFormat(std::string_view value) {
    if (value != "combined" && value != "json")
        throw std::invalid_argument("expected combined or json, got '" + std::string(value) + "'");
    return std::string(value);
}

std::string errorLog(std::string_view value) {
    if (value.empty()) throw std::invalid_argument("expected a file, - (stderr) or syslog");
    return std::string(value);
}

/// Larger buffers are clamped: past 1g the temporary file is the better home anyway.
std::uint64_t bufferSize(std::string_view value) {
    return std::min<std::uint64_t>(parseSize(value), 1ull << 30);
}

template <auto Member>
using FieldOf = std::remove_reference_t<decltype(std::declval<Settings&>().*Member)>;

template <auto Member, auto Parse>
void assign(Settings& settings, std::string_view value) {
    settings.*Member = static_cast<FieldOf<Member>>(Parse(value));
}

template <auto Member>
bool equal(const Settings& a, const Settings& b) {
    return a.*Member == b.*Member;
}

template <auto Member>
void copy(Settings& to, const Settings& from) {
    to.*Member = from.*Member;
}

/// The field `Member`, set from text by `Parse`.
template <auto Member, auto Parse>
constexpr SettingAccess field{&assign<Member, Parse>, &equal<Member>, &copy<Member>};

// Whether a reload may change the setting: the listening socket and what describes it stay with
// the master for its whole life; everything else is read by each new generation of workers.
constexpr bool kReload = true;
constexpr bool kRestart = false;

constexpr SettingSpec kSettings[] = {
    {"bind", "ADDR", "127.0.0.1", "address to listen on (IPv6 like ::1 works)", kRestart,
     field<&Settings::bind, text>},
    {"port", "N", "8080", "port to listen on (0 = any free port, see --ready-file)", kRestart,
     field<&Settings::port, numberIn<0, 65535>>},
    {"docroot", "DIR", "docroot", "directory of static files", kReload,
     field<&Settings::docroot, text>},
    {"apps", "DIR", "apps", "directory of app plugins", kReload, field<&Settings::appsDir, text>},
    {"workers", "N", "cores",
     "worker processes under a master that restarts and reloads them (cores = one per core; 0 = "
     "one process, no master)",
     kReload, field<&Settings::workers, workerCount>},
    {"threads", "N", "4", "handler pool threads per worker for blocking apps", kReload,
     field<&Settings::threads, numberIn<1, 1024>>},
    {"access-log", "FILE", "", "access log (Combined Log Format + microseconds); '-' = stdout",
     kReload, field<&Settings::accessLog, text>},
    {"log-level", "LEVEL", "information",
     "fatal, critical, error, warning, notice, information, debug, trace", kReload,
     field<&Settings::logLevel, logLevel>},
    {"ready-file", "FILE", "", "once accepting, write the bound port to FILE", kRestart,
     field<&Settings::readyFile, text>},
    {"max-request-line", "SIZE", "8k", "longest request line (longer → 414)", kReload,
     field<&Settings::maxRequestLine, parseSize>},
    {"max-header-bytes", "SIZE", "32k", "largest header section (larger → 431)", kReload,
     field<&Settings::maxHeaderBytes, parseSize>},
    {"max-header-count", "N", "100", "most header fields (more → 431)", kReload,
     field<&Settings::maxHeaderCount, numberIn<1, 100>>},
    {"max-body", "SIZE", "16m", "largest request body (larger → 413)", kReload,
     field<&Settings::maxBodyBytes, parseSize>},
    {"max-connections", "N", "16384", "open connections per worker", kReload,
     field<&Settings::maxConnections, numberIn<1, 10000000>>},
    {"header-timeout", "DURATION", "15s", "time to send a request head (then 408)", kReload,
     field<&Settings::headerTimeout, parseDuration>},
    {"idle-timeout", "DURATION", "60s", "keep-alive idle time", kReload,
     field<&Settings::idleTimeout, parseDuration>},
    {"write-timeout", "DURATION", "60s", "longest write stall", kReload,
     field<&Settings::writeTimeout, parseDuration>},
    {"body-timeout", "DURATION", "15s", "longest pause while a request body arrives (then 408)",
     kReload, field<&Settings::bodyTimeout, parseDuration>},
    {"body-buffer-size", "SIZE", "1m",
     "request bodies up to this size are buffered in memory, larger ones in a temporary file",
     kReload, field<&Settings::bodyBufferSize, bufferSize>},
    {"min-body-rate", "SIZE", "1k", "slowest average upload after 10s, per second (0 = off)",
     kReload, field<&Settings::minBodyRate, parseSize>},
    {"shutdown-grace", "DURATION", "10s", "time in-flight requests get on SIGTERM", kReload,
     field<&Settings::shutdownGrace, parseDuration>},
    {"need-app", "on|off", "off",
     "refuse to start when a plugin is refused or the apps folder is missing", kReload,
     field<&Settings::needApp, parseSwitch>},
    {"watch-apps", "on|off", "on",
     "reload when a plugin is added, replaced or removed in the apps folder", kReload,
     field<&Settings::watchApps, parseSwitch>},
    {"stuck-share", "PERCENT", "100",
     "replace a worker once this share of its handler threads is stuck past the app's timeout "
     "(0 = never)",
     kReload, field<&Settings::stuckShare, numberIn<0, 100>>},
    {"metrics", "PATH", "",
     "serve Prometheus metrics of all workers at PATH (e.g. /metrics; off when empty)", kReload,
     field<&Settings::metricsPath, endpointPath>},
    {"metrics-allow", "CIDR", "",
     "clients besides loopback that may read the metrics (comma list of CIDR ranges)", kReload,
     field<&Settings::metricsAllow, cidrList>},
    {"health", "PATH", "",
     "answer PATH with 200 while the worker accepts with its apps loaded, 503 while draining",
     kReload, field<&Settings::healthPath, endpointPath>},
    {"access-log-format", "combined|json", "combined",
     "access log lines: combined (Combined Log Format + microseconds) or json", kReload,
     field<&Settings::accessLogFormat, accessLogFormat>},
    {"error-log", "FILE", "-", "error log: a file, '-' = stderr, or syslog", kRestart,
     field<&Settings::errorLog, errorLog>},
    {"trusted-proxies", "CIDR", "",
     "proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (comma list of CIDR "
     "ranges; none when empty)",
     kReload, field<&Settings::trustedProxies, cidrList>},
    {"user", "USER[:GROUP]", "", "after binding, drop root privileges to this user (and group)",
     kRestart, field<&Settings::user, text>},
    {"pidfile", "FILE", "", "the master's pid, written at start and removed at exit", kRestart,
     field<&Settings::pidFile, text>},
    {"file-cache-validity", "DURATION", "1s", "re-check cached files after this long", kReload,
     field<&Settings::fileCacheValidity, parseDuration>},
    {"file-cache-entries", "N", "4096", "open files kept in the cache", kReload,
     field<&Settings::fileCacheEntries, numberIn<0, 1000000>>},
};

}  // namespace

std::span<const SettingSpec> settingsTable() {
    return kSettings;
}

const SettingSpec* findSetting(std::string_view name) {
    for (const SettingSpec& spec : kSettings)
        if (spec.name == name) return &spec;
    return nullptr;
}

std::string helpText(const SettingSpec& spec) {
    const std::string_view shown = spec.defaultText.empty() ? "none" : spec.defaultText;
    return std::string(spec.help) + " (default " + std::string(shown) + ")";
}

}  // namespace gateway
