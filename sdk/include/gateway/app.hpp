// app.hpp - the C++17 wrapper for Gateway plugins (header-only; needs only gateway/gateway.h).
//
// A complete plugin:
//
//     #include "gateway/app.hpp"
//
//     class Hello {
//     public:
//         explicit Hello(const gateway::sdk::Config&) {}
//         gateway::sdk::Body call(gateway::sdk::Request& request) {
//             request.startResponse(200, {{"Content-Type", "text/plain"}});
//             return gateway::sdk::Body::fromString("Hello, World!");
//         }
//     };
//
//     GATEWAY_APP(Hello, "hello", "1.0.0", GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING)
//
// Build it with gateway_add_app(hello SOURCES hello.cpp) (CMake package GatewaySDK), drop hello.so
// into the gateway's apps folder, and GET /hello.
//
// How the pieces map to the C ABI (gateway.h, sdk/docs/SPEC.md):
//   - GATEWAY_APP emits gw_app_entry() and a constant gw_app descriptor. The host's init()
//     constructs one Class per mount from its Config, call() runs Class::call(Request&) per
//     request, fini() deletes the instance.
//   - Config reads the mount's section: get(key), and typed getters size(), duration(),
//     boolean(), integer() with the gateway's own syntax ("9m", "500ms", "on"); a bad value
//     throws ConfigError, which fails init with a message naming the key.
//   - Request wraps the host table (environ, read_body, start_response, write, log, alloc).
//     Outside a request (constructor, destructor, the app's threads) gateway::sdk::log() writes
//     to the error log through the table GATEWAY_APP's init kept.
//   - Body is the pull iterator the host drains with backpressure; its close() is the Body's
//     destructor, run exactly once.
//   - call() may return a Response instead of a Body: status, headers and body as one value
//     (Response::text, html, json, of, file; Response(204).header(...)). The wrapper starts it
//     and sets Content-Length for a body of known size, so HEAD is framed exactly as GET.
//   - Request helpers for what apps parse: queryParams() and form() (decoded multimaps),
//     pathSegments(), cookie(), contentType(), negotiate() (Accept), bodyLimit(), readAll()
//     throwing BodyTooLarge the app may catch, evaluatePreconditions() (304 / 412). The pure
//     parsers behind them live in url.hpp, headers.hpp, conditional.hpp and json.hpp; usable
//     without a host. A Router (router.hpp) dispatches on method and path with parameters,
//     and answers 404 and 405 (with Allow) itself.
//   - Exceptions never cross the ABI: every trampoline is noexcept and catches everything.
//     throw Error(404, "...")  -> a 404 text/plain response (if nothing was sent yet);
//                                 Error::json(404, "{...}").withHeader(...) answers in JSON,
//     throw Error::code(GW_E_TOO_LARGE, "...") -> that code is returned to the host (413),
//     throw Declined()         -> GW_DECLINED: the next mount or a static file answers,
//     any other exception      -> logged with what(), GW_E_APP: the host answers 500 (or closes
//                                 the connection if the first byte was already sent).
//
// Names live in namespace gateway::sdk (not gateway, so a test may include the gateway's own
// classes and this header together).
#ifndef GATEWAY_APP_HPP
#define GATEWAY_APP_HPP

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <exception>
#include <initializer_list>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "gateway/conditional.hpp"
#include "gateway/detail/units.hpp"
#include "gateway/gateway.h"
#include "gateway/headers.hpp"
#include "gateway/json.hpp"
#include "gateway/url.hpp"

namespace gateway::sdk {

/// The SPEC text for a result code ("invalid argument" for GW_E_INVAL, ...); never null.
/// Same texts as gw_host_api::strerror, usable without a host.
inline const char* errorText(int32_t code) noexcept {
    switch (code) {
        case GW_OK:
            return "ok";
        case GW_DECLINED:
            return "declined";
        case GW_BODY_END:
            return "end of body";
        case GW_NOT_FOUND:
            return "not found";
        case GW_E_INVAL:
            return "invalid argument";
        case GW_E_NOMEM:
            return "out of memory";
        case GW_E_IO:
            return "connection closed";
        case GW_E_STATE:
            return "not allowed in this state";
        case GW_E_TOO_LARGE:
            return "too large";
        case GW_E_TIMEOUT:
            return "timed out";
        case GW_E_APP:
            return "application error";
        case GW_E_PROTOCOL:
            return "malformed request";
        case GW_E_UNSUPPORTED:
            return "not supported";
        default:
            return "unknown error";
    }
}

/// Response header lines owned by their holder (Error, Response): (name, value), in order.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// A failure with an HTTP answer or a result code for the host.
///
/// Error(status, message): if nothing was sent yet, the wrapper replaces any started response
/// with `status` and `message` as a text/plain body; after the first byte it returns GW_E_APP.
/// Error::json(status, body) answers with a JSON body instead, and withHeader() adds header
/// lines, e.g. for a 401 in the app's own format:
///     #include "gateway/app.hpp"
///
///     void requireToken(const gateway::sdk::Request& request) {
///         if (!request.header("Authorization"))
///             throw gateway::sdk::Error::json(401, R"({"error":"token required"})")
///                 .withHeader("WWW-Authenticate", "Bearer");
///     }
/// Error::code(code, message): the wrapper returns `code` (a negative GW_E_*) to the host, which
/// answers per SPEC section 7 (e.g. GW_E_TOO_LARGE -> 413, others -> 500).
/// Request methods throw Error::code(...) when a host call fails.
class Error : public std::runtime_error {
public:
    /// An HTTP error response: status 200..599 (usually 4xx/5xx), message sent as the body.
    Error(int status, const std::string& message)
        : std::runtime_error(message), _status(status), _code(GW_E_APP) {}

    /// An HTTP error response with a JSON body (already serialised; see json.hpp).
    static Error json(int status, const std::string& body) {
        return Error(status, body).withContentType(kJsonType);
    }

    /// A result code for the host (negative GW_E_*; other values count as GW_E_APP). The wrapper
    /// logs the message at ERROR, except for the client's doing (GW_E_TOO_LARGE, GW_E_PROTOCOL,
    /// GW_E_IO, GW_E_TIMEOUT), which the host logs itself at INFO, naming the request.
    static Error code(int32_t code, const std::string& message) {
        Error error(0, message);
        error._code = code < 0 ? code : GW_E_APP;
        return error;
    }

    /// Adds a header line to the error response (Allow, WWW-Authenticate, Retry-After, ...).
    Error& withHeader(std::string_view name, std::string_view value) & {
        _headers.emplace_back(name, value);
        return *this;
    }
    Error&& withHeader(std::string_view name, std::string_view value) && {
        return std::move(withHeader(name, value));
    }
    /// Sets the body's media type (default "text/plain; charset=utf-8").
    Error& withContentType(std::string_view type) & {
        _contentType.assign(type);
        return *this;
    }
    Error&& withContentType(std::string_view type) && { return std::move(withContentType(type)); }

    /// HTTP status to answer with, or 0 for a code-only error.
    int status() const noexcept { return _status; }
    /// The negative result code returned to the host when no HTTP answer is possible.
    int32_t code() const noexcept { return _code; }
    /// The response body: the message.
    std::string_view body() const noexcept { return what(); }
    /// The body's media type.
    std::string_view contentType() const noexcept {
        return _contentType.empty() ? std::string_view("text/plain; charset=utf-8")
                                    : std::string_view(_contentType);
    }
    /// Header lines added with withHeader(), in order.
    const HeaderList& headers() const noexcept { return _headers; }

private:
    int _status;
    int32_t _code;
    std::string _contentType;  // empty: text/plain
    HeaderList _headers;
};

/// The request body passed a limit: readAll()'s own, or the mount's (read_body returned
/// GW_E_TOO_LARGE). Left uncaught it is Error::code(GW_E_TOO_LARGE): the host answers 413 with
/// its own small body. Catch it to answer in the app's format:
///     #include "gateway/app.hpp"
///
///     gateway::sdk::Response create(gateway::sdk::Request& request) {
///         std::string note;
///         try {
///             note = request.readAll(64 * 1024);
///         } catch (const gateway::sdk::BodyTooLarge&) {
///             return gateway::sdk::Response::json(R"({"error":"note too large"})", 413);
///         }
///         return gateway::sdk::Response::json(R"({"stored":true})", 201);
///     }
class BodyTooLarge : public Error {
public:
    explicit BodyTooLarge(const std::string& message)
        : Error(Error::code(GW_E_TOO_LARGE, message)) {}
};

/// A bad value in the app's config section, thrown by Config's typed getters. The message names
/// the key, the value and the expected syntax:
///     max_upload: "9x" is not a SIZE (512, 8k, 16m, 1g)
/// When it leaves the app's constructor (the usual place to read config), GATEWAY_APP's init
/// turns it into an init failure (GW_E_INVAL) with that message, which the gateway logs and
/// `gateway -t` / `gateway check` print: the mount is not served.
class ConfigError : public Error {
public:
    ConfigError(std::string_view key, std::string_view value, std::string_view expected)
        : Error(Error::code(GW_E_INVAL, message(key, value, expected))), _key(key), _value(value) {}

    /// The offending key and its value as written.
    const std::string& key() const noexcept { return _key; }
    const std::string& value() const noexcept { return _value; }

private:
    static std::string message(std::string_view key, std::string_view value,
                               std::string_view expected) {
        std::string text(key);
        text.append(": \"").append(value).append("\" is not ").append(expected);
        return text;
    }
    std::string _key;
    std::string _value;
};

/// Thrown from Class::call(): "not mine" (GW_DECLINED). Routing falls through to the next
/// mount, then to static files. Throw it before starting a response or reading the body.
class Declined : public std::exception {
public:
    const char* what() const noexcept override { return "declined"; }
};

/// One response header line for Request::startResponse(). The views need to live only until
/// startResponse() returns (the host copies them).
struct Header {
    std::string_view name;
    std::string_view value;
};

namespace detail {

#if defined(__GNUC__) || defined(__clang__)
#define GATEWAY_SDK_HIDDEN __attribute__((visibility("hidden")))
#else
#define GATEWAY_SDK_HIDDEN
#endif

/// The host table kept for log() outside a request. GATEWAY_APP's init stores it (the host hands
/// every mount the same table, valid until fini returns) and the last fini forgets it. Hidden:
/// each plugin has its own slot, and it never becomes an STB_GNU_UNIQUE symbol.
struct HostSlot {
    std::atomic<const gw_host_api*> api{nullptr};
    std::atomic<unsigned> mounts{0};
};
GATEWAY_SDK_HIDDEN inline HostSlot& hostSlot() noexcept {
    static HostSlot slot;
    return slot;
}

}  // namespace detail

/// The host table outside a request: set from the first mount's init (before the app's
/// constructor runs) until the last mount's fini (after its destructor), else nullptr.
/// Inside call() use Request::api() instead.
inline const gw_host_api* hostApi() noexcept {
    return detail::hostSlot().api.load(std::memory_order_acquire);
}

/// A line in the gateway's error log from outside a request: the app's constructor or
/// destructor, or a thread of its own (api->log with a NULL request; any thread may call it).
/// level: GW_LOG_ERROR ... GW_LOG_DEBUG. Does nothing while hostApi() is nullptr. An app's
/// threads must end before its destructor returns (after fini the plugin may be unloaded):
///     class Cache {
///     public:
///         explicit Cache(const gateway::sdk::Config&)
///             : _refresher([] { gateway::sdk::log(GW_LOG_DEBUG, "cache refreshed"); }) {
///             gateway::sdk::log(GW_LOG_INFO, "cache warming up");
///         }
///         ~Cache() { _refresher.join(); }
///         gateway::sdk::Body call(gateway::sdk::Request& request);
///     private:
///         std::thread _refresher;
///     };
/// In call(), Request::log() tags the line with the request too.
inline void log(int32_t level, std::string_view message) noexcept {
    if (const gw_host_api* api = hostApi())
        api->log(nullptr, level, gw_str{message.data(), message.size()});
}

/// The app's configuration section for one mount, handed to the app's constructor.
/// A view: valid only during the constructor. Copy what you keep.
class Config {
public:
    explicit Config(const gw_config* config) noexcept : _config(config) {}

    /// Value of `key` (exact match), or nullopt.
    std::optional<std::string_view> get(std::string_view key) const noexcept {
        for (std::size_t i = 0; i < size(); ++i) {
            const gw_config_entry& e = _config->entries[i];
            if (view(e.key) == key) return view(e.value);
        }
        return std::nullopt;
    }
    /// Value of `key`, or `fallback` when absent.
    std::string_view get(std::string_view key, std::string_view fallback) const noexcept {
        return get(key).value_or(fallback);
    }

    // Typed getters: `fallback` when the key is absent, the parsed value when it is well formed,
    // else they throw ConfigError naming the key, e.g.
    //     explicit Upload(const gateway::sdk::Config& config)
    //         : _limit(config.size("max_upload", 1 << 20)),                  // "9m"
    //           _poll(config.duration("poll", std::chrono::seconds(5))),     // "500ms"
    //           _verbose(config.boolean("verbose", false)),                  // "on"
    //           _retries(config.integer("retries", 3, 0, 10)) {}             // "5"
    // SIZE, DURATION and SWITCH use the gateway's own syntax (the same code parses its settings).

    /// A whole decimal number (optional '-') from `low` to `high`.
    std::int64_t integer(std::string_view key, std::int64_t fallback,
                         std::int64_t low = std::numeric_limits<std::int64_t>::min(),
                         std::int64_t high = std::numeric_limits<std::int64_t>::max()) const {
        const std::optional<std::string_view> text = get(key);
        if (!text) return fallback;
        std::int64_t value = 0;
        const char* end = text->data() + text->size();
        const auto [last, error] = std::from_chars(text->data(), end, value);
        if (text->empty() || error != std::errc() || last != end || value < low || value > high)
            throw ConfigError(key, *text, integerSyntax(low, high));
        return value;
    }
    /// A SWITCH: on/off, true/false, yes/no, 1/0 (any case; an empty value is off).
    bool boolean(std::string_view key, bool fallback) const {
        return typed(key, fallback, ::gateway::detail::parseSwitch, "a SWITCH",
                     ::gateway::detail::kSwitchSyntax);
    }
    /// A SIZE in bytes: 512, 8k, 16m, 1g (1024-based; the suffix in either case).
    /// (size() without arguments is the number of entries.)
    std::uint64_t size(std::string_view key, std::uint64_t fallback) const {
        return typed(key, fallback, ::gateway::detail::parseSize, "a SIZE",
                     ::gateway::detail::kSizeSyntax);
    }
    /// A DURATION: 500ms, 15s, 2m, 1h; a bare number is seconds; at most 100 days.
    std::chrono::milliseconds duration(std::string_view key,
                                       std::chrono::milliseconds fallback) const {
        return typed(key, fallback, ::gateway::detail::parseDuration, "a DURATION",
                     ::gateway::detail::kDurationSyntax);
    }
    /// Number of entries (including host keys such as mount, body_limit).
    std::size_t size() const noexcept { return _config ? _config->count : 0; }
    /// Entry i (0 <= i < size()) as {key, value}.
    std::pair<std::string_view, std::string_view> at(std::size_t i) const noexcept {
        return {view(_config->entries[i].key), view(_config->entries[i].value)};
    }
    /// The effective mount prefix, e.g. "/hello" ("" for a mount at "/").
    std::string_view mount() const noexcept {
        return _config ? view(_config->mount) : std::string_view();
    }
    /// The underlying C struct (may be null when a fake host passes none).
    const gw_config* raw() const noexcept { return _config; }

private:
    static std::string integerSyntax(std::int64_t low, std::int64_t high) {
        if (low == std::numeric_limits<std::int64_t>::min() &&
            high == std::numeric_limits<std::int64_t>::max())
            return "an INTEGER";
        return "an INTEGER from " + std::to_string(low) + " to " + std::to_string(high);
    }
    template <class T, class Parse>
    T typed(std::string_view key, T fallback, Parse parse, std::string_view what,
            std::string_view syntax) const {
        const std::optional<std::string_view> text = get(key);
        if (!text) return fallback;
        if (const auto value = parse(*text)) return *value;
        std::string expected(what);
        expected.append(" (").append(syntax).append(")");
        throw ConfigError(key, *text, expected);
    }
    static std::string_view view(gw_str s) noexcept {
        return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view();
    }
    const gw_config* _config;
};

class Response;

/// The request being served: a thin view over the host table. Valid only inside call() (and,
/// for the Request handed to a Body::generate callable, inside that callable). Not thread-safe.
/// Methods that call the host throw Error::code(code, ...) on failure; letting it propagate
/// returns that code to the host, which then answers as SPEC section 7 says.
class Request {
public:
    Request(const gw_host_api* api, gw_request* request) noexcept : _api(api), _request(request) {}

    /// Environ entry `name` (exact, e.g. "PATH_INFO", "HTTP_HOST", "gateway.url_scheme").
    std::optional<std::string_view> env(std::string_view name) const noexcept {
        gw_str value{nullptr, 0};
        if (_api->get(_request, name.data(), name.size(), &value) != GW_OK) return std::nullopt;
        return value.ptr ? std::string_view(value.ptr, value.len) : std::string_view();
    }
    /// Environ entry `name`, or `fallback` when absent.
    std::string_view env(std::string_view name, std::string_view fallback) const noexcept {
        return env(name).value_or(fallback);
    }
    /// Every environ entry as {name, value}, in the host's order.
    std::vector<std::pair<std::string_view, std::string_view>> environ() const {
        std::vector<std::pair<std::string_view, std::string_view>> out;
        const std::size_t n = _api->environ_count(_request);
        out.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            gw_str name{nullptr, 0}, value{nullptr, 0};
            if (_api->environ_at(_request, i, &name, &value) == GW_OK)
                out.emplace_back(view(name), view(value));
        }
        return out;
    }

    /// REQUEST_METHOD, e.g. "GET".
    std::string_view method() const noexcept { return env("REQUEST_METHOD", ""); }
    /// SCRIPT_NAME: the mount prefix ("" for "/").
    std::string_view scriptName() const noexcept { return env("SCRIPT_NAME", ""); }
    /// PATH_INFO: the decoded path below the mount ("" or starting with "/").
    std::string_view pathInfo() const noexcept { return env("PATH_INFO", ""); }
    /// QUERY_STRING: the raw query, not decoded ("" if none).
    std::string_view query() const noexcept { return env("QUERY_STRING", ""); }

    /// A request header by its HTTP name, case-insensitive ("User-Agent" reads
    /// HTTP_USER_AGENT; Content-Type and Content-Length read CONTENT_TYPE / CONTENT_LENGTH).
    /// Repeated headers come joined with ", ".
    std::optional<std::string_view> header(std::string_view name) const {
        std::string key = "HTTP_";
        key.reserve(5 + name.size());
        for (char c : name) key += c == '-' ? '_' : static_cast<char>(upper(c));
        if (key == "HTTP_CONTENT_TYPE" || key == "HTTP_CONTENT_LENGTH") key.erase(0, 5);
        return env(key);
    }

    /// The query string decoded: QUERY_STRING as FormData ("?tag=a&tag=b+c" -> tag: "a",
    /// "b c"; order and repeats kept). Throws Error(400) when a %-escape is malformed.
    FormData queryParams() const {
        std::optional<FormData> fields = FormData::parse(query());
        if (!fields) throw Error(400, "malformed query string");
        return std::move(*fields);
    }
    /// PATH_INFO split into its segments ("/notes/42" -> "notes", "42"); see PathSegments.
    PathSegments pathSegments() const noexcept { return PathSegments(pathInfo()); }
    /// The cookies of the Cookie header (none when absent); see Cookies.
    Cookies cookies() const noexcept { return Cookies(env("HTTP_COOKIE", "")); }
    /// The value of cookie `name`, or nullopt.
    std::optional<std::string_view> cookie(std::string_view name) const noexcept {
        return cookies().get(name);
    }
    /// The request's Content-Type, parsed; nullopt when absent or malformed (usually a 415).
    std::optional<MediaType> contentType() const noexcept {
        return MediaType::parse(env("CONTENT_TYPE", ""));
    }
    /// Which of the app's media types to answer with, by the Accept header (see negotiate() in
    /// headers.hpp); nullopt: none is acceptable, answer 406.
    ///     const auto type = request.negotiate({"application/json", "text/html"});
    std::optional<std::string_view> negotiate(
        std::initializer_list<std::string_view> offered) const {
        return ::gateway::sdk::negotiate(env("HTTP_ACCEPT", ""), offered);
    }
    /// The mount's body limit in bytes (gateway.body_limit): read_body fails with
    /// GW_E_TOO_LARGE past it. nullopt on a host older than SDK 1.1.
    std::optional<std::uint64_t> bodyLimit() const noexcept {
        return ::gateway::detail::parseDecimal(env("gateway.body_limit", ""));
    }
    /// The answer the conditional headers (If-None-Match, If-Modified-Since, If-Match,
    /// If-Unmodified-Since) call for, for this resource's ETag (`"v7"`, `W/"v7"`, or "") and
    /// last modification: a 304 (GET/HEAD; with the ETag), a 412, or nullopt to answer as
    /// usual. Rules: evaluatePreconditions() in conditional.hpp.
    ///     if (auto early = request.evaluatePreconditions(etag, mtime)) return std::move(*early);
    std::optional<Response> evaluatePreconditions(
        std::string_view etag, std::optional<std::time_t> lastModified = std::nullopt) const;

    /// Read up to n body bytes into buf; returns the count, 0 at the end of the body.
    /// Throws BodyTooLarge past the mount's body limit, Error::code(GW_E_PROTOCOL / GW_E_IO /
    /// ...) on other input errors.
    std::size_t read(void* buf, std::size_t n) {
        std::size_t got = 0;
        const int32_t rc = _api->read_body(_request, buf, n, &got);
        if (rc == GW_E_TOO_LARGE) throw BodyTooLarge("read_body: request body too large");
        if (rc != GW_OK) throw Error::code(rc, std::string("read_body: ") + errorText(rc));
        return got;
    }
    /// The whole body (for small bodies). More than `limit` bytes throws BodyTooLarge: the host
    /// answers 413, unless the app catches it and answers itself. `limit` may be the mount's:
    /// readAll(request.bodyLimit().value_or(1 << 20)). Prefer read() to stream big bodies.
    std::string readAll(std::size_t limit = 1u << 20) {
        std::string body;
        char buf[16384];
        for (;;) {
            const std::size_t n = read(buf, sizeof buf);
            if (n == 0) return body;
            if (body.size() + n > limit) throw BodyTooLarge("request body too large");
            body.append(buf, n);
        }
    }
    /// An application/x-www-form-urlencoded body (an HTML form's POST), decoded like
    /// queryParams(). Throws Error(415) for another Content-Type, Error(400) when malformed,
    /// BodyTooLarge past `limit`.
    FormData form(std::size_t limit = 1u << 20) {
        const std::optional<MediaType> type = contentType();
        if (!type || !type->is("application/x-www-form-urlencoded"))
            throw Error(415, "expected application/x-www-form-urlencoded");
        std::optional<FormData> fields = FormData::parse(readAll(limit));
        if (!fields) throw Error(400, "malformed form body");
        return std::move(*fields);
    }

    /// Set status and headers (WSGI's start_response). Nothing is sent until the first body
    /// byte, so a second call with GW_RESPONSE_REPLACE may replace it until then. `flags`:
    /// GW_RESPONSE_REPLACE, GW_RESPONSE_CLOSE. `reason` empty: the standard phrase.
    /// Throws Error::code(GW_E_INVAL / GW_E_STATE / ...) when the host refuses (e.g. a
    /// hop-by-hop header such as Connection; the host logs which).
    void startResponse(int status, std::initializer_list<Header> headers, uint32_t flags = 0,
                       std::string_view reason = {}) {
        startResponse(status, headers.begin(), headers.size(), flags, reason);
    }
    /// As above, with a vector of headers.
    void startResponse(int status, const std::vector<Header>& headers, uint32_t flags = 0,
                       std::string_view reason = {}) {
        startResponse(status, headers.data(), headers.size(), flags, reason);
    }
    /// As above, with an array of n headers.
    void startResponse(int status, const Header* headers, std::size_t n, uint32_t flags = 0,
                       std::string_view reason = {}) {
        constexpr std::size_t kInline = 16;
        gw_header inlineHeaders[kInline] = {};
        std::vector<gw_header> many;
        gw_header* out = inlineHeaders;
        if (n > kInline) {
            many.resize(n);
            out = many.data();
        }
        for (std::size_t i = 0; i < n; ++i)
            out[i] = gw_header{str(headers[i].name), str(headers[i].value)};
        if (status < 0) status = 0;
        const int32_t rc = _api->start_response(_request, static_cast<uint32_t>(status),
                                                str(reason), out, n, flags);
        if (rc != GW_OK) throw Error::code(rc, std::string("start_response: ") + errorText(rc));
        _started = true;
    }
    /// True once startResponse() succeeded on this Request.
    bool started() const noexcept { return _started; }

    /// Send bytes now (the imperative escape hatch; prefer returning a Body). Commits the
    /// response head: startResponse() is no longer replaceable. Throws Error::code on failure.
    void write(std::string_view data) {
        const int32_t rc = _api->write(_request, data.data(), data.size());
        if (rc != GW_OK) throw Error::code(rc, std::string("write: ") + errorText(rc));
        _committed = true;
    }
    /// True once write() was used: the head is sent, errors can no longer become responses.
    bool committed() const noexcept { return _committed; }

    /// A line in the gateway's error log (wsgi.errors). level: GW_LOG_ERROR ... GW_LOG_DEBUG.
    void log(int32_t level, std::string_view message) const noexcept {
        _api->log(_request, level, str(message));
    }

    /// n bytes of request-scope memory (freed by the host after the response; never free it).
    /// Returns nullptr on failure or for n == 0.
    void* alloc(std::size_t n) const noexcept { return _api->alloc(_request, n); }

    /// The C handles, for anything this class does not wrap.
    const gw_host_api* api() const noexcept { return _api; }
    gw_request* raw() const noexcept { return _request; }

private:
    static gw_str str(std::string_view s) noexcept { return gw_str{s.data(), s.size()}; }
    static std::string_view view(gw_str s) noexcept {
        return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view();
    }
    static int upper(char c) noexcept { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; }

    const gw_host_api* _api;
    gw_request* _request;
    bool _started = false;
    bool _committed = false;
};

namespace detail {

/// What a Body is made of: produces chunks for gw_body.next, dies in gw_body.close.
class BodySource {
public:
    virtual ~BodySource() = default;
    /// Fill *chunk (valid until the next call or destruction); GW_OK, GW_BODY_END or an error.
    virtual int32_t next(Request& request, gw_str* chunk) = 0;
};

class StringSource final : public BodySource {
public:
    explicit StringSource(std::string text) : _text(std::move(text)) {}
    int32_t next(Request&, gw_str* chunk) override {
        *chunk = gw_str{_text.data(), _text.size()};
        return GW_BODY_END;
    }

private:
    std::string _text;
};

class ChunksSource final : public BodySource {
public:
    explicit ChunksSource(std::vector<std::string> chunks) : _chunks(std::move(chunks)) {}
    int32_t next(Request&, gw_str* chunk) override {
        if (_next >= _chunks.size()) return GW_BODY_END;
        const std::string& c = _chunks[_next++];
        *chunk = gw_str{c.data(), c.size()};
        return _next == _chunks.size() ? GW_BODY_END : GW_OK;
    }

private:
    std::vector<std::string> _chunks;
    std::size_t _next = 0;
};

template <class F>
class GeneratorSource final : public BodySource {
public:
    explicit GeneratorSource(F f) : _f(std::move(f)) {}
    int32_t next(Request& request, gw_str* chunk) override {
        std::optional<std::string> piece;
        if constexpr (std::is_invocable_v<F&, Request&>)
            piece = _f(request);
        else
            piece = _f();
        if (!piece) return GW_BODY_END;
        _current = std::move(*piece);
        *chunk = gw_str{_current.data(), _current.size()};
        return GW_OK;
    }

private:
    F _f;
    std::string _current;
};

/// `length` bytes of an open file from `offset`, read in pieces of up to 64 KiB; owns `fd`.
class FileSource final : public BodySource {
public:
    FileSource(int fd, std::uint64_t offset, std::uint64_t length) noexcept
        : _fd(fd), _offset(offset), _left(length) {}
    ~FileSource() override { ::close(_fd); }
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    int32_t next(Request&, gw_str* chunk) override {
        if (_left == 0) return GW_BODY_END;
        constexpr std::uint64_t kPiece = 64 * 1024;
        if (_buffer.empty()) _buffer.resize(static_cast<std::size_t>(std::min(_left, kPiece)));
        const std::size_t want =
            static_cast<std::size_t>(std::min<std::uint64_t>(_left, _buffer.size()));
        ssize_t n;
        do n = ::pread(_fd, _buffer.data(), want, static_cast<off_t>(_offset));
        while (n < 0 && errno == EINTR);
        if (n < 0) throw Error::code(GW_E_APP, std::string("file read: ") + std::strerror(errno));
        if (n == 0) throw Error::code(GW_E_APP, "file read: the file shrank while being sent");
        _offset += static_cast<std::uint64_t>(n);
        _left -= static_cast<std::uint64_t>(n);
        *chunk = gw_str{_buffer.data(), static_cast<std::size_t>(n)};
        return _left == 0 ? GW_BODY_END : GW_OK;
    }

private:
    int _fd;
    std::uint64_t _offset;
    std::uint64_t _left;
    std::string _buffer;
};

}  // namespace detail

/// The response body returned by Class::call(): move-only, pulled by the host chunk by chunk
/// when the client can take more (backpressure), destroyed exactly once (gw_body.close) whatever
/// happens. A default-constructed Body is empty (no body beyond what Request::write() sent).
class Body {
public:
    /// No body.
    Body() noexcept = default;
    Body(Body&&) noexcept = default;
    Body& operator=(Body&&) noexcept = default;
    Body(const Body&) = delete;
    Body& operator=(const Body&) = delete;

    /// The whole body in one piece. It is the only (GW_BODY_END) chunk, so the host sets
    /// Content-Length itself when the app did not.
    static Body fromString(std::string text) {
        return Body(std::make_unique<detail::StringSource>(std::move(text)));
    }
    /// A body sent as these chunks, in order (each an HTTP chunk on a chunked response).
    /// A single chunk behaves like fromString().
    static Body fromChunks(std::vector<std::string> chunks) {
        return Body(std::make_unique<detail::ChunksSource>(std::move(chunks)));
    }
    /// A streamed body: `f` is called each time the host wants a chunk and returns the next
    /// chunk, or std::nullopt at the end. `f` may take a Request& (to read the request body or
    /// log; not to start a response or write). It runs after call() returned, possibly on
    /// another thread, so capture by value. An exception from `f` ends the response (500 before
    /// the first byte, else a closed connection).
    template <class F>
    static Body generate(F f) {
        static_assert(std::is_invocable_v<F&> || std::is_invocable_v<F&, Request&>,
                      "Body::generate needs a callable f() or f(Request&) "
                      "returning std::optional<std::string>");
        return Body(std::make_unique<detail::GeneratorSource<F>>(std::move(f)));
    }

    /// `length` bytes of the open file `fd` from `offset`, read as the host pulls them. The Body
    /// owns `fd` from here on and closes it when done, whatever happens. (Response::file() sets
    /// the headers too and lets the host send the file itself when it can.)
    static Body fromFile(int fd, std::uint64_t length, std::uint64_t offset = 0) {
        try {
            return Body(std::make_unique<detail::FileSource>(fd, offset, length));
        } catch (...) {
            ::close(fd);
            throw;
        }
    }

    /// True when there is no body.
    bool empty() const noexcept { return !_source; }

    /// For the trampolines: hand the source over to a gw_body (the host then owns it).
    void release(gw_body* out) noexcept {
        if (!_source) return;
        out->self = _source.release();
        out->next = &Body::nextTrampoline;
        out->close = &Body::closeTrampoline;
    }

private:
    explicit Body(std::unique_ptr<detail::BodySource> source) noexcept
        : _source(std::move(source)) {}

    static int32_t nextTrampoline(void* self, const gw_host_api* api, gw_request* req,
                                  gw_str* chunk) noexcept {
        Request request(api, req);
        try {
            return static_cast<detail::BodySource*>(self)->next(request, chunk);
        } catch (const Error& e) {
            request.log(GW_LOG_ERROR, std::string("body failed: ") + e.what());
            return e.code();
        } catch (const std::exception& e) {
            request.log(GW_LOG_ERROR, std::string("body failed: exception: ") + e.what());
        } catch (...) {
            request.log(GW_LOG_ERROR, "body failed: unknown exception");
        }
        return GW_E_APP;
    }
    static void closeTrampoline(void* self) noexcept {
        delete static_cast<detail::BodySource*>(self);  // destructors must not throw
    }

    std::unique_ptr<detail::BodySource> _source;
};

namespace detail {

template <class Api, class = void>
struct HasSendFile : std::false_type {};
template <class Api>
struct HasSendFile<Api, std::void_t<decltype(std::declval<const Api&>().send_file)>>
    : std::true_type {};

/// Whether the host table has api->send_file (ABI 1.1). A template so that it compiles against
/// a gateway.h without the member too; the size check is GW_API_HAS spelled for a dependent type.
template <class Api>
bool hostSendsFiles(const Api* api) noexcept {
    if constexpr (HasSendFile<Api>::value)
        return api->size >= offsetof(Api, send_file) + sizeof(api->send_file) && api->send_file;
    (void)api;
    return false;
}

/// api->send_file, which takes `fd` over (the host closes it on every return), when the host
/// has it (hostSendsFiles); else GW_E_UNSUPPORTED with `fd` left open for the caller.
template <class Api>
int32_t sendFile(const Api* api, gw_request* req, int fd, std::uint64_t offset,
                 std::uint64_t length) noexcept {
    if constexpr (HasSendFile<Api>::value) {
        if (hostSendsFiles(api)) return api->send_file(req, fd, offset, length);
    }
    (void)api, (void)req, (void)fd, (void)offset, (void)length;
    return GW_E_UNSUPPORTED;
}

}  // namespace detail

/// A whole response as a value: status, headers and body. Class::call() may return one instead
/// of a Body (GATEWAY_APP accepts either); the wrapper then starts it (replacing a response the
/// app started itself) and hands its body to the host:
///     #include "gateway/app.hpp"
///
///     class Notes {
///     public:
///         explicit Notes(const gateway::sdk::Config&) {}
///         gateway::sdk::Response call(gateway::sdk::Request& request) {
///             if (request.method() == "POST")
///                 return gateway::sdk::Response::json(R"({"id":7})", 201)
///                     .header("Location", "/notes/7");
///             return gateway::sdk::Response::text("Hello, World!");
///         }
///     };
///
///     GATEWAY_APP(Notes, "notes", "1.0.0", GW_APP_THREAD_SAFE)
/// A body of known size (text(), html(), json(), of(), file()) gets its Content-Length from the
/// Response, so HEAD is framed exactly as GET (RFC 9110 §9.3.2); 204 and 304 get neither body
/// nor Content-Length. Move-only; build it with the chainable setters.
class Response {
public:
    /// No body, e.g. Response(204), Response(303).header("Location", "/notes/7").
    explicit Response(int status = 200) noexcept : _status(status) {}
    /// The answer an Error stands for: its status, Content-Type, headers and body.
    explicit Response(const Error& error) : _status(error.status()), _text(error.body()) {
        _headers.reserve(error.headers().size() + 1);
        _headers.emplace_back("Content-Type", error.contentType());
        _headers.insert(_headers.end(), error.headers().begin(), error.headers().end());
    }

    /// `body` as `contentType` (the one factory behind the ones below).
    static Response of(std::string_view contentType, std::string body, int status = 200) {
        Response response(status);
        response._headers.emplace_back("Content-Type", contentType);
        response._text = std::move(body);
        return response;
    }
    /// text/plain; charset=utf-8.
    static Response text(std::string body, int status = 200) {
        return of("text/plain; charset=utf-8", std::move(body), status);
    }
    /// text/html; charset=utf-8.
    static Response html(std::string body, int status = 200) {
        return of("text/html; charset=utf-8", std::move(body), status);
    }
    /// application/json, from text the app serialised (jsonEscape() in json.hpp helps with the
    /// simplest cases).
    static Response json(std::string serialised, int status = 200) {
        return of(kJsonType, std::move(serialised), status);
    }
    /// application/json from any value with a dump() method returning its text, such as an
    /// nlohmann::json: Response::json(nlohmann::json{{"id", 7}}).
    template <class Json, class = decltype(std::string(std::declval<const Json&>().dump()))>
    static Response json(const Json& value, int status = 200) {
        return json(std::string(value.dump()), status);
    }

    /// The whole regular file open at `fd`, which the Response owns from here on (it is closed
    /// once sent, or with the Response). Sets Content-Type, Content-Length and Last-Modified
    /// (the file's mtime). The host sends the file itself (send_file, ABI 1.1) when it can,
    /// else the wrapper reads it in pieces as the client takes them. Throws Error::code
    /// (GW_E_APP) when `fd` is not an open regular file.
    static Response file(int fd, std::string_view contentType) {
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            const std::string why = fd < 0 ? "bad descriptor" : "not a regular file";
            if (fd >= 0) ::close(fd);
            throw Error::code(GW_E_APP, "Response::file: " + why);
        }
        Response response(200);
        response._fd = fd;
        response._fileLength = static_cast<std::uint64_t>(st.st_size);
        response._headers.emplace_back("Content-Type", contentType);
        response._headers.emplace_back("Last-Modified", formatHttpDate(st.st_mtime));
        return response;
    }
    /// The regular file at `path`, as file(fd, contentType). Throws Error(404) when there is
    /// no such file (or it is not a regular file), Error(403) when it may not be read.
    static Response file(const std::string& path, std::string_view contentType) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 && errno == EACCES) throw Error(403, "Forbidden");
        struct stat st {};
        if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            if (fd >= 0) ::close(fd);
            throw Error(404, "Not Found");
        }
        return file(fd, contentType);
    }

    Response(Response&& other) noexcept
        : _status(other._status),
          _headers(std::move(other._headers)),
          _text(std::move(other._text)),
          _body(std::move(other._body)),
          _fd(std::exchange(other._fd, -1)),
          _fileLength(other._fileLength) {}
    Response& operator=(Response&& other) noexcept {
        if (this != &other) {
            closeFile();
            _status = other._status;
            _headers = std::move(other._headers);
            _text = std::move(other._text);
            _body = std::move(other._body);
            _fd = std::exchange(other._fd, -1);
            _fileLength = other._fileLength;
        }
        return *this;
    }
    Response(const Response&) = delete;
    Response& operator=(const Response&) = delete;
    ~Response() { closeFile(); }

    /// Sets the status (200..599).
    Response& status(int status) & {
        _status = status;
        return *this;
    }
    Response&& status(int status) && { return std::move(this->status(status)); }
    /// Adds a header line (repeats allowed; the host validates names and values, SPEC §5).
    Response& header(std::string_view name, std::string_view value) & {
        _headers.emplace_back(name, value);
        return *this;
    }
    Response&& header(std::string_view name, std::string_view value) && {
        return std::move(header(name, value));
    }
    /// Makes `body` (e.g. Body::generate(...) for a stream) the body, replacing any other;
    /// set the Content-Type with header().
    Response& body(Body body) & {
        closeFile();
        _text.reset();
        _body = std::move(body);
        return *this;
    }
    Response&& body(Body body) && { return std::move(this->body(std::move(body))); }

    int status() const noexcept { return _status; }
    /// The first header `name` (case-insensitive), or nullopt.
    std::optional<std::string_view> header(std::string_view name) const noexcept {
        for (const auto& line : _headers)
            if (::gateway::detail::equalsIgnoreCase(line.first, name)) return line.second;
        return std::nullopt;
    }
    const HeaderList& headers() const noexcept { return _headers; }

    /// For the wrapper: starts the response on `request` (GW_RESPONSE_REPLACE when the app had
    /// started one) and returns the body for the host to pull. Throws Error::code when the host
    /// refuses a header (SPEC §5) or fails to send the file.
    Body send(Request& request) && {
        const bool bodyless = _status == 204 || _status == 304;
        std::optional<std::uint64_t> length;
        if (_text) length = _text->size();
        if (_fd >= 0) length = _fileLength;
        char lengthText[24];
        std::vector<Header> lines;
        lines.reserve(_headers.size() + 1);
        for (const auto& line : _headers) lines.push_back({line.first, line.second});
        if (length && !bodyless && !header("Content-Length")) {
            const auto end = std::to_chars(lengthText, lengthText + sizeof lengthText, *length).ptr;
            lines.push_back({"Content-Length", std::string_view(lengthText, end - lengthText)});
        }
        request.startResponse(_status, lines, request.started() ? GW_RESPONSE_REPLACE : 0u);
        if (bodyless) return Body();
        if (_text) return Body::fromString(std::move(*_text));
        if (_fd >= 0) return sendFile(request);
        return std::move(_body);
    }

private:
    Body sendFile(Request& request) {
        if (request.method() == "HEAD") return Body();  // the head says it all
        // A 1.0 host: the wrapper reads the file in pieces as the client takes them.
        if (!detail::hostSendsFiles(request.api()))
            return Body::fromFile(std::exchange(_fd, -1), _fileLength);
        // The host owns the descriptor from here on, whatever it answers.
        const int32_t rc =
            detail::sendFile(request.api(), request.raw(), std::exchange(_fd, -1), 0, _fileLength);
        if (rc != GW_OK) throw Error::code(rc, std::string("send_file: ") + errorText(rc));
        return Body();
    }
    void closeFile() noexcept {
        if (_fd >= 0) ::close(std::exchange(_fd, -1));
    }

    int _status;
    HeaderList _headers;
    std::optional<std::string> _text;  // a body of known size
    Body _body;                        // a body the app built
    int _fd = -1;                      // a file to send, owned
    std::uint64_t _fileLength = 0;
};

inline std::optional<Response> Request::evaluatePreconditions(
    std::string_view etag, std::optional<std::time_t> lastModified) const {
    Preconditions headers;
    headers.ifMatch = env("HTTP_IF_MATCH", "");
    headers.ifNoneMatch = env("HTTP_IF_NONE_MATCH", "");
    headers.ifModifiedSince = env("HTTP_IF_MODIFIED_SINCE", "");
    headers.ifUnmodifiedSince = env("HTTP_IF_UNMODIFIED_SINCE", "");
    switch (::gateway::sdk::evaluatePreconditions(headers, method(), etag, lastModified)) {
        case Precondition::NotModified: {
            Response notModified(304);
            if (!etag.empty()) notModified.header("ETag", etag);
            return notModified;
        }
        case Precondition::Failed:
            return Response(Error(412, "Precondition Failed"));
        case Precondition::Proceed:
            break;
    }
    return std::nullopt;
}

namespace detail {

inline void copyMessage(char* buf, std::size_t len, const char* message) noexcept {
    if (!buf || len == 0) return;
    std::size_t n = std::strlen(message);
    if (n >= len) n = len - 1;
    std::memcpy(buf, message, n);
    buf[n] = '\0';
}

/// Codes that report the client's doing (a body too large or malformed, a vanished or stalled
/// peer): the host answers them (413, 400, ...) and they are no fault of the app.
inline bool isClientFailure(int32_t code) noexcept {
    return code == GW_E_TOO_LARGE || code == GW_E_PROTOCOL || code == GW_E_IO ||
           code == GW_E_TIMEOUT;
}

/// Turns an Error with a status into its response (Response(error)) when nothing was sent yet,
/// else returns its code.
inline int32_t answerError(Request& request, const Error& error, gw_body* body) noexcept {
    const bool appFault =
        error.status() >= 500 || (error.status() == 0 && !isClientFailure(error.code()));
    // A client-caused code handed back to the host is logged by the host, once, with the
    // request (SPEC section 7): a line here would say the same thing twice.
    if (appFault || error.status() != 0)
        request.log(appFault ? GW_LOG_ERROR : GW_LOG_INFO, error.what());
    if (error.status() == 0 || request.committed()) return error.code();
    try {
        Response(error).send(request).release(body);
        return GW_OK;
    } catch (const Error& failed) {  // the host refused a header: it logged which
        return failed.code();
    } catch (...) {
        return GW_E_NOMEM;
    }
}

/// The C entry points for an app class: construct per mount, call per request, delete.
template <class App>
struct Trampolines {
    static_assert(std::is_constructible_v<App, const Config&>,
                  "a GATEWAY_APP class needs a constructor taking (const gateway::sdk::Config&)");
    using Result = decltype(std::declval<App&>().call(std::declval<Request&>()));
    static_assert(std::is_same_v<Result, Body> || std::is_same_v<Result, Response>,
                  "a GATEWAY_APP class needs a method call(gateway::sdk::Request&) returning "
                  "gateway::sdk::Body or gateway::sdk::Response");

    static int32_t init(const gw_host_api* api, const gw_config* config, void** state, char* errbuf,
                        std::size_t errbuf_len) noexcept {
        HostSlot& slot = hostSlot();  // before the constructor, so that it can log()
        slot.mounts.fetch_add(1);
        slot.api.store(api, std::memory_order_release);
        const int32_t rc = construct(config, state, errbuf, errbuf_len);
        if (rc != GW_OK) forgetHost();
        return rc;
    }

    static int32_t construct(const gw_config* config, void** state, char* errbuf,
                             std::size_t errbuf_len) noexcept {
        try {
            *state = new App(Config(config));
            return GW_OK;
        } catch (const Error& e) {
            copyMessage(errbuf, errbuf_len, e.what());
            return e.code();
        } catch (const std::bad_alloc&) {
            copyMessage(errbuf, errbuf_len, "out of memory");
            return GW_E_NOMEM;
        } catch (const std::exception& e) {
            copyMessage(errbuf, errbuf_len, e.what());
        } catch (...) {
            copyMessage(errbuf, errbuf_len, "unknown exception");
        }
        return GW_E_APP;
    }

    static void forgetHost() noexcept {
        HostSlot& slot = hostSlot();
        if (slot.mounts.fetch_sub(1) == 1) slot.api.store(nullptr, std::memory_order_release);
    }

    static int32_t call(void* state, const gw_host_api* api, gw_request* req,
                        gw_body* body_out) noexcept {
        Request request(api, req);
        try {
            if constexpr (std::is_same_v<Result, Response>)
                static_cast<App*>(state)->call(request).send(request).release(body_out);
            else
                static_cast<App*>(state)->call(request).release(body_out);
            return GW_OK;
        } catch (const Declined&) {
            return GW_DECLINED;
        } catch (const Error& e) {
            return answerError(request, e, body_out);
        } catch (const std::bad_alloc&) {
            request.log(GW_LOG_ERROR, "call failed: out of memory");
            return GW_E_NOMEM;
        } catch (const std::exception& e) {
            try {
                request.log(GW_LOG_ERROR, std::string("call failed: exception: ") + e.what());
            } catch (...) {
                request.log(GW_LOG_ERROR, "call failed: exception");
            }
        } catch (...) {
            request.log(GW_LOG_ERROR, "call failed: unknown exception");
        }
        return GW_E_APP;
    }

    static void fini(void* state) noexcept {
        try {
            delete static_cast<App*>(state);
        } catch (...) {  // a throwing destructor must not cross the ABI
        }
        forgetHost();
    }
};

}  // namespace detail

/// The descriptor GATEWAY_APP exports, as a value: handy to run an app class with the fake host
/// (gateway/testing.hpp) without the macro, e.g. several apps in one test program.
/// name: 1-64 of [A-Za-z0-9_-] (the default mount is "/" + name); version: free form.
template <class App>
constexpr gw_app makeApp(const char* name, const char* version, uint32_t flags,
                         const char* description = nullptr) noexcept {
    return gw_app{GW_APP_MAGIC,
                  GW_ABI_VERSION,
                  static_cast<uint32_t>(sizeof(gw_app)),
                  flags,
                  name,
                  version,
                  description,
                  &detail::Trampolines<App>::init,
                  &detail::Trampolines<App>::call,
                  &detail::Trampolines<App>::fini};
}

}  // namespace gateway::sdk

/// Makes Class a plugin: emits the exported gw_app_entry() and a constant descriptor.
///   Class        constructible from (const gateway::sdk::Config&), with a method
///                `gateway::sdk::Body call(gateway::sdk::Request&)` or
///                `gateway::sdk::Response call(gateway::sdk::Request&)`. One instance per mount.
///                call() runs concurrently for different requests if flags has
///                GW_APP_THREAD_SAFE.
///   name         string literal, the default mount "/name": 1-64 of [A-Za-z0-9_-].
///   version      string literal, free form ("1.0.0").
///   flags        0, GW_APP_THREAD_SAFE, or GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING.
///   description  optional string literal, one line; `gateway check` shows it as "about:".
/// Use it once per plugin, at namespace scope of one .cpp file:
///     GATEWAY_APP(Hello, "hello", "1.0.0", GW_APP_THREAD_SAFE, "Says hello")
#define GATEWAY_APP(...) \
    GATEWAY_APP_PICK_(__VA_ARGS__, GATEWAY_APP_WITH_ABOUT_, GATEWAY_APP_PLAIN_, )(__VA_ARGS__)
// Four or five arguments, without C++20's __VA_OPT__: the count picks the form.
#define GATEWAY_APP_PICK_(a1, a2, a3, a4, a5, form, ...) form
#define GATEWAY_APP_PLAIN_(Class, name, version, flags) \
    GATEWAY_APP_WITH_ABOUT_(Class, name, version, flags, nullptr)
#define GATEWAY_APP_WITH_ABOUT_(Class, name, version, flags, description)              \
    extern "C" GW_EXPORT const gw_app* gw_app_entry(uint32_t host_abi_version) {       \
        static constexpr gw_app gatewayAppDescriptor =                                 \
            ::gateway::sdk::makeApp<Class>((name), (version), (flags), (description)); \
        (void)host_abi_version;                                                        \
        return &gatewayAppDescriptor;                                                  \
    }

#endif  // GATEWAY_APP_HPP
