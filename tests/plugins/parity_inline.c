/* parity.c as a GW_APP_NON_BLOCKING app: the gateway runs it on its event loop (the whole body
 * buffered first), the thread-pool variant on its handler pool; both must keep every promise. */
#define PARITY_NAME "parity_inline"
#define PARITY_FLAGS (GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING)
#include "parity.c"
