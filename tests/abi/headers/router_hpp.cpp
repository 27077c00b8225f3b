// gateway/router.hpp alone (C++17 and C++20).
#include "gateway/router.hpp"

#define ABI_PROBE_CAT2(a, b) a##b
#define ABI_PROBE_CAT(a, b) ABI_PROBE_CAT2(a, b)

bool ABI_PROBE_CAT(abi_router_hpp_, ABI_STD)() {
    gateway::sdk::Router router;
    router.get("/x/{id}", [](gateway::sdk::Request&) { return gateway::sdk::Response(204); });
    return true;
}
