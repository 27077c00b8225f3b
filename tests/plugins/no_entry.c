/* A shared object without gw_app_entry: not a plugin. */
#include "BrokenPlugin.h"

GW_EXPORT int some_other_function(int x) {
    return x + 1;
}
