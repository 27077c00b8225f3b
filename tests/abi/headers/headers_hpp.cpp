// gateway/headers.hpp alone (C++17 and C++20).
#include "gateway/headers.hpp"

#define ABI_PROBE_CAT2(a, b) a##b
#define ABI_PROBE_CAT(a, b) ABI_PROBE_CAT2(a, b)

bool ABI_PROBE_CAT(abi_headers_hpp_, ABI_STD)() {
    return gateway::sdk::MediaType::parse("text/plain").has_value();
}
