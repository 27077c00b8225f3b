/* A blocking app whose call sleeps 3 s: with a mount timeout the client gets 504 (GW-L023). */
#include "BrokenPlugin.h"

#include <time.h>

static int32_t hang_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    struct timespec delay = {3, 0};
    while (nanosleep(&delay, &delay) != 0) {
    }
    int32_t rc = broken_start(api, req, 200, "text/plain", NULL);
    if (rc != GW_OK) return rc;
    return broken_write(api, req, "too late");
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), 0, "hangs", NULL, hang_call, NULL);
BROKEN_ENTRY(app)
