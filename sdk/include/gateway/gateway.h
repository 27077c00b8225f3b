/*
 * gateway.h - the Gateway plugin contract (C ABI), version 1.1 (1.0 plus api->send_file).
 *
 * A plugin is a shared object that exports one C function, gw_app_entry(), returning a static
 * descriptor (gw_app). The gateway loads it with dlopen(RTLD_NOW | RTLD_LOCAL), checks the
 * descriptor, calls init() once per mount, call() once per request, and fini() when the mount is
 * unloaded. Everything that crosses the boundary is plain C: {ptr,len} strings, fixed-width
 * integers, function pointers and opaque handles. Host services come as a table of function
 * pointers (gw_host_api), so a plugin links against nothing of the gateway and builds with
 * -Wl,--no-undefined. Nothing is ever freed on the other side of the boundary.
 *
 * This header is the reference for plugin authors; sdk/docs/SPEC.md states the same contract in
 * MUST/SHOULD words, with the table of what the gateway does for every outcome.
 *
 * Conventions
 *   - Every function returning int32_t returns GW_OK (0) on success, a positive GW_* status for a
 *     non-error outcome (GW_DECLINED, GW_BODY_END, GW_NOT_FOUND) or a negative GW_E_* error code.
 *   - Strings are gw_str: a pointer and a length, NOT NUL-terminated unless stated otherwise.
 *   - "Request scope": from the moment call() is entered until the host calls the body's close()
 *     (or, when there is no close(), until the response is finished). Memory the host hands out
 *     for a request lives exactly that long.
 *   - gw_host_api, gw_app and gw_config only ever grow at the end (see GW_API_HAS); gw_str,
 *     gw_header, gw_config_entry and gw_body never change within major version 1.
 *
 * Example: a complete plugin in plain C (build: cc -shared -fPIC -fvisibility=hidden
 * -Wl,--no-undefined -o hello_c.so hello.c; drop hello_c.so into the apps folder; GET /hello_c).
 *
 *     #include "gateway/gateway.h"
 *
 *     static int32_t hello_call(void* state, const gw_host_api* api, gw_request* req,
 *                               gw_body* body)
 *     {
 *         static const char text[] = "Hello, World!";
 *         static const gw_header headers[] = {
 *             {GW_STR("Content-Type"), GW_STR("text/plain")},
 *             {GW_STR("Content-Length"), GW_STR("13")},
 *         };
 *         gw_str reason = {NULL, 0};   // empty: the host uses the standard phrase ("OK")
 *         int32_t rc;
 *         (void)state;
 *         (void)body;                  // left empty: the whole body goes out through write()
 *         rc = api->start_response(req, 200, reason, headers, 2, 0);
 *         if (rc != GW_OK) return rc;
 *         return api->write(req, text, sizeof text - 1);
 *     }
 *
 *     static const gw_app hello_app = {
 *         GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app),
 *         GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING,           // flags
 *         "hello_c", "1.0.0", "Says hello from plain C",      // name (mount /hello_c), version
 *         NULL, hello_call, NULL                              // init, call, fini
 *     };
 *
 *     GW_EXPORT const gw_app* gw_app_entry(uint32_t host_abi_version)
 *     {
 *         (void)host_abi_version;
 *         return &hello_app;
 *     }
 */
#ifndef GATEWAY_GATEWAY_H
#define GATEWAY_GATEWAY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions and magic
 * ------------------------------------------------------------------------------------------- */

/** Major version of this ABI. A different major is incompatible: the host refuses the plugin. */
#define GW_ABI_VERSION_MAJOR 1
/** Minor version of this ABI. Minors only add at the end of tables and structs. */
#define GW_ABI_VERSION_MINOR 1
/** Packs a version as (major << 16) | minor, the form used in every abi_version field. */
#define GW_MAKE_ABI_VERSION(major, minor) ((((uint32_t)(major)) << 16) | ((uint32_t)(minor)))
/** The version this header describes: 0x00010001 for 1.1. */
#define GW_ABI_VERSION GW_MAKE_ABI_VERSION(GW_ABI_VERSION_MAJOR, GW_ABI_VERSION_MINOR)
/** Major part of a packed version. */
#define GW_ABI_MAJOR(version) (((uint32_t)(version)) >> 16)
/** Minor part of a packed version. */
#define GW_ABI_MINOR(version) (((uint32_t)(version)) & 0xFFFFu)

/** First field of every gw_app: the bytes "GWAP" read as a big-endian 32-bit value. A shared
 * object whose entry point returns anything else is refused with "bad magic". */
#define GW_APP_MAGIC 0x47574150u

/** Name of the one symbol a plugin exports (for dlsym). */
#define GW_APP_ENTRY_SYMBOL "gw_app_entry"

/* ---------------------------------------------------------------------------------------------
 * Result codes (int32_t). Zero is success, positive values are non-error outcomes, negative
 * values are errors. api->strerror() turns any of them into a static message.
 * ------------------------------------------------------------------------------------------- */

/** Success. */
#define GW_OK 0
/** call(): this app does not handle the request; routing falls through to the next mount, then
 * to static files. Nothing may have been sent. */
#define GW_DECLINED 1
/** gw_body.next(): this is the last chunk (the chunk returned with it may be empty). */
#define GW_BODY_END 2
/** api->get() / api->environ_at(): no such environ entry. */
#define GW_NOT_FOUND 3

/** An argument is invalid: NULL where a pointer is required, a bad status, a header name that
 * is not a token, CR/LF/NUL in a value, a hop-by-hop or host-owned header, unknown flag bits. */
#define GW_E_INVAL (-1)
/** Out of memory (host or request arena). */
#define GW_E_NOMEM (-2)
/** The client connection is gone, or the request body / response is already closed. Once a
 * request has seen GW_E_IO every later I/O call on it returns GW_E_IO again. */
#define GW_E_IO (-3)
/** The call is not allowed now: start_response() twice without GW_RESPONSE_REPLACE or after the
 * first body byte, write() before start_response() or outside call(), a request used outside its
 * request scope. */
#define GW_E_STATE (-4)
/** Too large: the request body passed the mount's limit (the client gets 413). An app may return
 * it from call() for its own limits: the client gets 413 as well. */
#define GW_E_TOO_LARGE (-5)
/** A deadline passed: the client sent the body too slowly, the client did not take the response
 * in time, or the mount's timeout for this request expired. */
#define GW_E_TIMEOUT (-6)
/** Generic application failure (the C++ wrapper returns it for uncaught exceptions). Any
 * negative value not defined here is treated as GW_E_APP. */
#define GW_E_APP (-7)
/** The request is malformed, e.g. broken chunked framing in its body (the client gets 400). */
#define GW_E_PROTOCOL (-8)
/** The host does not implement this function or feature (e.g. a minimal fake host). */
#define GW_E_UNSUPPORTED (-9)

/* ---------------------------------------------------------------------------------------------
 * Plain data
 * ------------------------------------------------------------------------------------------- */

/** A byte string: ptr and length. NOT NUL-terminated in general (it is often a view into the
 * connection's buffer); never read past len. {NULL, 0} is the empty string. Bytes are arbitrary
 * unless the function that produced it says otherwise. Who owns the bytes and how long they stay
 * valid is stated by every function that hands one out. */
typedef struct gw_str {
    const char* ptr;
    size_t len;
} gw_str;

/** Initialiser for a gw_str from a string literal (not from a pointer): GW_STR("text/plain").
 * Only in initialisers; elsewhere use gw_str_make(). */
#define GW_STR(literal) \
    { (literal), sizeof(literal) - 1 }

/** A gw_str over a NUL-terminated C string, as an expression: for strings known only at run time
 * and for assignments and arguments, where GW_STR cannot go. NULL gives {NULL, 0}. The bytes are
 * not copied: they must outlive the gw_str's use.
 *     gw_str reason = gw_str_make(quiet ? "" : "Partly Cloudy");  */
static inline gw_str gw_str_make(const char* text) {
    gw_str s;
    s.ptr = text;
    s.len = text ? strlen(text) : 0;
    return s;
}

/** One response header line. The host validates and copies it in start_response(); the array
 * and its strings may be freed or reused as soon as start_response() returns. */
typedef struct gw_header {
    gw_str name;  /**< field name: a token (RFC 9110), compared case-insensitively */
    gw_str value; /**< field value: no CR, LF or NUL; leading/trailing blanks are trimmed */
} gw_header;

/** A gw_header from two NUL-terminated C strings (see gw_str_make), e.g. for headers built at run
 * time; start_response() copies them, so buffers on the stack are fine:
 *     char length[24];
 *     gw_header headers[2];
 *     snprintf(length, sizeof length, "%zu", body_len);
 *     headers[0] = gw_header_make("Content-Type", "application/json");
 *     headers[1] = gw_header_make("Content-Length", length);
 *     rc = api->start_response(req, 200, gw_str_make(NULL), headers, 2, 0);  */
static inline gw_header gw_header_make(const char* name, const char* value) {
    gw_header h;
    h.name = gw_str_make(name);
    h.value = gw_str_make(value);
    return h;
}

/** One key/value pair of an app's configuration section. */
typedef struct gw_config_entry {
    gw_str key;   /**< key as written in the config file */
    gw_str value; /**< value as text */
} gw_config_entry;

/** The configuration of one mount of an app, handed to init(). Every string in it IS
 * NUL-terminated (ptr[len] == '\0') for convenience. Owned by the host; valid only during
 * init(): copy what you need to keep. */
typedef struct gw_config {
    uint32_t size;                  /**< sizeof(gw_config) as the host knows it */
    uint32_t count;                 /**< number of entries */
    const gw_config_entry* entries; /**< every key of the app's section, in file order, including
                                         the ones the host interprets (mount, body_limit, ...)
                                         where the file writes them; a key written twice comes
                                         once, at its first place, with its last value */
    gw_str mount;                   /**< the effective mount prefix, e.g. "/hello" ("" for "/") */
} gw_config;

/** An HTTP request being served. Opaque; owned by the host. Valid only in request scope and only
 * on the thread currently running call(), next() or close() for it. */
typedef struct gw_request gw_request;

typedef struct gw_host_api gw_host_api;

/* ---------------------------------------------------------------------------------------------
 * Response body: a pull iterator
 * ------------------------------------------------------------------------------------------- */

/**
 * The response body, filled in by call() (WSGI's returned iterable). The host zero-fills it
 * before call(); leaving it zeroed means "no body beyond what write() sent".
 *
 * The host pulls chunks when the socket can take them, so a slow client never makes it buffer an
 * unbounded body (backpressure). Calls to next() and close() for one body never overlap; they may
 * come from a thread other than the one that ran call(), and for a GW_APP_NON_BLOCKING app from
 * the event loop thread (so they must not block there).
 */
typedef struct gw_body {
    /** Whatever the app needs to produce the body; passed back to next() and close(). The host
     * never dereferences it. May point to request-arena memory (api->alloc). */
    void* self;

    /**
     * Produce the next chunk. May be NULL: no body (beyond write()).
     * The host sets *chunk to {NULL, 0} before each call. Return:
     *   GW_OK        with *chunk = bytes to send; more will follow. Empty chunks are skipped.
     *   GW_BODY_END  with *chunk = the last bytes (may be empty). A body whose very first next()
     *                returns GW_BODY_END gets a Content-Length from the host if the app set none.
     *   negative     the body failed: before the first byte is sent the client gets 500, after
     *                it the connection is closed (the client sees a truncated response).
     * Chunk bytes are owned by the app and must stay valid and unchanged until the next call to
     * next() or close(), whichever comes first. next() may call api->read_body() and api->log()
     * and api->alloc() for req; not write() or start_response() (GW_E_STATE).
     * After GW_BODY_END or an error, next() is not called again.
     */
    int32_t (*next)(void* self, const gw_host_api* api, gw_request* req, gw_str* chunk);

    /**
     * Release the body. May be NULL. If non-NULL after call() returns -- whatever call() returned
     * -- the host calls it exactly once: after the last next(), after an error, after the client
     * went away, or without any next() (HEAD, 204, 304, declined or failed calls). Request-scope
     * memory (the arena, environ strings) is still valid during close() and freed right after.
     */
    void (*close)(void* self);
} gw_body;

/* ---------------------------------------------------------------------------------------------
 * Constants for the host table
 * ------------------------------------------------------------------------------------------- */

/** start_response() flag: replace a response started earlier (WSGI's exc_info). Allowed only
 * before the first body byte is sent; without it a second start_response() is GW_E_STATE. */
#define GW_RESPONSE_REPLACE 0x1u
/** start_response() flag: close the connection after this response (the app may not send a
 * Connection header itself). */
#define GW_RESPONSE_CLOSE 0x2u

/** Log levels (syslog severities) for api->log(). Lower is more severe. */
#define GW_LOG_ERROR 3
#define GW_LOG_WARNING 4
#define GW_LOG_INFO 6
#define GW_LOG_DEBUG 7

/* ---------------------------------------------------------------------------------------------
 * Host services
 * ------------------------------------------------------------------------------------------- */

/**
 * The table of host services, passed to init() and to every call(), next(). Owned by the host,
 * never NULL, constant and valid from init() until fini() returns, so an app may keep the
 * pointer in its state. Every function pointer of the app's minor version is non-NULL (a fake
 * host may implement some as returning GW_E_UNSUPPORTED).
 *
 * Threads: functions taking a gw_request* may only be called for a request that is in request
 * scope, on the thread currently running call(), next() or close() for it (they are not
 * thread-safe per request; different requests are independent). log() with a NULL request and
 * strerror() may be called from any thread at any time between init() and the end of fini().
 *
 * Blocking: read_body() and write() block the calling thread while waiting for the client (the
 * host runs blocking apps on a thread pool). For a GW_APP_NON_BLOCKING app running on the event
 * loop the host guarantees they never block: it calls such an app on the loop only when the whole
 * request body is already buffered, and write() then queues the bytes.
 */
struct gw_host_api {
    /** The host's ABI version, (major << 16) | minor, >= the plugin's own. */
    uint32_t abi_version;
    /** sizeof(gw_host_api) as the host knows it. Use GW_API_HAS() before calling a function that
     * a later minor added. */
    uint32_t size;

    /**
     * Look up one environ entry by exact (case-sensitive) name, e.g. "PATH_INFO", "HTTP_HOST",
     * "gateway.url_scheme". name need not be NUL-terminated.
     * On GW_OK *value points at host-owned bytes valid for the request scope (not NUL-terminated).
     * Returns GW_OK, GW_NOT_FOUND (*value set to {NULL, 0}), GW_E_INVAL (NULL req/value, or NULL
     * name with name_len > 0), GW_E_STATE (request not in scope).
     */
    int32_t (*get)(gw_request* req, const char* name, size_t name_len, gw_str* value);

    /** Number of environ entries of the request (0 if req is NULL or not in scope). */
    size_t (*environ_count)(gw_request* req);

    /**
     * The environ entry at index (0 <= index < environ_count(req)); the order is stable for the
     * request but otherwise unspecified. Strings are host-owned, valid for the request scope, not
     * NUL-terminated.
     * Returns GW_OK, GW_NOT_FOUND (index out of range; *name and *value set to {NULL, 0}),
     * GW_E_INVAL (NULL pointer), GW_E_STATE.
     */
    int32_t (*environ_at)(gw_request* req, size_t index, gw_str* name, gw_str* value);

    /**
     * Read up to cap bytes of the request body into buf, de-chunked. By default the host read
     * the whole body before call() (request buffering), so this never waits for the client; for
     * a mount with request buffering off it blocks until at least one byte is available, the
     * body ends, or an error, and the first call answers "Expect: 100-continue" if the client
     * asked and nothing has been sent yet. *n_read is set on every return (0 on error). The app
     * need not read the whole body: the host drains the rest or closes.
     * Returns GW_OK with *n_read > 0; GW_OK with *n_read == 0 at the end of the body (and on
     * every later call; also when cap == 0); GW_E_TOO_LARGE when the body passes the mount's
     * limit; GW_E_PROTOCOL for broken chunked framing; GW_E_TIMEOUT when the client sends too
     * slowly; GW_E_IO when the client is gone; GW_E_INVAL (NULL buf with cap > 0, NULL n_read);
     * GW_E_STATE. Errors are sticky: later calls return the same code. When call() then fails,
     * the host answers according to that input error (413, 400, 408, or nothing if gone).
     */
    int32_t (*read_body)(gw_request* req, void* buf, size_t cap, size_t* n_read);

    /**
     * Set the response status and headers (WSGI's start_response). Validated and copied: the
     * arguments may be reused as soon as it returns. Nothing is sent until the first body byte
     * (or write()), so a call with GW_RESPONSE_REPLACE replaces an earlier response until then.
     *   status   200..599 (1xx is the host's business).
     *   reason   reason phrase, or {NULL, 0} for the standard one; no CR, LF, NUL or controls.
     *   headers  n_headers entries (headers may be NULL if n_headers is 0). Names must be tokens;
     *            values must not contain CR, LF, NUL or other controls except HTAB. Rejected
     *            names: Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, TE, Trailer,
     *            Upgrade (hop-by-hop: the host owns framing) and Date, Server (the host sets
     *            them). Content-Length must be one decimal number, at most once, and not with
     *            204. Repeated names are sent as repeated lines, in order.
     *   flags    0 or GW_RESPONSE_REPLACE | GW_RESPONSE_CLOSE; other bits are GW_E_INVAL.
     * Returns GW_OK; GW_E_INVAL (the reason is logged with the offending header; the previous
     * response, if any, stays in place); GW_E_STATE (already started without REPLACE, or the first
     * body byte is already sent, or called from next()/close()); GW_E_NOMEM; GW_E_IO.
     */
    int32_t (*start_response)(gw_request* req, uint32_t status, gw_str reason,
                              const gw_header* headers, size_t n_headers, uint32_t flags);

    /**
     * Send body bytes now (the imperative escape hatch; prefer gw_body). Sends the head first if
     * it is not sent yet, which commits the framing: the app's Content-Length if it set one, else
     * chunked on HTTP/1.1 and close-delimited on HTTP/1.0. write(req, NULL, 0) just commits and
     * flushes the head. Bytes written come before anything the gw_body produces. For HEAD, 204
     * and 304 the bytes are accepted and discarded. Only from call(). Blocks while the client is
     * slow (see above). data is copied or sent before it returns.
     * Returns GW_OK; GW_E_STATE (no start_response() yet, outside call(), or more bytes than the
     * app's Content-Length: the excess is not sent); GW_E_INVAL (NULL data with len > 0);
     * GW_E_IO (client gone); GW_E_TIMEOUT (client did not read in time).
     */
    int32_t (*write)(gw_request* req, const void* data, size_t len);

    /**
     * Write a line to the gateway's error log (WSGI's wsgi.errors), tagged with the app, its
     * mount and, if req is not NULL, the request's id (gateway.request_id):
     *     hello at /hello: msg                        (req NULL, from init() or fini())
     *     hello at /hello [request_id=4f1c...]: msg   (req in request scope)
     * msg need not be NUL-terminated and should not end with a newline; control characters are
     * escaped. level is one of GW_LOG_*; smaller values log as GW_LOG_ERROR, larger as
     * GW_LOG_DEBUG. Never fails, never blocks for long. req may be NULL (from init(), fini(),
     * call(), next(), close() or an app's own threads); on a thread of the app's own the host
     * cannot tell the mount, and the line is tagged "app" alone.
     */
    void (*log)(gw_request* req, int32_t level, gw_str msg);

    /**
     * Allocate n bytes of request-scope memory, aligned for any type (alignof(max_align_t)). The
     * host frees it all after the request scope ends; the app never frees it. Returns NULL when
     * req is NULL or not in scope, when n is 0, or when the host is out of memory or over its
     * per-request arena cap.
     */
    void* (*alloc)(gw_request* req, size_t n);

    /** A static, NUL-terminated English message for any result code (never NULL; unknown codes
     * give "unknown error"). Any thread, any time. */
    const char* (*strerror)(int32_t code);

    /* ---- ABI 1.1 (check GW_API_HAS(api, send_file) in a plugin that declares 1.0) ---- */

    /**
     * Send length bytes of the open file fd, from offset, as the whole response body, without
     * copying them through the app (the host uses sendfile(2)). The host takes fd over at the
     * call: it closes fd on EVERY return, success or error, once the bytes are sent or no longer
     * needed; the app never closes it (open it with O_CLOEXEC).
     * When: only from call(), after start_response(), instead of write() and gw_body: not after
     * a write() (not even write(req, NULL, 0)), at most once per request. The file is sent after
     * call() returns; a gw_body filled besides is not pulled (its close() is still called).
     * Framing: Content-Length is length (the host adds it; an app Content-Length must equal
     * length). HEAD, 204 and 304 send the head only and never read fd. The file must not shrink
     * while it is sent: if it ends before offset + length the connection is closed (the client
     * sees a truncated response). A slow client blocks neither the event loop nor a pool thread.
     * Returns GW_OK (queued); GW_E_INVAL (fd not an open regular file, offset + length past its
     * end, a Content-Length other than length); GW_E_STATE (outside call(), before
     * start_response(), after write() or send_file()); GW_E_IO (client gone). fd is closed in
     * every case.
     */
    int32_t (*send_file)(gw_request* req, int fd, uint64_t offset, uint64_t length);
};

/** True if the host table api provides member (i.e. the host's table is large enough). Only
 * needed for functions added after the minor version the plugin declares. Example:
 * if (GW_API_HAS(api, some_future_call)) api->some_future_call(...); */
#define GW_API_HAS(api, member) \
    ((api)->size >= offsetof(gw_host_api, member) + sizeof(((gw_host_api*)0)->member))

/* ---------------------------------------------------------------------------------------------
 * The app descriptor
 * ------------------------------------------------------------------------------------------- */

/** Flag: call(), next() and close() may run concurrently for different requests of the same
 * mount. Without it the host never runs two of them at once for that mount (serialised). */
#define GW_APP_THREAD_SAFE 0x1u
/** Flag: call(), next() and close() never block (no sleeping, no blocking I/O), so the host may
 * run them on its event loop thread. Honoured only together with GW_APP_THREAD_SAFE. */
#define GW_APP_NON_BLOCKING 0x2u

/**
 * What a plugin is: a static, constant descriptor returned by gw_app_entry(). The host reads it
 * right after loading and never writes it; it must stay valid until the plugin is unloaded.
 *
 * An app is mounted at "/" + name unless the gateway config says otherwise (there is no field for
 * the mount). One plugin may be mounted several times: each mount is one instance with its own
 * config, init()/state/fini(). The plugin's global variables are shared by all instances in a
 * worker process, and not shared between worker processes.
 */
typedef struct gw_app {
    uint32_t magic;       /**< GW_APP_MAGIC */
    uint32_t abi_version; /**< GW_ABI_VERSION the plugin was built against */
    uint32_t size;        /**< sizeof(gw_app) */
    uint32_t flags;       /**< GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING, or 0 */

    /** NUL-terminated, static. The default mount: 1 to 64 characters of [A-Za-z0-9_-]. */
    const char* name;
    /** NUL-terminated, static, free form (e.g. "1.2.0"); shown by `gateway check`. Not NULL. */
    const char* version;
    /** NUL-terminated, static, one line; may be NULL. */
    const char* description;

    /**
     * Set up one mount instance. May be NULL (state is then NULL). Called once per mount in each
     * worker process, before any call() of that mount, on a thread where blocking is fine.
     *   api      the host table, valid until fini() returns.
     *   config   the mount's config section; valid during init() only.
     *   state    out: the instance state handed to call() and fini() (initially NULL).
     *   errbuf   on failure, write a NUL-terminated message here (at most errbuf_len bytes,
     *            including the NUL); the host logs it with the plugin's file name.
     * Returns GW_OK, or a negative code: the mount is not served (other apps are) and fini() is
     * NOT called, so release everything before returning an error.
     */
    int32_t (*init)(const gw_host_api* api, const gw_config* config, void** state, char* errbuf,
                    size_t errbuf_len);

    /**
     * Handle one request (WSGI's application(environ, start_response)). Required.
     * Threads: see GW_APP_THREAD_SAFE and GW_APP_NON_BLOCKING.
     *   state     what init() stored.
     *   api       the host table.
     *   req       the request; use it only in request scope through api.
     *   body_out  zero-filled by the host; fill it to stream a body.
     * Returns:
     *   GW_OK        a response was started (start_response()); the host sends what write() did
     *                not, then pulls body_out. GW_OK without a started response gives 500.
     *   GW_DECLINED  not mine: routing falls through (next mount, then static files).
     *   negative     failure: before the first body byte the client gets 500 (413 for
     *                GW_E_TOO_LARGE; or what a failed read_body() implies); after it the
     *                connection is closed. Logged with api->strerror(code).
     * Whatever it returns, body_out->close (if set) is called exactly once.
     */
    int32_t (*call)(void* state, const gw_host_api* api, gw_request* req, gw_body* body_out);

    /**
     * Tear down one mount instance. May be NULL. Called once per successful init(), after the
     * last body of the instance was closed, never concurrently with anything of the instance.
     */
    void (*fini)(void* state);
} gw_app;

/* ---------------------------------------------------------------------------------------------
 * The entry point
 * ------------------------------------------------------------------------------------------- */

/** Marks the entry point exported (plugins are best built with -fvisibility=hidden). */
#if defined(_WIN32) || defined(__CYGWIN__)
#define GW_EXPORT __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define GW_EXPORT __attribute__((visibility("default")))
#else
#define GW_EXPORT
#endif

/** Type of the entry point, for dlsym(handle, GW_APP_ENTRY_SYMBOL). */
typedef const gw_app* (*gw_app_entry_fn)(uint32_t host_abi_version);

/**
 * The one function a plugin defines and exports. host_abi_version is the host's
 * GW_ABI_VERSION. Returns a pointer to a static gw_app, or NULL to refuse this host (e.g. a host
 * too old for what the plugin needs); the host then reports the plugin as not loadable. Called
 * once per load, before anything else, on the loading thread; it must not call into the host.
 */
GW_EXPORT const gw_app* gw_app_entry(uint32_t host_abi_version);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GATEWAY_GATEWAY_H */
