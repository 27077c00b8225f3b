/* Declares Content-Length 10, sends 5 bytes: the connection closes after them (GW-L012). */
#include "BrokenPlugin.h"

static int32_t short_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    int32_t rc = broken_start(api, req, 200, "text/plain", "10");
    if (rc != GW_OK) return rc;
    return broken_write(api, req, "short");
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), FAST, "short_length", NULL,
           short_call, NULL);
BROKEN_ENTRY(app)
