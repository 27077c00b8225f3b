#include "gateway/apps/AppRegistry.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "gateway/apps/AppLoader.h"
#include "gateway/route/MountTable.h"

namespace gateway {
namespace {

Poco::Logger& logger() {
    return Poco::Logger::get("gateway");
}

std::string shownMount(const std::string& mount) {
    return mount.empty() ? "/" : mount;
}

}  // namespace

AppRegistry::AppRegistry(const Settings& settings, std::shared_ptr<const PluginSet> plugins)
    : _settings(settings), _plugins(std::move(plugins)) {}

AppRegistry::~AppRegistry() = default;

std::vector<std::string> AppRegistry::parseMounts(const std::string& text) {
    std::vector<std::string> mounts;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::string_view item(text.data() + start, end - start);
        while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())))
            item.remove_prefix(1);
        while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back())))
            item.remove_suffix(1);
        if (!item.empty()) mounts.push_back(MountTable::normalise(item));
        start = end + 1;
    }
    return mounts;
}

namespace {

std::string configName(const Settings& settings) {
    return settings.configFile.empty() ? "config" : settings.configFile;
}

/// The value of a section's `plugin` key (the last one), or nullptr.
const std::string* pluginKey(const Settings::AppSection& keys) {
    const std::string* value = nullptr;
    for (const auto& [key, text] : keys)
        if (key == "plugin") value = &text;
    return value;
}

/// A section applied to the defaults of `settings`; `name` is its NAME, "" for none.
AppRegistry::AppConfig applySection(const Settings& settings, const LoadedApp& app,
                                    const std::string& name, const Settings::AppSection* keys) {
    AppRegistry::AppConfig result;
    result.base.bodyLimit = settings.maxBodyBytes;
    result.base.multiprocess = settings.workers > 1;
    result.mounts = {"/" + std::string(app.name())};
    if (!keys) return result;
    result.section = name;
    bool disabled = false;
    for (const auto& [key, value] : *keys) {
        try {
            result.base.entries.emplace_back(key, value);
            if (key == "mount") result.mounts = AppRegistry::parseMounts(value);
            if (key == "body_limit") result.base.bodyLimit = parseSize(value);
            if (key == "timeout") result.base.timeout = parseDuration(value);
            if (key == "disabled") disabled = parseSwitch(value);
            if (key == "request_buffering") result.base.requestBuffering = parseSwitch(value);
        } catch (const std::exception& e) {
            result.error = configName(settings) + ": [app." + name + "] " + key + ": " + e.what() +
                           " (plugin " + app.path() + " not loaded)";
            return result;
        }
    }
    if (disabled) result.mounts.clear();
    return result;
}

}  // namespace

std::vector<AppRegistry::AppConfig> AppRegistry::configsFor(const Settings& settings,
                                                            const LoadedApp& app) {
    const std::string name(app.name());
    const std::string stem = std::filesystem::path(app.path()).stem().string();
    auto names = [&](const std::string& text) { return text == name || text == stem; };
    // Its own section: by app name, else by file name, unless that section names another plugin.
    auto own = settings.appSections.end();
    for (const std::string& candidate : {name, stem}) {
        const auto found = settings.appSections.find(candidate);
        if (found == settings.appSections.end()) continue;
        const std::string* plugin = pluginKey(found->second);
        if (plugin && !names(*plugin)) continue;
        own = found;
        break;
    }
    std::vector<AppConfig> result;
    if (own != settings.appSections.end())
        result.push_back(applySection(settings, app, own->first, &own->second));
    for (auto section = settings.appSections.begin(); section != settings.appSections.end();
         ++section) {
        const std::string* plugin = pluginKey(section->second);
        if (section == own || !plugin || !names(*plugin)) continue;
        AppConfig named = applySection(settings, app, section->first, &section->second);
        // Named after its section: default mount "/NAME", logs and metrics say NAME.
        named.base.name = section->first;
        const bool mounted = std::any_of(section->second.begin(), section->second.end(),
                                         [](const auto& entry) { return entry.first == "mount"; });
        if (!mounted && !named.mounts.empty()) named.mounts = {"/" + section->first};
        result.push_back(std::move(named));
    }
    if (result.empty()) result.push_back(applySection(settings, app, "", nullptr));
    return result;
}

void AppRegistry::load() {
    auto refuse = [this](const std::string& message) {
        logger().error(message);
        _refusals.push_back(message);
    };
    auto warn = [this](const std::string& message) {
        logger().warning(message);
        _warnings.push_back(message);
    };
    auto step = [this](const std::string& file, std::string_view stage) {
        if (_onStep) _onStep(file, stage);
    };
    std::map<std::string, std::string> mountOwner;  // mount → plugin file
    std::vector<std::string> loadedNames;
    for (const PluginSet::File& plugin : _plugins->files()) {
        const std::filesystem::path file(plugin.path);
        std::shared_ptr<LoadedApp> app;
        try {
            step(plugin.path, "load");
            app = AppLoader::loadCopy(plugin.path, plugin.fd);
        } catch (const AppLoadError& e) {
            refuse(e.what());
            continue;
        }
        if (const std::string problems = app->flagProblems(); !problems.empty())
            warn("lint GW-L021 " + std::string(app->name()) + ": " + problems);

        const std::string pluginName(app->name());
        loadedNames.push_back(pluginName);
        for (const AppConfig& configured : configsFor(_settings, *app)) {
            if (!configured.error.empty()) {
                refuse(configured.error);
                continue;
            }
            const AppInstance::Config& base = configured.base;
            const std::string name = base.name.empty() ? pluginName : base.name;
            // Messages name the section too when one file runs as several apps.
            const std::string owner =
                file.string() + (base.name.empty() ? "" : " [app." + base.name + "]");
            if (configured.mounts.empty()) {
                logger().information(owner + ": app " + name + " is disabled");
                continue;
            }
            for (const std::string& mount : configured.mounts) {
                const auto [claimed, fresh] = mountOwner.emplace(mount, owner);
                if (!fresh)
                    throw std::runtime_error("mount " + shownMount(mount) + " is claimed by both " +
                                             claimed->second + " and " + owner);
                AppInstance::Config config = base;
                config.mount = mount;
                auto instance = std::make_shared<AppInstance>(app, std::move(config));
                try {
                    std::string lint;
                    try {
                        step(plugin.path, "init");
                        instance->init(&lint);
                    } catch (...) {
                        if (!lint.empty()) warn("lint GW-L022 " + instance->label() + ": " + lint);
                        throw;
                    }
                } catch (const AppLoadError& e) {
                    refuse(e.what());
                    continue;
                }
                AppHost::Options options;
                options.bindAddress = _settings.bind;
                options.port = _settings.port;
                _hosts.push_back(std::make_unique<AppHost>(std::move(instance), options));
                logger().information("app " + name + " " + std::string(app->version()) + " (" +
                                     file.filename().string() + ") mounted at " +
                                     shownMount(mount));
            }
        }
    }
    // A section names an app or a plugin file, by its NAME or its `plugin` key; one matching a
    // plugin that was refused is not unused (the refusal says what is wrong).
    std::set<std::string> names(loadedNames.begin(), loadedNames.end());
    for (const PluginSet::File& plugin : _plugins->files())
        names.insert(std::filesystem::path(plugin.path).stem().string());
    const std::string config = configName(_settings);
    for (const auto& [name, keys] : _settings.appSections) {
        if (const std::string* plugin = pluginKey(keys)) {
            if (!names.count(*plugin))
                refuse(config + ": [app." + name + "] plugin: no plugin " + *plugin + " in " +
                       _settings.appsDir + " (by app name or file name)");
            continue;
        }
        const bool disables = std::any_of(
            keys.begin(), keys.end(), [](const auto& entry) { return entry.first == "disabled"; });
        if (names.count(name) || disables) continue;
        _unusedSections.push_back(config + ": [app." + name + "] matches no plugin in " +
                                  _settings.appsDir);
        logger().warning(_unusedSections.back());
    }
}

void AppRegistry::mountInto(MountTable& table) {
    for (const auto& host : _hosts) table.add(host->instance().mount(), *host);
}

}  // namespace gateway
