#include <Poco/Exception.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/app/GatewayApplication.h"
#include "gateway/app/NewAppCommand.h"

int main(int argc, char** argv) {
    // `gateway new-app` has options of its own (--lang), which the server's parser would refuse,
    // and needs nothing of the server's set-up.
    if (argc >= 2 && std::string_view(argv[1]) == "new-app") {
        const std::vector<std::string> args(argv + 2, argv + argc);
        return gateway::newAppCommand(args, std::cout, std::cerr);
    }
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
