#include <Poco/Exception.h>

#include <cstdio>
#include <exception>

#include "gateway/app/GatewayApplication.h"

int main(int argc, char** argv) {
    gateway::GatewayApplication app;
    try {
        app.parse(argc, argv);
    } catch (const Poco::Exception& e) {
        std::fprintf(stderr, "gateway: %s (see --help)\n", e.displayText().c_str());
        return 2;  // usage error, as for bad values (README)
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gateway: %s\n", e.what());
        return 2;  // usage error, as for bad values (README)
    }
    return app.start();
}
