/* Shared bits of the deliberately broken test plugins (never installed). */
#ifndef GATEWAY_TESTS_BROKEN_PLUGIN_H
#define GATEWAY_TESTS_BROKEN_PLUGIN_H

#include <string.h>

#include "gateway/gateway.h"

/* A descriptor with every field given. */
#define BROKEN_APP(var, magic, abi, size, flags, name, init, call, fini)        \
    static const gw_app var = {(magic), (abi),         (size), (flags), (name), \
                               "0.1.0", "test plugin", (init), (call),  (fini)}

/* The entry point returning &var. */
#define BROKEN_ENTRY(var)                                             \
    GW_EXPORT const gw_app* gw_app_entry(uint32_t host_abi_version) { \
        (void)host_abi_version;                                       \
        return &var;                                                  \
    }

/* start_response with one Content-Type header, an optional Content-Length and flags. */
static inline int32_t broken_start_flags(const gw_host_api* api, gw_request* req, uint32_t status,
                                         const char* type, const char* length, uint32_t flags) {
    gw_header headers[2];
    size_t n = 0;
    headers[n].name.ptr = "Content-Type";
    headers[n].name.len = 12;
    headers[n].value.ptr = type;
    headers[n].value.len = strlen(type);
    ++n;
    if (length) {
        headers[n].name.ptr = "Content-Length";
        headers[n].name.len = 14;
        headers[n].value.ptr = length;
        headers[n].value.len = strlen(length);
        ++n;
    }
    gw_str reason = {NULL, 0};
    return api->start_response(req, status, reason, headers, n, flags);
}

/* start_response with one Content-Type header and an optional Content-Length. */
static inline int32_t broken_start(const gw_host_api* api, gw_request* req, uint32_t status,
                                   const char* type, const char* length) {
    return broken_start_flags(api, req, status, type, length, 0);
}

static inline int32_t broken_write(const gw_host_api* api, gw_request* req, const char* text) {
    return api->write(req, text, strlen(text));
}

#define FAST (GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING)

#endif
