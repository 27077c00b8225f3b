// gateway.h alone in C++ (built once as C++17 and once as C++20, -pedantic-errors).
#include "gateway/gateway.h"

#define ABI_PROBE_CAT2(a, b) a##b
#define ABI_PROBE_CAT(a, b) ABI_PROBE_CAT2(a, b)

#define LAYOUT_PROBE ABI_PROBE_CAT(abi_cxx_layout_, ABI_STD)
#include "LayoutProbe.inc"
