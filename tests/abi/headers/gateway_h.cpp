// gateway.h alone in C++ (built once as C++17 and once as C++20, -pedantic-errors).
#include "gateway/gateway.h"

#define ABI_PROBE_CAT2(a, b) a##b
#define ABI_PROBE_CAT(a, b) ABI_PROBE_CAT2(a, b)

size_t ABI_PROBE_CAT(abi_cxx_layout_, ABI_STD)(int what) {
    switch (what) {
        case 0:
            return sizeof(gw_app);
        case 1:
            return sizeof(gw_host_api);
        case 2:
            return offsetof(gw_app, call);
        case 3:
            return offsetof(gw_host_api, strerror);
        case 4:
            return sizeof(gw_body);
        case 5:
            return sizeof(gw_config);
        default:
            return 0;
    }
}
