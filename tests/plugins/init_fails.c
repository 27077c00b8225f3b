/* init fails with its own message: the mount is not served, fini is not called. */
#include "BrokenPlugin.h"

#include <stdio.h>

static int32_t fail_init(const gw_host_api* api, const gw_config* config, void** state,
                         char* errbuf, size_t errbuf_len) {
    (void)api;
    (void)config;
    (void)state;
    snprintf(errbuf, errbuf_len, "cannot reach the database");
    return GW_E_APP;
}

static int32_t ok_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    return broken_start(api, req, 200, "text/plain", NULL);
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), 0, "init_fails", fail_init, ok_call,
           NULL);
BROKEN_ENTRY(app)
