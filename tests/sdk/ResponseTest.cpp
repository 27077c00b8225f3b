// Response, Error with headers and the Request helpers of SDK 1.1 through the fake host: what
// the client sees for each Response kind (HEAD framed as GET), errors in the app's format,
// files (read by the wrapper, or by the host's send_file), conditional GET, query and form
// decoding, cookies, media types, negotiation, readAll() limits the app answers itself, and
// the mount's body limit.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "gateway/app.hpp"
#include "gateway/testing.hpp"

namespace sdk = gateway::sdk;
using sdk::testing::AppRunner;
using sdk::testing::Framing;
using sdk::testing::TestRequest;
using sdk::testing::TestResponse;

namespace {

using Handler = std::function<sdk::Response(sdk::Request&)>;

Handler& currentHandler() {
    static Handler handler;
    return handler;
}

/// An app whose call() returns whatever Response the test's handler makes.
class ResponseApp {
public:
    explicit ResponseApp(const sdk::Config&) {}
    sdk::Response call(sdk::Request& request) { return currentHandler()(request); }
};

constexpr gw_app kApp = sdk::makeApp<ResponseApp>("app", "1.0", GW_APP_THREAD_SAFE);

TestResponse run(Handler handler, TestRequest request = {}) {
    currentHandler() = std::move(handler);
    AppRunner runner(kApp);
    return runner.run(request);
}
TestResponse run(Handler handler, const std::string& method) {
    TestRequest request;
    request.method = method;
    return run(std::move(handler), request);
}

// ---- Response kinds --------------------------------------------------------------------------

struct KindCase {
    const char* name;
    Handler handler;
    int status;
    std::string contentType;  // "" for none
    std::string body;
};

TEST(Response, KindsAsTheClientSeesThemWithHeadFramedAsGet) {
    const KindCase cases[] = {
        {"Text", [](sdk::Request&) { return sdk::Response::text("hello"); }, 200,
         "text/plain; charset=utf-8", "hello"},
        {"Html", [](sdk::Request&) { return sdk::Response::html("<p>hi</p>", 201); }, 201,
         "text/html; charset=utf-8", "<p>hi</p>"},
        {"JsonText", [](sdk::Request&) { return sdk::Response::json(R"({"id":7})"); }, 200,
         "application/json", R"({"id":7})"},
        {"JsonValue",
         [](sdk::Request&) {
             return sdk::Response::json(nlohmann::json{{"id", 7}}, 201);
         },
         201, "application/json", R"({"id":7})"},
        {"Of", [](sdk::Request&) { return sdk::Response::of("image/svg+xml", "<svg/>"); }, 200,
         "image/svg+xml", "<svg/>"},
        {"EmptyText", [](sdk::Request&) { return sdk::Response::text(""); }, 200,
         "text/plain; charset=utf-8", ""},
        {"StatusSetter", [](sdk::Request&) { return sdk::Response::text("gone").status(410); }, 410,
         "text/plain; charset=utf-8", "gone"},
    };
    for (const KindCase& c : cases) {
        const TestResponse get = run(c.handler, "GET");
        EXPECT_EQ(get.status, c.status) << c.name;
        EXPECT_EQ(get.header("Content-Type").value_or(""), c.contentType) << c.name;
        EXPECT_EQ(get.body, c.body) << c.name;
        EXPECT_EQ(get.framing, Framing::ContentLength) << c.name;
        EXPECT_EQ(get.header("Content-Length"), std::to_string(c.body.size())) << c.name;
        EXPECT_TRUE(get.lint.empty()) << c.name << ": " << get.lintText();

        const TestResponse head = run(c.handler, "HEAD");
        EXPECT_EQ(head.status, c.status) << c.name;
        EXPECT_EQ(head.body, "") << c.name;
        EXPECT_EQ(head.header("Content-Length"), get.header("Content-Length")) << c.name;
        EXPECT_TRUE(head.lint.empty()) << c.name << ": " << head.lintText();
    }
}

TEST(Response, BodylessStatusesGetNoBodyNorLength) {
    for (int status : {204, 304}) {
        const TestResponse r =
            run([status](sdk::Request&) { return sdk::Response::text("dropped", status); });
        EXPECT_EQ(r.status, status);
        EXPECT_EQ(r.body, "");
        EXPECT_FALSE(r.header("Content-Length")) << status;
        EXPECT_TRUE(r.lint.empty()) << status << ": " << r.lintText();
    }
    const TestResponse created =
        run([](sdk::Request&) { return sdk::Response(201).header("Location", "/notes/7"); });
    EXPECT_EQ(created.status, 201);
    EXPECT_EQ(created.header("Location"), "/notes/7");
    EXPECT_EQ(created.header("Content-Length"), "0");
}

TEST(Response, HeadersKeepOrderAndRepeatsAndAnAppLengthIsNotDuplicated) {
    const TestResponse r = run([](sdk::Request&) {
        return sdk::Response::text("abc")
            .header("Set-Cookie", "a=1")
            .header("Set-Cookie", "b=2")
            .header("content-length", "3");
    });
    EXPECT_EQ(r.status, 200);
    int cookies = 0, lengths = 0;
    for (const auto& [name, value] : r.headers) {
        cookies += name == "Set-Cookie";
        lengths += TestResponse::equalsIgnoreCase(name, "Content-Length");
    }
    EXPECT_EQ(cookies, 2);
    EXPECT_EQ(lengths, 1);
    EXPECT_TRUE(r.lint.empty()) << r.lintText();
}

TEST(Response, StreamedBody) {
    const TestResponse r = run([](sdk::Request&) {
        return sdk::Response(200)
            .header("Content-Type", "text/event-stream")
            .body(sdk::Body::generate([i = 0]() mutable -> std::optional<std::string> {
                if (i == 3) return std::nullopt;
                return "data: " + std::to_string(i++) + "\n\n";
            }));
    });
    EXPECT_EQ(r.framing, Framing::Chunked);
    EXPECT_EQ(r.body, "data: 0\n\ndata: 1\n\ndata: 2\n\n");
    EXPECT_EQ(r.closeCalls, 1);
}

TEST(Response, ReplacesAResponseTheAppStarted) {
    const TestResponse r = run([](sdk::Request& request) {
        request.startResponse(200, {{"Content-Type", "text/plain"}});
        return sdk::Response::json("{}", 202);
    });
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    EXPECT_TRUE(r.lint.empty()) << r.lintText();
}

TEST(Response, HeaderTheHostRefusesIsA500) {
    const TestResponse r =
        run([](sdk::Request&) { return sdk::Response::text("x").header("Bad Name", "v"); });
    EXPECT_EQ(r.status, 500);
    EXPECT_TRUE(r.hasLint("GW-L005")) << r.lintText();
}

TEST(Response, IsMoveOnlyAndReadable) {
    static_assert(!std::is_copy_constructible_v<sdk::Response>);
    static_assert(std::is_nothrow_move_constructible_v<sdk::Response>);
    sdk::Response a = sdk::Response::json("{}", 201).header("ETag", "\"1\"");
    const sdk::Response b = std::move(a);
    EXPECT_EQ(b.status(), 201);
    EXPECT_EQ(b.header("etag"), "\"1\"");
    EXPECT_EQ(b.header("content-type"), "application/json");
    EXPECT_FALSE(b.header("Location"));
}

// ---- Errors ----------------------------------------------------------------------------------

TEST(Error, CarriesStatusHeadersAndABodyInTheAppsFormat) {
    const TestResponse json = run([](sdk::Request&) -> sdk::Response {
        throw sdk::Error::json(401, R"({"error":"token required"})")
            .withHeader("WWW-Authenticate", "Bearer");
    });
    EXPECT_EQ(json.status, 401);
    EXPECT_EQ(json.header("Content-Type"), "application/json");
    EXPECT_EQ(json.header("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(json.body, R"({"error":"token required"})");
    EXPECT_EQ(json.header("Content-Length"), std::to_string(json.body.size()));

    const TestResponse allow = run([](sdk::Request&) -> sdk::Response {
        throw sdk::Error(405, "no").withHeader("Allow", "GET, HEAD");
    });
    EXPECT_EQ(allow.status, 405);
    EXPECT_EQ(allow.header("Allow"), "GET, HEAD");
    EXPECT_EQ(allow.header("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(allow.body, "no");

    const TestResponse head = run(
        [](sdk::Request&) -> sdk::Response { throw sdk::Error::json(404, R"({"e":1})"); }, "HEAD");
    EXPECT_EQ(head.status, 404);
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(head.header("Content-Length"), "7");
}

TEST(Error, AHeaderTheHostRefusesGivesA500) {
    const TestResponse r = run([](sdk::Request&) -> sdk::Response {
        throw sdk::Error(403, "no").withHeader("Connection", "close");
    });
    EXPECT_EQ(r.status, 500);
    EXPECT_TRUE(r.hasLint("GW-L007")) << r.lintText();
}

TEST(Error, ResponseFromAnError) {
    const sdk::Error error =
        sdk::Error::json(429, R"({"retry":true})").withHeader("Retry-After", "5");
    const sdk::Response response(error);
    EXPECT_EQ(response.status(), 429);
    EXPECT_EQ(response.header("Content-Type"), "application/json");
    EXPECT_EQ(response.header("Retry-After"), "5");
    EXPECT_EQ(error.body(), R"({"retry":true})");
    EXPECT_EQ(sdk::Error(400, "x").contentType(), "text/plain; charset=utf-8");
}

// ---- Files -----------------------------------------------------------------------------------

class TempFile {
public:
    explicit TempFile(const std::string& content) {
        char name[] = "/tmp/gateway-response-test-XXXXXX";
        const int fd = ::mkstemp(name);
        EXPECT_GE(fd, 0);
        ::close(fd);
        _path = name;
        std::ofstream(_path, std::ios::binary) << content;
    }
    ~TempFile() { std::remove(_path.c_str()); }
    const std::string& path() const { return _path; }

private:
    std::string _path;
};

std::string bytes(std::size_t n) {
    std::string out(n, '\0');
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>('a' + (i * 7 + i / 300) % 26);
    return out;
}

TEST(ResponseFile, SendsTheWholeFileWithLengthTypeAndLastModified) {
    const std::string content = bytes(200 * 1024 + 17);  // several 64 KiB pieces
    const TempFile file(content);
    struct stat st {};
    ASSERT_EQ(::stat(file.path().c_str(), &st), 0);
    const Handler handler = [&file](sdk::Request&) {
        return sdk::Response::file(file.path(), "application/octet-stream");
    };
    const TestResponse get = run(handler);
    EXPECT_EQ(get.status, 200);
    EXPECT_EQ(get.body.size(), content.size());
    EXPECT_TRUE(get.body == content);
    EXPECT_EQ(get.framing, Framing::ContentLength);
    EXPECT_EQ(get.header("Content-Length"), std::to_string(content.size()));
    EXPECT_EQ(get.header("Content-Type"), "application/octet-stream");
    EXPECT_EQ(get.header("Last-Modified"), sdk::formatHttpDate(st.st_mtime));
    EXPECT_EQ(get.closeCalls, 0);  // the host sent it (send_file, ABI 1.1): no body to pull
    EXPECT_TRUE(get.lint.empty()) << get.lintText();

    const TestResponse head = run(handler, "HEAD");
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(head.header("Content-Length"), std::to_string(content.size()));
}

TEST(ResponseFile, EmptyFile) {
    const TempFile file("");
    const TestResponse r =
        run([&file](sdk::Request&) { return sdk::Response::file(file.path(), "text/plain"); });
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.header("Content-Length"), "0");
    EXPECT_TRUE(r.lint.empty()) << r.lintText();
}

TEST(ResponseFile, MissingOrNotRegularIs404) {
    for (const std::string path : {"/nonexistent/file", "/tmp"}) {
        const TestResponse r =
            run([path](sdk::Request&) { return sdk::Response::file(path, "text/plain"); });
        EXPECT_EQ(r.status, 404) << path;
    }
}

TEST(ResponseFile, TakesOverTheDescriptorAndClosesIt) {
    const TempFile file("twelve bytes");
    for (const char* method : {"GET", "HEAD"}) {
        const int fd = ::open(file.path().c_str(), O_RDONLY | O_CLOEXEC);
        ASSERT_GE(fd, 0);
        const TestResponse r =
            run([fd](sdk::Request&) { return sdk::Response::file(fd, "text/plain"); }, method);
        EXPECT_EQ(r.status, 200) << method;
        EXPECT_EQ(r.header("Content-Length"), "12") << method;
        EXPECT_EQ(r.body, std::string(method) == "GET" ? "twelve bytes" : "") << method;
        errno = 0;
        EXPECT_EQ(::fcntl(fd, F_GETFD), -1) << method << ": the descriptor is still open";
        EXPECT_EQ(errno, EBADF) << method;
    }
    const TestResponse bad =
        run([](sdk::Request&) { return sdk::Response::file(-1, "text/plain"); });
    EXPECT_EQ(bad.status, 500);
}

// A host table of a later minor, with send_file: the wrapper hands the file over when the table
// has the member and it is set, and reads it itself otherwise.
struct TableWithSendFile {
    uint32_t abi_version;
    uint32_t size;
    int32_t (*send_file)(gw_request* req, int fd, uint64_t offset, uint64_t length);
};
int32_t recordSendFile(gw_request* req, int fd, uint64_t offset, uint64_t length) {
    auto* seen = reinterpret_cast<std::string*>(req);
    *seen = std::to_string(fd) + "@" + std::to_string(offset) + "+" + std::to_string(length);
    return GW_OK;
}

TEST(ResponseFile, SendFileIsUsedWhenTheHostTableHasIt) {
    std::string seen;
    auto* req = reinterpret_cast<gw_request*>(&seen);
    TableWithSendFile table{GW_ABI_VERSION, sizeof(TableWithSendFile), &recordSendFile};
    EXPECT_EQ(sdk::detail::sendFile(&table, req, 5, 10, 20), GW_OK);
    EXPECT_EQ(seen, "5@10+20");
    seen.clear();
    table.size = offsetof(TableWithSendFile, send_file);  // an older host: member absent
    EXPECT_EQ(sdk::detail::sendFile(&table, req, 5, 10, 20), GW_E_UNSUPPORTED);
    table.size = sizeof(TableWithSendFile);
    table.send_file = nullptr;
    EXPECT_EQ(sdk::detail::sendFile(&table, req, 5, 10, 20), GW_E_UNSUPPORTED);
    EXPECT_EQ(seen, "");
}

// ---- Conditional GET -------------------------------------------------------------------------

TEST(Conditional, NotModifiedAndPreconditionFailedThroughTheRequest) {
    const std::time_t mtime = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
    const Handler handler = [mtime](sdk::Request& request) {
        if (auto early = request.evaluatePreconditions("\"v7\"", mtime)) return std::move(*early);
        return sdk::Response::text("fresh").header("ETag", "\"v7\"");
    };
    struct Case {
        std::string method;
        std::vector<std::pair<std::string, std::string>> headers;
        int status;
    };
    const Case cases[] = {
        {"GET", {}, 200},
        {"GET", {{"If-None-Match", "\"v7\""}}, 304},
        {"HEAD", {{"If-None-Match", "W/\"v7\""}}, 304},
        {"GET", {{"If-None-Match", "\"v6\""}}, 200},
        {"GET",
         {{"If-None-Match", "\"v6\""}, {"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}},
         200},
        {"GET", {{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}, 304},
        {"GET", {{"If-Modified-Since", "Sat, 05 Nov 1994 08:49:37 GMT"}}, 200},
        {"PUT", {{"If-Match", "\"v6\""}}, 412},
        {"PUT", {{"If-Match", "\"v7\""}}, 200},
        {"DELETE", {{"If-None-Match", "*"}}, 412},
    };
    for (const Case& c : cases) {
        TestRequest request;
        request.method = c.method;
        request.headers = c.headers;
        const TestResponse r = run(handler, request);
        const std::string what = c.method + " " + (c.headers.empty() ? "" : c.headers[0].second);
        EXPECT_EQ(r.status, c.status) << what;
        if (c.status == 304) {
            EXPECT_EQ(r.header("ETag"), "\"v7\"") << what;
            EXPECT_EQ(r.body, "") << what;
            EXPECT_FALSE(r.header("Content-Length")) << what;
        }
        EXPECT_TRUE(r.lint.empty()) << what << ": " << r.lintText();
    }
}

// ---- Request helpers -------------------------------------------------------------------------

TEST(RequestHelpers, QueryParams) {
    TestRequest request;
    request.query = "tag=a&tag=b+c&q=%C3%A9";
    const TestResponse ok = run(
        [](sdk::Request& r) {
            const sdk::FormData query = r.queryParams();
            std::string out;
            for (std::string_view tag : query.all("tag")) out += std::string(tag) + "|";
            return sdk::Response::text(out + std::string(query.get("q", "?")));
        },
        request);
    EXPECT_EQ(ok.body, "a|b c|\xC3\xA9");
    request.query = "a=%zz";
    const TestResponse bad = run(
        [](sdk::Request& r) { return sdk::Response::text(std::to_string(r.queryParams().size())); },
        request);
    EXPECT_EQ(bad.status, 400);
}

TEST(RequestHelpers, Form) {
    const Handler handler = [](sdk::Request& r) {
        const sdk::FormData form = r.form(64);
        return sdk::Response::text(std::string(form.get("name", "?")) + "/" +
                                   std::string(form.get("note", "?")));
    };
    struct Case {
        std::string contentType, body;
        int status;
        std::string answer;
    };
    const Case cases[] = {
        {"application/x-www-form-urlencoded", "name=Ada+L&note=%3C3", 200, "Ada L/<3"},
        {"Application/X-WWW-Form-Urlencoded; charset=UTF-8", "name=x", 200, "x/?"},
        {"text/plain", "name=x", 415, "expected application/x-www-form-urlencoded"},
        {"", "name=x", 415, "expected application/x-www-form-urlencoded"},
        {"application/x-www-form-urlencoded", "name=%", 400, "malformed form body"},
        {"application/x-www-form-urlencoded", "name=" + std::string(100, 'x'), 413, ""},
    };
    for (const Case& c : cases) {
        TestRequest request;
        request.method = "POST";
        if (!c.contentType.empty()) request.headers = {{"Content-Type", c.contentType}};
        request.body = c.body;
        const TestResponse r = run(handler, request);
        EXPECT_EQ(r.status, c.status) << c.contentType << " " << c.body;
        EXPECT_EQ(r.body, c.answer) << c.contentType << " " << c.body;
    }
}

TEST(RequestHelpers, BodyTooLargeCanBeAnsweredByTheApp) {
    const Handler handler = [](sdk::Request& r) {
        try {
            return sdk::Response::text(r.readAll(10));
        } catch (const sdk::BodyTooLarge&) {
            return sdk::Response::json(R"({"error":"too large"})", 413);
        }
    };
    TestRequest request;
    request.method = "POST";
    request.body = std::string(11, 'x');
    TestResponse r = run(handler, request);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body, R"({"error":"too large"})");
    request.body = std::string(10, 'x');
    EXPECT_EQ(run(handler, request).body, request.body);

    // Past the mount's limit (read_body's GW_E_TOO_LARGE) it is the same exception.
    request.body = std::string(100, 'x');
    request.bodyLimit = 50;
    request.chunked = true;  // a Content-Length past the limit never reaches the app
    r = run(
        [](sdk::Request& req) {
            try {
                return sdk::Response::text(req.readAll(1000));
            } catch (const sdk::BodyTooLarge& e) {
                return sdk::Response::text(std::to_string(e.code()), 413);
            }
        },
        request);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body, std::to_string(GW_E_TOO_LARGE));
}

TEST(RequestHelpers, BodyLimitOfTheMount) {
    const Handler handler = [](sdk::Request& r) {
        return sdk::Response::text(r.bodyLimit() ? std::to_string(*r.bodyLimit()) : "none");
    };
    EXPECT_EQ(run(handler).body, std::to_string(16u << 20));  // the gateway's default
    TestRequest request;
    request.bodyLimit = 1234;
    EXPECT_EQ(run(handler, request).body, "1234");
    request.bodyLimit = 0;  // a host without gateway.body_limit
    EXPECT_EQ(run(handler, request).body, "none");
}

TEST(RequestHelpers, CookiesContentTypeNegotiationAndSegments) {
    TestRequest request;
    request.method = "POST";
    request.path = "/app/notes/a%20b/";
    request.headers = {{"Cookie", "session=abc; theme=dark"},
                       {"Content-Type", "application/json; charset=utf-8"},
                       {"Accept", "text/html;q=0.5, application/json"}};
    const TestResponse r = run(
        [](sdk::Request& req) {
            std::string out = std::string(req.cookie("theme").value_or("?")) + "|";
            out += req.cookie("absent") ? "found|" : "absent|";
            const auto type = req.contentType();
            out += type && type->is("application/json") ? "json|" : "other|";
            out += std::string(req.negotiate({"text/html", "application/json"}).value_or("406"));
            for (std::string_view segment : req.pathSegments()) out += "|" + std::string(segment);
            return sdk::Response::text(out);
        },
        request);
    EXPECT_EQ(r.body, "dark|absent|json|application/json|notes|a b|");

    request.headers = {{"Accept", "image/png"}};
    const TestResponse none = run(
        [](sdk::Request& req) {
            if (!req.negotiate({"application/json"})) return sdk::Response::text("no", 406);
            return sdk::Response::text("yes");
        },
        request);
    EXPECT_EQ(none.status, 406);
}

}  // namespace
