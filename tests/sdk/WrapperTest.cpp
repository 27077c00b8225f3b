// The C++ wrapper (gateway/app.hpp) seen through the fake host: body kinds, exceptions,
// Declined, Error, and that close runs exactly once.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>

#include "gateway/app.hpp"
#include "gateway/testing.hpp"

namespace sdk = gateway::sdk;
using sdk::testing::AppRunner;
using sdk::testing::Framing;
using sdk::testing::TestRequest;
using sdk::testing::TestResponse;

namespace {

using Handler = std::function<sdk::Body(sdk::Request&)>;

Handler& currentHandler() {
    static Handler handler;
    return handler;
}

/// An app whose call() is whatever the test installs.
class ScriptedApp {
public:
    explicit ScriptedApp(const sdk::Config&) {}
    sdk::Body call(sdk::Request& request) { return currentHandler()(request); }
};

constexpr gw_app kScripted = sdk::makeApp<ScriptedApp>("scripted", "1.0", GW_APP_THREAD_SAFE);

TestResponse runWith(Handler handler, TestRequest request = {}) {
    currentHandler() = std::move(handler);
    AppRunner runner(kScripted);
    return runner.run(request);
}

void startText(sdk::Request& r) {
    r.startResponse(200, {{"Content-Type", "text/plain"}});
}

struct Case {
    const char* name;
    Handler handler;
    int32_t result;
    int status;
    const char* body;
    Framing framing;
    const char* lint;  // expected finding, or "" for none
    std::string method = "GET";
};

std::string caseName(const testing::TestParamInfo<Case>& info) {
    return info.param.name;
}
void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name;
}

class WrapperOutcome : public testing::TestWithParam<Case> {};

TEST_P(WrapperOutcome, ClientSeesTheDocumentedResponse) {
    const Case& c = GetParam();
    TestRequest request;
    request.method = c.method;
    const TestResponse r = runWith(c.handler, request);
    EXPECT_EQ(r.result, c.result);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.body, c.body);
    EXPECT_EQ(r.framing, c.framing);
    if (*c.lint)
        EXPECT_TRUE(r.hasLint(c.lint)) << r.lintText();
    else
        EXPECT_TRUE(r.lint.empty()) << r.lintText();
}

sdk::Body throwRuntime(sdk::Request&) {
    throw std::runtime_error("boom");
}
sdk::Body throwInt(sdk::Request&) {
    throw 42;
}

INSTANTIATE_TEST_SUITE_P(
    Wrapper, WrapperOutcome,
    testing::Values(
        Case{"FromString",
             [](sdk::Request& r) {
                 startText(r);
                 return sdk::Body::fromString("Hello, World!");
             },
             GW_OK, 200, "Hello, World!", Framing::ContentLength, ""},
        Case{"FromChunks",
             [](sdk::Request& r) {
                 startText(r);
                 return sdk::Body::fromChunks({"a", "bb", "ccc"});
             },
             GW_OK, 200, "abbccc", Framing::Chunked, ""},
        Case{"FromOneChunkGetsContentLength",
             [](sdk::Request& r) {
                 startText(r);
                 return sdk::Body::fromChunks({"only"});
             },
             GW_OK, 200, "only", Framing::ContentLength, ""},
        Case{"Generate",
             [](sdk::Request& r) {
                 startText(r);
                 return sdk::Body::generate([i = 0]() mutable -> std::optional<std::string> {
                     if (i == 3) return std::nullopt;
                     return std::to_string(i++);
                 });
             },
             GW_OK, 200, "012", Framing::Chunked, ""},
        Case{"EmptyBody",
             [](sdk::Request& r) {
                 r.startResponse(204, {});
                 return sdk::Body();
             },
             GW_OK, 204, "", Framing::None, ""},
        Case{"WriteThenBody",
             [](sdk::Request& r) {
                 startText(r);
                 r.write("head:");
                 return sdk::Body::fromString("tail");
             },
             GW_OK, 200, "head:tail", Framing::Chunked, ""},
        Case{"HeadSendsNoBody",
             [](sdk::Request& r) {
                 startText(r);
                 return sdk::Body::fromString("invisible");
             },
             GW_OK, 200, "", Framing::None, "", "HEAD"},
        Case{"StdExceptionIs500", throwRuntime, GW_E_APP, 500, "", Framing::ContentLength, ""},
        Case{"NonStdExceptionIs500", throwInt, GW_E_APP, 500, "", Framing::ContentLength, ""},
        Case{"ExceptionAfterStartIs500",
             [](sdk::Request& r) -> sdk::Body {
                 startText(r);
                 throw std::logic_error("late");
             },
             GW_E_APP, 500, "", Framing::ContentLength, ""},
        Case{"ExceptionAfterWriteTruncates",
             [](sdk::Request& r) -> sdk::Body {
                 startText(r);
                 r.write("partial");
                 throw std::logic_error("later");
             },
             GW_E_APP, 200, "partial", Framing::Chunked, ""},
        Case{"ErrorBecomesResponse",
             [](sdk::Request&) -> sdk::Body { throw sdk::Error(404, "no such thing"); }, GW_OK, 404,
             "no such thing", Framing::ContentLength, ""},
        Case{"ErrorReplacesStartedResponse",
             [](sdk::Request& r) -> sdk::Body {
                 startText(r);
                 throw sdk::Error(409, "conflict");
             },
             GW_OK, 409, "conflict", Framing::ContentLength, ""},
        Case{"ErrorCodeTooLargeIs413",
             [](sdk::Request&) -> sdk::Body { throw sdk::Error::code(GW_E_TOO_LARGE, "big"); },
             GW_E_TOO_LARGE, 413, "", Framing::ContentLength, ""},
        Case{"DeclinedFallsThrough", [](sdk::Request&) -> sdk::Body { throw sdk::Declined(); },
             GW_DECLINED, 0, "", Framing::None, ""},
        Case{"DeclinedAfterStartIsLint",
             [](sdk::Request& r) -> sdk::Body {
                 startText(r);
                 throw sdk::Declined();
             },
             GW_DECLINED, 0, "", Framing::None, "GW-L014"},
        Case{"HopByHopHeaderIs500",
             [](sdk::Request& r) {
                 r.startResponse(200, {{"Connection", "close"}});
                 return sdk::Body::fromString("x");
             },
             GW_E_INVAL, 500, "", Framing::ContentLength, "GW-L007"},
        Case{"NoStartResponseIs500", [](sdk::Request&) { return sdk::Body::fromString("x"); },
             GW_OK, 500, "", Framing::ContentLength, "GW-L001"},
        Case{"GeneratorThrowsBeforeFirstByte",
             [](sdk::Request& r) {
                 startText(r);
                 return sdk::Body::generate(
                     []() -> std::optional<std::string> { throw std::runtime_error("gen"); });
             },
             GW_OK, 500, "", Framing::ContentLength, ""},
        Case{"GeneratorThrowsAfterFirstByte",
             [](sdk::Request& r) {
                 startText(r);
                 return sdk::Body::generate([i = 0]() mutable -> std::optional<std::string> {
                     if (i++ == 0) return std::string("first");
                     throw std::runtime_error("second");
                 });
             },
             GW_OK, 200, "first", Framing::Chunked, ""}),
    caseName);

TEST(Wrapper, ExceptionsAreLoggedWithWhat) {
    const TestResponse r = runWith(throwRuntime);
    ASSERT_FALSE(r.logs.empty());
    EXPECT_NE(r.logs.back().message.find("boom"), std::string::npos);
    EXPECT_EQ(r.logs.back().level, GW_LOG_ERROR);
}

TEST(Wrapper, ClientCausedCodesAreLeftToTheHostToLog) {
    // read_body fails with GW_E_TOO_LARGE; the wrapper hands the code back without a line of its
    // own (the host logs it with the request), but an app fault is logged.
    TestRequest big;
    big.body = "0123456789";
    big.bodyLimit = 4;
    big.chunked = true;  // a Content-Length past the limit never reaches the app
    const TestResponse r = runWith(
        [](sdk::Request& request) -> sdk::Body {
            request.readAll();
            return sdk::Body::fromString("unreachable");
        },
        big);
    EXPECT_EQ(r.result, GW_E_TOO_LARGE);
    EXPECT_TRUE(r.logs.empty()) << r.logs.front().message;
    const TestResponse fault =
        runWith([](sdk::Request&) -> sdk::Body { throw sdk::Error::code(GW_E_NOMEM, "no room"); });
    ASSERT_EQ(fault.logs.size(), 1u);
    EXPECT_EQ(fault.logs[0].level, GW_LOG_ERROR);
}

TEST(Wrapper, TruncatedWhenGeneratorFailsMidway) {
    const TestResponse r = runWith([](sdk::Request& r) {
        startText(r);
        return sdk::Body::generate([i = 0]() mutable -> std::optional<std::string> {
            if (i++ == 0) return std::string("first");
            throw std::runtime_error("second");
        });
    });
    EXPECT_TRUE(r.truncated);
    EXPECT_EQ(r.closeCalls, 1);
}

/// Counts destructions of a generator's captured state: close must destroy it exactly once.
struct Tracker {
    explicit Tracker(int* destroyed) : destroyed(destroyed) {}
    ~Tracker() { ++*destroyed; }
    int* destroyed;
};

class BodyRelease : public testing::TestWithParam<std::string> {};

TEST_P(BodyRelease, BodyIsDestroyedExactlyOnce) {
    int destroyed = 0;
    TestRequest request;
    request.method = GetParam();
    const TestResponse r = runWith(
        [&destroyed](sdk::Request& req) {
            startText(req);
            auto tracker = std::make_shared<Tracker>(&destroyed);
            return sdk::Body::generate([tracker, i = 0]() mutable -> std::optional<std::string> {
                if (i++ < 2) return std::string("x");
                return std::nullopt;
            });
        },
        request);
    EXPECT_EQ(r.closeCalls, 1);
    EXPECT_EQ(destroyed, 1);
}

INSTANTIATE_TEST_SUITE_P(Wrapper, BodyRelease, testing::Values("GET", "HEAD"),
                         [](const auto& info) { return info.param; });

TEST(Wrapper, BodyIsMoveOnly) {
    static_assert(!std::is_copy_constructible_v<sdk::Body>);
    static_assert(std::is_nothrow_move_constructible_v<sdk::Body>);
    sdk::Body a = sdk::Body::fromString("x");
    sdk::Body b = std::move(a);
    EXPECT_FALSE(b.empty());
}

TEST(Wrapper, RequestViewsEnviron) {
    TestRequest request;
    request.method = "POST";
    request.path = "/scripted/a%20b";
    request.query = "x=1";
    request.headers = {{"User-Agent", "t/1"}, {"Content-Type", "text/csv"}};
    request.body = "1,2,3";
    std::string seen;
    runWith(
        [&seen](sdk::Request& r) {
            seen = std::string(r.method()) + "|" + std::string(r.scriptName()) + "|" +
                   std::string(r.pathInfo()) + "|" + std::string(r.query()) + "|" +
                   std::string(r.header("user-agent").value_or("?")) + "|" +
                   std::string(r.header("Content-Type").value_or("?")) + "|" +
                   std::string(r.env("CONTENT_LENGTH", "?")) + "|" + r.readAll() + "|" +
                   (r.env("NOPE") ? "found" : "absent");
            startText(r);
            return sdk::Body();
        },
        request);
    EXPECT_EQ(seen, "POST|/scripted|/a b|x=1|t/1|text/csv|5|1,2,3|absent");
}

TEST(Wrapper, ReadAllOverLimitIs413) {
    TestRequest request;
    request.method = "POST";
    request.body = std::string(100, 'x');
    const TestResponse r = runWith(
        [](sdk::Request& req) {
            req.readAll(10);
            startText(req);
            return sdk::Body();
        },
        request);
    EXPECT_EQ(r.result, GW_E_TOO_LARGE);
    EXPECT_EQ(r.status, 413);
}

TEST(Wrapper, BodyLimitOfTheMountIs413) {
    TestRequest request;
    request.method = "POST";
    request.body = std::string(100, 'x');
    request.bodyLimit = 50;
    request.chunked = true;  // a Content-Length past the limit never reaches the app
    const TestResponse r = runWith(
        [](sdk::Request& req) {
            req.readAll();
            startText(req);
            return sdk::Body();
        },
        request);
    EXPECT_EQ(r.result, GW_E_TOO_LARGE);
    EXPECT_EQ(r.status, 413);
}

TEST(Wrapper, GeneratorMayTakeTheRequest) {
    TestRequest request;
    request.method = "PUT";
    request.body = "abcdef";
    request.readPiece = 2;
    const TestResponse r = runWith(
        [](sdk::Request& req) {
            startText(req);
            return sdk::Body::generate([](sdk::Request& in) -> std::optional<std::string> {
                char buf[8];
                const std::size_t n = in.read(buf, sizeof buf);
                if (n == 0) return std::nullopt;
                return std::string(buf, n);
            });
        },
        request);
    EXPECT_EQ(r.body, "abcdef");
    EXPECT_EQ(r.chunks, (std::vector<std::string>{"ab", "cd", "ef"}));
}

class Configured {
public:
    explicit Configured(const sdk::Config& config)
        : _greeting(config.get("greeting", "none")), _mount(config.mount()) {
        if (config.get("fail")) throw std::runtime_error("told to fail");
    }
    sdk::Body call(sdk::Request& request) {
        startText(request);
        return sdk::Body::fromString(_greeting + "@" + _mount);
    }

private:
    std::string _greeting;
    std::string _mount;
};

constexpr gw_app kConfigured = sdk::makeApp<Configured>("configured", "1.0", 0);

TEST(Wrapper, ConfigReachesTheConstructor) {
    AppRunner runner(kConfigured, {{"greeting", "hi"}}, "/greet");
    TestRequest request;
    request.path = "/greet";
    EXPECT_EQ(runner.run(request).body, "hi@/greet");
}

TEST(Wrapper, ConstructorExceptionFailsInitWithItsMessage) {
    AppRunner runner(kConfigured, {{"fail", "1"}});
    EXPECT_FALSE(runner.initialized());
    EXPECT_EQ(runner.initResult(), GW_E_APP);
    EXPECT_EQ(runner.initError(), "told to fail");
    EXPECT_TRUE(runner.loadLint().empty());
}

TEST(Wrapper, ErrorTextMatchesSpec) {
    EXPECT_STREQ(sdk::errorText(GW_E_STATE), "not allowed in this state");
    EXPECT_STREQ(sdk::errorText(-1234), "unknown error");
}

}  // namespace
