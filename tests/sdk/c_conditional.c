/* gateway/http.h from C11 (-pedantic-errors): the conditional GET helpers wrapped for the test
 * tables, and an app that answers a file with api->send_file (ABI 1.1) and
 * gw_http_not_modified(), or misuses send_file as told by its X-Mode request header. */
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC */

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/gateway.h"
#include "gateway/http.h"

int c_etag_matches(const char* list, const char* etag, int strong) {
    return gw_etag_matches(gw_str_make(list), gw_str_make(etag), strong);
}

int c_date_parse(const char* text, int64_t* t) {
    return gw_http_date_parse(gw_str_make(text), t);
}

size_t c_date_format(char* buf, int64_t t) {
    return gw_http_date_format(buf, t);
}

size_t c_etag_format(char* buf, uint64_t size, int64_t mtime) {
    return gw_etag_format(buf, size, mtime);
}

int c_preconditions(const char* if_match, const char* if_none_match, const char* ims,
                    const char* ius, int get_or_head, const char* etag, int has_lm, int64_t lm) {
    return gw_http_preconditions(gw_str_make(if_match), gw_str_make(if_none_match),
                                 gw_str_make(ims), gw_str_make(ius), get_or_head, gw_str_make(etag),
                                 has_lm, lm);
}

/* The last send_file result and descriptor, for the test. */
int32_t c_file_rc;
int c_file_fd = -1;

static int is_mode(gw_str mode, const char* name) {
    return mode.len == strlen(name) && memcmp(mode.ptr, name, mode.len) == 0;
}

static int32_t file_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    char path[256], etag[GW_ETAG_SIZE], date[GW_HTTP_DATE_SIZE];
    gw_str query = {NULL, 0}, mode = {NULL, 0};
    gw_header headers[3];
    size_t n = 2;
    struct stat st;
    int32_t rc;
    uint64_t size;
    (void)state;
    (void)body;
    api->get(req, "QUERY_STRING", 12, &query);
    api->get(req, "HTTP_X_MODE", 11, &mode);
    if (query.len >= sizeof path) return GW_E_INVAL;
    memcpy(path, query.ptr, query.len);
    path[query.len] = '\0';
    c_file_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (c_file_fd < 0 || fstat(c_file_fd, &st) != 0) return GW_E_APP;
    size = (uint64_t)st.st_size;
    gw_etag_format(etag, size, (int64_t)st.st_mtime);
    gw_http_date_format(date, (int64_t)st.st_mtime);
    headers[0] = gw_header_make("ETag", etag);
    headers[1] = gw_header_make("Last-Modified", date);
    if (gw_http_not_modified(api, req, gw_str_make(etag), (int64_t)st.st_mtime)) {
        close(c_file_fd);
        return api->start_response(req, 304, gw_str_make(NULL), headers, 2, 0);
    }
    if (is_mode(mode, "before-start")) return c_file_rc = api->send_file(req, c_file_fd, 0, size);
    if (is_mode(mode, "length-mismatch")) {
        headers[n++] = gw_header_make("Content-Length", "1");
    }
    rc = api->start_response(req, 200, gw_str_make(NULL), headers, n, 0);
    if (rc != GW_OK) return rc;
    if (is_mode(mode, "write-first")) api->write(req, "x", 1);
    if (is_mode(mode, "range")) {
        c_file_rc = api->send_file(req, c_file_fd, 2, size - 3);
        return c_file_rc;
    }
    if (is_mode(mode, "past-end")) return c_file_rc = api->send_file(req, c_file_fd, 1, size);
    c_file_rc = api->send_file(req, c_file_fd, 0, size);
    if (is_mode(mode, "twice")) {
        int again = open(path, O_RDONLY | O_CLOEXEC);
        c_file_fd = again;
        c_file_rc = api->send_file(req, again, 0, size);
        return GW_OK;
    }
    return c_file_rc;
}

static const gw_app file_app = {
    GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), GW_APP_THREAD_SAFE, "cfile",
    "1.0",        NULL,           NULL,           file_call,          NULL};

const gw_app* c_file_app(void) {
    return &file_app;
}
