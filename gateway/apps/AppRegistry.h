#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gateway/apps/AppHost.h"
#include "gateway/config/Settings.h"

namespace gateway {

class MountTable;

/// Finds the plugins of Settings::appsDir (*.so), loads them, applies their "[app.NAME]" config
/// sections (mount — a comma list mounts it several times —, body_limit, timeout, disabled, and
/// free-form keys passed to init) and creates one AppHost per mount. A refused plugin or a failed
/// init is logged at ERROR and skipped; the others keep serving. Two plugins on one mount is an
/// error naming both files (std::runtime_error).
class AppRegistry {
public:
    explicit AppRegistry(const Settings& settings);
    ~AppRegistry();
    AppRegistry(const AppRegistry&) = delete;
    AppRegistry& operator=(const AppRegistry&) = delete;

    /// Scans, loads and inits. Call once, in the worker process (after the fork).
    void load();
    /// Adds every mount to `table` (throws std::invalid_argument if a mount is already taken
    /// there by another handler).
    void mountInto(MountTable& table);

    const std::vector<std::unique_ptr<AppHost>>& hosts() const noexcept { return _hosts; }
    /// Messages of the plugins and mounts that were refused (also logged).
    const std::vector<std::string>& refusals() const noexcept { return _refusals; }

    /// "/a, /b" → {"/a", "/b"} normalised ("" for the root).
    static std::vector<std::string> parseMounts(const std::string& text);

private:
    const Settings& _settings;
    std::vector<std::unique_ptr<AppHost>> _hosts;
    std::vector<std::string> _refusals;
};

}  // namespace gateway
