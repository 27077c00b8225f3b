// gateway/router.hpp through the fake host: matching (parameters, {rest...}, specificity,
// trailing slashes), 404, 405 with the exact Allow, HEAD from GET, custom error formats,
// malformed patterns; and that matching allocates nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>

#include "gateway/router.hpp"
#include "gateway/testing.hpp"

namespace sdk = gateway::sdk;
using sdk::testing::AppRunner;
using sdk::testing::TestRequest;
using sdk::testing::TestResponse;

// Every allocation in this test program is counted, to prove Router::call() makes none.
namespace {
std::atomic<long> gAllocations{0};
}
// GCC sees free() meet a pointer from operator new once these are inlined; here they are a pair.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
    ++gAllocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
// The nothrow form too (std::stable_sort's buffer): otherwise it would come from the
// sanitizer's allocator and go back to free() above.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    ++gAllocations;
    return std::malloc(n ? n : 1);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
#pragma GCC diagnostic pop

namespace {

/// A handler answering `label` as text, with the label in X-Route too (visible for HEAD).
auto answer(std::string label) {
    return [label](sdk::Request&) { return sdk::Response::text(label).header("X-Route", label); };
}

class Routed {
public:
    explicit Routed(const sdk::Config& config) {
        _router.get("/", answer("root"))
            .get("/notes", answer("list"))
            .post("/notes", answer("create"))
            .get("/notes/{id}",
                 [](sdk::Request&, const sdk::PathParams& p) {
                     return sdk::Response::text("note " + std::string(p["id"]));
                 })
            .put("/notes/{id}", answer("update"))
            .del("/notes/{id}", answer("delete"))
            .get("/notes/new", answer("form"))
            .post("/notes/{id}/tags/{tag}",
                  [](sdk::Request&, const sdk::PathParams& p) {
                      return sdk::Response::text(std::string(p["id"]) + " " +
                                                 std::string(p["tag"]) + " " +
                                                 std::to_string(p.size()));
                  })
            .get("/files/{path...}",
                 [](sdk::Request&, const sdk::PathParams& p) {
                     return sdk::Response::text("file [" + std::string(p["path"]) + "]");
                 })
            .get("/slash/", answer("with slash"))
            .route("PROPFIND", "/dav", answer("dav"))
            .any("/any",
                 [](sdk::Request& r) { return sdk::Response::text(std::string(r.method())); })
            .get("/explicit", answer("get route"))
            .head("/explicit", answer("head route"))
            .get("/{a}/{b}/x", answer("params first"))
            .get("/lit/{b}/{c}", answer("literal first"))
            .any("/mixed", answer("any"))
            .post("/mixed", answer("post"))
            .get("/bad-param",
                 [](sdk::Request&, const sdk::PathParams& p) {
                     return sdk::Response::text(std::string(p["nope"]));
                 })
            .options("/opt", answer("options"))
            .get("/throws", [](sdk::Request&) -> sdk::Response {
                throw sdk::Error::json(409, R"({"error":"conflict"})");
            });
        if (config.get("format") == std::optional<std::string_view>("json"))
            _router.errors([](int status, std::string_view message) {
                return sdk::Error::json(status, "{\"error\":\"" + sdk::jsonEscape(message) + "\"}");
            });
    }
    sdk::Response call(sdk::Request& request) { return _router.call(request); }

private:
    sdk::Router _router;
};

constexpr gw_app kRouted = sdk::makeApp<Routed>("routed", "1.0", GW_APP_THREAD_SAFE);

TestResponse request(AppRunner& app, const std::string& method, const std::string& path) {
    TestRequest r;
    r.method = method;
    r.path = "/routed" + path;
    return app.run(r);
}

struct RouteCase {
    std::string method, path;
    int status;
    std::string body;   // for HEAD: the X-Route header
    std::string allow;  // expected Allow, "" for none
};

TEST(Router, Table) {
    AppRunner app(kRouted);
    const RouteCase cases[] = {
        {"GET", "", 200, "root", ""},  // the mount itself reads as "/"
        {"GET", "/", 200, "root", ""},
        {"GET", "/notes", 200, "list", ""},
        {"POST", "/notes", 200, "create", ""},
        {"DELETE", "/notes", 405, "Method Not Allowed", "GET, HEAD, POST"},
        {"OPTIONS", "/notes", 405, "Method Not Allowed", "GET, HEAD, POST"},
        {"GET", "/notes/", 404, "Not Found", ""},  // trailing slashes count
        {"GET", "/notes/42", 200, "note 42", ""},
        {"GET", "/notes/a%20b", 200, "note a b", ""},
        {"PUT", "/notes/42", 200, "update", ""},
        {"DELETE", "/notes/42", 200, "delete", ""},
        {"PATCH", "/notes/42", 405, "Method Not Allowed", "GET, HEAD, PUT, DELETE"},
        {"GET", "/notes/new", 200, "form", ""},    // a literal beats {id}
        {"PUT", "/notes/new", 200, "update", ""},  // ... but only for its own methods
        {"POST", "/notes/new", 405, "Method Not Allowed", "GET, HEAD, PUT, DELETE"},
        {"POST", "/notes/7/tags/red", 200, "7 red 2", ""},
        {"GET", "/notes/7/tags/red", 405, "Method Not Allowed", "POST"},
        {"GET", "/notes/7/tags", 404, "Not Found", ""},
        {"GET", "/files/a/b.txt", 200, "file [a/b.txt]", ""},
        {"GET", "/files/", 200, "file []", ""},
        {"GET", "/files", 404, "Not Found", ""},
        {"GET", "/slash/", 200, "with slash", ""},
        {"GET", "/slash", 404, "Not Found", ""},
        {"PROPFIND", "/dav", 200, "dav", ""},
        {"GET", "/dav", 405, "Method Not Allowed", "PROPFIND"},
        {"DELETE", "/any", 200, "DELETE", ""},
        {"BREW", "/any", 200, "BREW", ""},
        {"GET", "/lit/1/x", 200, "literal first", ""},
        {"GET", "/other/1/x", 200, "params first", ""},
        {"POST", "/mixed", 200, "post", ""},  // a method route before any()
        {"PUT", "/mixed", 200, "any", ""},
        {"OPTIONS", "/opt", 200, "options", ""},
        {"GET", "/opt", 405, "Method Not Allowed", "OPTIONS"},
        {"GET", "/nothing/here", 404, "Not Found", ""},
        {"HEAD", "/notes/42", 200, "", ""},
        {"HEAD", "/explicit", 200, "head route", ""},
        {"HEAD", "/notes", 200, "list", ""},
        {"HEAD", "/notes/7/tags/red", 405, "", "POST"},
        {"GET", "/throws", 409, "{\"error\":\"conflict\"}", ""},
        {"GET", "/bad-param", 500, "", ""},
    };
    for (const RouteCase& c : cases) {
        const TestResponse r = request(app, c.method, c.path);
        const std::string what = c.method + " " + c.path;
        EXPECT_EQ(r.status, c.status) << what;
        if (c.method == "HEAD")
            EXPECT_EQ(r.header("X-Route").value_or(""), c.body) << what;
        else
            EXPECT_EQ(r.body, c.body) << what;
        EXPECT_EQ(r.header("Allow").value_or(""), c.allow) << what;
        EXPECT_TRUE(r.lint.empty()) << what << ": " << r.lintText();
    }
}

TEST(Router, HeadIsFramedLikeGet) {
    AppRunner app(kRouted);
    const TestResponse get = request(app, "GET", "/notes/12345");
    const TestResponse head = request(app, "HEAD", "/notes/12345");
    ASSERT_EQ(get.status, 200);
    ASSERT_EQ(head.status, 200);
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(head.header("Content-Length"), get.header("Content-Length"));
    EXPECT_EQ(head.header("Content-Length"), "10");
    EXPECT_EQ(head.header("Content-Type"), get.header("Content-Type"));
}

TEST(Router, ErrorsInTheAppsFormatKeepAllow) {
    AppRunner app(kRouted, {{"format", "json"}});
    const TestResponse missing = request(app, "GET", "/nothing");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.header("Content-Type"), "application/json");
    EXPECT_EQ(missing.body, R"({"error":"Not Found"})");
    const TestResponse wrong = request(app, "PATCH", "/notes");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(wrong.header("Content-Type"), "application/json");
    EXPECT_EQ(wrong.body, R"({"error":"Method Not Allowed"})");
    EXPECT_EQ(wrong.header("Allow"), "GET, HEAD, POST");
    EXPECT_EQ(wrong.header("Content-Length"), std::to_string(wrong.body.size()));
}

TEST(Router, BadParameterNameIsA500NamingIt) {
    AppRunner app(kRouted);
    const TestResponse r = request(app, "GET", "/bad-param");
    EXPECT_EQ(r.status, 500);
    ASSERT_FALSE(r.logs.empty());
    EXPECT_NE(r.logs.back().message.find("{nope}"), std::string::npos) << r.logs.back().message;
}

TEST(Router, MalformedPatternsAreRefusedWhenRegistered) {
    const auto handler = [](sdk::Request&) { return sdk::Response(204); };
    for (const char* pattern : {"", "notes", "/{}", "/{a}/{a}", "/{rest...}/x", "/a{b}", "/{a-b}",
                                "/{...}", "/{a}}", "/{1}/{2}/{3}/{4}/{5}/{6}/{7}/{8}/{9}"}) {
        sdk::Router router;
        EXPECT_THROW(router.get(pattern, handler), std::invalid_argument) << pattern;
    }
    sdk::Router router;
    EXPECT_THROW(router.route("GE T", "/", handler), std::invalid_argument);
    EXPECT_THROW(router.route("", "/", handler), std::invalid_argument);
    EXPECT_NO_THROW(router.get("/{a_1}/{B2}/{rest...}", handler));
    EXPECT_NO_THROW(router.get("/{1}/{2}/{3}/{4}/{5}/{6}/{7}/{8}", handler));
}

// A host table with just enough (get) to run Router::call() outside the fake host, so that the
// only code running between the two counter reads is the router's and the handler's.
struct MiniEnviron {
    std::string_view method, path;
};
int32_t miniGet(gw_request* req, const char* name, size_t len, gw_str* value) {
    const auto* environ = reinterpret_cast<const MiniEnviron*>(req);
    const std::string_view key(name, len);
    const std::string_view found = key == "REQUEST_METHOD" ? environ->method
                                   : key == "PATH_INFO"    ? environ->path
                                                           : std::string_view();
    if (found.empty()) return GW_NOT_FOUND;
    *value = gw_str{found.data(), found.size()};
    return GW_OK;
}

TEST(Router, MatchingAllocatesNothing) {
    sdk::Router router;
    for (int i = 0; i < 20; ++i)
        router.get("/r" + std::to_string(i) + "/{id}/{rest...}",
                   [](sdk::Request&, const sdk::PathParams&) { return sdk::Response(204); });
    router.get("/notes/{id}", [](sdk::Request&, const sdk::PathParams& p) {
        return sdk::Response(p["id"] == "42" ? 204 : 500);
    });
    gw_host_api api{};
    api.abi_version = GW_ABI_VERSION;
    api.size = sizeof api;
    api.get = &miniGet;
    MiniEnviron environ{"GET", "/notes/42"};
    sdk::Request request(&api, reinterpret_cast<gw_request*>(&environ));
    const long before = gAllocations.load();
    const sdk::Response response = router.call(request);
    const long during = gAllocations.load() - before;
    EXPECT_EQ(response.status(), 204);
    EXPECT_EQ(during, 0);
}

}  // namespace
