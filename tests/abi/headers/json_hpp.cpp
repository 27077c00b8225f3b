// gateway/json.hpp alone (C++17 and C++20).
#include "gateway/json.hpp"

#define ABI_PROBE_CAT2(a, b) a##b
#define ABI_PROBE_CAT(a, b) ABI_PROBE_CAT2(a, b)

bool ABI_PROBE_CAT(abi_json_hpp_, ABI_STD)() {
    return gateway::sdk::jsonEscape("x") == "x";
}
