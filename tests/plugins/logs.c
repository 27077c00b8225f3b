/* Logs one line per request through api->log with the request (so the host tags it with the
 * request id), then answers 200 "logged". Runs on the handler pool (not GW_APP_NON_BLOCKING). */
#include "BrokenPlugin.h"

static int32_t logs_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    (void)body;
    static const char kLine[] = "a line from the logs app";
    const gw_str line = {kLine, sizeof kLine - 1};
    api->log(req, GW_LOG_INFO, line);
    int32_t rc = broken_start(api, req, 200, "text/plain", NULL);
    if (rc != GW_OK) return rc;
    return broken_write(api, req, "logged");
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), GW_APP_THREAD_SAFE, "logs", NULL,
           logs_call, NULL);
BROKEN_ENTRY(app)
