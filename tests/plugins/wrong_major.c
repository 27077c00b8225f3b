/* Built for ABI 2.0: refused (different major). */
#include "BrokenPlugin.h"

static int32_t ok_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    return broken_start(api, req, 200, "text/plain", NULL);
}

BROKEN_APP(app, GW_APP_MAGIC, GW_MAKE_ABI_VERSION(2, 0), sizeof(gw_app), 0, "wrong_major", NULL,
           ok_call, NULL);
BROKEN_ENTRY(app)
