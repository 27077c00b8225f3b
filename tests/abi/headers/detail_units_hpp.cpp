// gateway/detail/units.hpp alone (C++17 and C++20): the gateway's settings and app.hpp share it.
#include "gateway/detail/units.hpp"

#define ABI_PROBE_CAT2(a, b) a##b
#define ABI_PROBE_CAT(a, b) ABI_PROBE_CAT2(a, b)

bool ABI_PROBE_CAT(abi_units_hpp_, ABI_STD)() {
    return gateway::detail::parseSize("8k") == 8192u &&
           gateway::detail::parseDuration("500ms") == std::chrono::milliseconds(500) &&
           gateway::detail::parseSwitch("Yes") == true;
}
