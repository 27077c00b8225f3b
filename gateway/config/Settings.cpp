#include "gateway/config/Settings.h"

#include <cctype>
#include <charconv>
#include <functional>
#include <limits>
#include <stdexcept>
#include <utility>

namespace gateway {
namespace {

std::uint64_t parseUnsigned(std::string_view text, std::string_view what) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw std::invalid_argument(std::string("expected ") + std::string(what) + ", got '" +
                                    std::string(text) + "'");
    return value;
}

template <typename T>
T parseBounded(std::string_view text, std::uint64_t low, std::uint64_t high) {
    const std::string range =
        "a number from " + std::to_string(low) + " to " + std::to_string(high);
    const std::uint64_t value = parseUnsigned(text, range);
    if (value < low || value > high)
        throw std::invalid_argument("expected " + range + ", got '" + std::string(text) + "'");
    return static_cast<T>(value);
}

using Setter = std::function<void(Settings&, std::string_view)>;

const std::pair<std::string_view, Setter> kSetters[] = {
    {"bind", [](Settings& s, std::string_view v) { s.bind = v; }},
    {"port",
     [](Settings& s, std::string_view v) { s.port = parseBounded<std::uint16_t>(v, 0, 65535); }},
    {"docroot", [](Settings& s, std::string_view v) { s.docroot = v; }},
    {"apps", [](Settings& s, std::string_view v) { s.appsDir = v; }},
    {"workers",
     [](Settings& s, std::string_view v) { s.workers = parseBounded<unsigned>(v, 0, 1024); }},
    {"threads",
     [](Settings& s, std::string_view v) { s.threads = parseBounded<unsigned>(v, 1, 1024); }},
    {"access-log", [](Settings& s, std::string_view v) { s.accessLog = v; }},
    {"log-level",
     [](Settings& s, std::string_view v) {
         static const std::string_view levels[] = {"fatal",  "critical",    "error", "warning",
                                                   "notice", "information", "debug", "trace"};
         for (std::string_view level : levels)
             if (v == level) {
                 s.logLevel = v;
                 return;
             }
         throw std::invalid_argument(
             "expected one of fatal, critical, error, warning, notice, "
             "information, debug, trace; got '" +
             std::string(v) + "'");
     }},
    {"ready-file", [](Settings& s, std::string_view v) { s.readyFile = v; }},
    {"max-request-line", [](Settings& s, std::string_view v) { s.maxRequestLine = parseSize(v); }},
    {"max-header-bytes", [](Settings& s, std::string_view v) { s.maxHeaderBytes = parseSize(v); }},
    {"max-header-count",
     [](Settings& s, std::string_view v) {
         s.maxHeaderCount = parseBounded<std::size_t>(v, 1, 100);
     }},
    {"max-body", [](Settings& s, std::string_view v) { s.maxBodyBytes = parseSize(v); }},
    {"max-connections",
     [](Settings& s, std::string_view v) {
         s.maxConnections = parseBounded<std::size_t>(v, 1, 10000000);
     }},
    {"header-timeout", [](Settings& s, std::string_view v) { s.headerTimeout = parseDuration(v); }},
    {"idle-timeout", [](Settings& s, std::string_view v) { s.idleTimeout = parseDuration(v); }},
    {"write-timeout", [](Settings& s, std::string_view v) { s.writeTimeout = parseDuration(v); }},
    {"body-timeout", [](Settings& s, std::string_view v) { s.bodyTimeout = parseDuration(v); }},
    {"min-body-rate", [](Settings& s, std::string_view v) { s.minBodyRate = parseSize(v); }},
    {"body-buffer-size",
     [](Settings& s, std::string_view v) {
         s.bodyBufferSize =
             static_cast<std::size_t>(std::min<std::uint64_t>(parseSize(v), 1ull << 30));
     }},
    {"shutdown-grace", [](Settings& s, std::string_view v) { s.shutdownGrace = parseDuration(v); }},
    {"need-app", [](Settings& s, std::string_view v) { s.needApp = parseSwitch(v); }},
    {"watch-apps", [](Settings& s, std::string_view v) { s.watchApps = parseSwitch(v); }},
    {"stuck-share",
     [](Settings& s, std::string_view v) { s.stuckShare = parseBounded<unsigned>(v, 0, 100); }},
    {"file-cache-validity",
     [](Settings& s, std::string_view v) { s.fileCacheValidity = parseDuration(v); }},
    {"file-cache-entries",
     [](Settings& s,
        std::string_view v) { s.fileCacheEntries = parseBounded<std::size_t>(v, 0, 1000000); }},
};

}  // namespace

std::uint64_t parseSize(std::string_view text) {
    std::uint64_t unit = 1;
    if (!text.empty()) {
        switch (text.back()) {
            case 'k':
            case 'K':
                unit = 1ull << 10;
                break;
            case 'm':
            case 'M':
                unit = 1ull << 20;
                break;
            case 'g':
            case 'G':
                unit = 1ull << 30;
                break;
            default:
                break;
        }
        if (unit != 1) text.remove_suffix(1);
    }
    const std::uint64_t value = parseUnsigned(text, "a size like 512, 8k, 16m or 1g");
    if (value > std::numeric_limits<std::uint64_t>::max() / unit)
        throw std::invalid_argument("size '" + std::string(text) + "' is too large");
    return value * unit;
}

std::chrono::milliseconds parseDuration(std::string_view text) {
    std::uint64_t unitMs = 1000;
    if (text.ends_with("ms")) {
        unitMs = 1;
        text.remove_suffix(2);
    } else if (!text.empty()) {
        switch (text.back()) {
            case 's':
                unitMs = 1000;
                text.remove_suffix(1);
                break;
            case 'm':
                unitMs = 60 * 1000;
                text.remove_suffix(1);
                break;
            case 'h':
                unitMs = 3600 * 1000;
                text.remove_suffix(1);
                break;
            default:
                break;
        }
    }
    const std::uint64_t value = parseUnsigned(text, "a duration like 500ms, 15s or 2m");
    if (value > 100ull * 24 * 3600 * 1000 / unitMs)
        throw std::invalid_argument("duration '" + std::string(text) + "' is too long");
    return std::chrono::milliseconds(value * unitMs);
}

bool parseSwitch(std::string_view text) {
    std::string lower;
    for (char c : text)
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower == "true" || lower == "yes" || lower == "on" || lower == "1") return true;
    if (lower == "false" || lower == "no" || lower == "off" || lower == "0" || lower.empty())
        return false;
    throw std::invalid_argument("expected on/off, true/false or yes/no, got \"" +
                                std::string(text) + "\"");
}

bool Settings::isKnown(std::string_view name) {
    for (const auto& [key, setter] : kSetters)
        if (key == name) return true;
    return name == "config";
}

void Settings::set(std::string_view name, std::string_view value) {
    for (const auto& [key, setter] : kSetters) {
        if (key != name) continue;
        try {
            setter(*this, value);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("bad value for " + std::string(name) + ": " + e.what());
        }
        return;
    }
    throw std::invalid_argument("unknown setting '" + std::string(name) + "'");
}

void Settings::validate() const {
    if (docroot.empty()) throw std::invalid_argument("docroot must not be empty");
    if (maxRequestLine < 64)
        throw std::invalid_argument("max-request-line must be at least 64 bytes");
    if (maxHeaderBytes < 256)
        throw std::invalid_argument("max-header-bytes must be at least 256 bytes");
    if (maxRequestLine + maxHeaderBytes > 16u * 1024 * 1024)
        throw std::invalid_argument("max-request-line + max-header-bytes must stay under 16m");
    for (auto [name, value] :
         {std::pair{"header-timeout", headerTimeout}, std::pair{"idle-timeout", idleTimeout},
          std::pair{"write-timeout", writeTimeout}, std::pair{"body-timeout", bodyTimeout}})
        if (value.count() <= 0)
            throw std::invalid_argument(std::string(name) + " must be greater than 0");
}

std::vector<std::string> Settings::restartRequired(const Settings& running, const Settings& next) {
    std::vector<std::string> names;
    if (running.bind != next.bind) names.push_back("bind");
    if (running.port != next.port) names.push_back("port");
    if (running.readyFile != next.readyFile) names.push_back("ready-file");
    return names;
}

}  // namespace gateway
