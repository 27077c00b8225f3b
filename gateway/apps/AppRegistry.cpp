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

AppRegistry::AppConfig AppRegistry::configFor(const Settings& settings, const LoadedApp& app) {
    const std::string name(app.name());
    auto section = settings.appSections.find(name);
    if (section == settings.appSections.end())
        section = settings.appSections.find(std::filesystem::path(app.path()).stem().string());
    AppConfig result;
    result.base.bodyLimit = settings.maxBodyBytes;
    result.base.multiprocess = settings.workers > 1;
    result.mounts = {"/" + name};
    if (section == settings.appSections.end()) return result;
    result.section = section->first;
    bool disabled = false;
    for (const auto& [key, value] : section->second) {
        try {
            result.base.entries.emplace_back(key, value);
            if (key == "mount") result.mounts = parseMounts(value);
            if (key == "body_limit") result.base.bodyLimit = parseSize(value);
            if (key == "timeout") result.base.timeout = parseDuration(value);
            if (key == "disabled") disabled = parseSwitch(value);
            if (key == "request_buffering") result.base.requestBuffering = parseSwitch(value);
        } catch (const std::exception& e) {
            const std::string config = settings.configFile.empty() ? "config" : settings.configFile;
            throw std::invalid_argument(config + ": [app." + section->first + "] " + key + ": " +
                                        e.what() + " (plugin " + app.path() + " not loaded)");
        }
    }
    if (disabled) result.mounts.clear();
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

        const std::string name(app->name());
        loadedNames.push_back(name);
        AppConfig configured;
        try {
            configured = configFor(_settings, *app);
        } catch (const std::invalid_argument& e) {
            refuse(e.what());
            continue;
        }
        const AppInstance::Config& base = configured.base;
        const std::vector<std::string>& mounts = configured.mounts;
        if (mounts.empty()) {
            logger().information(file.string() + ": app " + name + " is disabled");
            continue;
        }
        for (const std::string& mount : mounts) {
            const auto [owner, fresh] = mountOwner.emplace(mount, file.string());
            if (!fresh)
                throw std::runtime_error("mount " + shownMount(mount) + " is claimed by both " +
                                         owner->second + " and " + file.string());
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
                                 file.filename().string() + ") mounted at " + shownMount(mount));
        }
    }
    // A section names an app or a plugin file; one matching a plugin that was refused is not
    // unused (the refusal says what is wrong).
    std::set<std::string> names(loadedNames.begin(), loadedNames.end());
    for (const PluginSet::File& plugin : _plugins->files())
        names.insert(std::filesystem::path(plugin.path).stem().string());
    for (const auto& [name, keys] : _settings.appSections) {
        const bool disables = std::any_of(
            keys.begin(), keys.end(), [](const auto& entry) { return entry.first == "disabled"; });
        if (names.count(name) || disables) continue;
        const std::string config = _settings.configFile.empty() ? "config" : _settings.configFile;
        _unusedSections.push_back(config + ": [app." + name + "] matches no plugin in " +
                                  _settings.appsDir);
        logger().warning(_unusedSections.back());
    }
}

void AppRegistry::mountInto(MountTable& table) {
    for (const auto& host : _hosts) table.add(host->instance().mount(), *host);
}

}  // namespace gateway
