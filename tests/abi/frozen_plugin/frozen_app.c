/* A plugin built against the FROZEN ABI 1.0 header (sdk/abi/frozen/1.0/gateway.h), never the
 * current one: every later gateway (and testing.hpp) must still load and serve it. It touches
 * every host function and the pull body with close. */
#include <string.h>

#include "gateway.h"

typedef struct frozen_state {
    int calls;
} frozen_state;

typedef struct frozen_body {
    char text[256];
    size_t len;
} frozen_body;

static int32_t frozen_init(const gw_host_api* api, const gw_config* config, void** state,
                           char* errbuf, size_t errbuf_len) {
    static frozen_state the_state;
    uint32_t i;
    (void)errbuf;
    (void)errbuf_len;
    for (i = 0; i < config->count; ++i) {
        if (strcmp(config->entries[i].key.ptr, "fail") == 0) {
            strncpy(errbuf, "told to fail", errbuf_len - 1);
            errbuf[errbuf_len - 1] = '\0';
            return GW_E_APP;
        }
    }
    api->log(NULL, GW_LOG_INFO, config->mount);
    the_state.calls = 0;
    *state = &the_state;
    return GW_OK;
}

static int32_t frozen_next(void* self, const gw_host_api* api, gw_request* req, gw_str* chunk) {
    frozen_body* body = (frozen_body*)self;
    (void)api;
    (void)req;
    chunk->ptr = body->text;
    chunk->len = body->len;
    return GW_BODY_END;
}

static void frozen_close(void* self) {
    frozen_body* body = (frozen_body*)self;
    body->len = 0; /* arena memory: nothing to free */
}

static void append(frozen_body* body, const char* ptr, size_t len) {
    if (len > sizeof body->text - body->len) len = sizeof body->text - body->len;
    memcpy(body->text + body->len, ptr, len);
    body->len += len;
}

static int32_t frozen_call(void* state, const gw_host_api* api, gw_request* req, gw_body* out) {
    static const gw_header headers[] = {{GW_STR("Content-Type"), GW_STR("text/plain")},
                                        {GW_STR("X-Frozen-ABI"), GW_STR("1.0")}};
    frozen_state* st = (frozen_state*)state;
    frozen_body* body;
    gw_str value = {NULL, 0}, name = {NULL, 0};
    gw_str reason = {NULL, 0};
    char buf[64];
    size_t n = 0, total = 0;
    int32_t rc;
    char digits[24];
    int nd = 0;

    ++st->calls;
    body = (frozen_body*)api->alloc(req, sizeof *body);
    if (!body) return GW_E_NOMEM;
    body->len = 0;

    if (api->get(req, "PATH_INFO", 9, &value) != GW_OK) return GW_E_APP;
    append(body, value.ptr, value.len);
    append(body, "|", 1);
    if (api->environ_count(req) == 0) return GW_E_APP;
    if (api->environ_at(req, 0, &name, &value) != GW_OK) return GW_E_APP;
    for (;;) {
        rc = api->read_body(req, buf, sizeof buf, &n);
        if (rc != GW_OK) return rc;
        if (n == 0) break;
        total += n;
    }
    do {
        digits[nd++] = (char)('0' + total % 10);
        total /= 10;
    } while (total);
    while (nd) append(body, &digits[--nd], 1);
    append(body, "|", 1);
    append(body, api->strerror(GW_E_IO), strlen(api->strerror(GW_E_IO)));
    api->log(req, GW_LOG_DEBUG, name);

    rc = api->start_response(req, 200, reason, headers, 2, 0);
    if (rc != GW_OK) return rc;
    rc = api->write(req, "frozen:", 7);
    if (rc != GW_OK) return rc;
    out->self = body;
    out->next = frozen_next;
    out->close = frozen_close;
    return GW_OK;
}

static const gw_app frozen_app = {GW_APP_MAGIC,
                                  GW_ABI_VERSION,
                                  sizeof(gw_app),
                                  GW_APP_THREAD_SAFE,
                                  "frozen",
                                  "1.0.0",
                                  "built against the frozen 1.0 header",
                                  frozen_init,
                                  frozen_call,
                                  NULL};

GW_EXPORT const gw_app* gw_app_entry(uint32_t host_abi_version) {
    if (GW_ABI_MAJOR(host_abi_version) != 1) return NULL;
    return &frozen_app;
}
