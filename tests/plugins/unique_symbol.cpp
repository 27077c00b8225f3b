// Contains an STB_GNU_UNIQUE symbol (an inline variable with default visibility, built without
// -fno-gnu-unique): it loads, but dlclose cannot unload it. `gateway check` must report it.
#include "gateway/gateway.h"

struct Counter {
    static inline int hits = 0;
};

static int32_t unique_call(void*, const gw_host_api* api, gw_request* req, gw_body*) {
    ++Counter::hits;
    return api->start_response(req, 200, {nullptr, 0}, nullptr, 0, 0);
}

static const gw_app app = {GW_APP_MAGIC,    GW_ABI_VERSION, sizeof(gw_app), 0,
                           "unique_symbol", "0.1.0",        "test plugin",  nullptr,
                           unique_call,     nullptr};

extern "C" GW_EXPORT const gw_app* gw_app_entry(uint32_t) {
    return &app;
}
int* counterAddress() {
    return &Counter::hits;
}
