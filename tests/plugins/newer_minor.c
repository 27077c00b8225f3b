/* Built for the minor after the host's (1.2 against a 1.1 gateway): refused. */
#include "BrokenPlugin.h"

static int32_t ok_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    return broken_start(api, req, 200, "text/plain", NULL);
}

BROKEN_APP(app, GW_APP_MAGIC, GW_MAKE_ABI_VERSION(GW_ABI_VERSION_MAJOR, GW_ABI_VERSION_MINOR + 1),
           sizeof(gw_app), 0, "newer_minor", NULL, ok_call, NULL);
BROKEN_ENTRY(app)
