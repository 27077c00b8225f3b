// The wsgi bridge (apps/wsgi, issue 10) in the real binary: a raw PEP 3333 app and an unmodified
// Flask app (tests/integration/wsgi/*.py), both wrapped in wsgiref.validate.validator, served
// from one wsgi.so as two sections (`plugin = wsgi`) at two mounts of one worker.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempDir.h"

#ifndef GATEWAY_WSGI_DIR
#error "GATEWAY_WSGI_DIR must name the folder of wsgi.so"
#endif
#ifndef GATEWAY_WSGI_TEST_APPS
#error "GATEWAY_WSGI_TEST_APPS must name the folder of the Python test apps"
#endif

using namespace gateway::test;

namespace {

Poco::JSON::Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// Both test apps, one wsgi.so: the raw one at /raw, Flask at /shop.
const std::string kTwoApps =
    std::string("[app.raw]\nplugin = wsgi\nmodule = raw_app:app\npath = ") +
    GATEWAY_WSGI_TEST_APPS +
    "\n[app.shop]\nplugin = wsgi\nmodule = flask_app:create_app()\n"
    "path = " GATEWAY_WSGI_TEST_APPS "\n";

}  // namespace

class Wsgi : public GatewayFixture {
protected:
    /// One worker (the close() counter lives in its interpreter), wsgi.so alone in apps/.
    ::testing::AssertionResult start(const std::string& config = kTwoApps) {
        const auto apps = root() / "apps";
        std::filesystem::create_directories(apps);
        std::filesystem::copy_file(std::filesystem::path(GATEWAY_WSGI_DIR) / "wsgi.so",
                                   apps / "wsgi.so");
        writeFile(root() / "gateway.ini", config);
        return startGateway({"--apps", apps.string(), "--config", (root() / "gateway.ini").string(),
                             "--workers", "1"});
    }
    RawResponse request(const std::string& method, const std::string& target,
                        const std::string& headers = "", const std::string& body = "") {
        RawClient client(port());
        client.send(httpRequest(method, target, headers) + body);
        return client.readResponse(method == "HEAD");
    }
    /// GET /raw/closed until `done` holds for its close() counts (the host calls close() after
    /// the response went out, so they may lag the responses a little), at most 10 s.
    template <typename Done>
    Poco::JSON::Object::Ptr closedCounts(Done done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        Poco::JSON::Object::Ptr closed;
        do closed = json(request("GET", "/raw/closed").body);
        while (!done(*closed) && std::chrono::steady_clock::now() < deadline);
        return closed;
    }
    void TearDown() override {
        // wsgiref.validate found nothing wrong, in the bridge or the apps.
        const std::string log = gateway().log();
        EXPECT_EQ(log.find("AssertionError"), std::string::npos) << log;
        EXPECT_EQ(log.find("WSGIWarning"), std::string::npos) << log;
        GatewayFixture::TearDown();
    }
};

TEST_F(Wsgi, EnvironUnderTheMountPrefix) {
    ASSERT_TRUE(start());
    const RawResponse r = request("GET", "/raw/environ?a=1&b=%20", "X-Test: yes\r\n");
    ASSERT_EQ(r.status, 200) << r.head << r.body;
    const auto env = json(r.body);
    EXPECT_EQ(env->getValue<std::string>("REQUEST_METHOD"), "GET");
    EXPECT_EQ(env->getValue<std::string>("SCRIPT_NAME"), "/raw");
    EXPECT_EQ(env->getValue<std::string>("PATH_INFO"), "/environ");
    EXPECT_EQ(env->getValue<std::string>("QUERY_STRING"), "a=1&b=%20");
    EXPECT_EQ(env->getValue<std::string>("HTTP_X_TEST"), "yes");
    EXPECT_EQ(env->getValue<std::string>("wsgi.url_scheme"), "http");
    EXPECT_TRUE(env->getValue<bool>("wsgi.multithread"));
    EXPECT_FALSE(env->getValue<bool>("wsgi.multiprocess"));  // one worker
    EXPECT_FALSE(env->getValue<bool>("wsgi.run_once"));
    EXPECT_TRUE(env->getValue<bool>("wsgi.input_terminated"));
    EXPECT_TRUE(env->getValue<bool>("native"));
    EXPECT_EQ(env->getArray("wsgi.version")->size(), 2u);
}

TEST_F(Wsgi, PostBodyReadInPiecesOfThree) {
    ASSERT_TRUE(start());
    const RawResponse r = request("POST", "/raw/read", "Content-Length: 10\r\n", "0123456789");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto got = json(r.body);
    EXPECT_EQ(got->getValue<std::string>("body"), "0123456789");
    EXPECT_EQ(got->getValue<int>("pieces"), 4);
}

TEST_F(Wsgi, ChunkedBodyReadByReadlineReadlinesAndIteration) {
    ASSERT_TRUE(start());
    const std::string chunked = "4\r\none\n\r\n6\r\ntwo\nth\r\n4\r\nree\n\r\n3\r\nend\r\n0\r\n\r\n";
    for (const std::string how : {"readline", "readlines", "iter"}) {
        SCOPED_TRACE(how);
        const RawResponse r =
            request("POST", "/raw/lines?" + how, "Transfer-Encoding: chunked\r\n", chunked);
        ASSERT_EQ(r.status, 200) << r.body;
        const auto lines = json(r.body)->getArray("lines");
        ASSERT_EQ(lines->size(), 4u) << r.body;
        EXPECT_EQ(lines->getElement<std::string>(0), "one\n");
        EXPECT_EQ(lines->getElement<std::string>(2), "three\n");
        EXPECT_EQ(lines->getElement<std::string>(3), "end");
    }
}

TEST_F(Wsgi, StreamedGeneratorWriteCallableAndCloseCalledOnce) {
    ASSERT_TRUE(start());
    const RawResponse streamed = request("GET", "/raw/stream?5");
    EXPECT_EQ(streamed.status, 200);
    EXPECT_EQ(streamed.header("Transfer-Encoding"), "chunked");  // not buffered into a length
    EXPECT_EQ(streamed.body, "chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n");
    const RawResponse written = request("GET", "/raw/write");
    EXPECT_EQ(written.status, 200);
    EXPECT_EQ(written.body, "from write, then the iterable");
    const RawResponse head = request("HEAD", "/raw/stream?5");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    // Each body closed once, HEAD's too (never iterated).
    const auto closed = closedCounts([](const Poco::JSON::Object& counts) {
        return counts.optValue<int>("/stream", 0) + counts.optValue<int>("/write", 0) >= 3;
    });
    EXPECT_EQ(closed->optValue<int>("/stream", 0), 2);
    EXPECT_EQ(closed->optValue<int>("/write", 0), 1);
}

TEST_F(Wsgi, ExceptionAndSystemExitAre500WithTheTracebackLogged) {
    ASSERT_TRUE(start());
    gateway().expectAlert("the application raised");
    gateway().expectAlert("Traceback");
    gateway().expectAlert("RuntimeError");
    gateway().expectAlert("SystemExit");
    gateway().expectAlert("raw_app.py");
    gateway().expectAlert("raise RuntimeError");
    gateway().expectAlert("sys.exit");
    gateway().expectAlert("call failed");
    EXPECT_EQ(request("GET", "/raw/raise").status, 500);
    EXPECT_EQ(request("GET", "/raw/exit").status, 500);
    ASSERT_TRUE(gateway().waitForLog("SystemExit: 3")) << gateway().logTail();
    const std::string log = gateway().log();
    EXPECT_NE(log.find("RuntimeError: boom from the test app"), std::string::npos) << log;
    EXPECT_NE(log.find("raw at /raw"), std::string::npos) << log;  // tagged with the app
    // The worker lives on, and so does the other app.
    EXPECT_EQ(request("GET", "/raw/environ").status, 200);
    EXPECT_EQ(request("GET", "/shop/").status, 200);
    EXPECT_EQ(log.find("respawn"), std::string::npos) << log;
}

TEST_F(Wsgi, ErrorsStreamGoesToTheLogTaggedWithTheApp) {
    ASSERT_TRUE(start());
    gateway().expectAlert("a line for the log");
    EXPECT_EQ(request("GET", "/raw/errors", "X-Request-Id: wsgi-errors-1\r\n").body, "logged");
    ASSERT_TRUE(gateway().waitForLog("a line for the log")) << gateway().logTail();
    EXPECT_NE(gateway().log().find("raw at /raw [request_id=wsgi-errors-1]: a line for the log"),
              std::string::npos)
        << gateway().logTail();
}

TEST_F(Wsgi, FlaskRoutesUrlForJsonRedirectAbortAndForm) {
    ASSERT_TRUE(start());
    const RawResponse index = request("GET", "/shop/");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.body, "index links to /shop/item/x");  // url_for under the mount prefix
    const RawResponse item = request("GET", "/shop/item/caf%C3%A9");
    ASSERT_EQ(item.status, 200) << item.body;
    EXPECT_EQ(item.header("Content-Type"), "application/json");
    const auto got = json(item.body);
    EXPECT_EQ(got->getValue<std::string>("name"), "caf\xC3\xA9");
    EXPECT_EQ(got->getValue<std::string>("link"), "/shop/item/caf%C3%A9");
    EXPECT_EQ(got->getValue<std::string>("external"), "http://test/shop/item/caf%C3%A9");
    const RawResponse go = request("GET", "/shop/go");
    EXPECT_EQ(go.status, 302);
    EXPECT_EQ(go.header("Location"), "/shop/");
    EXPECT_EQ(request("GET", "/shop/missing").status, 404);
    EXPECT_EQ(request("GET", "/shop/nowhere").status, 404);
    const std::string form = "name=ada&lang=py+thon";
    const RawResponse posted = request("POST", "/shop/form",
                                       "Content-Type: application/x-www-form-urlencoded\r\n"
                                       "Content-Length: " +
                                           std::to_string(form.size()) + "\r\n",
                                       form);
    ASSERT_EQ(posted.status, 200) << posted.body;
    const auto fields = json(posted.body)->getObject("fields");
    EXPECT_EQ(fields->getValue<std::string>("name"), "ada");
    EXPECT_EQ(fields->getValue<std::string>("lang"), "py thon");
    EXPECT_EQ(request("HEAD", "/shop/").status, 200);
}

TEST_F(Wsgi, ImportErrorRefusesTheAppWithTheTracebackOthersServe) {
    ASSERT_TRUE(start(kTwoApps + "[app.broken]\nplugin = wsgi\nmodule = no_such_module:app\n"));
    gateway().expectAlert("no_such_module");
    gateway().expectAlert("Traceback");
    ASSERT_TRUE(gateway().waitForLog("init failed for mount /broken")) << gateway().logTail();
    const std::string log = gateway().log();
    EXPECT_NE(log.find("ModuleNotFoundError: No module named 'no_such_module'"), std::string::npos)
        << log;
    EXPECT_EQ(request("GET", "/broken/").status, 404);
    EXPECT_EQ(request("GET", "/raw/environ").status, 200);
    EXPECT_EQ(request("GET", "/shop/").status, 200);
}

TEST_F(Wsgi, StartResponseWithExcInfoReplacesTheHeadNotYetSent) {
    ASSERT_TRUE(start());
    const RawResponse r = request("GET", "/raw/exc_info");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body, "replaced");
}

TEST_F(Wsgi, ManyThreadsAtOnceNoDeadlock) {
    // More clients than handler threads, each reading a body while others hold the GIL.
    ASSERT_TRUE(start());
    constexpr int kClients = 8, kRequests = 25;
    std::atomic<int> good{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c)
        clients.emplace_back([&, c] {
            for (int i = 0; i < kRequests; ++i) {
                const std::string body =
                    "client " + std::to_string(c) + " request " + std::to_string(i);
                RawClient client(port());
                client.send(httpRequest("POST", "/raw/read",
                                        "Content-Length: " + std::to_string(body.size()) + "\r\n") +
                            body);
                const RawResponse r = client.readResponse();
                if (r.status == 200 && json(r.body)->getValue<std::string>("body") == body) ++good;
            }
        });
    for (auto& client : clients) client.join();
    EXPECT_EQ(good.load(), kClients * kRequests);
}

TEST_F(Wsgi, ClientGoneMidStreamClosesTheEndlessIterableOnce) {
    ASSERT_TRUE(start());
    {
        RawClient client(port());
        client.send(httpRequest("GET", "/raw/forever"));
        EXPECT_GE(client.readAtLeast(200000), 200000u);
    }  // hangs up mid-body: the generator must be closed, not drained into memory
    const auto closed =
        closedCounts([](const Poco::JSON::Object& counts) { return counts.has("/forever"); });
    EXPECT_EQ(closed->optValue<int>("/forever", 0), 1);
}

TEST(WsgiConfigTest, ReportsAnImportErrorAndTheGoodAppsMounts) {
    TempDir dir("gateway-wsgi-check");
    std::filesystem::create_directories(dir.path() / "www");
    std::filesystem::create_directories(dir.path() / "apps");
    std::filesystem::copy_file(std::filesystem::path(GATEWAY_WSGI_DIR) / "wsgi.so",
                               dir.path() / "apps" / "wsgi.so");
    dir.write("gateway.ini",
              kTwoApps + "[app.broken]\nplugin = wsgi\nmodule = no_such_module:app\n");
    const auto result = Subprocess::run(
        {GatewayProcess::binary(), "--config", (dir.path() / "gateway.ini").string(), "--docroot",
         (dir.path() / "www").string(), "--apps", (dir.path() / "apps").string(), "-t"},
        std::chrono::seconds(30));
    EXPECT_TRUE(exitedWith(result.status, 2)) << result.out << result.err;
    EXPECT_NE(result.err.find("init failed for mount /broken"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("ModuleNotFoundError: No module named 'no_such_module'"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.out.find("/raw → raw 0.1.0"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("/shop → shop 0.1.0"), std::string::npos) << result.out;
}
