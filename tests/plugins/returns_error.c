/* call returns GW_E_APP before the first byte (blocking app: runs on the pool): 500. */
#include "BrokenPlugin.h"

static int32_t error_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)api;
    (void)req;
    (void)body;
    return GW_E_APP;
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), 0, "returns_error", NULL, error_call,
           NULL);
BROKEN_ENTRY(app)
