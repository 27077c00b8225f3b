#include "gateway/config/Settings.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <stdexcept>
#include <utility>

#include "gateway/config/SettingsTable.h"

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

std::uint64_t parseNumber(std::string_view text, std::uint64_t low, std::uint64_t high) {
    const std::string range =
        "a number from " + std::to_string(low) + " to " + std::to_string(high);
    const std::uint64_t value = parseUnsigned(text, range);
    if (value < low || value > high)
        throw std::invalid_argument("expected " + range + ", got '" + std::string(text) + "'");
    return value;
}

Settings::Settings() {
    for (const SettingSpec& spec : settingsTable()) spec.access.set(*this, spec.defaultText);
}

bool Settings::isKnown(std::string_view name) {
    return findSetting(name) != nullptr;
}

void Settings::set(std::string_view name, std::string_view value) {
    const SettingSpec* spec = findSetting(name);
    if (!spec) throw std::invalid_argument("unknown setting '" + std::string(name) + "'");
    try {
        spec->access.set(*this, value);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("bad value for " + std::string(name) + ": " + e.what());
    }
}

std::vector<std::string> Settings::restartRequired(const Settings& running, const Settings& next) {
    std::vector<std::string> names;
    for (const SettingSpec& spec : settingsTable())
        if (!spec.reloadable && !spec.access.same(running, next)) names.emplace_back(spec.name);
    return names;
}

void Settings::keepRestartOnly(const Settings& running, Settings& next) {
    for (const SettingSpec& spec : settingsTable())
        if (!spec.reloadable) spec.access.copy(next, running);
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
    if (!healthPath.empty() && healthPath == metricsPath)
        throw std::invalid_argument("health and metrics must not share the path " + healthPath);
}

}  // namespace gateway
