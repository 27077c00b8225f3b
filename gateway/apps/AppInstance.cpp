#include "gateway/apps/AppInstance.h"

#include <cstring>

#include "gateway/apps/AppLoader.h"
#include "gateway/apps/HostApi.h"

namespace gateway {

AppInstance::AppInstance(std::shared_ptr<LoadedApp> app, Config config)
    : _app(std::move(app)), _config(std::move(config)) {
    _name = _config.name.empty() ? std::string(_app->name()) : _config.name;
    _label = _name + " at " + (_config.mount.empty() ? "/" : _config.mount);
}

AppInstance::~AppInstance() {
    if (!_initialised || !descriptor().fini) return;
    const HostApi::CurrentInstance current(this);  // log(NULL, ...) lines name this instance
    descriptor().fini(_state);
}

void AppInstance::init(std::string* lint) {
    if (_initialised || !descriptor().init) {
        _initialised = true;
        return;
    }
    // Every string NUL-terminated: std::string guarantees it.
    std::vector<gw_config_entry> entries;
    entries.reserve(_config.entries.size());
    for (const auto& [key, value] : _config.entries)
        entries.push_back({{key.c_str(), key.size()}, {value.c_str(), value.size()}});
    const gw_config config{sizeof(gw_config),
                           static_cast<std::uint32_t>(entries.size()),
                           entries.data(),
                           {_config.mount.c_str(), _config.mount.size()}};
    char errbuf[1024];
    errbuf[0] = '\0';
    void* state = nullptr;
    std::int32_t rc;
    {
        const HostApi::CurrentInstance current(this);  // log(NULL, ...) lines name this instance
        rc = descriptor().init(&HostApi::table(), &config, &state, errbuf, sizeof(errbuf));
    }
    if (rc == GW_OK) {
        _state = state;
        _initialised = true;
        return;
    }
    errbuf[sizeof(errbuf) - 1] = '\0';
    if (errbuf[0] == '\0' && lint) *lint = "init failed without a message in errbuf";
    throw AppLoadError(_app->path() + ": init failed for mount " +
                       (_config.mount.empty() ? "/" : _config.mount) + ": " +
                       HostApi::strerror(rc) + " (" + std::to_string(rc) + "): " + errbuf);
}

}  // namespace gateway
