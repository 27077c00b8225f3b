/* gateway.h alone, as C99 -pedantic-errors. Reports the layout C sees, so the test can compare
 * it with the manifest and with C++. */
#include "gateway/gateway.h"

#define LAYOUT_PROBE abi_c99_layout
#include "LayoutProbe.inc"
