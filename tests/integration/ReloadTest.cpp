// Live operations through the real binary under a master: SIGHUP reloads and hot deploys under
// keep-alive load (zero failed requests), rollback of a crashing deploy, workers replaced when
// killed or stuck, TTIN/TTOU, crash attribution, and the master's exit codes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/LoadLoop.h"
#include "tests/support/RawClient.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempDir.h"

#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif
#ifndef GATEWAY_APPS_DIR
#error "GATEWAY_APPS_DIR must name the folder of the example app plugins"
#endif

using namespace gateway::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

#if defined(GATEWAY_SANITIZE_ADDRESS) || defined(GATEWAY_SANITIZE_THREAD)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

/// A built plugin: an example app (apps/) or a test plugin (tests/plugins/).
fs::path plugin(const std::string& name) {
    const fs::path example = fs::path(GATEWAY_APPS_DIR) / (name + ".so");
    return fs::exists(example) ? example : fs::path(GATEWAY_TEST_PLUGINS_DIR) / (name + ".so");
}

class Reload : public GatewayFixture {
protected:
    fs::path apps() const { return root() / "apps"; }
    fs::path config() const { return root() / "gateway.ini"; }

    /// Starts a master with `workers` workers on a private apps folder holding `plugins`.
    ::testing::AssertionResult startWith(const std::vector<std::string>& plugins,
                                         std::vector<std::string> args = {},
                                         const std::string& configText = "") {
        fs::create_directories(apps());
        for (const std::string& name : plugins)
            fs::copy_file(plugin(name), apps() / (name + ".so"));
        writeFile(config(), configText);
        args.insert(args.begin(), {"--apps", apps().string(), "--config", config().string()});
        if (std::find(args.begin(), args.end(), "--workers") == args.end())
            args.insert(args.end(), {"--workers", "2"});
        writeDoc("index.html", "static");
        return startGateway(args);
    }

    /// Copies a plugin into the apps folder the way `cp` does: in place, under its final name.
    void deploy(const std::string& name, const std::string& as = "") {
        fs::copy_file(plugin(name), apps() / ((as.empty() ? name : as) + ".so"),
                      fs::copy_options::overwrite_existing);
    }

    bool waitForGeneration(unsigned generation, std::chrono::milliseconds timeout = 10s) {
        return gateway().waitForLog("generation " + std::to_string(generation) + " serving", 1,
                                    timeout);
    }

    /// Polls GET `target` until it answers `status` (bounded); the time it took.
    std::optional<std::chrono::milliseconds> timeUntil(const std::string& target, int status,
                                                       std::chrono::milliseconds timeout = 5s) {
        const auto start = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - start < timeout) {
            if (fetch(port(), "GET", target).status == status)
                return std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - start);
            std::this_thread::sleep_for(20ms);  // polling the server's state
        }
        return std::nullopt;
    }

    /// Waits (bounded) until the master has `n` workers other than `gone`.
    bool waitForWorkers(std::size_t n, const std::vector<pid_t>& gone = {},
                        std::chrono::milliseconds timeout = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            std::vector<pid_t> now = gateway().children();
            std::erase_if(now, [&](pid_t pid) {
                return std::find(gone.begin(), gone.end(), pid) != gone.end();
            });
            if (now.size() == n) return true;
            std::this_thread::sleep_for(10ms);  // polling /proc
        }
        return false;
    }
};

TEST_F(Reload, SighupsAndDeploysUnderKeepAliveLoadFailNoRequest) {
    ASSERT_TRUE(startWith({"hello"}));
    const std::vector<pid_t> before = gateway().children();
    LoadLoop load(port(), "/hello", 4);
    ASSERT_TRUE(load.waitForProgress(200)) << load.failures();
    // Generations 2 to 11: SIGHUPs, and every third time a redeploy of the loaded plugin.
    for (unsigned generation = 2; generation <= 11; ++generation) {
        if (generation % 3 == 0)
            deploy("hello");
        else
            gateway().signal(SIGHUP);
        ASSERT_TRUE(waitForGeneration(generation)) << gateway().logTail();
        ASSERT_TRUE(load.waitForProgress(200)) << load.failures();
    }
    load.stop();
    EXPECT_EQ(load.failed(), 0u) << load.failures();
    EXPECT_GT(load.succeeded(), 1000u);
    for (pid_t pid : gateway().children())
        EXPECT_EQ(std::count(before.begin(), before.end(), pid), 0)
            << "worker " << pid << " of the first generation still runs";
}

TEST_F(Reload, DroppedInPluginAnswersWithinTwoSeconds) {
    ASSERT_TRUE(startWith({"hello"}));
    LoadLoop load(port(), "/hello", 2);
    EXPECT_EQ(fetch(port(), "GET", "/hello_c").status, 404);
    deploy("hello_c");
    const auto took = timeUntil("/hello_c", 200);
    ASSERT_TRUE(took) << gateway().logTail();
    EXPECT_LT(took->count(), 2000);
    EXPECT_NE(gateway().log().find("hello_c.so written"), std::string::npos) << gateway().log();
    // Removed again: unmounted by the same kind of reload.
    fs::remove(apps() / "hello_c.so");
    EXPECT_TRUE(timeUntil("/hello_c", 404));
    load.stop();
    EXPECT_EQ(load.failed(), 0u) << load.failures();
}

TEST_F(Reload, PluginMovedOntoTheOldOneIsServed) {
    ASSERT_TRUE(startWith({"hello"}, {}, "[app.hello]\nmount = /greet\n"));
    LoadLoop load(port(), "/greet", 2);
    // A new build moved into place, as deploy scripts do: hello_c's file under hello's name.
    fs::copy_file(plugin("hello_c"), root() / "staged.so");
    fs::rename(root() / "staged.so", apps() / "hello.so");
    ASSERT_TRUE(gateway().waitForLog("app hello_c 1.0.0 (hello.so) mounted at /greet"))
        << gateway().logTail();
    EXPECT_EQ(fetch(port(), "GET", "/greet").status, 200);
    load.stop();
    EXPECT_EQ(load.failed(), 0u) << load.failures();
}

TEST_F(Reload, RemovingAConfiguredPluginStillReloads) {
    ASSERT_TRUE(startWith({"hello", "hello_c"}, {}, "[app.hello_c]\nmount = /c\n"));
    EXPECT_EQ(fetch(port(), "GET", "/c").status, 200);
    fs::remove(apps() / "hello_c.so");
    ASSERT_TRUE(waitForGeneration(2)) << gateway().logTail();
    EXPECT_EQ(fetch(port(), "GET", "/c").status, 404);
    EXPECT_NE(gateway().log().find("[Warning] " + config().string() +
                                   ": [app.hello_c] matches no plugin"),
              std::string::npos)
        << gateway().log();
}

TEST_F(Reload, OverwritingALoadedPluginSlowlyNeverLoadsHalfAFile) {
    ASSERT_TRUE(startWith({"hello"}));
    LoadLoop load(port(), "/hello", 4);
    ASSERT_TRUE(load.waitForProgress(100));
    // Rewrite the loaded plugin in place, with a pause longer than the quiet period halfway:
    // the running workers keep their private copies, and the half-written file is not loaded.
    const std::string bytes = readFile(plugin("hello"));
    {
        std::ofstream out(apps() / "hello.so", std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
        out.flush();
        std::this_thread::sleep_for(800ms);  // the slow copy under test, not synchronisation
        ASSERT_TRUE(load.waitForProgress(100)) << "the server stopped while the copy was open";
        out.write(bytes.data() + bytes.size() / 2,
                  static_cast<std::streamsize>(bytes.size() - bytes.size() / 2));
    }
    ASSERT_TRUE(waitForGeneration(2)) << gateway().logTail();
    ASSERT_TRUE(load.waitForProgress(100)) << load.failures();
    load.stop();
    EXPECT_EQ(load.failed(), 0u) << load.failures();
    const std::string log = gateway().log();
    EXPECT_EQ(log.find("killed by"), std::string::npos) << log;
    EXPECT_EQ(log.find("reload refused"), std::string::npos) << "half a file was tried:\n" << log;
}

TEST_F(Reload, BrokenConfigKeepsTheRunningGeneration) {
    ASSERT_TRUE(startWith({"hello"}, {}, "[app.hello]\nmount = /hi\n"));
    gateway().expectAlert("reload");
    gateway().expectAlert("timeout");  // the new worker refuses the app, naming the key
    writeFile(config(), "[app.hello]\nmount = /hi\ntimeout = soon\n");
    gateway().signal(SIGHUP);
    ASSERT_TRUE(gateway().waitForLog("reload refused")) << gateway().logTail();
    EXPECT_NE(gateway().log().find("timeout"), std::string::npos) << "names the key";
    EXPECT_EQ(fetch(port(), "GET", "/hi").status, 200);
    // Fixed: the next reload goes through.
    writeFile(config(), "[app.hello]\nmount = /hey\n");
    gateway().signal(SIGHUP);
    ASSERT_TRUE(waitForGeneration(3)) << gateway().logTail() << "(2 was the refused one)";
    EXPECT_EQ(fetch(port(), "GET", "/hey").status, 200);
    EXPECT_EQ(fetch(port(), "GET", "/hi").status, 404);
}

TEST_F(Reload, RefusedPluginDeployIsRejected) {
    ASSERT_TRUE(startWith({"hello"}));
    gateway().expectAlert("wrong_major.so");
    gateway().expectAlert("reload");
    deploy("wrong_major");
    ASSERT_TRUE(gateway().waitForLog("reload refused")) << gateway().logTail();
    EXPECT_EQ(fetch(port(), "GET", "/hello").status, 200);
    EXPECT_EQ(gateway().logCount("serving with"), 0u) << gateway().log();
}

TEST_F(Reload, DeployCrashingInInitIsRefusedNamingThePlugin) {
    if (kSanitized) GTEST_SKIP() << "a sanitizer turns the crash into a report and an exit";
    ASSERT_TRUE(startWith({"hello"}));
    gateway().expectAlert("crash_init");
    deploy("crash_init");
    ASSERT_TRUE(gateway().waitForLog("reload refused")) << gateway().logTail();
    EXPECT_NE(gateway().log().find("killed by SIGSEGV while serving app crash_init at /: init "),
              std::string::npos)
        << gateway().log();
    EXPECT_EQ(fetch(port(), "GET", "/hello").status, 200);
    EXPECT_EQ(gateway().logCount("serving with"), 0u) << gateway().log();
    // Removed again, the next reload goes through.
    fs::remove(apps() / "crash_init.so");
    gateway().signal(SIGHUP);
    EXPECT_TRUE(waitForGeneration(3)) << gateway().logTail() << "(2 was the refused one)";
}

TEST_F(Reload, PortChangeSaysItNeedsARestart) {
    ASSERT_TRUE(startWith({"hello"}));
    writeFile(config(), "bind = 127.0.0.2\n");
    gateway().signal(SIGHUP);
    ASSERT_TRUE(waitForGeneration(2)) << gateway().logTail();
    EXPECT_NE(gateway().log().find("bind changed, which needs a restart"), std::string::npos)
        << gateway().log();
    EXPECT_EQ(fetch(port(), "GET", "/hello").status, 200) << "still on the address it had";
}

TEST_F(Reload, CrashingDeployIsRolledBack) {
    if (kSanitized) GTEST_SKIP() << "a sanitizer turns the crash into a report and an exit";
    ASSERT_TRUE(startWith({"hello"}));
    gateway().expectAlert("killed by SIGSEGV");
    gateway().expectAlert("rolling back");
    deploy("crashes");
    ASSERT_TRUE(waitForGeneration(2)) << gateway().logTail();
    // Every request to it kills a worker; after a few the previous generation comes back.
    for (int i = 0; i < 20 && gateway().logCount("rolling back") == 0; ++i) {
        RawClient client(port());
        client.send(httpRequest("GET", "/crashes/boom?x=1"));
        client.waitClosed();
    }
    ASSERT_TRUE(waitForGeneration(3)) << gateway().logTail();
    EXPECT_EQ(fetch(port(), "GET", "/crashes").status, 404);
    EXPECT_EQ(fetch(port(), "GET", "/hello").status, 200);
    const std::string log = gateway().log();
    EXPECT_NE(log.find("while serving app crashes at /crashes: GET /crashes/boom?x=1"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("rolling back to the config and plugins of generation 1"), std::string::npos)
        << log;
    // A later deploy may try again: a SIGHUP loads the folder as it is now.
    fs::remove(apps() / "crashes.so");
    gateway().signal(SIGHUP);
    EXPECT_TRUE(waitForGeneration(4)) << gateway().logTail();
}

TEST_F(Reload, KilledWorkerIsReplacedWithinASecond) {
    ASSERT_TRUE(startWith({"hello"}));
    gateway().expectAlert("killed by SIGKILL");
    LoadLoop load(port(), "/hello", 4);
    ASSERT_TRUE(load.waitForProgress(100));
    const std::vector<pid_t> workers = gateway().children();
    ASSERT_EQ(workers.size(), 2u);
    ::kill(workers[0], SIGKILL);
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(waitForWorkers(2, {workers[0]}, 5s));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    ASSERT_TRUE(load.waitForProgress(200)) << load.failures();
    load.stop();
    // Only requests in flight on the killed worker (one per client at most) can fail.
    EXPECT_LE(load.failed(), 4u) << load.failures();
}

TEST_F(Reload, TtinAndTtouChangeTheWorkerCount) {
    ASSERT_TRUE(startWith({"hello"}));
    // One signal at a time: a second one sent before the first is read would merge with it.
    gateway().signal(SIGTTIN);
    EXPECT_TRUE(waitForWorkers(3)) << gateway().logTail();
    gateway().signal(SIGTTOU);
    ASSERT_TRUE(gateway().waitForLog("SIGTTOU: 2 worker(s)"));
    gateway().signal(SIGTTOU);
    ASSERT_TRUE(gateway().waitForLog("SIGTTOU: 1 worker(s)"));
    EXPECT_TRUE(waitForWorkers(1)) << gateway().logTail();
    gateway().signal(SIGTTOU);  // never below one
    EXPECT_TRUE(gateway().waitForLog("SIGTTOU: 1 worker(s)", 2));
    EXPECT_TRUE(waitForWorkers(1)) << gateway().logTail();
    EXPECT_EQ(fetch(port(), "GET", "/hello").status, 200);
}

TEST_F(Reload, StuckWorkerIsReplacedAndNamesTheMount) {
    ASSERT_TRUE(startWith({"hangs"}, {"--workers", "1", "--threads", "1", "--shutdown-grace", "1s"},
                          "[app.hangs]\ntimeout = 300ms\n"));
    gateway().expectAlert("stuck");
    gateway().expectAlert("passed its deadline");
    gateway().expectAlert("past its deadline");
    gateway().expectAlert("GW-L023");
    const std::vector<pid_t> first = gateway().children();
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(fetch(port(), "GET", "/hangs").status, 504);
    ASSERT_TRUE(gateway().waitForLog("replacing it", 1, 5s)) << gateway().logTail();
    EXPECT_NE(gateway().log().find("1 of 1 handler thread(s) stuck (app hangs at /hangs: GET "
                                   "/hangs"),
              std::string::npos)
        << gateway().log();
    ASSERT_TRUE(waitForWorkers(1, first, 10s)) << gateway().logTail();
    EXPECT_EQ(fetch(port(), "GET", "/index.html").status, 200);
}

TEST_F(Reload, MasterGivesUpOnWorkersThatKeepDyingWithExitOne) {
    if (kSanitized) GTEST_SKIP() << "a sanitizer turns the crash into a report and an exit";
    ASSERT_TRUE(startWith({"crashes"}, {"--workers", "1"}));
    gateway().expectAlert("killed by SIGSEGV");
    gateway().expectAlert("giving up");
    std::optional<int> status;
    for (int i = 0; i < 60 && !status; ++i) {
        try {
            RawClient client(port());
            client.send(httpRequest("GET", "/crashes"));
            client.waitClosed();
        } catch (const std::exception&) {  // refused once the master gave up
        }
        status = gateway().waitExit(1ms);
    }
    if (!status) status = gateway().waitExit(10s);
    ASSERT_TRUE(status) << gateway().logTail();
    status = stopGateway();  // collects the status it already has
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 1);
    EXPECT_EQ(gateway().logCount("killed by SIGSEGV"), 21u) << gateway().log();
}

TEST_F(Reload, SigquitStopsAtOnce) {
    ASSERT_TRUE(startWith({"hangs"}, {"--shutdown-grace", "30s"}));
    RawClient client(port());
    client.send(httpRequest("GET", "/hangs"));
    gateway().signal(SIGQUIT);
    const auto status = gateway().waitExit(2s);
    ASSERT_TRUE(status) << "SIGQUIT waited for the hanging request";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
}

TEST_F(Reload, EveryLogLineNamesItsProcess) {
    ASSERT_TRUE(startWith({"hello"}));
    const std::vector<pid_t> workers = gateway().children();
    ASSERT_EQ(workers.size(), 2u);
    const std::string log = gateway().log();
    for (pid_t pid : workers)
        EXPECT_NE(log.find("[" + std::to_string(pid) + "] [Information] app hello"),
                  std::string::npos)
            << log;
    EXPECT_NE(log.find("[" + std::to_string(gateway().pid()) + "] [Information] gateway "),
              std::string::npos)
        << log;
}

TEST_F(Reload, SignalCommandReachesTheMasterOfThePidFile) {
    ASSERT_TRUE(startWith({"hello"}));
    const fs::path pidFile = root() / "gateway.pid";
    writeFile(pidFile, std::to_string(gateway().pid()) + "\n");
    auto run = [&](const std::string& action) {
        return Subprocess::run(
            {GatewayProcess::binary(), "-s", action, "--pidfile", pidFile.string()}, 10s);
    };
    EXPECT_TRUE(exitedWith(run("reload").status, 0));
    EXPECT_TRUE(waitForGeneration(2)) << gateway().logTail();
    const auto unknown = run("restart");
    EXPECT_TRUE(exitedWith(unknown.status, 2));
    EXPECT_NE(unknown.err.find("expected reload, reopen, stop or quit"), std::string::npos)
        << unknown.err;
    EXPECT_TRUE(exitedWith(run("stop").status, 0));
    const auto status = gateway().waitExit(10s);
    ASSERT_TRUE(status) << "-s stop did not stop the gateway";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
    const auto stale = run("reload");  // the pid is gone now
    EXPECT_TRUE(exitedWith(stale.status, 1));
    EXPECT_NE(stale.err.find("no running gateway has pid"), std::string::npos) << stale.err;
}

TEST_F(Reload, SighupInOneProcessSaysItNeedsWorkers) {
    ASSERT_TRUE(startWith({"hello"}, {"--workers", "0"}));
    gateway().signal(SIGHUP);
    EXPECT_TRUE(gateway().waitForLog("--workers")) << gateway().logTail();
    EXPECT_EQ(fetch(port(), "GET", "/hello").status, 200);
}

}  // namespace
