#include "gateway/app.hpp"

struct MyApp {
    explicit MyApp(const gateway::sdk::Config&) {}
    gateway::sdk::Body call(gateway::sdk::Request& request) {
        request.startResponse(200, {{"Content-Type", "text/plain"}});
        return gateway::sdk::Body::fromString("Hi from " + std::string(request.pathInfo()) + "\n");
    }
};
GATEWAY_APP(MyApp, "myapp", "0.1.0", GW_APP_THREAD_SAFE)
