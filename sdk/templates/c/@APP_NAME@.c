/* @APP_NAME@: a Gateway app plugin in C against gateway/gateway.h alone. GET /@APP_NAME@ (or
 * anything below it) answers "Hello from @APP_NAME@!". */
#include "gateway/gateway.h"

static const char greeting[] = "Hello from @APP_NAME@!\n";

/* The body: one static chunk, then the end. Nothing to release, so no close function. */
static int32_t app_next(void* self, const gw_host_api* api, gw_request* req, gw_str* chunk) {
    (void)self;
    (void)api;
    (void)req;
    chunk->ptr = greeting;
    chunk->len = sizeof greeting - 1;
    return GW_BODY_END;
}

/* Runs for every request under the mount, possibly on several threads at once
 * (GW_APP_THREAD_SAFE below): it touches no shared state. */
static int32_t app_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    static const gw_header headers[] = {
        {GW_STR("Content-Type"), GW_STR("text/plain; charset=utf-8")}};
    int32_t rc;
    (void)state;
    rc = api->start_response(req, 200, gw_str_make(NULL), headers, 1, 0);
    if (rc != GW_OK) return rc;
    body->next = app_next;
    return GW_OK;
}

static const gw_app app = {
    .magic = GW_APP_MAGIC,
    .abi_version = GW_ABI_VERSION,
    .size = sizeof(gw_app),
    .flags = GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING,
    .name = "@APP_NAME@", /* the mount: /@APP_NAME@ */
    .version = "0.1.0",
    .description = "Says hello (made by gateway new-app)",
    .call = app_call, /* no init or fini: no per-mount state */
};

GW_EXPORT const gw_app* gw_app_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &app;
}
