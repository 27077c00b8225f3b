/* References a function nothing provides (linked without --no-undefined): dlopen fails. */
#include "BrokenPlugin.h"

extern int gw_test_missing_function(void);

static int32_t missing_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    (void)api;
    (void)req;
    return gw_test_missing_function();
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), 0, "undefined_symbol", NULL,
           missing_call, NULL);
BROKEN_ENTRY(app)
