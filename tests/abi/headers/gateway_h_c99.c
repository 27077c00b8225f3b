/* gateway.h alone, as C99 -pedantic-errors. Reports the layout C sees, so the test can compare
 * it with the manifest and with C++. */
#include "gateway/gateway.h"

size_t abi_c99_layout(int what) {
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
