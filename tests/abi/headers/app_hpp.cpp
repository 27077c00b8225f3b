// gateway/app.hpp alone (C++17 and C++20).
#include "gateway/app.hpp"

#define ABI_PROBE_CAT2(a, b) a##b
#define ABI_PROBE_CAT(a, b) ABI_PROBE_CAT2(a, b)

const char* ABI_PROBE_CAT(abi_app_hpp_, ABI_STD)() {
    return gateway::sdk::errorText(GW_E_IO);
}
