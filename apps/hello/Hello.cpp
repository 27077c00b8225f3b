// hello: the smallest C++ plugin. GET /hello -> 200 text/plain "Hello, World!".
#include "gateway/app.hpp"

class Hello {
public:
    explicit Hello(const gateway::sdk::Config&) {}

    gateway::sdk::Body call(gateway::sdk::Request& request) {
        request.startResponse(200, {{"Content-Type", "text/plain"}});
        return gateway::sdk::Body::fromString("Hello, World!");
    }
};

GATEWAY_APP(Hello, "hello", "1.0.0", GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING)
