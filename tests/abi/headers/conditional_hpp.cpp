// gateway/conditional.hpp alone (C++17 and C++20).
#include "gateway/conditional.hpp"

#define ABI_PROBE_CAT2(a, b) a##b
#define ABI_PROBE_CAT(a, b) ABI_PROBE_CAT2(a, b)

bool ABI_PROBE_CAT(abi_conditional_hpp_, ABI_STD)() {
    return gateway::sdk::parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT").has_value();
}
