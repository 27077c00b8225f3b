/* Declares Content-Length 4, produces 14 bytes through the body iterator: exactly 4 go out, then
 * the connection closes (GW-L013). A blocking app: runs on the pool. */
#include "BrokenPlugin.h"

static int32_t long_next(void* self, const gw_host_api* api, gw_request* req, gw_str* chunk) {
    (void)self;
    (void)api;
    (void)req;
    chunk->ptr = "long body here";
    chunk->len = 14;
    return GW_BODY_END;
}

static int32_t long_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    body->next = long_next;
    return broken_start(api, req, 200, "text/plain", "4");
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), 0, "long_length", NULL, long_call,
           NULL);
BROKEN_ENTRY(app)
