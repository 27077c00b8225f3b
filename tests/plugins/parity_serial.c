/* parity.c without GW_APP_THREAD_SAFE: the host serialises its calls and says
 * gateway.multithread=0; otherwise it must keep every promise the thread-pool build does. */
#define PARITY_NAME "parity_serial"
#define PARITY_FLAGS 0
#include "parity.c"
