/* Serves the files below its config key `root` with api->send_file (ABI 1.1) and the conditional
 * GET helpers of gateway/http.h, as a C author would: ETag and Last-Modified from the file's size
 * and mtime, 304 on a matching If-None-Match (or, without it, If-Modified-Since). Built twice from
 * this source: files_inline (GW_APP_NON_BLOCKING: served on the event loop) and files_pool
 * (blocking: served on the handler pool), so both host paths send the file. */
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC */

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/gateway.h"
#include "gateway/http.h"

#ifdef FILES_INLINE
#define FILES_NAME "files_inline"
#define FILES_FLAGS (GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING)
#else
#define FILES_NAME "files_pool"
#define FILES_FLAGS GW_APP_THREAD_SAFE
#endif

typedef struct files_state {
    char root[512];
} files_state;

static files_state the_state; /* one mount per worker in the tests */

static int32_t files_init(const gw_host_api* api, const gw_config* config, void** state,
                          char* errbuf, size_t errbuf_len) {
    uint32_t i;
    (void)api;
    for (i = 0; i < config->count; ++i) {
        const gw_config_entry* e = &config->entries[i];
        if (strcmp(e->key.ptr, "root") == 0 && e->value.len < sizeof the_state.root) {
            memcpy(the_state.root, e->value.ptr, e->value.len + 1);
            *state = &the_state;
            return GW_OK;
        }
    }
    strncpy(errbuf, "root: the folder to serve is missing", errbuf_len - 1);
    errbuf[errbuf_len - 1] = '\0';
    return GW_E_INVAL;
}

static int32_t not_found(const gw_host_api* api, gw_request* req) {
    static const gw_header headers[] = {{GW_STR("Content-Type"), GW_STR("text/plain")}};
    const int32_t rc = api->start_response(req, 404, gw_str_make(NULL), headers, 1, 0);
    return rc != GW_OK ? rc : api->write(req, "no such file", 12);
}

static int32_t files_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    const files_state* files = (const files_state*)state;
    char path[1024], etag[GW_ETAG_SIZE], date[GW_HTTP_DATE_SIZE];
    gw_header headers[3];
    gw_str info = {NULL, 0};
    size_t root_len = strlen(files->root);
    struct stat st;
    int fd;
    (void)body;
    api->get(req, "PATH_INFO", 9, &info);
    if (info.len == 0 || root_len + info.len >= sizeof path) return not_found(api, req);
    memcpy(path, files->root, root_len);
    memcpy(path + root_len, info.ptr, info.len);
    path[root_len + info.len] = '\0';
    if (strstr(path + root_len, "..")) return not_found(api, req);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return not_found(api, req);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return not_found(api, req);
    }
    gw_etag_format(etag, (uint64_t)st.st_size, (int64_t)st.st_mtime);
    gw_http_date_format(date, (int64_t)st.st_mtime);
    headers[0] = gw_header_make("ETag", etag);
    headers[1] = gw_header_make("Last-Modified", date);
    headers[2] = gw_header_make("Content-Type", "application/octet-stream");
    if (gw_http_not_modified(api, req, gw_str_make(etag), (int64_t)st.st_mtime)) {
        close(fd);
        return api->start_response(req, 304, gw_str_make(NULL), headers, 2, 0);
    }
    {
        const int32_t rc = api->start_response(req, 200, gw_str_make(NULL), headers, 3, 0);
        if (rc != GW_OK) {
            close(fd);
            return rc;
        }
    }
    return api->send_file(req, fd, 0, (uint64_t)st.st_size); /* the host closes fd */
}

static const gw_app files_app = {GW_APP_MAGIC,
                                 GW_ABI_VERSION,
                                 sizeof(gw_app),
                                 FILES_FLAGS,
                                 FILES_NAME,
                                 "1.0.0",
                                 "Files with send_file and http.h",
                                 files_init,
                                 files_call,
                                 NULL};

GW_EXPORT const gw_app* gw_app_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &files_app;
}
