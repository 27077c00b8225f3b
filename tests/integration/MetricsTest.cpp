// --metrics through the real binary under a master with two workers: the exposition parses with
// Prometheus' own parser (Debian's python3-prometheus-client), counts equal what the test sent
// summed over the workers, and a killed worker's counts survive it.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"
#include "tests/support/Subprocess.h"

#ifndef GATEWAY_APPS_DIR
#error "GATEWAY_APPS_DIR must name the folder of the example app plugins"
#endif
#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif

using namespace gateway::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

/// Debian's interpreter: the prometheus_client package lives in its dist-packages.
constexpr const char* kPython = "/usr/bin/python3";

/// Parses the exposition in argv[1] with prometheus_client and prints one sample per line:
/// name{label="value",...} value, labels sorted by name.
constexpr const char* kParser = R"(
import sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1], encoding="utf-8").read()
for family in text_string_to_metric_families(text):
    for s in family.samples:
        labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(s.labels.items()))
        print("%s{%s} %r" % (s.name, labels, float(s.value)))
)";

using Samples = std::map<std::string, double>;

class Metrics : public GatewayFixture {
protected:
    /// Starts with `plugin` (an example app, else a test plugin) in a private apps folder and
    /// --metrics /metrics; two workers unless `args` say otherwise.
    ::testing::AssertionResult startWith(const std::string& plugin,
                                         std::vector<std::string> args = {},
                                         const std::string& configText = "") {
        fs::create_directories(root() / "apps");
        const fs::path example = fs::path(GATEWAY_APPS_DIR) / (plugin + ".so");
        fs::copy_file(
            fs::exists(example) ? example : fs::path(GATEWAY_TEST_PLUGINS_DIR) / (plugin + ".so"),
            root() / "apps" / (plugin + ".so"));
        writeDoc("index.html", "static page");
        std::ofstream(root() / "gateway.ini") << configText;
        args.insert(args.begin(), {"--apps", (root() / "apps").string(), "--config",
                                   (root() / "gateway.ini").string(), "--metrics", "/metrics"});
        if (std::find(args.begin(), args.end(), "--workers") == args.end())
            args.insert(args.end(), {"--workers", "2"});
        return startGateway(args);
    }
    ::testing::AssertionResult startWithHello() { return startWith("hello"); }

    /// GET /metrics on a fresh connection, parsed by prometheus_client.
    Samples scrape() {
        const FetchResult result = fetch(port(), "GET", "/metrics");
        EXPECT_EQ(result.status, 200) << result.body;
        EXPECT_EQ(result.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
        const fs::path file = root() / "exposition.txt";
        std::ofstream(file, std::ios::binary) << result.body;
        const Subprocess::Result parsed =
            Subprocess::run({kPython, "-c", kParser, file.string()}, 20s);
        EXPECT_TRUE(exitedWith(parsed.status, 0)) << parsed.err << "\n" << result.body;
        Samples samples;
        std::istringstream lines(parsed.out);
        std::string line;
        while (std::getline(lines, line)) {
            const std::size_t space = line.rfind(' ');
            if (space != std::string::npos)
                samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
        }
        EXPECT_FALSE(samples.empty()) << result.body;
        return samples;
    }

    /// Scrapes (bounded, polling) until `sample` has `value`; the last value seen.
    double scrapeUntil(const std::string& sample, double value) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        double seen = scrape()[sample];
        while (seen != value && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(20ms);  // polling the server's state
            seen = scrape()[sample];
        }
        return seen;
    }

    /// Which worker holds the server end of the client connection from local port `clientPort`:
    /// the socket's inode in /proc/net/tcp{,6}, then the child that has it open.
    pid_t workerServing(std::uint16_t clientPort) {
        std::string inode;
        for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
            std::ifstream in(table);
            std::string line;
            std::getline(in, line);  // the header
            while (inode.empty() && std::getline(in, line)) {
                std::istringstream fields(line);
                std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout,
                    node;
                fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >>
                    uid >> timeout >> node;
                const auto portOf = [](const std::string& address) {
                    return static_cast<std::uint16_t>(
                        std::stoul(address.substr(address.find(':') + 1), nullptr, 16));
                };
                if (portOf(local) == port() && portOf(remote) == clientPort) inode = node;
            }
        }
        if (inode.empty()) return -1;
        const std::string target = "socket:[" + inode + "]";
        for (pid_t pid : gateway().children()) {
            std::error_code error;
            for (const auto& fd :
                 fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error)) {
                std::error_code linkError;
                if (fs::read_symlink(fd.path(), linkError).string() == target) return pid;
            }
        }
        return -1;
    }

    /// Waits (bounded) until the master runs two workers and `gone` is not one of them.
    bool waitForReplacement(pid_t gone) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < deadline) {
            const std::vector<pid_t> now = gateway().children();
            if (now.size() == 2 && std::find(now.begin(), now.end(), gone) == now.end())
                return true;
            std::this_thread::sleep_for(10ms);  // polling /proc
        }
        return false;
    }
};

TEST_F(Metrics, ExpositionParsesAndCountsTheRequestsOfEveryWorker) {
    ASSERT_TRUE(startWithHello());
    // Fresh connections: the kernel spreads them over both workers.
    constexpr int kHello = 40, kStatic = 20, kMissing = 10;
    for (int i = 0; i < kHello; ++i) ASSERT_EQ(fetch(port(), "GET", "/hello").status, 200);
    for (int i = 0; i < kStatic; ++i) ASSERT_EQ(fetch(port(), "GET", "/index.html").status, 200);
    for (int i = 0; i < kMissing; ++i) ASSERT_EQ(fetch(port(), "GET", "/missing").status, 404);

    // Every worker gives the same sums; each scrape also sees the scrapes before it.
    for (int scrapeIndex = 0; scrapeIndex < 6; ++scrapeIndex) {
        Samples s = scrape();
        EXPECT_EQ(s[R"(gateway_requests_total{class="2xx",mount="/hello"})"], kHello);
        EXPECT_EQ(s[R"(gateway_requests_total{class="5xx",mount="/hello"})"], 0);
        EXPECT_EQ(s[R"(gateway_requests_total{class="2xx",mount=""})"], kStatic);
        EXPECT_EQ(s[R"(gateway_requests_total{class="4xx",mount=""})"], kMissing);
        EXPECT_EQ(s[R"(gateway_requests_total{class="2xx",mount="/metrics"})"], scrapeIndex);
        EXPECT_EQ(s[R"(gateway_request_duration_seconds_count{mount="/hello"})"], kHello);
        EXPECT_EQ(s[R"(gateway_request_duration_seconds_bucket{le="+Inf",mount="/hello"})"],
                  kHello);
        EXPECT_GT(s[R"(gateway_request_duration_seconds_sum{mount="/hello"})"], 0);
        EXPECT_EQ(s[R"(gateway_response_bytes_total{mount="/hello"})"],
                  kHello * std::string("Hello, World!").size());
        EXPECT_GE(s[R"(gateway_response_bytes_total{mount=""})"],
                  kStatic * std::string("static page").size())
            << "the pages and the 404 bodies";
        EXPECT_EQ(s["gateway_requests_in_flight{}"], 1) << "the scrape itself";
        EXPECT_GE(s["gateway_open_connections{}"], 1);
        EXPECT_EQ(s["gateway_request_body_buffered_requests{}"], 0);
        EXPECT_EQ(s["gateway_request_body_buffered_bytes{}"], 0);
        EXPECT_EQ(s["gateway_workers{}"], 2);
        EXPECT_EQ(s["gateway_generation{}"], 1);
        EXPECT_EQ(s[R"(gateway_worker_restarts_total{cause="crash"})"], 0);
        EXPECT_EQ(
            s[R"(gateway_app_info{app="hello",generation="1",mount="/hello",version="1.0.0"})"], 1);
    }
}

TEST_F(Metrics, KilledWorkersCountsStayAndItsRestartIsCounted) {
    ASSERT_TRUE(startWithHello());
    gateway().expectAlert("killed by SIGKILL");
    // One keep-alive connection: all of these are served (and counted) by one worker.
    constexpr int kHello = 25;
    const auto session = makeSession(port());
    std::uint16_t clientPort = 0;
    for (int i = 0; i < kHello; ++i) {
        const FetchResult result = fetch(*session, "GET", "/hello");
        ASSERT_EQ(result.status, 200);
        if (i > 0) {
            ASSERT_EQ(result.localPort, clientPort) << "the connection was not kept";
        }
        clientPort = result.localPort;
    }
    const pid_t served = workerServing(clientPort);
    ASSERT_GT(served, 0) << "no worker holds the connection from port " << clientPort;
    EXPECT_EQ(scrape()[R"(gateway_requests_total{class="2xx",mount="/hello"})"], kHello);

    ::kill(served, SIGKILL);
    ASSERT_TRUE(waitForReplacement(served)) << gateway().logTail();
    // Now only workers that served none of them answer: the counts come from the dead one's slot.
    Samples s = scrape();
    EXPECT_EQ(s[R"(gateway_requests_total{class="2xx",mount="/hello"})"], kHello);
    EXPECT_EQ(s[R"(gateway_request_duration_seconds_count{mount="/hello"})"], kHello);
    EXPECT_EQ(s[R"(gateway_worker_restarts_total{cause="crash"})"], 1);
    EXPECT_EQ(s[R"(gateway_worker_restarts_total{cause="stuck"})"], 0);
    // The master releases the dead worker's slot just after it has started the replacement.
    EXPECT_EQ(scrapeUntil("gateway_workers{}", 2), 2);
    // The scrape's own connection; earlier scrapes' closed ones may take a moment to be seen.
    EXPECT_EQ(scrapeUntil("gateway_open_connections{}", 1), 1)
        << "the killed worker's connection is gone";
}

TEST_F(Metrics, BufferedRequestBodiesAreGaugedUntilAnswered) {
    ASSERT_TRUE(startWithHello());
    RawClient client(port());
    client.send("POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" +
                std::string(600, 'a'));
    EXPECT_EQ(scrapeUntil("gateway_request_body_buffered_bytes{}", 600), 600);
    EXPECT_EQ(scrape()["gateway_request_body_buffered_requests{}"], 1);
    client.send(std::string(400, 'b'));
    EXPECT_EQ(client.readResponse().status, 200);
    EXPECT_EQ(scrapeUntil("gateway_request_body_buffered_requests{}", 0), 0);
    Samples s = scrape();
    EXPECT_EQ(s["gateway_request_body_buffered_bytes{}"], 0);
    EXPECT_EQ(s[R"(gateway_requests_total{class="2xx",mount="/hello"})"], 1);
}

TEST_F(Metrics, ReloadCountsTheReplacedWorkersAndTheNewGeneration) {
    ASSERT_TRUE(startWithHello());
    ASSERT_EQ(fetch(port(), "GET", "/hello").status, 200);
    gateway().signal(SIGHUP);
    ASSERT_TRUE(gateway().waitForLog("generation 2 serving")) << gateway().logTail();
    Samples s = scrape();
    EXPECT_EQ(s[R"(gateway_worker_restarts_total{cause="reload"})"], 2);
    EXPECT_EQ(s["gateway_generation{}"], 2);
    EXPECT_EQ(s[R"(gateway_requests_total{class="2xx",mount="/hello"})"], 1);
    EXPECT_EQ(s[R"(gateway_app_info{app="hello",generation="2",mount="/hello",version="1.0.0"})"],
              1);
}

TEST_F(Metrics, StuckWorkerReplacementIsCounted) {
    ASSERT_TRUE(startWith("hangs", {"--workers", "1", "--threads", "1", "--shutdown-grace", "1s"},
                          "[app.hangs]\ntimeout = 300ms\n"));
    gateway().expectAlert("stuck");
    gateway().expectAlert("passed its deadline");
    gateway().expectAlert("past its deadline");
    gateway().expectAlert("GW-L023");
    EXPECT_EQ(fetch(port(), "GET", "/hangs").status, 504);
    ASSERT_TRUE(gateway().waitForLog("replacing it", 1, 5s)) << gateway().logTail();
    Samples s = scrape();
    EXPECT_EQ(s[R"(gateway_worker_restarts_total{cause="stuck"})"], 1);
    EXPECT_EQ(s[R"(gateway_worker_restarts_total{cause="crash"})"], 0);
}

TEST_F(Metrics, SingleProcessServesItsOwnCounts) {
    ASSERT_TRUE(startWith("hello", {"--workers", "0"}));
    ASSERT_EQ(fetch(port(), "GET", "/hello").status, 200);
    Samples s = scrape();
    EXPECT_EQ(s[R"(gateway_requests_total{class="2xx",mount="/hello"})"], 1);
    EXPECT_EQ(s["gateway_workers{}"], 1);
}

TEST_F(Metrics, NonMetricsMethodsAndSubpathsAreNotTheEndpoint) {
    ASSERT_TRUE(startWithHello());
    EXPECT_EQ(fetch(port(), "POST", "/metrics", {}, "x").status, 405);
    EXPECT_EQ(fetch(port(), "GET", "/metrics/x").status, 404) << "falls through to static files";
}

TEST(MetricsOptions, BadPathOrRangeIsACliError) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--metrics", "metrics"},
          std::vector<std::string>{"--metrics", "/metrics", "--metrics-allow", "10.0.0.0/33"},
          std::vector<std::string>{"--metrics", "/metrics", "--metrics-allow", "example.com"}}) {
        std::vector<std::string> argv = {GatewayProcess::binary(), "-t"};
        argv.insert(argv.end(), args.begin(), args.end());
        const Subprocess::Result result = Subprocess::run(argv, 10s);
        EXPECT_FALSE(exitedWith(result.status, 0)) << args.back();
        EXPECT_NE(result.err.find(args.back() == "metrics" ? "/metrics" : args.back()),
                  std::string::npos)
            << result.err;
    }
}

}  // namespace
