// The command line: --help, --version, usage errors (exit 2), runtime errors (exit 1), --bind ::1.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "gateway/config/SettingsTable.h"
#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"
#include "tests/support/Subprocess.h"

using namespace gateway::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> nonEmptyLines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

/// `text` with every run of whitespace (--help wraps its lines) made one space.
std::string singleSpaced(const std::string& text) {
    std::string out;
    std::istringstream words(text);
    for (std::string word; words >> word;) out += (out.empty() ? "" : " ") + word;
    return out;
}

Subprocess::Result runGateway(std::vector<std::string> args) {
    args.insert(args.begin(), GatewayProcess::binary());
    return Subprocess::run(args, 5s);
}

/// A listening IPv4 socket on an ephemeral loopback port (to make the port "in use").
class Occupier {
public:
    Occupier() {
        _fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(_fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(_fd, 1) != 0 ||
            ::getsockname(_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            throw std::runtime_error("cannot occupy a port");
        }
        _port = ntohs(addr.sin_port);
    }
    ~Occupier() { ::close(_fd); }
    std::uint16_t port() const { return _port; }

private:
    int _fd = -1;
    std::uint16_t _port = 0;
};

bool ipv6LoopbackAvailable() {
    const int fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in6 addr{};
    addr.sin6_family = AF_INET6;
    addr.sin6_addr = in6addr_loopback;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

class Cli : public GatewayFixture {
protected:
    /// --port 0 --ready-file ... --docroot <www> first, so only `args` can be wrong.
    std::vector<std::string> baseArgs() const {
        return {"--port",          "0", "--ready-file", (root() / "ready").string(), "--docroot",
                docroot().string()};
    }

    /// Asserts: exit `code`, stderr exactly one line starting "gateway: " that mentions
    /// `mention`, no stack trace.
    void expectOneLineError(const Subprocess::Result& r, int code, const std::string& mention) {
        ASSERT_TRUE(r.status) << "still running after 5 s (it should have refused to start)";
        EXPECT_TRUE(exitedWith(r.status, code)) << "got " << Subprocess::describe(*r.status)
                                                << ", want exit " << code << "\nstderr: " << r.err;
        const auto lines = nonEmptyLines(r.err);
        ASSERT_EQ(lines.size(), 1u) << "stderr should be one line, was:\n" << r.err;
        EXPECT_EQ(lines[0].rfind("gateway: ", 0), 0u) << lines[0];
        EXPECT_NE(lines[0].find(mention), std::string::npos)
            << "the message should name '" << mention << "': " << lines[0];
    }
};

TEST_F(Cli, HelpExitsZeroAndListsEveryOption) {
    const auto r = runGateway({"--help"});
    ASSERT_TRUE(exitedWith(r.status, 0))
        << (r.status ? Subprocess::describe(*r.status) : "hung") << "\n"
        << r.err;
    const std::string help = singleSpaced(r.out);
    for (const gateway::SettingSpec& setting : gateway::settingsTable()) {
        const std::string option =
            "--" + std::string(setting.name) + "=" + std::string(setting.placeholder);
        EXPECT_NE(help.find(option + " " + singleSpaced(gateway::helpText(setting))),
                  std::string::npos)
            << option << " and its help with the default missing from --help:\n"
            << r.out;
    }
    for (const char* flag : {"--config=FILE", "-t, --check-config", "--help", "--version"}) {
        EXPECT_NE(help.find(flag), std::string::npos) << flag << " missing from --help:\n" << r.out;
    }
}

TEST_F(Cli, VersionPrintsTheProjectVersion) {
    const auto r = runGateway({"--version"});
    ASSERT_TRUE(exitedWith(r.status, 0)) << r.err;
    EXPECT_NE(r.out.find(GATEWAY_VERSION_STRING), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("gateway"), std::string::npos) << r.out;
}

struct UsageErrorCase {
    std::string name;
    std::vector<std::string> args;  ///< "@" is replaced by the test's temp dir
    std::string mention;            ///< what the one-line message must name
};

void PrintTo(const UsageErrorCase& c, std::ostream* os) {
    *os << c.name;
}

class UsageError : public Cli, public ::testing::WithParamInterface<UsageErrorCase> {};

TEST_P(UsageError, ExitsTwoWithOneLine) {
    std::vector<std::string> caseArgs;
    for (std::string a : GetParam().args) {
        if (a.find('@') == 0) a = root().string() + a.substr(1);
        caseArgs.push_back(a);
    }
    // The base arguments, minus any option the case sets itself (options may appear only once).
    std::vector<std::string> args;
    const std::vector<std::string> base = baseArgs();
    for (std::size_t i = 0; i < base.size(); i += 2) {
        if (std::find(caseArgs.begin(), caseArgs.end(), base[i]) == caseArgs.end()) {
            args.insert(args.end(), {base[i], base[i + 1]});
        }
    }
    args.insert(args.end(), caseArgs.begin(), caseArgs.end());
    expectOneLineError(runGateway(args), 2, GetParam().mention);
}

INSTANTIATE_TEST_SUITE_P(
    Cli, UsageError,
    ::testing::Values(
        UsageErrorCase{"UnknownFlag", {"--bogus-flag"}, "bogus-flag"},
        UsageErrorCase{"PortNotANumber", {"--port", "abc"}, "port"},
        UsageErrorCase{"PortOutOfRange", {"--port", "70000"}, "port"},
        UsageErrorCase{"PortWithoutValue", {"--port"}, "port"},
        UsageErrorCase{"BadDuration", {"--header-timeout", "soon"}, "header-timeout"},
        UsageErrorCase{"BadSize", {"--max-body", "12q"}, "max-body"},
        UsageErrorCase{"BadLogLevel", {"--log-level", "loud"}, "log-level"},
        UsageErrorCase{"MissingDocroot", {"--docroot", "@/no-such-docroot"}, "no-such-docroot"},
        UsageErrorCase{"MissingConfigFile", {"--config", "@/no-such.ini"}, "no-such.ini"},
        UsageErrorCase{"BadAccessLogFormat", {"--access-log-format", "xml"}, "combined or json"},
        UsageErrorCase{"UnopenableErrorLog",
                       {"--error-log", "@/no-such-dir/error.log"},
                       "cannot open error log"}),
    [](const auto& info) { return info.param.name; });

TEST_F(Cli, PortInUseExitsOneNamingThePort) {
    Occupier occupied;
    auto args = baseArgs();
    args[1] = std::to_string(occupied.port());
    const auto r = runGateway(args);
    ASSERT_NO_FATAL_FAILURE(expectOneLineError(r, 1, std::to_string(occupied.port())));
}

TEST_F(Cli, BindsIpv6Loopback) {
    if (!ipv6LoopbackAvailable()) GTEST_SKIP() << "no IPv6 loopback (::1) on this machine";
    writeDoc("index.html", "<p>over IPv6</p>\n");
    ASSERT_TRUE(startGateway({"--bind", "::1"}));
    RawClient client(port(), "::1");
    client.send(httpRequest("GET", "/", "Connection: close\r\n"));
    const RawResponse r = client.readResponse();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "<p>over IPv6</p>\n");
}
