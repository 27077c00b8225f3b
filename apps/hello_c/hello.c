/* hello_c: the same as hello, in plain C99 against gateway.h alone (no wrapper).
 * The body is one static chunk handed out by next() with GW_BODY_END, so the host sets
 * Content-Length itself; there is nothing to release, so close stays NULL. */
#include "gateway/gateway.h"

static const char hello_text[] = "Hello, World!";

static int32_t hello_next(void* self, const gw_host_api* api, gw_request* req, gw_str* chunk) {
    (void)self;
    (void)api;
    (void)req;
    chunk->ptr = hello_text;
    chunk->len = sizeof hello_text - 1;
    return GW_BODY_END;
}

static int32_t hello_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    static const gw_header headers[] = {{GW_STR("Content-Type"), GW_STR("text/plain")}};
    gw_str reason = {NULL, 0};
    int32_t rc;
    (void)state;
    rc = api->start_response(req, 200, reason, headers, 1, 0);
    if (rc != GW_OK) return rc;
    body->next = hello_next;
    return GW_OK;
}

static const gw_app hello_app = {GW_APP_MAGIC,
                                 GW_ABI_VERSION,
                                 sizeof(gw_app),
                                 GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING,
                                 "hello_c",
                                 "1.0.0",
                                 "Says hello from plain C",
                                 NULL,
                                 hello_call,
                                 NULL};

GW_EXPORT const gw_app* gw_app_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &hello_app;
}
