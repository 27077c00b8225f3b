/* An app name outside [A-Za-z0-9_-]: refused. */
#include "BrokenPlugin.h"

static int32_t ok_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    return broken_start(api, req, 200, "text/plain", NULL);
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), 0, "bad name!", NULL, ok_call, NULL);
BROKEN_ENTRY(app)
