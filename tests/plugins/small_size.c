/* A descriptor smaller than the gw_app of its ABI (64 bytes in 1.0 and 1.1): refused. */
#include "BrokenPlugin.h"

static int32_t ok_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    return broken_start(api, req, 200, "text/plain", NULL);
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, 40, 0, "small_size", NULL, ok_call, NULL);
BROKEN_ENTRY(app)
