// A C++ app whose call throws: the wrapper catches it (nothing crosses the ABI), returns GW_E_APP,
// and the client gets 500.
#include <stdexcept>

#include "gateway/app.hpp"

class Throws {
public:
    explicit Throws(const gateway::sdk::Config&) {}
    gateway::sdk::Body call(gateway::sdk::Request&) {
        throw std::runtime_error("boom from throws");
    }
};

GATEWAY_APP(Throws, "throws", "0.1.0", GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING)
