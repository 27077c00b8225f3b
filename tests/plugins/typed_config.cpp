// A C++ app that reads typed keys of its [app.typed_config] section with the SDK's getters (the
// gateway's own SIZE, DURATION and SWITCH syntax), logs from its constructor outside any request,
// and carries a description for `gateway check`. Answers with the values it read.
#include <chrono>
#include <string>

#include "gateway/app.hpp"

class TypedConfig {
public:
    explicit TypedConfig(const gateway::sdk::Config& config)
        : _maxUpload(config.size("max_upload", 1 << 20)),
          _poll(config.duration("poll", std::chrono::seconds(5))),
          _verbose(config.boolean("verbose", false)),
          _retries(config.integer("retries", 3, 0, 10)) {
        gateway::sdk::log(GW_LOG_WARNING, "typed_config ready: " + describe());
    }

    gateway::sdk::Body call(gateway::sdk::Request& request) {
        request.startResponse(200, {{"Content-Type", "text/plain"}});
        return gateway::sdk::Body::fromString(describe());
    }

private:
    std::string describe() const {
        return "max_upload=" + std::to_string(_maxUpload) +
               " poll=" + std::to_string(_poll.count()) +
               "ms verbose=" + (_verbose ? "on" : "off") + " retries=" + std::to_string(_retries);
    }

    std::uint64_t _maxUpload;
    std::chrono::milliseconds _poll;
    bool _verbose;
    std::int64_t _retries;
};

GATEWAY_APP(TypedConfig, "typed_config", "0.1.0", GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING,
            "Reads typed keys from its config section")
