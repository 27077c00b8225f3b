/* init never returns: the config test kills its child after the timeout and names the plugin. */
#include "BrokenPlugin.h"

#include <unistd.h>

static int32_t hang_init(const gw_host_api* api, const gw_config* config, void** state,
                         char* errbuf, size_t errbuf_len) {
    (void)api;
    (void)config;
    (void)state;
    (void)errbuf;
    (void)errbuf_len;
    for (;;) pause();
    return GW_OK;
}

static int32_t ok_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    return broken_start(api, req, 200, "text/plain", NULL);
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), 0, "hangs_init", hang_init, ok_call,
           NULL);
BROKEN_ENTRY(app)
