/* call returns GW_OK without starting a response: 500 (GW-L001). */
#include "BrokenPlugin.h"

static int32_t silent_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)api;
    (void)req;
    (void)body;
    return GW_OK;
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), FAST, "no_response", NULL,
           silent_call, NULL);
BROKEN_ENTRY(app)
