#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "gateway/apps/LoadedApp.h"

namespace gateway {

/// One mount of a plugin: its config, init()/state/fini(), limits and, for apps that are not
/// thread-safe, the mutex that serialises call/next/close. Shared by the AppHost and every
/// request in flight (std::shared_ptr): fini() runs when the last of them lets go, that is after
/// the last body closed; the LoadedApp (and so dlclose) goes after that.
class AppInstance {
public:
    struct Config {
        std::string mount;  ///< normalised: "/x" or "" for the root
        std::vector<std::pair<std::string, std::string>>
            entries;  ///< the whole section, in file order
        std::uint64_t bodyLimit = 16 * 1024 * 1024;
        std::chrono::milliseconds timeout{0};  ///< 0 = none
        /// The event loop reads the whole body before the app runs (no pool thread waits on a
        /// slow client); off = the app streams it from the socket itself.
        bool requestBuffering = true;
        bool multiprocess = false;  ///< more than one worker process serves
        /// The app's name in logs and metrics: the section's NAME when the section names its
        /// plugin (`plugin = X`), "" = the plugin's own name.
        std::string name;
    };

    AppInstance(std::shared_ptr<LoadedApp> app, Config config);
    ~AppInstance();
    AppInstance(const AppInstance&) = delete;
    AppInstance& operator=(const AppInstance&) = delete;

    /// Runs the plugin's init(). Throws AppLoadError with the SPEC message on failure (then
    /// fini() is not called). `lint` receives a GW-L022 detail when errbuf stayed empty.
    void init(std::string* lint = nullptr);

    const LoadedApp& app() const noexcept { return *_app; }
    const gw_app& descriptor() const noexcept { return _app->descriptor(); }
    const Config& config() const noexcept { return _config; }
    const std::string& mount() const noexcept { return _config.mount; }
    /// The app's name (Config::name, else the plugin's).
    const std::string& name() const noexcept { return _name; }
    /// "name at /mount", for log lines.
    const std::string& label() const noexcept { return _label; }
    void* state() const noexcept { return _state; }
    bool threadSafe() const noexcept { return _app->threadSafe(); }
    bool nonBlocking() const noexcept { return _app->nonBlocking(); }
    /// Serialises call/next/close of an app without GW_APP_THREAD_SAFE.
    std::mutex& serial() noexcept { return _serial; }

private:
    std::shared_ptr<LoadedApp> _app;
    Config _config;
    std::string _name;
    std::string _label;
    void* _state = nullptr;
    bool _initialised = false;
    std::mutex _serial;
};

}  // namespace gateway
