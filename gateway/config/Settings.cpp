#include "gateway/config/Settings.h"

#include <stdexcept>
#include <utility>

#include "gateway/config/SettingsTable.h"
#include "gateway/detail/units.hpp"

namespace gateway {
namespace {

std::string expected(std::string_view what, std::string_view syntax, std::string_view text) {
    return std::string("expected ") + std::string(what) + " (" + std::string(syntax) + "), got '" +
           std::string(text) + "'";
}

}  // namespace

// The syntax lives in the SDK's detail/units.hpp, shared with the plugins' typed config getters.

std::uint64_t parseSize(std::string_view text) {
    if (const auto bytes = detail::parseSize(text)) return *bytes;
    throw std::invalid_argument(expected("a size", detail::kSizeSyntax, text));
}

std::chrono::milliseconds parseDuration(std::string_view text) {
    if (const auto duration = detail::parseDuration(text)) return *duration;
    throw std::invalid_argument(expected("a duration", detail::kDurationSyntax, text));
}

bool parseSwitch(std::string_view text) {
    if (const auto on = detail::parseSwitch(text)) return *on;
    throw std::invalid_argument(expected("a switch", detail::kSwitchSyntax, text));
}

std::uint64_t parseNumber(std::string_view text, std::uint64_t low, std::uint64_t high) {
    const std::string range =
        "a number from " + std::to_string(low) + " to " + std::to_string(high);
    const auto value = detail::parseDecimal(text);
    if (!value || *value < low || *value > high)
        throw std::invalid_argument("expected " + range + ", got '" + std::string(text) + "'");
    return *value;
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
