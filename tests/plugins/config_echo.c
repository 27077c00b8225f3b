/* Answers every request with its config entries, one "key=value" line each, in the order init()
 * received them; init() logs "init saw N entries" with a NULL request (the host tags the line
 * with the app and its mount), call() logs "serving the config" with the request (tagged with
 * its id too). The config order and the log tagging that gateway.h promises. */
#include <stdio.h>
#include <stdlib.h>

#include "BrokenPlugin.h"

typedef struct {
    char* text;
    size_t len;
} config_echo_state;

static int32_t config_echo_init(const gw_host_api* api, const gw_config* config, void** state,
                                char* errbuf, size_t errbuf_len) {
    size_t total = 0;
    for (uint32_t i = 0; i < config->count; ++i)
        total += config->entries[i].key.len + config->entries[i].value.len + 2;
    config_echo_state* s = malloc(sizeof *s);
    char* text = malloc(total + 1);
    if (!s || !text) {
        free(s);
        free(text);
        snprintf(errbuf, errbuf_len, "out of memory");
        return GW_E_NOMEM;
    }
    size_t at = 0;
    for (uint32_t i = 0; i < config->count; ++i) {
        const gw_config_entry* e = &config->entries[i];
        memcpy(text + at, e->key.ptr, e->key.len);
        at += e->key.len;
        text[at++] = '=';
        memcpy(text + at, e->value.ptr, e->value.len);
        at += e->value.len;
        text[at++] = '\n';
    }
    s->text = text;
    s->len = at;
    *state = s;
    char line[64];
    const int n = snprintf(line, sizeof line, "init saw %u entries", (unsigned)config->count);
    const gw_str msg = {line, (size_t)n};
    api->log(NULL, GW_LOG_INFO, msg);
    return GW_OK;
}

static int32_t config_echo_call(void* state, const gw_host_api* api, gw_request* req,
                                gw_body* body) {
    const config_echo_state* s = state;
    static const char kLine[] = "serving the config";
    const gw_str line = {kLine, sizeof kLine - 1};
    (void)body;
    api->log(req, GW_LOG_INFO, line);
    const int32_t rc = broken_start(api, req, 200, "text/plain", NULL);
    if (rc != GW_OK) return rc;
    return api->write(req, s->text, s->len);
}

static void config_echo_fini(void* state) {
    config_echo_state* s = state;
    free(s->text);
    free(s);
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), FAST, "config_echo", config_echo_init,
           config_echo_call, config_echo_fini);
BROKEN_ENTRY(app)
