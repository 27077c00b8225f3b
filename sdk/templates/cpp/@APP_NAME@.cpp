// @APP_NAME@: a Gateway app plugin. GET /@APP_NAME@ (or anything below it) answers
// "Hello from @APP_NAME@!", or the `greeting` of the gateway config's [app.@APP_NAME@] section.
#include <string>

#include "gateway/app.hpp"

class App {
public:
    // One instance per mount, built from the mount's config section.
    explicit App(const gateway::sdk::Config& config)
        : _greeting(config.get("greeting", "Hello from @APP_NAME@!")) {}

    // Runs for every request under the mount, possibly on several threads at once
    // (GW_APP_THREAD_SAFE below): the instance is only read here.
    gateway::sdk::Body call(gateway::sdk::Request& request) {
        request.startResponse(200, {{"Content-Type", "text/plain; charset=utf-8"}});
        return gateway::sdk::Body::fromString(_greeting + "\n");
    }

private:
    std::string _greeting;
};

GATEWAY_APP(App, "@APP_NAME@", "0.1.0", GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING,
            "Says hello (made by gateway new-app)")
