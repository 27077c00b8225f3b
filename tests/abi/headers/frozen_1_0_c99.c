/* The FROZEN 1.0 header (sdk/abi/frozen/1.0/gateway.h, found as "gateway.h"): the layout a 1.0
 * plugin sees, which tests/abi compares with the current header's (append-only, SPEC §10). */
#include "gateway.h"

#define LAYOUT_PROBE abi_frozen_1_0_layout
#include "LayoutProbe.inc"
