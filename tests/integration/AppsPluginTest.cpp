// App plugins through the real binary: each broken plugin from tests/plugins gets the outcome
// sdk/docs/SPEC.md section 7 documents. The plugins are copied into a fresh apps folder per test.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"
#include "tests/support/TempDir.h"

#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif

using namespace gateway::test;

namespace {

/// The processes whose parent is `parent` (read from /proc/*/stat).
std::vector<pid_t> childrenOf(pid_t parent) {
    std::vector<pid_t> children;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
        std::istringstream rest(line.substr(line.rfind(')') + 1));
        std::string state;
        pid_t ppid = 0;
        if (rest >> state >> ppid && ppid == parent) children.push_back(std::stoi(name));
    }
    return children;
}

/// SIGKILLs `pid` and waits (bounded, through a pidfd) until it has exited.
::testing::AssertionResult killAndAwait(pid_t pid) {
    const int pidFd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidFd < 0) return ::testing::AssertionFailure() << "pidfd_open " << pid;
    ::kill(pid, SIGKILL);
    pollfd fd{pidFd, POLLIN, 0};
    const int ready = ::poll(&fd, 1, 5000);
    ::close(pidFd);
    if (ready == 1) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << pid << " still running 5 s after SIGKILL";
}

class AppsPlugin : public GatewayFixture {
protected:
    /// Copies the named test plugins into <tmp>/apps and starts the gateway with --apps on it,
    /// plus a config file holding `config` when it is not empty.
    ::testing::AssertionResult startWithPlugins(const std::vector<std::string>& names,
                                                const std::string& config = "",
                                                std::vector<std::string> args = {}) {
        const auto apps = root() / "apps";
        std::filesystem::create_directories(apps);
        for (const auto& name : names)
            std::filesystem::copy_file(
                std::filesystem::path(GATEWAY_TEST_PLUGINS_DIR) / (name + ".so"),
                apps / (name + ".so"));
        args.insert(args.end(), {"--apps", apps.string()});
        if (!config.empty()) {
            writeFile(root() / "gateway.ini", config);
            args.insert(args.end(), {"--config", (root() / "gateway.ini").string()});
        }
        return startGateway(args);
    }
    std::string log() { return gateway().log(); }
};

TEST_F(AppsPlugin, GoodPluginAnswersAtItsName) {
    ASSERT_TRUE(startWithPlugins({"good"}));
    auto session = makeSession(port());
    const auto first = fetch(*session, "GET", "/good");
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(first.body, "good");
    EXPECT_EQ(first.header("Content-Type"), "text/plain");
    const auto second = fetch(*session, "GET", "/good/deeper?x=1");
    EXPECT_EQ(second.body, "good");
    EXPECT_EQ(first.localPort, second.localPort) << "keep-alive after an app response";
    EXPECT_EQ(fetch(port(), "GET", "/goodness").status, 404) << "segment boundary";
}

TEST_F(AppsPlugin, ConfigMountsSeveralTimesWithInitKeys) {
    ASSERT_TRUE(startWithPlugins({"good"}, "[app.good]\nmount = /a, /b/c\ngreeting = hi\n"));
    EXPECT_EQ(fetch(port(), "GET", "/a").body, "hi");
    EXPECT_EQ(fetch(port(), "GET", "/b/c/x").body, "hi");
    EXPECT_EQ(fetch(port(), "GET", "/good").status, 404);
}

TEST_F(AppsPlugin, TypedKeysReadWithTheGatewaysSyntax) {
    ASSERT_TRUE(startWithPlugins(
        {"typed_config"},
        "[app.typed_config]\nmax_upload = 9m\npoll = 500ms\nverbose = Yes\nretries = 7\n"));
    const std::string values = "max_upload=9437184 poll=500ms verbose=on retries=7";
    EXPECT_EQ(fetch(port(), "GET", "/typed_config").body, values);
    // Logged from the constructor, outside any request, through gateway::sdk::log.
    EXPECT_NE(log().find("typed_config ready: " + values), std::string::npos) << log();
}

TEST_F(AppsPlugin, DisabledAppIsNotMounted) {
    ASSERT_TRUE(startWithPlugins({"good"}, "[app.good]\ndisabled = true\n"));
    EXPECT_EQ(fetch(port(), "GET", "/good").status, 404);
}

TEST_F(AppsPlugin, RefusedPluginsLeaveTheOthersServing) {
    ASSERT_TRUE(startWithPlugins({"good", "wrong_major", "bad_magic", "no_entry"}));
    gateway().expectAlert("wrong_major.so");
    gateway().expectAlert("bad_magic.so");
    gateway().expectAlert("no_entry.so");
    EXPECT_EQ(fetch(port(), "GET", "/good").body, "good");
    EXPECT_EQ(fetch(port(), "GET", "/wrong_major").status, 404);
    const std::string text = log();
    EXPECT_NE(text.find("plugin ABI 2.0 (gw_app_entry) is incompatible with gateway ABI 1.1"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("no symbol gw_app_entry: not a gateway plugin"), std::string::npos);
}

TEST_F(AppsPlugin, InitFailureServesStaticFilesAtTheMount) {
    writeDoc("init_fails/index.html", "static fallback");
    ASSERT_TRUE(startWithPlugins({"init_fails"}));
    gateway().expectAlert("cannot reach the database");
    EXPECT_EQ(fetch(port(), "GET", "/init_fails/").body, "static fallback");
    EXPECT_NE(log().find("init failed for mount /init_fails: application error (-7): cannot reach "
                         "the database"),
              std::string::npos)
        << log();
}

TEST_F(AppsPlugin, TwoPluginsOnOneMountIsAnError) {
    // good mounted at /same and declines moved onto /same too: start-up fails naming both.
    const auto result = startWithPlugins(
        {"good", "declines"}, "[app.good]\nmount = /same\n[app.declines]\nmount = /same\n");
    EXPECT_FALSE(result);
    gateway().expectAlert("claimed by both");
    gateway().expectAlert("the gateway cannot start");
    EXPECT_NE(log().find("good.so"), std::string::npos) << log();
    EXPECT_NE(log().find("declines.so"), std::string::npos) << log();
}

TEST_F(AppsPlugin, DeclinedRequestFallsThroughToStaticFiles) {
    writeDoc("declines/file.txt", "static file");
    ASSERT_TRUE(startWithPlugins({"declines"}));
    const auto r = fetch(port(), "GET", "/declines/file.txt");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "static file");
}

TEST_F(AppsPlugin, DotSegmentsAboveTheMountAreNotTheApps) {
    writeDoc("x.txt", "outside the mount");
    ASSERT_TRUE(startWithPlugins({"good"}));
    RawClient client(port());
    client.send(httpRequest("GET", "/good/../x.txt"));
    const auto r = client.readResponse();
    EXPECT_NE(r.body, "good");
}

TEST_F(AppsPlugin, NegativeResultIs500) {
    ASSERT_TRUE(startWithPlugins({"returns_error"}));
    gateway().expectAlert("returns_error at /returns_error [request_id=");
    EXPECT_EQ(fetch(port(), "GET", "/returns_error").status, 500);
    EXPECT_NE(log().find("]: call failed: application error (-7)"), std::string::npos) << log();
}

TEST_F(AppsPlugin, CppExceptionIs500AndNeverCrosses) {
    ASSERT_TRUE(startWithPlugins({"throws"}));
    gateway().expectAlert("throws at /throws");
    EXPECT_EQ(fetch(port(), "GET", "/throws").status, 500);
    EXPECT_NE(log().find("boom from throws"), std::string::npos) << log();
}

TEST_F(AppsPlugin, SecondStartResponseIsRefusedAndLinted) {
    ASSERT_TRUE(startWithPlugins({"double_start"}));
    gateway().expectAlert("lint GW-L002 double_start at /double_start");
    const auto r = fetch(port(), "GET", "/double_start");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "first stays");
    EXPECT_NE(log().find("GW-L002"), std::string::npos) << log();
    EXPECT_TRUE(gateway().waitForLog("lint GW-L002 double_start at /double_start [request_id="))
        << "the finding names its request: " << log();
}

TEST_F(AppsPlugin, CrLfInHeaderIs500WithoutInjection) {
    ASSERT_TRUE(startWithPlugins({"crlf_header"}));
    gateway().expectAlert("crlf_header at /crlf_header");
    gateway().expectAlert("lint GW-L006 crlf_header at /crlf_header");
    const auto r = fetch(port(), "GET", "/crlf_header");
    EXPECT_EQ(r.status, 500);
    EXPECT_FALSE(r.has("X-Injected"));
    EXPECT_NE(log().find("GW-L006"), std::string::npos) << log();
}

TEST_F(AppsPlugin, NoResponseStartedIs500) {
    ASSERT_TRUE(startWithPlugins({"no_response"}));
    gateway().expectAlert("no_response at /no_response [request_id=");
    gateway().expectAlert("lint GW-L001 no_response at /no_response");
    EXPECT_EQ(fetch(port(), "GET", "/no_response").status, 500);
    EXPECT_NE(log().find("]: call returned GW_OK without starting"), std::string::npos) << log();
    EXPECT_NE(log().find("GW-L001"), std::string::npos) << log();
}

TEST_F(AppsPlugin, ShortBodyClosesTheConnection) {
    ASSERT_TRUE(startWithPlugins({"short_length"}));
    gateway().expectAlert("lint GW-L012 short_length at /short_length");
    RawClient client(port());
    client.send(httpRequest("GET", "/short_length"));
    const std::string bytes = client.readUntilClose();
    EXPECT_TRUE(client.closed());
    EXPECT_NE(bytes.find("Content-Length: 10\r\n"), std::string::npos) << bytes;
    EXPECT_EQ(bytes.substr(bytes.find("\r\n\r\n") + 4), "short");
    EXPECT_NE(log().find("GW-L012"), std::string::npos) << log();
}

TEST_F(AppsPlugin, LongBodyIsCutAtContentLengthAndCloses) {
    ASSERT_TRUE(startWithPlugins({"long_length"}));
    gateway().expectAlert("lint GW-L013 long_length at /long_length");
    RawClient client(port());
    client.send(httpRequest("GET", "/long_length"));
    const std::string bytes = client.readUntilClose();
    EXPECT_TRUE(client.closed());
    EXPECT_NE(bytes.find("Content-Length: 4\r\n"), std::string::npos) << bytes;
    EXPECT_EQ(bytes.substr(bytes.find("\r\n\r\n") + 4), "long");
    EXPECT_NE(log().find("GW-L013"), std::string::npos) << log();
}

TEST_F(AppsPlugin, HangingCallGets504WithATimeout) {
    ASSERT_TRUE(startWithPlugins({"hangs"}, "[app.hangs]\ntimeout = 500ms\n"));
    gateway().expectAlert("hangs at /hangs");
    gateway().expectAlert("lint GW-L023 hangs at /hangs");
    RawClient client(port());
    const auto start = std::chrono::steady_clock::now();
    client.send(httpRequest("GET", "/hangs"));
    const auto r = client.readResponse(false, std::chrono::milliseconds(10000));
    EXPECT_EQ(r.status, 504);
    // The watchdog answers at the deadline, not when the app (asleep for 3 s) gets back.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
    // The lint finding is recorded when the call finally returns; a graceful stop waits for it.
    EXPECT_EQ(stopGateway(), 0);
    EXPECT_NE(log().find("GW-L023"), std::string::npos) << log();
}

TEST_F(AppsPlugin, SigtermDoesNotWaitForAHungAppPastTheGrace) {
    ASSERT_TRUE(startWithPlugins({"hangs"}, "[app.hangs]\ntimeout = 100ms\n",
                                 {"--shutdown-grace", "200ms"}));
    gateway().expectAlert("hangs at /hangs");
    gateway().expectAlert("lint GW-L023 hangs at /hangs");
    RawClient client(port());
    const auto start = std::chrono::steady_clock::now();
    client.send(httpRequest("GET", "/hangs"));
    // The 504 proves the call is running (and will sleep until 3 s after the request).
    ASSERT_EQ(client.readResponse(false, std::chrono::milliseconds(10000)).status, 504);
    EXPECT_EQ(stopGateway(), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
    EXPECT_NE(log().find("still running: exiting without them"), std::string::npos) << log();
}

TEST_F(AppsPlugin, CrashingCallCostsOneWorkerNotTheGateway) {
#if defined(GATEWAY_SANITIZE_ADDRESS) || defined(GATEWAY_SANITIZE_THREAD)
    GTEST_SKIP() << "under ASan and TSan a SIGSEGV is the sanitizer's to report: the worker "
                    "prints a SEGV report and exits instead of dying by the signal this test "
                    "looks for";
#endif
    writeDoc("index.html", "still here");
    ASSERT_TRUE(startWithPlugins({"crashes"}, "", {"--workers", "2"}));
    gateway().expectAlert("killed by SIGSEGV");
    RawClient victim(port());
    victim.send(httpRequest("GET", "/crashes"));
    EXPECT_TRUE(victim.waitClosed()) << "the crashing worker's connection stayed open";
    EXPECT_EQ(victim.buffered().find("HTTP/1.1 200"), std::string::npos);
    // The other worker, and the one started in its place, keep serving.
    for (int i = 0; i < 4; ++i) EXPECT_EQ(fetch(port(), "GET", "/index.html").status, 200);
    EXPECT_EQ(stopGateway(), 0);
    EXPECT_NE(log().find("killed by SIGSEGV"), std::string::npos) << log();
}

// The master snapshots the plugins once: a worker started later (here: in place of killed ones)
// loads those bytes, not what the folder holds by then.
TEST_F(AppsPlugin, RespawnedWorkersLoadTheSnapshotNotTheChangedFolder) {
    ASSERT_TRUE(startWithPlugins({"good"}, "", {"--workers", "2"}));
    gateway().expectAlert("killed by SIGKILL");
    const auto apps = root() / "apps";
    // cp over it (in place), and a new plugin that would log its refusal if it were loaded.
    std::filesystem::copy_file(std::filesystem::path(GATEWAY_TEST_PLUGINS_DIR) / "declines.so",
                               apps / "good.so", std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(std::filesystem::path(GATEWAY_TEST_PLUGINS_DIR) / "wrong_major.so",
                               apps / "wrong_major.so");
    const std::vector<pid_t> workers = childrenOf(gateway().pid());
    ASSERT_EQ(workers.size(), 2u);
    for (const pid_t worker : workers) ASSERT_TRUE(killAndAwait(worker));
    // Only workers started after the change are left; the socket queues the requests for them.
    for (int i = 0; i < 4; ++i) {
        const auto response = fetch(port(), "GET", "/good");
        EXPECT_EQ(response.status, 200);
        EXPECT_EQ(response.body, "good");
    }
    EXPECT_EQ(log().find("wrong_major"), std::string::npos) << log();
}

}  // namespace
