#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/apps/AppHost.h"
#include "gateway/apps/PluginSet.h"
#include "gateway/config/Settings.h"

namespace gateway {

class MountTable;

/// Loads the plugins of a PluginSet (the snapshot of Settings::appsDir), applies their
/// "[app.NAME]" config sections (mount — a comma list mounts it several times —, body_limit,
/// timeout, disabled, and free-form keys passed to init) and creates one AppHost per mount. A
/// refused plugin or a failed init is logged at ERROR and skipped; the others keep serving. Two
/// plugins on one mount is an error naming both files (std::runtime_error).
class AppRegistry {
public:
    AppRegistry(const Settings& settings, std::shared_ptr<const PluginSet> plugins);
    ~AppRegistry();
    AppRegistry(const AppRegistry&) = delete;
    AppRegistry& operator=(const AppRegistry&) = delete;

    /// Called with a plugin file and "load" or "init" just before that step runs, so that a
    /// crash in it can be pinned on the plugin (the config test's child).
    using StepHook = std::function<void(const std::string& file, std::string_view stage)>;
    void onStep(StepHook hook) { _onStep = std::move(hook); }

    /// Loads and inits. Call once, in the worker process (after the fork).
    void load();
    /// Adds every mount to `table` (throws std::invalid_argument if a mount is already taken
    /// there by another handler).
    void mountInto(MountTable& table);

    const std::vector<std::unique_ptr<AppHost>>& hosts() const noexcept { return _hosts; }
    /// Messages of the plugins and mounts that were refused (also logged).
    const std::vector<std::string>& refusals() const noexcept { return _refusals; }
    /// Lint findings about loaded plugins (also logged).
    const std::vector<std::string>& warnings() const noexcept { return _warnings; }
    /// "FILE: [app.NAME] matches no plugin in DIR": each section that matches no plugin (by app
    /// name or file name) and does not disable one (also logged). A section whose `plugin` key
    /// names no plugin is a refusal instead ("FILE: [app.NAME] plugin: no plugin X in DIR").
    const std::vector<std::string>& unusedSections() const noexcept { return _unusedSections; }

    /// What the config says about one app of a plugin: a "[app.NAME]" section applied to the
    /// defaults of `settings`.
    struct AppConfig {
        std::string section;              ///< the section's NAME ("" when there is none)
        AppInstance::Config base;         ///< everything but the mount
        std::vector<std::string> mounts;  ///< empty when disabled
        std::string error;  ///< why the section is invalid (naming file, section, key); "" = ok
    };
    /// The apps a plugin runs as: its own section (by app name, else by file name; none = the
    /// defaults) and one per section whose `plugin` key names it (by app name or file name) —
    /// when such sections exist and it has no own section, only those.
    static std::vector<AppConfig> configsFor(const Settings& settings, const LoadedApp& app);

    /// "/a, /b" → {"/a", "/b"} normalised ("" for the root).
    static std::vector<std::string> parseMounts(const std::string& text);

private:
    const Settings& _settings;
    std::shared_ptr<const PluginSet> _plugins;
    StepHook _onStep;
    std::vector<std::unique_ptr<AppHost>> _hosts;
    std::vector<std::string> _refusals;
    std::vector<std::string> _warnings;
    std::vector<std::string> _unusedSections;
};

}  // namespace gateway
