// testing.hpp - run a Gateway app in-process with a fake host (header-only, C++17, no server).
//
//     #include <gtest/gtest.h>
//
//     #include "gateway/testing.hpp"
//     extern "C" const gw_app* gw_app_entry(uint32_t);   // the app's source is in this test
//
//     TEST(Hello, SaysHello) {
//         gateway::sdk::testing::AppRunner app(*gw_app_entry(GW_ABI_VERSION));
//         gateway::sdk::testing::TestRequest request;      // GET over HTTP/1.1, no body
//         request.path = "/hello";
//         auto response = app.run(request);
//         EXPECT_EQ(response.status, 200);
//         EXPECT_EQ(response.body, "Hello, World!");
//         EXPECT_TRUE(response.lint.empty()) << response.lintText();
//     }
//
// The fake host implements the whole gw_host_api as sdk/docs/SPEC.md describes it: environ with
// the SPEC's names, read_body from a string (optionally in small pieces, with a body limit),
// start_response with the SPEC's validation, write, log (captured), alloc (a request arena),
// strerror (the SPEC's texts), send_file (ABI 1.1: the file range read into the recorded body,
// the descriptor closed). It pulls the body as the gateway does, applies the framing rules,
// calls close exactly once, and records every SPEC violation it can see as a lint finding
// (GW-L0xx). Like the gateway, it collects a non-blocking app's response (up to 256 KiB) before
// "sending" it: such a body gets a Content-Length, and a failure within it is a clean 500 (SPEC
// section 6). A plugin .so can be run too: load it with Plugin("path/app.so").
//
// Everything runs on the calling thread; the host never blocks.
#ifndef GATEWAY_TESTING_HPP
#define GATEWAY_TESTING_HPP

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/app.hpp"
#include "gateway/detail/http_lexer.hpp"
#include "gateway/gateway.h"

namespace gateway::sdk::testing {

/// One request for AppRunner::run(). Defaults: GET / over HTTP/1.1, no body.
struct TestRequest {
    std::string method = "GET";
    /// Raw path as sent (percent-encoded); the host decodes and normalises it for PATH_INFO.
    /// It must lie under the mount (empty means the mount itself).
    std::string path;
    /// Raw query string without '?' (QUERY_STRING, not decoded).
    std::string query;
    /// Request headers as sent (name, value), repeats allowed.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// Send the body "chunked": no CONTENT_LENGTH in environ.
    bool chunked = false;
    std::string protocol = "HTTP/1.1";
    /// read_body hands out at most this many bytes per call (0: as many as asked).
    std::size_t readPiece = 0;
    /// Body limit of the mount (gateway.body_limit). A body with a Content-Length past it is
    /// answered 413 without calling the app (TestResponse::result stays GW_OK); a chunked one
    /// makes read_body fail with GW_E_TOO_LARGE at the limit. Default: the gateway's default,
    /// 16 MiB. 0: none (and no gateway.body_limit).
    std::size_t bodyLimit = 16u << 20;
    /// gateway.deadline value, if any.
    std::string deadline;
    /// gateway.request_id when the headers hold no valid X-Request-Id (the gateway takes the
    /// client's, as here, or generates one).
    std::string requestId = "test-request-id";
    std::string remoteAddr = "127.0.0.1";
    std::string remotePort = "40000";
    std::string serverPort = "8080";
};

/// A SPEC violation seen by the fake host.
struct LintFinding {
    std::string code;    ///< "GW-L002"
    std::string detail;  ///< what happened
};

/// A log line written by the app through api->log.
struct LogLine {
    int32_t level;
    std::string message;
};

/// How the body was framed (SPEC section 6).
enum class Framing { None, ContentLength, Chunked, CloseDelimited };

/// What the client would have seen, plus what the host observed.
struct TestResponse {
    int32_t result = GW_OK;  ///< what call() returned
    bool declined = false;   ///< call() returned GW_DECLINED (the gateway would fall through)
    /// Status the client sees: the app's, or the host's error answer (500, 413, ...); 0 when
    /// declined or when the client would see nothing.
    int status = 0;
    std::string reason;
    /// The app's headers, plus the Content-Length the host adds under framing rule 2.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;                 ///< body bytes the client receives
    std::vector<std::string> chunks;  ///< non-empty pieces in the order sent (write and next)
    Framing framing = Framing::None;
    bool truncated = false;  ///< the connection would be closed mid-response
    bool closeConnection = false;
    int closeCalls = 0;  ///< times the host called gw_body.close (0 if the app set none)
    int nextCalls = 0;
    std::vector<LintFinding> lint;
    std::vector<LogLine> logs;

    /// First header named `name` (case-insensitive).
    std::optional<std::string> header(std::string_view name) const {
        for (const auto& h : headers)
            if (equalsIgnoreCase(h.first, name)) return h.second;
        return std::nullopt;
    }
    /// True if a lint finding with this code ("GW-L002") was recorded.
    bool hasLint(std::string_view code) const {
        return std::any_of(lint.begin(), lint.end(),
                           [&](const LintFinding& f) { return f.code == code; });
    }
    /// All findings as text, one per line (for test failure messages).
    std::string lintText() const {
        std::string out;
        for (const auto& f : lint) out += f.code + " " + f.detail + "\n";
        return out;
    }

    static bool equalsIgnoreCase(std::string_view a, std::string_view b) {
        return ::gateway::detail::equalsIgnoreCase(a, b);
    }
    static char lower(char c) { return ::gateway::detail::toLowerAscii(c); }
};

/// A plugin .so loaded with dlopen(RTLD_NOW | RTLD_LOCAL), as the gateway does. Throws
/// std::runtime_error if it cannot be loaded or has no gw_app_entry / a NULL descriptor.
class Plugin {
public:
    explicit Plugin(const std::string& path) {
        _handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!_handle) throw std::runtime_error(path + ": cannot load: " + ::dlerror());
        void* symbol = ::dlsym(_handle, GW_APP_ENTRY_SYMBOL);
        if (!symbol) {
            ::dlclose(_handle);
            throw std::runtime_error(path + ": no symbol gw_app_entry: not a gateway plugin");
        }
        gw_app_entry_fn entry;
        static_assert(sizeof entry == sizeof symbol, "function and object pointers differ");
        std::memcpy(&entry, &symbol, sizeof entry);
        _app = entry(GW_ABI_VERSION);
        if (!_app) {
            ::dlclose(_handle);
            throw std::runtime_error(path + ": gw_app_entry returned NULL");
        }
    }
    ~Plugin() { ::dlclose(_handle); }
    Plugin(const Plugin&) = delete;
    Plugin& operator=(const Plugin&) = delete;

    const gw_app& app() const { return *_app; }

private:
    void* _handle = nullptr;
    const gw_app* _app = nullptr;
};

/// Runs one instance (mount) of an app: init() in the constructor, run() per request, fini()
/// in the destructor. The descriptor must outlive the runner.
class AppRunner {
public:
    /// config: the instance's config entries (key, value) in file order.
    /// mount: the mount prefix; default "/" + app.name.
    explicit AppRunner(const gw_app& app,
                       std::vector<std::pair<std::string, std::string>> config = {},
                       std::optional<std::string> mount = std::nullopt)
        : _app(app), _config(std::move(config)) {
        checkDescriptor();
        _mount = mount ? *mount : "/" + std::string(app.name ? app.name : "");
        while (!_mount.empty() && _mount.back() == '/') _mount.pop_back();
        {
            std::lock_guard<std::mutex> lock(outsideLog().mutex);
            outsideLog().runners.push_back(this);
        }
        init();
    }
    ~AppRunner() {
        Current scope(this);
        if (_initialized && _app.fini) _app.fini(_state);
        std::lock_guard<std::mutex> lock(outsideLog().mutex);
        auto& runners = outsideLog().runners;
        runners.erase(std::find(runners.begin(), runners.end(), this));
    }
    AppRunner(const AppRunner&) = delete;
    AppRunner& operator=(const AppRunner&) = delete;

    /// True if init() succeeded (or there is none). Otherwise run() throws.
    bool initialized() const { return _initialized; }
    /// init()'s result code and its errbuf message.
    int32_t initResult() const { return _initResult; }
    const std::string& initError() const { return _initError; }
    /// Findings from loading and init() (descriptor flags, GW-L022).
    const std::vector<LintFinding>& loadLint() const { return _loadLint; }
    /// Log lines written outside requests (init, fini, NULL request). A NULL-request line from a
    /// thread of the app's own goes to the newest live runner: join the thread before reading.
    const std::vector<LogLine>& logs() const { return _logs; }
    /// The host table handed to the app.
    const gw_host_api& api() const { return _api; }
    const std::string& mount() const { return _mount; }

    /// Serve one request and return what the client would see.
    TestResponse run(const TestRequest& request) {
        if (!_initialized) throw std::logic_error("AppRunner: init failed: " + _initError);
        Current scope(this);
        Exchange ex(*this, request);
        ex.buildEnviron();
        ex.serve();
        return std::move(ex.response);
    }

private:
    // The state of one request; gw_request* points at it (reinterpret_cast both ways).
    struct Exchange {
        enum class Phase { Call, Body, Close, Done };

        Exchange(AppRunner& runner, const TestRequest& request)
            : runner(runner), request(request) {}

        AppRunner& runner;
        const TestRequest& request;
        TestResponse response;
        std::vector<std::pair<std::string, std::string>> environ;
        std::vector<std::unique_ptr<std::max_align_t[]>> arena;
        std::size_t arenaBytes = 0;
        Phase phase = Phase::Call;
        std::size_t readPos = 0;
        int32_t readError = GW_OK;
        bool readAny = false;
        bool started = false;
        bool committed = false;  // head "sent"
        bool writeUsed = false;
        bool fileSent = false;  // send_file: the body, next() is not pulled
        bool bodyless = false;  // HEAD, 204, 304
        // A non-blocking app: the gateway collects its response (up to kCollectCap) before
        // sending it, so the framing is decided at the end and a failure before it is clean.
        bool collecting = false;
        bool failed = false;
        std::optional<std::size_t> contentLength;
        std::size_t sent = 0;
        int status = 0;
        std::string reason;
        std::vector<std::pair<std::string, std::string>> headers;
        uint32_t responseFlags = 0;

        gw_request* handle() { return reinterpret_cast<gw_request*>(this); }
        void lint(const char* code, std::string detail) {
            response.lint.push_back({code, std::move(detail)});
        }

        void buildEnviron();
        bool keepAlive() const;
        void serve();
        void commit(bool streamed, std::optional<std::size_t> onlyChunk);
        bool send(const char* data, std::size_t len);
        void finishBody(gw_body& body);
        void failBeforeOrAfter(int32_t code);
        void endCollecting();
    };

    /// How much of a non-blocking app's response the gateway collects before sending (SPEC 6).
    static constexpr std::size_t kCollectCap = 256u << 10;

    static Exchange* exchange(gw_request* req) { return reinterpret_cast<Exchange*>(req); }

    /// Live runners, newest last, for log() with a NULL request from the app's own threads.
    struct OutsideLog {
        std::mutex mutex;
        std::vector<AppRunner*> runners;
    };
    static OutsideLog& outsideLog() {
        static OutsideLog log;
        return log;
    }
    /// The runner whose app is running on this thread (for log() with a NULL request).
    static AppRunner*& current() {
        static thread_local AppRunner* runner = nullptr;
        return runner;
    }
    struct Current {
        explicit Current(AppRunner* r) : previous(current()) { current() = r; }
        ~Current() { current() = previous; }
        AppRunner* previous;
    };

    void checkDescriptor() {
        if (_app.magic != GW_APP_MAGIC) throw std::invalid_argument("bad magic");
        if (GW_ABI_MAJOR(_app.abi_version) != GW_ABI_VERSION_MAJOR ||
            GW_ABI_MINOR(_app.abi_version) > GW_ABI_VERSION_MINOR)
            throw std::invalid_argument("incompatible ABI version");
        if (_app.size < sizeof(gw_app)) throw std::invalid_argument("descriptor too small");
        if (!_app.call) throw std::invalid_argument("descriptor has no call function");
        if (!_app.version) throw std::invalid_argument("descriptor has no version");
        const uint32_t known = GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING;
        if ((_app.flags & ~known) != 0)
            _loadLint.push_back({"GW-L021", "unknown descriptor flag bits"});
        if ((_app.flags & GW_APP_NON_BLOCKING) && !(_app.flags & GW_APP_THREAD_SAFE))
            _loadLint.push_back({"GW-L021", "GW_APP_NON_BLOCKING without GW_APP_THREAD_SAFE"});
    }

    void init() {
        _configEntries.clear();
        for (const auto& kv : _config)
            _configEntries.push_back(gw_config_entry{{kv.first.c_str(), kv.first.size()},
                                                     {kv.second.c_str(), kv.second.size()}});
        gw_config config{};
        config.size = sizeof(gw_config);
        config.count = static_cast<uint32_t>(_configEntries.size());
        config.entries = _configEntries.empty() ? nullptr : _configEntries.data();
        config.mount = gw_str{_mount.c_str(), _mount.size()};
        if (!_app.init) {
            _initialized = true;
            return;
        }
        Current scope(this);
        char errbuf[512];
        errbuf[0] = '\0';
        _state = nullptr;
        _initResult = _app.init(&_api, &config, &_state, errbuf, sizeof errbuf);
        if (_initResult == GW_OK) {
            _initialized = true;
            return;
        }
        const void* nul = std::memchr(errbuf, '\0', sizeof errbuf);
        _initError = nul ? std::string(errbuf) : std::string(errbuf, sizeof errbuf);
        if (!nul || _initError.empty())
            _loadLint.push_back({"GW-L022", "init failed without a message in errbuf"});
        if (_initError.empty()) _initError = hostStrerror(_initResult);
    }

    // ---- host functions -----------------------------------------------------------------

    static bool usable(Exchange* ex, const char* fn) {
        if (ex->phase == Exchange::Phase::Done) {
            ex->lint("GW-L018", std::string(fn) + " after the request scope ended");
            return false;
        }
        return true;
    }

    static int32_t hostGet(gw_request* req, const char* name, std::size_t nameLen, gw_str* value) {
        if (!req || !value || (!name && nameLen > 0)) {
            if (req) exchange(req)->lint("GW-L019", "get: NULL argument");
            return GW_E_INVAL;
        }
        Exchange* ex = exchange(req);
        *value = gw_str{nullptr, 0};
        if (!usable(ex, "get")) return GW_E_STATE;
        const std::string_view key(name ? name : "", nameLen);
        for (const auto& e : ex->environ) {
            if (e.first == key) {
                *value = gw_str{e.second.data(), e.second.size()};
                return GW_OK;
            }
        }
        return GW_NOT_FOUND;
    }

    static std::size_t hostEnvironCount(gw_request* req) {
        if (!req || exchange(req)->phase == Exchange::Phase::Done) return 0;
        return exchange(req)->environ.size();
    }

    static int32_t hostEnvironAt(gw_request* req, std::size_t index, gw_str* name, gw_str* value) {
        if (!req || !name || !value) {
            if (req) exchange(req)->lint("GW-L019", "environ_at: NULL argument");
            return GW_E_INVAL;
        }
        Exchange* ex = exchange(req);
        *name = *value = gw_str{nullptr, 0};
        if (!usable(ex, "environ_at")) return GW_E_STATE;
        if (index >= ex->environ.size()) return GW_NOT_FOUND;
        const auto& e = ex->environ[index];
        *name = gw_str{e.first.data(), e.first.size()};
        *value = gw_str{e.second.data(), e.second.size()};
        return GW_OK;
    }

    static int32_t hostReadBody(gw_request* req, void* buf, std::size_t cap, std::size_t* nRead) {
        if (!req || !nRead || (!buf && cap > 0)) {
            if (nRead) *nRead = 0;
            if (req) exchange(req)->lint("GW-L019", "read_body: NULL argument");
            return GW_E_INVAL;
        }
        Exchange* ex = exchange(req);
        *nRead = 0;
        if (!usable(ex, "read_body")) return GW_E_STATE;
        if (ex->readError != GW_OK) return ex->readError;
        ex->readAny = true;
        const std::string& body = ex->request.body;
        std::size_t n = std::min(cap, body.size() - ex->readPos);
        if (ex->request.readPiece) n = std::min(n, ex->request.readPiece);
        const std::size_t limit = ex->request.bodyLimit;
        if (limit && n > 0 && ex->readPos + n > limit) {
            if (ex->readPos < limit) {
                n = limit - ex->readPos;  // hand out what is within the limit first
            } else {
                ex->readError = GW_E_TOO_LARGE;
                return GW_E_TOO_LARGE;
            }
        }
        if (n) std::memcpy(buf, body.data() + ex->readPos, n);
        ex->readPos += n;
        *nRead = n;
        return GW_OK;
    }

    static int32_t hostStartResponse(gw_request* req, uint32_t status, gw_str reason,
                                     const gw_header* headers, std::size_t nHeaders,
                                     uint32_t flags) {
        if (!req) return GW_E_INVAL;
        Exchange* ex = exchange(req);
        if (!usable(ex, "start_response")) return GW_E_STATE;
        if (ex->phase != Exchange::Phase::Call || ex->committed) {
            ex->lint("GW-L003", ex->committed ? "start_response after the first byte"
                                              : "start_response from next/close");
            return GW_E_STATE;
        }
        if ((flags & ~(GW_RESPONSE_REPLACE | GW_RESPONSE_CLOSE)) != 0) {
            ex->lint("GW-L010", "unknown start_response flag bits");
            return GW_E_INVAL;
        }
        if (ex->started && !(flags & GW_RESPONSE_REPLACE)) {
            ex->lint("GW-L002", "start_response called again without GW_RESPONSE_REPLACE");
            return GW_E_STATE;
        }
        if ((!headers && nHeaders > 0) || (!reason.ptr && reason.len > 0)) {
            ex->lint("GW-L019", "start_response: NULL argument");
            return GW_E_INVAL;
        }
        if (status < 200 || status > 599) {
            ex->lint("GW-L004", "status " + std::to_string(status) + " outside 200-599");
            return GW_E_INVAL;
        }
        const std::string_view reasonText(reason.ptr ? reason.ptr : "", reason.len);
        if (!::gateway::detail::isFieldValue(reasonText)) {
            ex->lint("GW-L004", "reason phrase contains control characters");
            return GW_E_INVAL;
        }
        static const char* const hopByHop[] = {
            "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding",
            "TE",         "Trailer",    "Upgrade"};
        std::vector<std::pair<std::string, std::string>> copied;
        std::optional<std::size_t> contentLength;
        for (std::size_t i = 0; i < nHeaders; ++i) {
            const gw_header& h = headers[i];
            if ((!h.name.ptr && h.name.len) || (!h.value.ptr && h.value.len)) {
                ex->lint("GW-L019", "start_response: header with NULL string");
                return GW_E_INVAL;
            }
            const std::string_view name(h.name.ptr ? h.name.ptr : "", h.name.len);
            const std::string_view rawValue(h.value.ptr ? h.value.ptr : "", h.value.len);
            const std::string_view value = ::gateway::detail::trimOws(rawValue);
            std::string shown;
            ::gateway::detail::appendEscaped(shown, name.substr(0, 64));
            if (!::gateway::detail::isToken(name)) {
                ex->lint("GW-L005", "header name \"" + shown + "\" is not a token");
                return GW_E_INVAL;
            }
            if (!::gateway::detail::isFieldValue(rawValue)) {
                ex->lint("GW-L006", "header " + shown + ": value contains control characters");
                return GW_E_INVAL;
            }
            for (const char* hop : hopByHop) {
                if (TestResponse::equalsIgnoreCase(name, hop)) {
                    ex->lint("GW-L007", "hop-by-hop header " + shown);
                    return GW_E_INVAL;
                }
            }
            if (TestResponse::equalsIgnoreCase(name, "Date") ||
                TestResponse::equalsIgnoreCase(name, "Server")) {
                ex->lint("GW-L008", "host-owned header " + shown);
                return GW_E_INVAL;
            }
            if (TestResponse::equalsIgnoreCase(name, "Content-Length")) {
                std::int64_t length = -1;
                if (!::gateway::detail::parseDecimal(value, length) || contentLength ||
                    status == 204) {
                    ex->lint("GW-L009", "bad Content-Length \"" + std::string(value) + "\"");
                    return GW_E_INVAL;
                }
                contentLength = static_cast<std::size_t>(length);
            }
            copied.emplace_back(std::string(name), std::string(value));
        }
        ex->started = true;
        ex->status = static_cast<int>(status);
        ex->reason = std::string(reasonText);
        ex->headers = std::move(copied);
        ex->contentLength = contentLength;
        ex->responseFlags = flags;
        return GW_OK;
    }

    static int32_t hostWrite(gw_request* req, const void* data, std::size_t len) {
        if (!req) return GW_E_INVAL;
        Exchange* ex = exchange(req);
        if (!usable(ex, "write")) return GW_E_STATE;
        if (!data && len > 0) {
            ex->lint("GW-L019", "write: NULL data with len > 0");
            return GW_E_INVAL;
        }
        if (ex->phase != Exchange::Phase::Call || !ex->started) {
            ex->lint("GW-L011", ex->started ? "write outside call" : "write before start_response");
            return GW_E_STATE;
        }
        if (ex->failed) return GW_E_STATE;
        if (ex->fileSent) {
            ex->lint("GW-L025", "write after send_file");
            return GW_E_STATE;
        }
        if (!ex->committed) ex->commit(true, std::nullopt);
        ex->writeUsed = true;
        return ex->send(static_cast<const char*>(data), len) ? GW_OK : GW_E_STATE;
    }

    /// ABI 1.1: the file range becomes the recorded body (read with pread), framed with a
    /// Content-Length of `length`; fd is closed on every return, as the gateway does.
    static int32_t hostSendFile(gw_request* req, int fd, uint64_t offset, uint64_t length) {
        struct Owned {
            int fd;
            ~Owned() {
                if (fd >= 0) ::close(fd);
            }
        } owned{fd};
        if (!req) return GW_E_INVAL;
        Exchange* ex = exchange(req);
        if (!usable(ex, "send_file")) return GW_E_STATE;
        if (ex->phase != Exchange::Phase::Call || !ex->started || ex->writeUsed || ex->committed ||
            ex->fileSent) {
            ex->lint("GW-L025", ex->phase != Exchange::Phase::Call ? "send_file outside call"
                                : !ex->started ? "send_file before start_response"
                                : ex->fileSent ? "send_file called twice"
                                               : "send_file after write");
            return GW_E_STATE;
        }
        struct stat st {};
        if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
            offset > static_cast<uint64_t>(st.st_size) ||
            length > static_cast<uint64_t>(st.st_size) - offset) {
            ex->lint("GW-L025", "send_file: not an open regular file, or a range past its end");
            return GW_E_INVAL;
        }
        if (ex->contentLength && *ex->contentLength != length) {
            ex->lint("GW-L025", "send_file of " + std::to_string(length) +
                                    " bytes with Content-Length " +
                                    std::to_string(*ex->contentLength));
            return GW_E_INVAL;
        }
        if (!ex->contentLength && ex->status != 204 && ex->status != 304) {
            ex->contentLength = static_cast<std::size_t>(length);
            ex->headers.emplace_back("Content-Length", std::to_string(length));
        }
        ex->fileSent = true;
        ex->commit(false, std::nullopt);
        if (ex->bodyless) return GW_OK;  // HEAD, 204, 304: the file is not read
        std::string bytes(static_cast<std::size_t>(length), '\0');
        std::size_t got = 0;
        while (got < bytes.size()) {
            const ssize_t n =
                ::pread(fd, &bytes[got], bytes.size() - got, static_cast<off_t>(offset + got));
            if (n <= 0) break;  // the file shrank: the client sees a truncated response
            got += static_cast<std::size_t>(n);
        }
        ex->send(bytes.data(), got);
        if (got < bytes.size()) ex->response.truncated = ex->response.closeConnection = true;
        return GW_OK;
    }

    static void hostLog(gw_request* req, int32_t level, gw_str msg) {
        std::string text(msg.ptr ? msg.ptr : "", msg.ptr ? msg.len : 0);
        if (!req) {  // init, fini, or the app's own threads: kept on the runner
            std::lock_guard<std::mutex> lock(outsideLog().mutex);
            AppRunner* runner = current();
            if (!runner && !outsideLog().runners.empty()) runner = outsideLog().runners.back();
            if (runner) runner->_logs.push_back({level, std::move(text)});
            return;
        }
        Exchange* ex = exchange(req);
        if (level < GW_LOG_ERROR || level > GW_LOG_DEBUG) {
            ex->lint("GW-L020", "log level " + std::to_string(level));
            level = level < GW_LOG_ERROR ? GW_LOG_ERROR : GW_LOG_DEBUG;
        }
        ex->response.logs.push_back({level, std::move(text)});
    }

    static void* hostAlloc(gw_request* req, std::size_t n) {
        if (!req || n == 0) return nullptr;
        Exchange* ex = exchange(req);
        if (!usable(ex, "alloc")) return nullptr;
        constexpr std::size_t kArenaCap = 64u << 20;
        if (n > kArenaCap - ex->arenaBytes) return nullptr;
        const std::size_t units = (n + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t);
        ex->arena.emplace_back(new (std::nothrow) std::max_align_t[units]);
        if (!ex->arena.back()) {
            ex->arena.pop_back();
            return nullptr;
        }
        ex->arenaBytes += units * sizeof(std::max_align_t);
        // Fill with garbage so an app relying on zeroed memory is caught.
        std::memset(ex->arena.back().get(), 0xA5, units * sizeof(std::max_align_t));
        return ex->arena.back().get();
    }

    static const char* hostStrerror(int32_t code) { return errorText(code); }

    const gw_app& _app;
    std::vector<std::pair<std::string, std::string>> _config;
    std::vector<gw_config_entry> _configEntries;
    std::string _mount;
    // One constant table for every runner, as the gateway has: an app may keep the pointer
    // (e.g. for gateway::sdk::log) beyond the runner that handed it over.
    static const gw_host_api& hostTable() {
        static const gw_host_api table = {GW_ABI_VERSION,
                                          sizeof(gw_host_api),
                                          &AppRunner::hostGet,
                                          &AppRunner::hostEnvironCount,
                                          &AppRunner::hostEnvironAt,
                                          &AppRunner::hostReadBody,
                                          &AppRunner::hostStartResponse,
                                          &AppRunner::hostWrite,
                                          &AppRunner::hostLog,
                                          &AppRunner::hostAlloc,
                                          &AppRunner::hostStrerror,
                                          &AppRunner::hostSendFile};
        return table;
    }
    const gw_host_api& _api = hostTable();
    void* _state = nullptr;
    bool _initialized = false;
    int32_t _initResult = GW_OK;
    std::string _initError;
    std::vector<LintFinding> _loadLint;
    std::vector<LogLine> _logs;
};

namespace detail {

/// PATH_INFO's rules (the gateway's own normaliser): percent-decode, remove dot segments, keep
/// empty segments. What the gateway refuses is refused here with the gateway's answer.
inline std::string normalisePath(std::string_view raw) {
    using ::gateway::detail::PathResult;
    std::string out;
    switch (::gateway::detail::normalizePath(raw, out, ::gateway::detail::kPathInfoPolicy)) {
        case PathResult::Ok:
            return out.empty() ? "/" : out;
        case PathResult::Nul:
            throw std::invalid_argument("path decodes to a NUL (the gateway answers 400)");
        case PathResult::Climbs:
            throw std::invalid_argument("path climbs above / (the gateway answers 400)");
        case PathResult::NotRooted:
            throw std::invalid_argument("path does not start with '/' (the gateway answers 400)");
        default:
            throw std::invalid_argument("path has a malformed %-escape (the gateway answers 400)");
    }
}

/// The Host header without its port ("[::1]:80" -> "::1", "a.test:80" -> "a.test").
inline std::string hostName(const std::string& host) {
    if (!host.empty() && host[0] == '[') return host.substr(1, host.find(']') - 1);
    return host.substr(0, host.rfind(':'));
}

inline std::string environName(std::string_view header) {
    std::string out = "HTTP_";
    for (char c : header) {
        const bool ok =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
        if (!ok) return {};  // names with '_' or other characters are dropped
        out += c == '-' ? '_' : (c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
    }
    return out;
}

}  // namespace detail

inline void AppRunner::Exchange::buildEnviron() {
    auto add = [&](std::string name, std::string value) {
        for (auto& e : environ) {
            if (e.first == name) {
                e.second += ", " + value;
                return;
            }
        }
        environ.emplace_back(std::move(name), std::move(value));
    };
    const std::string& mount = runner._mount;
    const std::string path = detail::normalisePath(request.path.empty() ? mount : request.path);
    std::string pathInfo;
    if (path == mount || (mount.empty() && path == "/")) {
        pathInfo = mount.empty() ? "/" : "";
    } else if (path.compare(0, mount.size(), mount) == 0 && path[mount.size()] == '/') {
        pathInfo = path.substr(mount.size());
    } else {
        throw std::invalid_argument("path " + path + " is not under the mount " + mount);
    }
    std::string uri = request.path.empty() ? (mount.empty() ? "/" : mount) : request.path;
    if (!request.query.empty()) uri += "?" + request.query;
    add("REQUEST_METHOD", request.method);
    add("SCRIPT_NAME", mount);
    add("PATH_INFO", pathInfo);
    add("QUERY_STRING", request.query);
    add("REQUEST_URI", uri);
    std::string serverName = "localhost";
    bool hasLength = false;
    for (const auto& h : request.headers) {
        if (TestResponse::equalsIgnoreCase(h.first, "Content-Type")) {
            add("CONTENT_TYPE", h.second);
        } else if (TestResponse::equalsIgnoreCase(h.first, "Content-Length")) {
            hasLength = true;
            std::int64_t length = 0;  // the number, as the gateway parsed it ("005" is 5)
            if (!request.chunked)
                add("CONTENT_LENGTH",
                    ::gateway::detail::parseDecimal(::gateway::detail::trimOws(h.second), length)
                        ? std::to_string(length)
                        : h.second);
        } else {
            if (TestResponse::equalsIgnoreCase(h.first, "Host"))
                serverName = detail::hostName(h.second);
            std::string name = detail::environName(h.first);
            if (!name.empty()) add(std::move(name), h.second);
        }
    }
    if (!hasLength && !request.chunked &&
        (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
         request.method == "PATCH"))
        add("CONTENT_LENGTH", std::to_string(request.body.size()));
    add("SERVER_NAME", serverName);
    add("SERVER_PORT", request.serverPort);
    add("SERVER_PROTOCOL", request.protocol);
    add("REMOTE_ADDR", request.remoteAddr);
    add("REMOTE_PORT", request.remotePort);
    add("gateway.url_scheme", "http");
    add("gateway.version",
        std::to_string(GW_ABI_VERSION_MAJOR) + "." + std::to_string(GW_ABI_VERSION_MINOR));
    add("gateway.multithread", (runner._app.flags & GW_APP_THREAD_SAFE) ? "1" : "0");
    add("gateway.multiprocess", "0");
    add("gateway.input_terminated", "1");
    if (!request.deadline.empty()) add("gateway.deadline", request.deadline);
    std::string requestId = request.requestId;  // as the gateway: the client's, when valid
    for (const auto& h : request.headers)
        if (TestResponse::equalsIgnoreCase(h.first, "X-Request-Id") &&
            ::gateway::detail::isRequestId(h.second)) {
            requestId = h.second;
            break;
        }
    add("gateway.request_id", requestId);
    if (request.bodyLimit != 0) add("gateway.body_limit", std::to_string(request.bodyLimit));
}

/// Whether the client lets the connection stay open (RFC 9112 §9.3): HTTP/1.1 unless it sends
/// "Connection: close", HTTP/1.0 only with "Connection: keep-alive".
inline bool AppRunner::Exchange::keepAlive() const {
    bool close = false, keep = false;
    for (const auto& h : request.headers) {
        if (!TestResponse::equalsIgnoreCase(h.first, "Connection")) continue;
        std::string_view rest = h.second;
        while (!rest.empty()) {
            const std::size_t comma = std::min(rest.find(','), rest.size());
            const std::string_view token = ::gateway::detail::trimOws(rest.substr(0, comma));
            close |= TestResponse::equalsIgnoreCase(token, "close");
            keep |= TestResponse::equalsIgnoreCase(token, "keep-alive");
            rest.remove_prefix(std::min(comma + 1, rest.size()));
        }
    }
    return request.protocol == "HTTP/1.0" ? keep && !close : !close;
}

/// Commit the head ("first byte"): decide the framing.
inline void AppRunner::Exchange::commit(bool streamed, std::optional<std::size_t> onlyChunk) {
    committed = true;
    response.status = status;
    response.reason = reason;
    response.headers = headers;
    response.closeConnection = (responseFlags & GW_RESPONSE_CLOSE) != 0 || !keepAlive();
    bodyless = request.method == "HEAD" || status == 204 || status == 304;
    if (contentLength) {
        response.framing = Framing::ContentLength;
    } else if (bodyless) {
        response.framing = Framing::None;
    } else if (!streamed && onlyChunk) {
        response.framing = Framing::ContentLength;
        contentLength = *onlyChunk;
        response.headers.emplace_back("Content-Length", std::to_string(*onlyChunk));
    } else {
        response.framing =
            request.protocol == "HTTP/1.0" ? Framing::CloseDelimited : Framing::Chunked;
    }
}

/// Send body bytes; false when they overrun the app's Content-Length (excess dropped).
inline bool AppRunner::Exchange::send(const char* data, std::size_t len) {
    if (bodyless || len == 0) return true;
    std::size_t n = len;
    bool overrun = false;
    if (contentLength && sent + len > *contentLength) {
        n = *contentLength - sent;
        overrun = true;
    }
    if (n) {
        response.body.append(data, n);
        response.chunks.emplace_back(data, n);
        sent += n;
    }
    if (overrun) {
        lint("GW-L013", "body longer than Content-Length " + std::to_string(*contentLength));
        response.truncated = true;  // the connection is closed after Content-Length bytes
        failed = true;
        collecting = false;  // not a failure to answer cleanly: the app's length is sent
        return false;
    }
    return true;
}

inline void AppRunner::Exchange::failBeforeOrAfter(int32_t code) {
    failed = true;
    if (committed && !collecting) {
        response.truncated = true;
        response.closeConnection = true;
        return;
    }
    // Before the first byte: the host discards the started response and answers itself.
    response.headers.clear();
    response.body.clear();
    response.chunks.clear();
    response.framing = Framing::ContentLength;
    response.closeConnection = true;
    response.reason.clear();
    int32_t cause = readError != GW_OK ? readError : code;
    switch (cause) {
        case GW_E_TOO_LARGE:
            response.status = 413;
            break;
        case GW_E_PROTOCOL:
            response.status = 400;
            break;
        case GW_E_TIMEOUT:
            response.status = readError != GW_OK ? 408 : 500;
            break;
        case GW_E_IO:
            response.status = readError != GW_OK ? 0 : 500;
            break;
        default:
            response.status = 500;
            break;
    }
}

inline void AppRunner::Exchange::finishBody(gw_body& body) {
    if (bodyless || failed || !body.next || fileSent) {
        if (!committed) commit(writeUsed, std::size_t{0});
        if (!failed) endCollecting();
        return;
    }
    bool first = true;
    for (;;) {
        if (sent >= kCollectCap) collecting = false;  // past the cap: sent as it comes
        gw_str chunk{nullptr, 0};
        ++response.nextCalls;
        const int32_t rc = body.next(body.self, &runner._api, handle(), &chunk);
        if (chunk.ptr == nullptr && chunk.len > 0) {
            lint("GW-L017", "next returned a chunk with ptr == NULL and len > 0");
            failBeforeOrAfter(GW_E_APP);
            return;
        }
        if (rc != GW_OK && rc != GW_BODY_END) {
            if (rc >= 0) lint("GW-L016", "next returned " + std::to_string(rc));
            failBeforeOrAfter(rc >= 0 ? GW_E_APP : rc);
            return;
        }
        if (!committed) {
            if (first && rc == GW_BODY_END)
                commit(writeUsed, chunk.len);
            else
                commit(true, std::nullopt);
        }
        first = false;
        if (!send(chunk.ptr, chunk.len)) return;
        if (rc == GW_BODY_END) break;
    }
    endCollecting();
    if (contentLength && sent < *contentLength && !bodyless) {
        lint("GW-L012", "body of " + std::to_string(sent) + " bytes shorter than Content-Length " +
                            std::to_string(*contentLength));
        response.truncated = true;
        response.closeConnection = true;
    }
}

/// The whole response was collected: it goes out with its length (unless the app gave one or
/// it has no body).
inline void AppRunner::Exchange::endCollecting() {
    if (!collecting) return;
    collecting = false;
    if (response.framing != Framing::Chunked && response.framing != Framing::CloseDelimited) return;
    response.framing = Framing::ContentLength;
    contentLength = sent;
    response.headers.emplace_back("Content-Length", std::to_string(sent));
}

inline void AppRunner::Exchange::serve() {
    gw_body body{nullptr, nullptr, nullptr};
    if (!request.chunked && request.bodyLimit && request.body.size() > request.bodyLimit) {
        // SPEC section 4: a Content-Length past the mount's limit is answered 413 before the
        // app is called. (A chunked body reaches the app, which sees GW_E_TOO_LARGE from
        // read_body at the limit, as on a mount with request buffering off.)
        readError = GW_E_TOO_LARGE;
        failBeforeOrAfter(GW_E_TOO_LARGE);
        phase = Phase::Done;
        return;
    }
    phase = Phase::Call;
    const uint32_t inlineApp = GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING;
    collecting = (runner._app.flags & inlineApp) == inlineApp;
    int32_t rc = runner._app.call(runner._state, &runner._api, handle(), &body);
    response.result = rc;
    phase = Phase::Body;
    const bool bodyFilled = body.next || body.close || body.self;
    if (rc == GW_DECLINED) {
        if (started || readAny)
            lint("GW-L014", "GW_DECLINED after starting a response or reading the body");
        if (committed) {
            failBeforeOrAfter(GW_E_APP);
        } else {
            response.declined = true;
            response.status = 0;
        }
    } else if (rc != GW_OK) {
        if (rc > 0) {
            lint("GW-L016", "call returned " + std::to_string(rc));
            rc = GW_E_APP;
        }
        failBeforeOrAfter(rc);
    } else if (!started) {
        lint("GW-L001", "call returned GW_OK without starting a response");
        failBeforeOrAfter(GW_E_APP);
    } else if (!failed) {
        finishBody(body);
    } else {
        failBeforeOrAfter(GW_E_APP);
    }
    if (rc != GW_OK && bodyFilled)
        lint("GW-L015", "body_out filled although call did not return GW_OK");
    if (!failed && !response.truncated && contentLength && !bodyless && sent < *contentLength &&
        !(body.next)) {
        lint("GW-L012", "body of " + std::to_string(sent) + " bytes shorter than Content-Length " +
                            std::to_string(*contentLength));
        response.truncated = true;
        response.closeConnection = true;
    }
    phase = Phase::Close;
    if (body.close) {
        ++response.closeCalls;
        body.close(body.self);
    }
    phase = Phase::Done;
}

}  // namespace gateway::sdk::testing

#endif  // GATEWAY_TESTING_HPP
