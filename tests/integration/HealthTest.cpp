// --health PATH through the real binary: 200 "ok" while a worker accepts, 503 "draining" with
// "Connection: close" once it drains (SIGTERM, or its generation replaced by SIGHUP), seen on a
// keep-alive connection the draining worker still serves; the exact path only, GET and HEAD only.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"
#include "tests/support/Subprocess.h"

using namespace gateway::test;
using namespace std::chrono_literals;

namespace {

class Health : public GatewayFixture {
protected:
    ::testing::AssertionResult startWithHealth(std::vector<std::string> args = {}) {
        args.insert(args.begin(), {"--health", "/healthz"});
        return startGateway(args);
    }

    /// Asks `method /healthz` on `client` (a keep-alive connection to a worker about to drain)
    /// until the answer is not a 200, bounded; that answer. Each 200 must keep the connection.
    static RawResponse askUntilNotOk(RawClient& client, std::string_view method) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        for (;;) {
            client.send(httpRequest(method, "/healthz"));
            RawResponse response = client.readResponse(method == "HEAD");
            if (response.status != 200 || std::chrono::steady_clock::now() >= deadline)
                return response;
            EXPECT_FALSE(response.hasToken("Connection", "close")) << response.head;
            // Polling the worker's state; well inside the 1 s a draining worker gives an idle
            // keep-alive connection.
            std::this_thread::sleep_for(10ms);
        }
    }

    static void expectDraining(const RawResponse& response, RawClient& client, bool head) {
        EXPECT_EQ(response.status, 503) << response.head;
        EXPECT_EQ(response.header("Cache-Control"), "no-store");
        EXPECT_TRUE(response.hasToken("Connection", "close")) << response.head;
        EXPECT_EQ(response.header("Content-Length"), "9");
        EXPECT_EQ(response.body, head ? "" : "draining\n");
        EXPECT_TRUE(client.waitClosed(2s)) << "the connection stays open after the 503";
    }
};

TEST_F(Health, GetAndHeadAnswerOkUncachedOnOneConnection) {
    ASSERT_TRUE(startWithHealth());
    RawClient client(port());
    client.send(httpRequest("GET", "/healthz"));
    const RawResponse get = client.readResponse();
    EXPECT_EQ(get.status, 200);
    EXPECT_EQ(get.body, "ok\n");
    EXPECT_EQ(get.header("Content-Type"), "text/plain");
    EXPECT_EQ(get.header("Cache-Control"), "no-store");
    EXPECT_FALSE(get.hasToken("Connection", "close")) << get.head;

    client.send(httpRequest("HEAD", "/healthz"));
    const RawResponse head = client.readResponse(/*headRequest=*/true);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("Content-Length"), "3");
    EXPECT_EQ(head.header("Cache-Control"), "no-store");
    EXPECT_TRUE(head.body.empty());
    EXPECT_FALSE(client.waitClosed(100ms)) << "a checker may keep its connection";
}

TEST_F(Health, OtherMethodsAre405) {
    ASSERT_TRUE(startWithHealth());
    for (const char* method : {"POST", "PUT", "DELETE"}) {
        const FetchResult result = fetch(port(), method, "/healthz", {}, "x");
        EXPECT_EQ(result.status, 405) << method;
        EXPECT_EQ(result.header("Allow"), "GET, HEAD") << method;
    }
}

TEST_F(Health, OnlyTheExactPathQueryAside) {
    writeDoc("healthz", "a static file\n");
    ASSERT_TRUE(startWithHealth());
    const FetchResult query = fetch(port(), "GET", "/healthz?probe=1");
    EXPECT_EQ(query.status, 200);
    EXPECT_EQ(query.body, "ok\n") << "the endpoint comes before static files";
    EXPECT_EQ(fetch(port(), "GET", "/healthz/").status, 404) << "not the endpoint: static files";
    EXPECT_EQ(fetch(port(), "GET", "/healthzz").status, 404);
}

TEST_F(Health, UnsetThePathIsAStaticFile) {
    ASSERT_TRUE(startGateway());
    EXPECT_EQ(fetch(port(), "GET", "/healthz").status, 404);
    writeDoc("healthz", "a static file\n");
    const FetchResult file = fetch(port(), "GET", "/healthz");
    EXPECT_EQ(file.status, 200);
    EXPECT_EQ(file.body, "a static file\n");
}

TEST_F(Health, CountedUnderItsOwnMountAndLogged) {
    const auto accessLog = root() / "access.log";
    // One worker: its loop counts each answer before it reads the next request.
    ASSERT_TRUE(startWithHealth(
        {"--workers", "1", "--metrics", "/metrics", "--access-log", accessLog.string()}));
    EXPECT_EQ(fetch(port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(fetch(port(), "HEAD", "/healthz").status, 200);
    const FetchResult metrics = fetch(port(), "GET", "/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("gateway_requests_total{mount=\"/healthz\",class=\"2xx\"} 2\n"),
              std::string::npos)
        << "checks count apart from the apps and static files:\n"
        << metrics.body;
    ASSERT_TRUE(exitedWith(stopGateway(), 0));  // a graceful exit flushes the log
    const std::string log = readFile(accessLog);
    EXPECT_NE(log.find("\"GET /healthz HTTP/1.1\" 200 3 "), std::string::npos) << log;
    EXPECT_NE(log.find("\"HEAD /healthz HTTP/1.1\" 200 "), std::string::npos) << log;
}

TEST_F(Health, SigtermDrainingWorkerAnswers503AndCloses) {
    ASSERT_TRUE(startWithHealth({"--workers", "1", "--shutdown-grace", "30s"}));
    RawClient client(port());
    client.send(httpRequest("GET", "/healthz"));
    ASSERT_EQ(client.readResponse().status, 200);

    gateway().signal(SIGTERM);
    const RawResponse response = askUntilNotOk(client, "GET");
    expectDraining(response, client, /*head=*/false);
    const auto status = gateway().waitExit(5s);
    ASSERT_TRUE(status) << "still running 5 s after its last connection closed";
    EXPECT_TRUE(exitedWith(status, 0)) << Subprocess::describe(*status);
}

TEST_F(Health, SingleProcessDrainsAlike) {
    ASSERT_TRUE(startWithHealth({"--workers", "0", "--shutdown-grace", "30s"}));
    RawClient client(port());
    client.send(httpRequest("GET", "/healthz"));
    ASSERT_EQ(client.readResponse().status, 200);

    gateway().signal(SIGTERM);
    expectDraining(askUntilNotOk(client, "HEAD"), client, /*head=*/true);
}

TEST_F(Health, ReloadedGenerationDrainsWhileTheNewOneIsOk) {
    ASSERT_TRUE(startWithHealth({"--workers", "1", "--shutdown-grace", "30s"}));
    RawClient old(port());
    old.send(httpRequest("GET", "/healthz"));
    ASSERT_EQ(old.readResponse().status, 200);

    gateway().signal(SIGHUP);
    expectDraining(askUntilNotOk(old, "GET"), old, /*head=*/false);
    // New connections go to the new generation, which accepts.
    const FetchResult fresh = fetch(port(), "GET", "/healthz");
    EXPECT_EQ(fresh.status, 200);
    EXPECT_EQ(fresh.body, "ok\n");
}

TEST(HealthOptions, BadPathOrSharedWithMetricsIsACliError) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--health", "healthz"},
          std::vector<std::string>{"--health", "/healthz?x"},
          std::vector<std::string>{"--health", "/status", "--metrics", "/status"}}) {
        std::vector<std::string> argv = {GatewayProcess::binary(), "-t"};
        argv.insert(argv.end(), args.begin(), args.end());
        const Subprocess::Result result = Subprocess::run(argv, 10s);
        EXPECT_TRUE(exitedWith(result.status, 2)) << result.err;
        EXPECT_NE(result.err.find(args[1]), std::string::npos) << result.err;
    }
}

}  // namespace
