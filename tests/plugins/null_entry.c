/* gw_app_entry returns NULL: the plugin refuses the host. */
#include "BrokenPlugin.h"

GW_EXPORT const gw_app* gw_app_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return NULL;
}
