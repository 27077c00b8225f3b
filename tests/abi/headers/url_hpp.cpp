// gateway/url.hpp alone (C++17 and C++20).
#include "gateway/url.hpp"

#define ABI_PROBE_CAT2(a, b) a##b
#define ABI_PROBE_CAT(a, b) ABI_PROBE_CAT2(a, b)

bool ABI_PROBE_CAT(abi_url_hpp_, ABI_STD)() {
    return gateway::sdk::FormData::parse("a=1").has_value();
}
