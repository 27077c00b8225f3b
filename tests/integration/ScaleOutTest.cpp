// Scale-out behind a load balancer (ctest label `scale`): packaging/haproxy.cfg (and, where nginx
// is installed, packaging/nginx-upstream.conf) in front of two real gateways under keep-alive
// load while one reloads and the other stops gracefully (zero failed requests), and
// --trusted-proxies: the client address the balancer forwards is believed only from a trusted
// peer. HAProxy comes from Debian's `haproxy` package (.ci/setup installs it).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/AppsFixture.h"
#include "tests/support/GatewayProcess.h"
#include "tests/support/LoadLoop.h"
#include "tests/support/RawClient.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempDir.h"

#ifndef GATEWAY_PACKAGING_DIR
#error "GATEWAY_PACKAGING_DIR must name the packaging/ folder"
#endif

using namespace gateway::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

/// The address the balancer's clients come from in these tests: loopback, but not the balancer's
/// 127.0.0.1, so that the forwarded address can be told from the proxy's.
constexpr const char* kClientAddress = "127.0.0.2";

enum class Balancer { Haproxy, Nginx };

const char* nameOf(Balancer balancer) {
    return balancer == Balancer::Haproxy ? "haproxy" : "nginx";
}

std::optional<std::string> findBinary(Balancer balancer) {
    for (const char* folder : {"/usr/sbin/", "/usr/bin/", "/usr/local/sbin/"})
        if (const std::string path = folder + std::string(nameOf(balancer));
            ::access(path.c_str(), X_OK) == 0)
            return path;
    return std::nullopt;
}

bool inCi() {
    const char* ci = std::getenv("CI");
    return ci && std::string_view(ci) == "true";
}

/// A port nobody listens on now (the kernel's choice for an ephemeral bind, released again): a
/// balancer cannot report the port it bound, so it is given one; startBalancer() retries on a
/// race.
std::uint16_t freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    return ok ? ntohs(address.sin_port) : 0;
}

/// `text` with `from` replaced by `to`, which must occur exactly once (so that a change to the
/// shipped file that the test no longer matches fails here, not somewhere obscure).
std::string replaceOnce(const std::string& text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    if (at == std::string::npos || text.find(from, at + 1) != std::string::npos)
        throw std::runtime_error("packaging/: expected exactly one '" + from + "'");
    return text.substr(0, at) + to + text.substr(at + from.size());
}

/// One request on a fresh connection from `source`, answered and closed.
RawResponse requestFrom(const char* source, std::uint16_t port, const std::string& target,
                        const std::string& extraHeaders = "") {
    RawClient client(port, "127.0.0.1", 0, source);
    client.send(httpRequest("GET", target, extraHeaders + "Connection: close\r\n"));
    return client.readResponse();
}

/// Two gateways (`--workers 2` each, the example apps, a docroot) behind the balancer of the
/// test's parameter, running its shipped configuration with loopback addresses put in. TearDown
/// stops what is still running (the balancer first), expects the gateways to exit 0 without
/// alerts, and prints the logs of a failed test.
class ScaleOut : public ::testing::TestWithParam<Balancer> {
protected:
    void SetUp() override {
        _balancerBinary = findBinary(GetParam());
        if (!_balancerBinary && GetParam() == Balancer::Haproxy) {
            const char* message = "haproxy not found; install Debian's `haproxy` (.ci/setup does)";
            if (inCi()) FAIL() << message << " — required when CI=true";
            GTEST_SKIP() << message;
        }
        if (!_balancerBinary) GTEST_SKIP() << "nginx not installed (optional: bench/ uses it)";
        fs::create_directories(docroot());
        writeFile(docroot() / "index.html", "static");
    }

    void TearDown() override {
        if (_balancer) {
            _balancer->signal(SIGTERM);
            if (!_balancer->wait(5s)) _balancer->kill();
        }
        for (std::size_t i = 0; i < _gateways.size(); ++i) {
            GatewayProcess& gateway = *_gateways[i];
            if (gateway.started() && !_stopped[i]) {
                const auto status = gateway.stop();
                EXPECT_TRUE(exitedWith(status, 0))
                    << "gateway " << i << ": "
                    << (status ? Subprocess::describe(*status) : "still running, killed");
            }
            EXPECT_TRUE(gateway.checkNoAlerts());
            if (HasFailure())
                std::fprintf(stderr, "--- gateway %zu log (tail) ---\n%s", i,
                             gateway.logTail().c_str());
        }
        if (HasFailure() && fs::exists(balancerLog()))
            std::fprintf(stderr, "--- %s log ---\n%s", nameOf(GetParam()),
                         readFile(balancerLog()).c_str());
    }

    fs::path docroot() const { return _tmp.path() / "www"; }
    fs::path balancerLog() const { return _tmp.path() / "balancer.log"; }
    GatewayProcess& gateway(std::size_t i) { return *_gateways.at(i); }
    std::uint16_t frontendPort() const { return _frontendPort; }

    /// Starts the next gateway (as shipped configs say: with --health /healthz) plus `args`.
    ::testing::AssertionResult startGateway(std::vector<std::string> args = {}) {
        const std::size_t index = _gateways.size();
        GatewayProcess::Options options;
        options.workDir = _tmp.path() / ("gateway" + std::to_string(index));
        fs::create_directories(options.workDir);
        options.docroot = docroot();
        options.args = {"--workers", "2", "--apps", GATEWAY_APPS_DIR, "--health", "/healthz"};
        options.args.insert(options.args.end(), args.begin(), args.end());
        _gateways.push_back(std::make_unique<GatewayProcess>(std::move(options)));
        _stopped.push_back(false);
        return _gateways.back()->start();
    }

    /// Stops gateway `i` with SIGTERM; true when it exited 0 within 15 s.
    bool stopGateway(std::size_t i) {
        gateway(i).signal(SIGTERM);
        const auto status = gateway(i).waitExit(15s);
        _stopped[i] = status.has_value();
        return exitedWith(status, 0);
    }

    /// The shipped file with the gateways' loopback ports and a listener on 127.0.0.1:`port`.
    std::string shippedConfig(const char* file, const std::string& listen,
                              const std::string& listenHere) const {
        std::string config = readFile(fs::path(GATEWAY_PACKAGING_DIR) / file);
        config = replaceOnce(config, listen, listenHere);
        const std::array<const char*, 2> servers = {"10.0.0.11:8080", "10.0.0.12:8080"};
        for (std::size_t i = 0; i < servers.size(); ++i)
            config = replaceOnce(config, servers[i],
                                 "127.0.0.1:" + std::to_string(_gateways.at(i)->port()));
        return config;
    }

    /// The balancer's command line, its configuration written for a listener on `port`.
    std::vector<std::string> balancerCommand(std::uint16_t port) const {
        const fs::path dir = _tmp.path();
        const std::string address = "127.0.0.1:" + std::to_string(port);
        if (GetParam() == Balancer::Haproxy) {
            writeFile(dir / "haproxy.cfg",
                      shippedConfig("haproxy.cfg", "bind :80", "bind " + address));
            return {*_balancerBinary, "-db", "-f", (dir / "haproxy.cfg").string()};
        }
        // nginx-upstream.conf is an http{} snippet: the main file around it keeps every path
        // nginx writes inside the test's folder.
        writeFile(dir / "gateway.conf",
                  shippedConfig("nginx-upstream.conf", "listen 80;", "listen " + address + ";"));
        const std::string d = dir.string();
        writeFile(dir / "nginx.conf",
                  "daemon off;\nworker_processes 1;\npid " + d + "/nginx.pid;\nerror_log " + d +
                      "/balancer.log notice;\nevents { worker_connections 1024; }\nhttp {\n"
                      "    access_log off;\n    client_body_temp_path " +
                      d +
                      "/body;\n"
                      "    proxy_temp_path " +
                      d + "/proxy;\n    fastcgi_temp_path " + d +
                      "/fastcgi;\n    uwsgi_temp_path " + d + "/uwsgi;\n    scgi_temp_path " + d +
                      "/scgi;\n    include " + d + "/gateway.conf;\n}\n");
        return {*_balancerBinary, "-e", "stderr", "-p", d, "-c", (dir / "nginx.conf").string()};
    }

    /// Starts the balancer in the foreground on its shipped configuration and waits (bounded)
    /// until a request through it is answered.
    ::testing::AssertionResult startBalancer() {
        for (int attempt = 0; attempt < 3; ++attempt) {
            _frontendPort = freePort();
            _balancer = std::make_unique<Subprocess>(balancerCommand(_frontendPort), balancerLog(),
                                                     balancerLog());
            const auto deadline = std::chrono::steady_clock::now() + 10s;
            while (std::chrono::steady_clock::now() < deadline) {
                if (_balancer->wait(0ms)) break;  // exited: the port was taken meanwhile?
                try {
                    if (requestFrom(kClientAddress, _frontendPort, "/healthz").status == 200)
                        return ::testing::AssertionSuccess();
                } catch (const std::exception&) {
                }
                pollfd exited{_balancer->exitFd(), POLLIN, 0};
                ::poll(&exited, 1, 20);  // polling for the listener; returns early on exit
            }
            _balancer.reset();
        }
        return ::testing::AssertionFailure()
               << nameOf(GetParam()) << " did not serve on 127.0.0.1:" << _frontendPort << ":\n"
               << readFile(balancerLog());
    }

    /// The SERVER_PORT of the gateway that answered each of `n` requests through the balancer.
    std::set<std::string> backendsAnswering(int n) {
        std::set<std::string> ports;
        for (int i = 0; i < n; ++i) {
            const RawResponse response = requestFrom(kClientAddress, _frontendPort, "/echo/");
            if (response.status == 200)
                ports.insert(parseEcho(response.body).env("SERVER_PORT").value_or("?"));
        }
        return ports;
    }

private:
    TempDir _tmp{"gateway-scale"};
    std::optional<std::string> _balancerBinary;
    std::vector<std::unique_ptr<GatewayProcess>> _gateways;
    std::vector<bool> _stopped;
    std::unique_ptr<Subprocess> _balancer;
    std::uint16_t _frontendPort = 0;
};

TEST_P(ScaleOut, ReloadingOneGatewayAndStoppingTheOtherFailNoRequest) {
    ASSERT_TRUE(startGateway());
    ASSERT_TRUE(startGateway());
    ASSERT_TRUE(startBalancer());
    const std::set<std::string> both = {std::to_string(gateway(0).port()),
                                        std::to_string(gateway(1).port())};
    EXPECT_EQ(backendsAnswering(4), both) << "round robin should reach both gateways";

    LoadLoop load(frontendPort(), "/hello", 6, 200, 60s);
    ASSERT_TRUE(load.waitForProgress(2000)) << load.failures();

    // A reload: the master starts a new generation and drains the old one's connections.
    gateway(0).signal(SIGHUP);
    ASSERT_TRUE(gateway(0).waitForLog("generation 2 serving")) << gateway(0).logTail();
    ASSERT_TRUE(load.waitForProgress(2000)) << load.failures();

    // A graceful stop: it stops listening, finishes what is in flight, closes idle connections.
    ASSERT_TRUE(stopGateway(1)) << gateway(1).logTail();
    ASSERT_TRUE(load.waitForProgress(2000)) << load.failures();

    // The last one standing reloads too: the balancer has nowhere else to send the retries.
    gateway(0).signal(SIGHUP);
    ASSERT_TRUE(gateway(0).waitForLog("generation 3 serving")) << gateway(0).logTail();
    ASSERT_TRUE(load.waitForProgress(2000)) << load.failures();

    load.stop();
    EXPECT_EQ(load.failed(), 0u) << load.failures();
    EXPECT_EQ(backendsAnswering(2), std::set<std::string>{std::to_string(gateway(0).port())});
}

TEST_P(ScaleOut, TrustedProxyForwardsTheClientAddress) {
    ASSERT_TRUE(startGateway({"--trusted-proxies", "127.0.0.1/32"}));
    ASSERT_TRUE(startGateway({"--trusted-proxies", "127.0.0.1/32"}));
    ASSERT_TRUE(startBalancer());
    std::set<std::string> served;
    for (int i = 0; i < 2; ++i) {  // round robin: one request to each gateway
        // What the client writes itself is kept on the left of the balancer's entry and ignored.
        const RawResponse response = requestFrom(kClientAddress, frontendPort(), "/echo/",
                                                 "X-Forwarded-For: 203.0.113.9\r\n"
                                                 "X-Forwarded-Proto: https\r\n");
        ASSERT_EQ(response.status, 200) << response.head;
        const EchoResult echo = parseEcho(response.body);
        served.insert(echo.env("SERVER_PORT").value_or("?"));
        EXPECT_EQ(echo.env("REMOTE_ADDR"), kClientAddress);
        EXPECT_EQ(echo.env("REMOTE_PORT"), "0");
        EXPECT_EQ(echo.env("HTTP_X_FORWARDED_FOR"), std::string("203.0.113.9, ") + kClientAddress);
        EXPECT_EQ(echo.env("gateway.url_scheme"), "http");  // the balancer's word, not the client's
    }
    EXPECT_EQ(served.size(), 2u);
}

TEST_P(ScaleOut, UntrustedProxyIsTheClient) {
    ASSERT_TRUE(startGateway());                                       // the default: nobody
    ASSERT_TRUE(startGateway({"--trusted-proxies", "127.0.0.3/32"}));  // someone else
    ASSERT_TRUE(startBalancer());
    std::set<std::string> served;
    for (int i = 0; i < 2; ++i) {
        const RawResponse response = requestFrom(kClientAddress, frontendPort(), "/echo/");
        ASSERT_EQ(response.status, 200) << response.head;
        const EchoResult echo = parseEcho(response.body);
        served.insert(echo.env("SERVER_PORT").value_or("?"));
        EXPECT_EQ(echo.env("REMOTE_ADDR"), "127.0.0.1");  // the balancer
        EXPECT_NE(echo.env("REMOTE_PORT"), "0");
        EXPECT_EQ(echo.env("HTTP_X_FORWARDED_FOR"), kClientAddress);  // passed on, not believed
        EXPECT_EQ(echo.env("HTTP_X_FORWARDED_PROTO"), "http");
    }
    EXPECT_EQ(served.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Balancers, ScaleOut, testing::Values(Balancer::Haproxy, Balancer::Nginx),
                         [](const auto& info) { return std::string(nameOf(info.param)); });

/// The rule itself, without a balancer: a client on 127.0.0.1 is the trusted proxy, one on
/// 127.0.0.2 is not.
class TrustedProxies : public AppsExamples {
protected:
    fs::path accessLog() const { return root() / "access.log"; }
    ::testing::AssertionResult start() {
        return startApps("", {"--trusted-proxies", "127.0.0.1", "--access-log",
                              accessLog().string(), "--workers", "2"});
    }
    static constexpr const char* kForwarded =
        "X-Forwarded-For: 198.51.100.4, 10.1.2.3\r\nX-Forwarded-Proto: HTTPS\r\n";
};

TEST_F(TrustedProxies, ForwardedHeadersOfATrustedPeerNameTheClient) {
    ASSERT_TRUE(start());
    const EchoResult echo = parseEcho(requestFrom("127.0.0.1", port(), "/echo/", kForwarded).body);
    EXPECT_EQ(echo.env("REMOTE_ADDR"), "10.1.2.3");  // the right-most untrusted entry
    EXPECT_EQ(echo.env("REMOTE_PORT"), "0");
    EXPECT_EQ(echo.env("gateway.url_scheme"), "https");
    // A 4xx answered before routing names the forwarded client too.
    EXPECT_EQ(requestFrom("127.0.0.1", port(), "/echo/",
                          std::string(kForwarded) + "Expect: 102-processing\r\n")
                  .status,
              417);
    ASSERT_TRUE(exitedWith(stopGateway(), 0));  // a graceful exit flushes the log
    const std::string log = readFile(accessLog());
    EXPECT_NE(log.find("10.1.2.3 - - [", 0), std::string::npos) << log;
    EXPECT_NE(log.find("\" 417 "), std::string::npos) << log;
    EXPECT_EQ(log.find("127.0.0.1 - - ["), std::string::npos) << log;
}

TEST_F(TrustedProxies, ForwardedHeadersOfAnyoneElseAreIgnored) {
    ASSERT_TRUE(start());
    const EchoResult echo = parseEcho(requestFrom("127.0.0.2", port(), "/echo/", kForwarded).body);
    EXPECT_EQ(echo.env("REMOTE_ADDR"), "127.0.0.2");
    EXPECT_NE(echo.env("REMOTE_PORT"), "0");
    EXPECT_EQ(echo.env("gateway.url_scheme"), "http");
    EXPECT_EQ(echo.env("HTTP_X_FORWARDED_FOR"), "198.51.100.4, 10.1.2.3");
    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    const std::string log = readFile(accessLog());
    EXPECT_EQ(log.rfind("127.0.0.2 - - [", 0), 0u) << log;
    EXPECT_EQ(log.find("10.1.2.3"), std::string::npos) << log;
}

}  // namespace
