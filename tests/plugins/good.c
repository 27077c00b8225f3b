/* A well-behaved plugin: "good" (config key greeting=... changes the text). Loads everywhere. */
#include <stdlib.h>

#include "BrokenPlugin.h"

typedef struct {
    char greeting[64];
} GoodState;

static int32_t good_init(const gw_host_api* api, const gw_config* config, void** state,
                         char* errbuf, size_t errbuf_len) {
    (void)api;
    (void)errbuf;
    (void)errbuf_len;
    GoodState* s = calloc(1, sizeof(GoodState));
    if (!s) return GW_E_NOMEM;
    strcpy(s->greeting, "good");
    for (uint32_t i = 0; i < config->count; ++i)
        if (strcmp(config->entries[i].key.ptr, "greeting") == 0 &&
            config->entries[i].value.len < sizeof(s->greeting))
            strcpy(s->greeting, config->entries[i].value.ptr);
    *state = s;
    return GW_OK;
}

static int32_t good_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)body;
    const GoodState* s = state;
    int32_t rc = broken_start(api, req, 200, "text/plain", NULL);
    if (rc != GW_OK) return rc;
    return broken_write(api, req, s->greeting);
}

static void good_fini(void* state) {
    free(state);
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), FAST, "good", good_init, good_call,
           good_fini);
BROKEN_ENTRY(app)
