/* gateway.h's C helpers from C11 (-pedantic-errors): a response whose headers and reason are
 * built at run time from C strings with gw_header_make() and gw_str_make(). */
#include <stdio.h>

#include "gateway/gateway.h"

static int32_t helpers_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    static const char kQuery[] = "QUERY_STRING";
    gw_str query = gw_str_make(NULL);
    char name[64];
    char value[64];
    char length[24];
    gw_header headers[3];
    int32_t rc;
    (void)state;
    (void)body;
    if (api->get(req, kQuery, sizeof kQuery - 1, &query) != GW_OK || query.len > 40)
        return GW_E_INVAL;
    /* Everything below is on the stack and known only now: start_response() copies it. */
    snprintf(name, sizeof name, "X-%s", "Echo");
    snprintf(value, sizeof value, "[%.*s]", (int)query.len, query.ptr ? query.ptr : "");
    snprintf(length, sizeof length, "%u", (unsigned)query.len);
    headers[0] = gw_header_make(name, value);
    headers[1] = gw_header_make("Content-Type", "text/plain");
    headers[2] = gw_header_make("Content-Length", length);
    rc = api->start_response(req, 203, gw_str_make(query.len ? "Echoed" : NULL), headers, 3, 0);
    if (rc != GW_OK) return rc;
    return api->write(req, query.ptr, query.len);
}

static const gw_app helpers_app = {GW_APP_MAGIC,   GW_ABI_VERSION,
                                   sizeof(gw_app), GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING,
                                   "helpers",      "1.0",
                                   NULL,           NULL,
                                   helpers_call,   NULL};

const gw_app* c_helpers_app(void) {
    return &helpers_app;
}

/* The values the test checks directly (NULL and empty strings). */
gw_str c_helpers_str(const char* text) {
    return gw_str_make(text);
}
