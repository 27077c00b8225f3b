/* start_response twice without GW_RESPONSE_REPLACE: the second is refused (GW-L002), the first
 * stays. */
#include "BrokenPlugin.h"

static int32_t double_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    broken_start(api, req, 200, "text/plain", NULL);
    int32_t second = broken_start(api, req, 201, "text/html", NULL);
    /* Ignore the refusal (as a sloppy app would) and report it in the body. */
    return broken_write(api, req, second == GW_E_STATE ? "first stays" : "second won");
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), FAST, "double_start", NULL,
           double_call, NULL);
BROKEN_ENTRY(app)
