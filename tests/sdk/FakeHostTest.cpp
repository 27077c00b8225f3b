// The fake host (gateway/testing.hpp) against raw C-ABI apps: environ per SPEC section 3,
// start_response validation and lint codes per SPEC sections 5, 6 and 9, strerror texts.
#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>

#include "gateway/gateway.h"
#include "gateway/testing.hpp"

using gateway::sdk::testing::AppRunner;
using gateway::sdk::testing::Framing;
using gateway::sdk::testing::TestRequest;
using gateway::sdk::testing::TestResponse;

namespace {

using CallFn = int32_t (*)(void*, const gw_host_api*, gw_request*, gw_body*);

gw_app rawApp(CallFn call, uint32_t flags = GW_APP_THREAD_SAFE) {
    return gw_app{GW_APP_MAGIC, GW_ABI_VERSION, sizeof(gw_app), flags, "raw",
                  "1.0",        nullptr,        nullptr,        call,  nullptr};
}

int32_t start(const gw_host_api* api, gw_request* req, const gw_header* headers, size_t n,
              uint32_t status = 200, uint32_t flags = 0) {
    return api->start_response(req, status, gw_str{nullptr, 0}, headers, n, flags);
}

const gw_header kText[] = {{GW_STR("Content-Type"), GW_STR("text/plain")}};

int gClosed = 0;
void countClose(void*) {
    ++gClosed;
}
int32_t nextNullChunk(void*, const gw_host_api*, gw_request*, gw_str* chunk) {
    chunk->ptr = nullptr;
    chunk->len = 5;
    return GW_BODY_END;
}
int32_t nextDeclined(void*, const gw_host_api*, gw_request*, gw_str*) {
    return GW_DECLINED;
}
int32_t nextThree(void*, const gw_host_api*, gw_request*, gw_str* chunk) {
    *chunk = GW_STR("abc");
    return GW_BODY_END;
}

struct LintCase {
    const char* name;
    CallFn call;
    const char* lint;
    int status;
};

std::string lintName(const testing::TestParamInfo<LintCase>& info) {
    return info.param.name;
}
void PrintTo(const LintCase& c, std::ostream* os) {
    *os << c.name << " -> " << c.lint;
}

class FakeHostLint : public testing::TestWithParam<LintCase> {};

TEST_P(FakeHostLint, RecordsTheViolation) {
    const gw_app app = rawApp(GetParam().call);
    AppRunner runner(app);
    gClosed = 0;
    const TestResponse r = runner.run({});
    EXPECT_TRUE(r.hasLint(GetParam().lint)) << "findings:\n" << r.lintText();
    EXPECT_EQ(r.status, GetParam().status);
    EXPECT_LE(gClosed, 1);
}

INSTANTIATE_TEST_SUITE_P(
    Spec, FakeHostLint,
    testing::Values(
        LintCase{"OkWithoutStartResponse",
                 [](void*, const gw_host_api*, gw_request*, gw_body*) { return GW_OK; }, "GW-L001",
                 500},
        LintCase{"StartResponseTwice",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     start(api, req, kText, 1);
                     return start(api, req, kText, 1, 201) == GW_E_STATE ? GW_OK : GW_E_APP;
                 },
                 "GW-L002", 200},
        LintCase{"StartResponseAfterFirstByte",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     start(api, req, kText, 1);
                     api->write(req, "x", 1);
                     start(api, req, kText, 1, 500, GW_RESPONSE_REPLACE);
                     return GW_OK;
                 },
                 "GW-L003", 200},
        LintCase{"StatusOutOfRange",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     return start(api, req, kText, 1, 99);
                 },
                 "GW-L004", 500},
        LintCase{"HeaderNameNotToken",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     const gw_header h[] = {{GW_STR("Bad Name"), GW_STR("v")}};
                     return start(api, req, h, 1);
                 },
                 "GW-L005", 500},
        LintCase{"HeaderValueWithCrLf",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     const gw_header h[] = {{GW_STR("X-A"), GW_STR("a\r\nSet-Cookie: x")}};
                     return start(api, req, h, 1);
                 },
                 "GW-L006", 500},
        LintCase{"TransferEncodingHeader",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     const gw_header h[] = {{GW_STR("transfer-encoding"), GW_STR("chunked")}};
                     return start(api, req, h, 1);
                 },
                 "GW-L007", 500},
        LintCase{"DateHeader",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     const gw_header h[] = {{GW_STR("Date"), GW_STR("today")}};
                     return start(api, req, h, 1);
                 },
                 "GW-L008", 500},
        LintCase{"ContentLengthTwice",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     const gw_header h[] = {{GW_STR("Content-Length"), GW_STR("1")},
                                            {GW_STR("Content-Length"), GW_STR("1")}};
                     return start(api, req, h, 2);
                 },
                 "GW-L009", 500},
        LintCase{"ContentLengthOn204",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     const gw_header h[] = {{GW_STR("Content-Length"), GW_STR("0")}};
                     return start(api, req, h, 1, 204);
                 },
                 "GW-L009", 500},
        LintCase{"UnknownFlags",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     return start(api, req, kText, 1, 200, 0x80);
                 },
                 "GW-L010", 500},
        LintCase{"WriteBeforeStartResponse",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     return api->write(req, "x", 1);
                 },
                 "GW-L011", 500},
        LintCase{"BodyShorterThanContentLength",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     const gw_header h[] = {{GW_STR("Content-Length"), GW_STR("10")}};
                     start(api, req, h, 1);
                     return api->write(req, "short", 5);
                 },
                 "GW-L012", 200},
        LintCase{"BodyLongerThanContentLength",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body* body) {
                     const gw_header h[] = {{GW_STR("Content-Length"), GW_STR("2")}};
                     start(api, req, h, 1);
                     body->next = nextThree;
                     return GW_OK;
                 },
                 "GW-L013", 200},
        LintCase{"DeclinedAfterStart",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     start(api, req, kText, 1);
                     return GW_DECLINED;
                 },
                 "GW-L014", 0},
        LintCase{"BodyFilledOnError",
                 [](void*, const gw_host_api*, gw_request*, gw_body* body) {
                     body->close = countClose;
                     return GW_E_APP;
                 },
                 "GW-L015", 500},
        LintCase{"CallReturnsBodyEnd",
                 [](void*, const gw_host_api*, gw_request*, gw_body*) { return GW_BODY_END; },
                 "GW-L016", 500},
        LintCase{"NextReturnsDeclined",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body* body) {
                     start(api, req, kText, 1);
                     body->next = nextDeclined;
                     return GW_OK;
                 },
                 "GW-L016", 500},
        LintCase{"NextNullChunk",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body* body) {
                     start(api, req, kText, 1);
                     body->next = nextNullChunk;
                     return GW_OK;
                 },
                 "GW-L017", 500},
        LintCase{"NullArguments",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     api->get(req, "X", 1, nullptr);
                     return GW_DECLINED;
                 },
                 "GW-L019", 0},
        LintCase{"LogLevelOutOfRange",
                 [](void*, const gw_host_api* api, gw_request* req, gw_body*) {
                     const gw_str message = GW_STR("hm");
                     api->log(req, 99, message);
                     return GW_DECLINED;
                 },
                 "GW-L020", 0}),
    lintName);

TEST(FakeHost, CloseIsCalledOnceEvenWhenCallFails) {
    const gw_app app = rawApp([](void*, const gw_host_api*, gw_request*, gw_body* body) {
        body->close = countClose;
        return GW_E_APP;
    });
    AppRunner runner(app);
    gClosed = 0;
    const TestResponse r = runner.run({});
    EXPECT_EQ(gClosed, 1);
    EXPECT_EQ(r.closeCalls, 1);
    EXPECT_EQ(r.nextCalls, 0);
}

TEST(FakeHost, ReplaceBeforeFirstByteIsAllowed) {
    const gw_app app = rawApp([](void*, const gw_host_api* api, gw_request* req, gw_body*) {
        start(api, req, kText, 1);
        return start(api, req, kText, 1, 503, GW_RESPONSE_REPLACE);
    });
    AppRunner runner(app);
    const TestResponse r = runner.run({});
    EXPECT_EQ(r.status, 503);
    EXPECT_TRUE(r.lint.empty()) << r.lintText();
}

TEST(FakeHost, RejectedHeaderKeepsThePreviousResponse) {
    const gw_app app = rawApp([](void*, const gw_host_api* api, gw_request* req, gw_body*) {
        start(api, req, kText, 1, 201);
        const gw_header bad[] = {{GW_STR("Server"), GW_STR("me")}};
        start(api, req, bad, 1, 202, GW_RESPONSE_REPLACE);
        return GW_OK;
    });
    AppRunner runner(app);
    const TestResponse r = runner.run({});
    EXPECT_EQ(r.status, 201);
    EXPECT_TRUE(r.hasLint("GW-L008"));
}

TEST(FakeHost, DescriptorFlagsAreLinted) {
    const gw_app app =
        rawApp([](void*, const gw_host_api*, gw_request*, gw_body*) { return GW_DECLINED; },
               GW_APP_NON_BLOCKING);
    AppRunner runner(app);
    ASSERT_EQ(runner.loadLint().size(), 1u);
    EXPECT_EQ(runner.loadLint()[0].code, "GW-L021");
}

TEST(FakeHost, InitFailureWithoutMessageIsLinted) {
    gw_app app = rawApp([](void*, const gw_host_api*, gw_request*, gw_body*) { return GW_OK; });
    app.init = [](const gw_host_api*, const gw_config*, void**, char*, size_t) { return GW_E_APP; };
    AppRunner runner(app);
    EXPECT_FALSE(runner.initialized());
    ASSERT_EQ(runner.loadLint().size(), 1u);
    EXPECT_EQ(runner.loadLint()[0].code, "GW-L022");
    EXPECT_THROW(runner.run({}), std::logic_error);
}

TEST(FakeHost, AllocIsAlignedAndRequestScoped) {
    static bool aligned = false;
    static void* zero = reinterpret_cast<void*>(1);
    const gw_app app = rawApp([](void*, const gw_host_api* api, gw_request* req, gw_body*) {
        void* a = api->alloc(req, 3);
        void* b = api->alloc(req, 17);
        aligned = a && b && reinterpret_cast<uintptr_t>(a) % alignof(std::max_align_t) == 0 &&
                  reinterpret_cast<uintptr_t>(b) % alignof(std::max_align_t) == 0;
        zero = api->alloc(req, 0);
        return GW_DECLINED;
    });
    AppRunner runner(app);
    runner.run({});
    EXPECT_TRUE(aligned);
    EXPECT_EQ(zero, nullptr);
}

TEST(FakeHost, HttpTenStreamsCloseDelimited) {
    const gw_app app = rawApp([](void*, const gw_host_api* api, gw_request* req, gw_body*) {
        start(api, req, kText, 1);
        return api->write(req, "abc", 3);
    });
    AppRunner runner(app);
    TestRequest request;
    request.protocol = "HTTP/1.0";
    const TestResponse r = runner.run(request);
    EXPECT_EQ(r.framing, Framing::CloseDelimited);
    EXPECT_EQ(r.body, "abc");
}

// ---- environ (SPEC section 3) --------------------------------------------------------------

std::string environValue(const std::string& mount, const TestRequest& request,
                         const std::string& name) {
    static std::string wanted;
    static std::string found;
    wanted = name;
    found = "<absent>";
    const gw_app app = rawApp([](void*, const gw_host_api* api, gw_request* req, gw_body*) {
        gw_str v{nullptr, 0};
        if (api->get(req, wanted.data(), wanted.size(), &v) == GW_OK) found.assign(v.ptr, v.len);
        return GW_DECLINED;
    });
    AppRunner runner(app, {}, mount);
    runner.run(request);
    return found;
}

struct EnvironCase {
    const char* name;
    const char* path;
    const char* query;
    const char* scriptName;
    const char* pathInfo;
    const char* requestUri;
};

void PrintTo(const EnvironCase& c, std::ostream* os) {
    *os << c.path << "?" << c.query;
}

class FakeHostEnviron : public testing::TestWithParam<EnvironCase> {};

TEST_P(FakeHostEnviron, SplitsLikeTheSpecTable) {
    const EnvironCase& c = GetParam();
    TestRequest request;
    request.path = c.path;
    request.query = c.query;
    EXPECT_EQ(environValue("/echo", request, "SCRIPT_NAME"), c.scriptName);
    EXPECT_EQ(environValue("/echo", request, "PATH_INFO"), c.pathInfo);
    EXPECT_EQ(environValue("/echo", request, "QUERY_STRING"), c.query);
    EXPECT_EQ(environValue("/echo", request, "REQUEST_URI"), c.requestUri);
}

INSTANTIATE_TEST_SUITE_P(
    Spec, FakeHostEnviron,
    testing::Values(
        EnvironCase{"Mount", "/echo", "", "/echo", "", "/echo"},
        EnvironCase{"MountSlash", "/echo/", "", "/echo", "/", "/echo/"},
        EnvironCase{"Encoded", "/echo/a%20b", "x=1", "/echo", "/a b", "/echo/a%20b?x=1"},
        EnvironCase{"DotSegments", "/echo/a%20b/../c", "x=1&y=%20", "/echo", "/c",
                    "/echo/a%20b/../c?x=1&y=%20"},
        EnvironCase{"EncodedSlash", "/echo/x%2Fy", "", "/echo", "/x/y", "/echo/x%2Fy"},
        EnvironCase{"EmptySegmentsKept", "/echo/a//b/", "", "/echo", "/a//b/", "/echo/a//b/"},
        EnvironCase{"EncodedPercentDecodedOnce", "/echo/%252e%252e", "", "/echo", "/%2e%2e",
                    "/echo/%252e%252e"}),
    [](const auto& info) { return std::string(info.param.name); });

// The gateway answers 400 for these (the same normaliser: gateway/detail/http_lexer.hpp), so the
// fake host refuses to run them.
struct RefusedPath {
    const char* name;
    const char* path;
};

void PrintTo(const RefusedPath& c, std::ostream* os) {
    *os << c.name;
}

class FakeHostRefusedPath : public testing::TestWithParam<RefusedPath> {};

TEST_P(FakeHostRefusedPath, Throws) {
    TestRequest request;
    request.path = GetParam().path;
    EXPECT_THROW(environValue("/echo", request, "PATH_INFO"), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Spec, FakeHostRefusedPath,
                         testing::Values(RefusedPath{"BadHex", "/echo/a%zz"},
                                         RefusedPath{"ShortEscape", "/echo/a%2"},
                                         RefusedPath{"EncodedNul", "/echo/a%00b"},
                                         RefusedPath{"Climbs", "/echo/../.."},
                                         RefusedPath{"NotRooted", "echo/a"}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(FakeHost, HeadersBecomeHttpEntries) {
    TestRequest request;
    request.headers = {
        {"Accept", "a"}, {"accept", "b"}, {"X_Forwarded", "evil"}, {"Host", "example.test:8443"}};
    EXPECT_EQ(environValue("/raw", request, "HTTP_ACCEPT"), "a, b");
    EXPECT_EQ(environValue("/raw", request, "HTTP_X_FORWARDED"), "<absent>");
    EXPECT_EQ(environValue("/raw", request, "SERVER_NAME"), "example.test");
    EXPECT_EQ(environValue("/raw", request, "CONTENT_LENGTH"), "<absent>");
    EXPECT_EQ(environValue("/raw", request, "gateway.version"), "1.1");
    EXPECT_EQ(environValue("/raw", request, "gateway.multithread"), "1");
}

TEST(FakeHost, ChunkedBodyHasNoContentLength) {
    TestRequest request;
    request.method = "POST";
    request.body = "abc";
    EXPECT_EQ(environValue("/raw", request, "CONTENT_LENGTH"), "3");
    request.chunked = true;
    EXPECT_EQ(environValue("/raw", request, "CONTENT_LENGTH"), "<absent>");
}

TEST(FakeHost, EnvironCanBeEnumerated) {
    static size_t count = 0;
    static bool allFound = true;
    const gw_app app = rawApp([](void*, const gw_host_api* api, gw_request* req, gw_body*) {
        count = api->environ_count(req);
        for (size_t i = 0; i < count; ++i) {
            gw_str name, value, again;
            allFound = allFound && api->environ_at(req, i, &name, &value) == GW_OK &&
                       api->get(req, name.ptr, name.len, &again) == GW_OK;
        }
        gw_str name, value;
        allFound = allFound && api->environ_at(req, count, &name, &value) == GW_NOT_FOUND;
        return GW_DECLINED;
    });
    AppRunner runner(app);
    runner.run({});
    EXPECT_GE(count, 15u);  // the SPEC's always-present entries for a GET without body
    EXPECT_TRUE(allFound);
}

// ---- strerror (SPEC section 8) -------------------------------------------------------------

class FakeHostStrerror : public testing::TestWithParam<std::pair<int32_t, const char*>> {};

TEST_P(FakeHostStrerror, UsesTheSpecText) {
    const gw_app app =
        rawApp([](void*, const gw_host_api*, gw_request*, gw_body*) { return GW_DECLINED; });
    AppRunner runner(app);
    EXPECT_STREQ(runner.api().strerror(GetParam().first), GetParam().second);
}

INSTANTIATE_TEST_SUITE_P(
    Spec, FakeHostStrerror,
    testing::Values(
        std::pair{GW_OK, "ok"}, std::pair{GW_DECLINED, "declined"},
        std::pair{GW_BODY_END, "end of body"}, std::pair{GW_NOT_FOUND, "not found"},
        std::pair{GW_E_INVAL, "invalid argument"}, std::pair{GW_E_NOMEM, "out of memory"},
        std::pair{GW_E_IO, "connection closed"}, std::pair{GW_E_STATE, "not allowed in this state"},
        std::pair{GW_E_TOO_LARGE, "too large"}, std::pair{GW_E_TIMEOUT, "timed out"},
        std::pair{GW_E_APP, "application error"}, std::pair{GW_E_PROTOCOL, "malformed request"},
        std::pair{GW_E_UNSUPPORTED, "not supported"}, std::pair{int32_t{-100}, "unknown error"}),
    [](const auto& info) {
        const int32_t c = info.param.first;
        return (c < 0 ? "Minus" + std::to_string(-c) : std::to_string(c));
    });

}  // namespace
