/* A header value with CR/LF (response splitting attempt): refused, the app returns the error: 500.
 */
#include "BrokenPlugin.h"

static int32_t crlf_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    return broken_start(api, req, 200, "text/plain\r\nX-Injected: yes", NULL);
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), FAST, "crlf_header", NULL, crlf_call,
           NULL);
BROKEN_ENTRY(app)
