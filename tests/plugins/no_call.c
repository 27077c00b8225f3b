/* A descriptor without call: refused. */
#include "BrokenPlugin.h"

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), 0, "no_call", NULL, NULL, NULL);
BROKEN_ENTRY(app)
