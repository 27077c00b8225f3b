/* Declines every request: routing falls through to static files. */
#include "BrokenPlugin.h"

static int32_t decline_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)api;
    (void)req;
    (void)body;
    return GW_DECLINED;
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), FAST, "declines", NULL, decline_call,
           NULL);
BROKEN_ENTRY(app)
