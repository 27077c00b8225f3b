/* The parity plugin: one C app that both hosts run from the same .so -- the fake host of
 * testing.hpp (tests/sdk/ParityFakeHostTest.cpp) and the gateway (tests/integration/
 * AppsParityTest.cpp) -- row by row of tests/parity/ParityTable.cpp, so they cannot drift.
 *
 * The query says what to do: op=<op> plus parameters, percent-decoded (so a row can ask for CR,
 * LF or NUL in a header). The body reports what the host answered, as "name=code" or
 * "NAME=value" lines. parity_inline.c builds the same code as a GW_APP_NON_BLOCKING app.
 *
 *   op=env    get=NAME...            "NAME=value" per name, "NAME rc=3" when absent
 *   op=names                         the environ's names, sorted; get() agrees with environ_at()
 *   op=api                           edge cases of get/environ_at/alloc/strerror/log
 *   op=read   cap=N ret=1 nullbuf=1  reads the whole body: "read=N rc=RC then=RC/N data=..."
 *   op=ret    code=N fill=1          returns code N without a response (fill: body_out set)
 *   op=decline start=1 read=1        GW_DECLINED, optionally after start_response / read_body
 *   op=start  status= reason= h=Name:Value... flags= then, in this order:
 *             pre=1      write() before start_response, reported
 *             again=S aflags=F   a second start_response(S, "X-Second: 1", F)
 *             w=text...  write() each; n=text... the body's chunks from next()
 *             late=1     start_response(REPLACE) after the writes
 *             report=1   write the codes seen ("again=..;w=..;late=..;")
 *             nstart=1   next() calls start_response and write() and reports them as a chunk
 *             pad=N      next() sends N bytes of 'x' before the n= chunks (a row needs one)
 *             nerr=K     the K-th n= chunk's next() (from 0) fails with GW_E_APP
 *             ret=N      call() returns N
 *           A rejected start_response is answered 200 "start=<code>".
 *   op=file   off= len= cl=N w=1 badfd=1 dev=1
 *             send_file(off, len, default 10) of a scratch file holding "0123456789" (created
 *             and unlinked), after start_response (with Content-Length N) and write("x") if w=1;
 *             badfd: fd -1, dev: /dev/null. A failure is reported with write: "send_file=<code>".
 */
#define _GNU_SOURCE /* mkostemp */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "BrokenPlugin.h"

#ifndef PARITY_NAME
#define PARITY_NAME "parity"
#define PARITY_FLAGS GW_APP_THREAD_SAFE
#endif

#define MAX_PARAMS 32

typedef struct {
    gw_str key, value;
} param;

typedef struct {
    param p[MAX_PARAMS];
    size_t n;
} params;

/* Report text in the request arena (it may be a body chunk, valid until close()). */
typedef struct {
    char* buf;
    size_t len, cap;
} report;

static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static gw_str decode(const gw_host_api* api, gw_request* req, const char* s, size_t len) {
    char* out = api->alloc(req, len + 1);
    size_t n = 0;
    gw_str r = {NULL, 0};
    if (!out) return r;
    for (size_t i = 0; i < len; ++i) {
        if (s[i] == '%' && i + 2 < len && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out[n++] = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out[n++] = s[i];
        }
    }
    r.ptr = out;
    r.len = n;
    return r;
}

static void parse_query(const gw_host_api* api, gw_request* req, params* ps) {
    gw_str q;
    ps->n = 0;
    if (api->get(req, "QUERY_STRING", 12, &q) != GW_OK) return;
    size_t at = 0;
    while (at < q.len && ps->n < MAX_PARAMS) {
        size_t end = at;
        while (end < q.len && q.ptr[end] != '&') ++end;
        size_t eq = at;
        while (eq < end && q.ptr[eq] != '=') ++eq;
        param* p = &ps->p[ps->n++];
        p->key = decode(api, req, q.ptr + at, eq - at);
        p->value =
            eq < end ? decode(api, req, q.ptr + eq + 1, end - eq - 1) : decode(api, req, "", 0);
        at = end + 1;
    }
}

static int is(gw_str s, const char* text) {
    return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0;
}

/* The index-th value of key, or NULL. */
static const gw_str* nth(const params* ps, const char* key, size_t index) {
    for (size_t i = 0; i < ps->n; ++i)
        if (is(ps->p[i].key, key) && index-- == 0) return &ps->p[i].value;
    return NULL;
}

static long number(const params* ps, const char* key, long fallback) {
    const gw_str* v = nth(ps, key, 0);
    char text[32];
    if (!v || v->len == 0 || v->len >= sizeof text) return fallback;
    memcpy(text, v->ptr, v->len);
    text[v->len] = '\0';
    return strtol(text, NULL, 0);
}

static void say(report* r, const char* format, ...) {
    va_list args;
    va_start(args, format);
    const int n = vsnprintf(r->buf + r->len, r->cap - r->len, format, args);
    va_end(args);
    if (n > 0) r->len += (size_t)n < r->cap - r->len ? (size_t)n : r->cap - r->len - 1;
}

static void say_bytes(report* r, gw_str s) {
    const size_t n = s.len < r->cap - r->len - 1 ? s.len : r->cap - r->len - 1;
    if (n) memcpy(r->buf + r->len, s.ptr, n);
    r->len += n;
    r->buf[r->len] = '\0';
}

static int32_t send_report(const gw_host_api* api, gw_request* req, const report* r,
                           uint32_t flags) {
    char length[24];
    snprintf(length, sizeof length, "%zu", r->len);
    const int32_t rc = broken_start_flags(api, req, 200, "text/plain", length, flags);
    if (rc != GW_OK) return rc;
    return api->write(req, r->buf, r->len);
}

/* ---- ops ------------------------------------------------------------------------------- */

static int32_t op_env(const gw_host_api* api, gw_request* req, const params* ps, report* r) {
    const gw_str* name;
    for (size_t i = 0; (name = nth(ps, "get", i)) != NULL; ++i) {
        gw_str value;
        const int32_t rc = api->get(req, name->ptr, name->len, &value);
        say_bytes(r, *name);
        if (rc == GW_OK) {
            say(r, "=");
            say_bytes(r, value);
            say(r, "\n");
        } else {
            say(r, " rc=%d%s\n", (int)rc, value.ptr == NULL && value.len == 0 ? "" : " value set");
        }
    }
    return send_report(api, req, r, 0);
}

static int compare_str(const void* a, const void* b) {
    const gw_str* x = a;
    const gw_str* y = b;
    const size_t n = x->len < y->len ? x->len : y->len;
    const int c = memcmp(x->ptr, y->ptr, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int32_t op_names(const gw_host_api* api, gw_request* req, report* r) {
    const size_t count = api->environ_count(req);
    gw_str* names = api->alloc(req, (count + 1) * sizeof *names);
    if (!names) return GW_E_NOMEM;
    for (size_t i = 0; i < count; ++i) {
        gw_str value, again;
        api->environ_at(req, i, &names[i], &value);
        if (api->get(req, names[i].ptr, names[i].len, &again) != GW_OK || again.len != value.len ||
            memcmp(again.ptr, value.ptr, value.len) != 0) {
            say(r, "get disagrees with environ_at: ");
            say_bytes(r, names[i]);
            say(r, "\n");
        }
    }
    qsort(names, count, sizeof *names, compare_str);
    for (size_t i = 0; i < count; ++i) {
        say_bytes(r, names[i]);
        say(r, "\n");
    }
    return send_report(api, req, r, 0);
}

static int32_t op_api(const gw_host_api* api, gw_request* req, const params* ps, report* r) {
    gw_str name, value = {"x", 1};
    say(r, "get_null_name=%d ", (int)api->get(req, NULL, 3, &value));
    say(r, "get_missing=%d", (int)api->get(req, "NOPE", 4, &value));
    say(r, "%s\n", value.ptr == NULL && value.len == 0 ? " cleared" : " not cleared");
    name.ptr = value.ptr = "x";
    name.len = value.len = 1;
    say(r, "at_past_end=%d", (int)api->environ_at(req, api->environ_count(req) + 5, &name, &value));
    say(r, "%s\n", name.ptr == NULL && value.ptr == NULL ? " cleared" : " not cleared");
    say(r, "at_null=%d\n", (int)api->environ_at(req, 0, NULL, &value));
    say(r, "alloc0=%s ", api->alloc(req, 0) == NULL ? "null" : "non-null");
    void* a = api->alloc(req, 24);
    say(r, "alloc24=%s\n",
        a && (uintptr_t)a % _Alignof(max_align_t) == 0 ? "aligned" : "misaligned or null");
    for (int32_t code = -10; code <= 3; ++code) say(r, "%d:%s\n", (int)code, api->strerror(code));
    if (number(ps, "badlog", 0)) {
        const gw_str msg = GW_STR("a log line at a level out of range");
        api->log(req, 99, msg);
    }
    return send_report(api, req, r, 0);
}

static int32_t op_read(const gw_host_api* api, gw_request* req, const params* ps, report* r) {
    const size_t cap = (size_t)number(ps, "cap", 4096);
    char* buf = api->alloc(req, cap + 1);
    size_t total = 0, n = 0;
    int32_t rc;
    if (number(ps, "nullbuf", 0)) {
        rc = api->read_body(req, NULL, 5, &n);
        say(r, "nullbuf=%d n=%zu\n", (int)rc, n);
    }
    rc = api->read_body(req, buf, 0, &n);
    say(r, "cap0=%d n=%zu\n", (int)rc, n);
    report data = {api->alloc(req, 1024), 0, 1024};
    data.buf[0] = '\0';
    for (;;) {
        rc = api->read_body(req, buf, cap, &n);
        if (rc != GW_OK || n == 0) break;
        total += n;
        const gw_str piece = {buf, n};
        say_bytes(&data, piece);
    }
    size_t n2 = 7;
    const int32_t again = api->read_body(req, buf, cap, &n2);
    say(r, "read=%zu rc=%d then=%d/%zu data=%s\n", total, (int)rc, (int)again, n2, data.buf);
    if (rc != GW_OK && number(ps, "ret", 0)) return rc;
    return send_report(api, req, r, 0);
}

/* The body of op=start: the n= chunks, in the request arena. */
typedef struct {
    const params* ps;
    size_t at;
    long fail_at;
    long pad;
    int start_in_next;
    report* r;
} chunks;

static int32_t chunks_next(void* self, const gw_host_api* api, gw_request* req, gw_str* chunk) {
    chunks* c = self;
    if (c->start_in_next) {
        c->start_in_next = 0;
        const int32_t s =
            broken_start_flags(api, req, 200, "text/plain", NULL, GW_RESPONSE_REPLACE);
        const int32_t w = api->write(req, "x", 1);
        c->r->len = 0;
        say(c->r, "next: start=%d write=%d;", (int)s, (int)w);
        chunk->ptr = c->r->buf;
        chunk->len = c->r->len;
        return nth(c->ps, "n", c->at) ? GW_OK : GW_BODY_END;
    }
    if (c->pad > 0) {
        char* bytes = api->alloc(req, (size_t)c->pad);
        if (!bytes) return GW_E_NOMEM;
        memset(bytes, 'x', (size_t)c->pad);
        chunk->ptr = bytes;
        chunk->len = (size_t)c->pad;
        c->pad = 0;
        return GW_OK;
    }
    if ((long)c->at == c->fail_at) return GW_E_APP;
    const gw_str* text = nth(c->ps, "n", c->at++);
    if (!text) return GW_BODY_END;
    *chunk = *text;
    return nth(c->ps, "n", c->at) ? GW_OK : GW_BODY_END;
}

static int32_t op_start(const gw_host_api* api, gw_request* req, const params* ps, report* r,
                        gw_body* body) {
    gw_header headers[MAX_PARAMS];
    size_t count = 0;
    const gw_str* h;
    for (size_t i = 0; (h = nth(ps, "h", i)) != NULL; ++i) {
        size_t colon = 0;
        while (colon < h->len && h->ptr[colon] != ':') ++colon;
        headers[count].name.ptr = h->ptr;
        headers[count].name.len = colon;
        headers[count].value.ptr = colon < h->len ? h->ptr + colon + 1 : h->ptr + colon;
        headers[count].value.len = colon < h->len ? h->len - colon - 1 : 0;
        ++count;
    }
    const gw_str* reason_param = nth(ps, "reason", 0);
    const gw_str reason = reason_param ? *reason_param : gw_str_make(NULL);
    report codes = {api->alloc(req, 256), 0, 256};
    codes.buf[0] = '\0';
    if (number(ps, "pre", 0)) say(&codes, "pre=%d;", (int)api->write(req, "early", 5));
    const int32_t rc =
        api->start_response(req, (uint32_t)number(ps, "status", 200), reason,
                            count ? headers : NULL, count, (uint32_t)number(ps, "flags", 0));
    if (rc != GW_OK) {
        say(r, "%sstart=%d", codes.buf, (int)rc);
        return send_report(api, req, r, 0);
    }
    const long again = number(ps, "again", 0);
    if (again) {
        static const gw_header second[] = {{GW_STR("X-Second"), GW_STR("1")}};
        say(&codes, "again=%d;",
            (int)api->start_response(req, (uint32_t)again, gw_str_make(NULL), second, 1,
                                     (uint32_t)number(ps, "aflags", 0)));
    }
    const gw_str* text;
    for (size_t i = 0; (text = nth(ps, "w", i)) != NULL; ++i) {
        const int32_t w = api->write(req, text->ptr, text->len);
        if (w != GW_OK) say(&codes, "w%zu=%d;", i, (int)w);
    }
    if (number(ps, "late", 0))
        say(&codes, "late=%d;",
            (int)broken_start_flags(api, req, 200, "text/plain", NULL, GW_RESPONSE_REPLACE));
    if (number(ps, "report", 0)) api->write(req, codes.buf, codes.len);
    if (nth(ps, "n", 0) || number(ps, "nstart", 0)) {
        chunks* c = api->alloc(req, sizeof *c);
        c->ps = ps;
        c->at = 0;
        c->fail_at = number(ps, "nerr", -1);
        c->pad = number(ps, "pad", 0);
        c->start_in_next = (int)number(ps, "nstart", 0);
        c->r = r;
        body->self = c;
        body->next = chunks_next;
    }
    return (int32_t)number(ps, "ret", GW_OK);
}

/* A regular file holding "0123456789", already unlinked, or -1. */
static int scratch_file(void) {
    char path[] = "/tmp/parity-file-XXXXXX";
    const int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0) return -1;
    unlink(path);
    if (write(fd, "0123456789", 10) != 10) {
        close(fd);
        return -1;
    }
    return fd;
}

static int32_t op_file(const gw_host_api* api, gw_request* req, const params* ps, report* r) {
    const int fd = number(ps, "badfd", 0) ? -1
                   : number(ps, "dev", 0) ? open("/dev/null", O_RDONLY | O_CLOEXEC)
                                          : scratch_file();
    char length[24];
    const long cl = number(ps, "cl", -1);
    if (cl >= 0) snprintf(length, sizeof length, "%ld", cl);
    const int32_t started = broken_start(api, req, 200, "text/plain", cl >= 0 ? length : NULL);
    if (started != GW_OK) {
        if (fd >= 0) close(fd);
        return started;
    }
    if (number(ps, "w", 0)) api->write(req, "x", 1);
    const int32_t rc =
        api->send_file(req, fd, (uint64_t)number(ps, "off", 0), (uint64_t)number(ps, "len", 10));
    if (rc == GW_OK) return GW_OK;
    say(r, "send_file=%d", (int)rc);
    api->write(req, r->buf, r->len);
    return GW_OK;
}

static int32_t never_next(void* self, const gw_host_api* api, gw_request* req, gw_str* chunk) {
    (void)self;
    (void)api;
    (void)req;
    (void)chunk;
    return GW_BODY_END;
}

static void no_close(void* self) {
    (void)self;
}

static int32_t parity_call(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    (void)state;
    params* ps = api->alloc(req, sizeof *ps);
    report* r = api->alloc(req, sizeof *r);
    if (!ps || !r) return GW_E_NOMEM;
    r->cap = 8192;
    r->len = 0;
    r->buf = api->alloc(req, r->cap);
    if (!r->buf) return GW_E_NOMEM;
    r->buf[0] = '\0';
    parse_query(api, req, ps);
    const gw_str* op = nth(ps, "op", 0);
    if (!op || is(*op, "env")) return op_env(api, req, ps, r);
    if (is(*op, "names")) return op_names(api, req, r);
    if (is(*op, "api")) return op_api(api, req, ps, r);
    if (is(*op, "read")) return op_read(api, req, ps, r);
    if (is(*op, "start")) return op_start(api, req, ps, r, body);
    if (is(*op, "file")) return op_file(api, req, ps, r);
    if (is(*op, "ret")) {
        if (number(ps, "fill", 0)) {
            body->next = never_next;
            body->close = no_close;
        }
        return (int32_t)number(ps, "code", GW_E_APP);
    }
    if (is(*op, "decline")) {
        char byte;
        size_t n;
        if (number(ps, "start", 0)) broken_start(api, req, 200, "text/plain", NULL);
        if (number(ps, "read", 0)) api->read_body(req, &byte, 1, &n);
        return GW_DECLINED;
    }
    say(r, "unknown op");
    return send_report(api, req, r, 0);
}

BROKEN_APP(app, GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), PARITY_FLAGS, PARITY_NAME, NULL,
           parity_call, NULL);
BROKEN_ENTRY(app)
