/* call dies with SIGSEGV: the worker dies (respawn belongs to the supervisor). */
#include "BrokenPlugin.h"

#include <signal.h>

static int32_t crash_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)api;
    (void)req;
    (void)body;
    raise(SIGSEGV);
    return GW_OK;
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), 0, "crashes", NULL, crash_call, NULL);
BROKEN_ENTRY(app)
