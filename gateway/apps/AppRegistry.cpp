#include "gateway/apps/AppRegistry.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <system_error>

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

AppRegistry::AppRegistry(const Settings& settings) : _settings(settings) {}

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

void AppRegistry::load() {
    const std::filesystem::path dir(_settings.appsDir);
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
        logger().information("apps folder " + _settings.appsDir + " not found: no apps");
        return;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error))
        if (entry.path().extension() == ".so" && entry.is_regular_file(error))
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());

    auto refuse = [this](const std::string& message) {
        logger().error(message);
        _refusals.push_back(message);
    };
    std::map<std::string, std::string> mountOwner;  // mount → plugin file
    for (const auto& file : files) {
        std::shared_ptr<LoadedApp> app;
        try {
            app = AppLoader::load(file.string());
        } catch (const AppLoadError& e) {
            refuse(e.what());
            continue;
        }
        if (const std::string problems = app->flagProblems(); !problems.empty())
            logger().warning("lint GW-L021 " + std::string(app->name()) + ": " + problems);

        const std::string name(app->name());
        auto section = _settings.appSections.find(name);
        if (section == _settings.appSections.end())
            section = _settings.appSections.find(file.stem().string());
        static const std::map<std::string, std::string> kEmpty;
        const auto& keys = section == _settings.appSections.end() ? kEmpty : section->second;

        AppInstance::Config base;
        base.bodyLimit = _settings.maxBodyBytes;
        base.multiprocess = _settings.workers > 1;
        std::vector<std::string> mounts{"/" + name};
        std::string badKey;
        bool disabled = false;
        try {
            for (const auto& [key, value] : keys) {
                badKey = key;
                base.entries.emplace_back(key, value);
                if (key == "mount") mounts = parseMounts(value);
                if (key == "body_limit") base.bodyLimit = parseSize(value);
                if (key == "timeout") base.timeout = parseDuration(value);
                if (key == "disabled") disabled = parseSwitch(value);
                if (key == "request_buffering") base.requestBuffering = parseSwitch(value);
            }
        } catch (const std::exception& e) {
            refuse(file.string() + ": config [app." + name + "] " + badKey + ": " + e.what());
            continue;
        }
        if (disabled) mounts.clear();
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
                    instance->init(&lint);
                } catch (...) {
                    if (!lint.empty())
                        logger().warning("lint GW-L022 " + instance->label() + ": " + lint);
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
    for (const auto& section : _settings.appSections) {
        // Not a structured binding: clang 14 cannot capture one in a lambda (C++20 allows it).
        const std::string& name = section.first;
        const bool used = std::any_of(_hosts.begin(), _hosts.end(), [&](const auto& host) {
            return host->instance().app().name() == name ||
                   std::filesystem::path(host->instance().app().path()).stem() == name;
        });
        if (!used && !section.second.count("disabled"))
            logger().warning("config section [app." + name + "] matches no loaded app");
    }
}

void AppRegistry::mountInto(MountTable& table) {
    for (const auto& host : _hosts) table.add(host->instance().mount(), *host);
}

}  // namespace gateway
