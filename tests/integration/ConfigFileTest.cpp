// Config files (.ini and .properties): every flag is a key; flags win over the file.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"
#include "tests/support/Subprocess.h"

using namespace gateway::test;
using namespace std::chrono_literals;

namespace {

/// A loopback port that was free a moment ago (the kernel picked it; we released it).
std::uint16_t freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

}  // namespace

class ConfigFile : public GatewayFixture {
protected:
    void SetUp() override {
        writeDoc("where.txt", "flag docroot\n");
        std::filesystem::create_directories(root() / "other");
        writeFile(root() / "other" / "where.txt", "config docroot\n");
    }
};

TEST_F(ConfigFile, IniSetsDocrootAndPort) {
    const std::uint16_t wanted = freePort();
    const auto ini = root() / "gateway.ini";
    writeFile(ini, "; gateway test config\nport = " + std::to_string(wanted) +
                       "\ndocroot = " + (root() / "other").string() + "\n");
    GatewayProcess::Options options;
    options.ephemeralPort = false;  // the file's port must be used
    options.args = {"--config", ini.string()};
    ASSERT_TRUE(startGatewayWith(options));
    EXPECT_EQ(port(), wanted);
    const FetchResult r = fetch(port(), "GET", "/where.txt");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "config docroot\n");
}

TEST_F(ConfigFile, PropertiesSetsDocrootAndFlagsWin) {
    const std::uint16_t filePort = freePort();
    const auto props = root() / "gateway.properties";
    writeFile(props, "# gateway test config\nport = " + std::to_string(filePort) +
                         "\ndocroot = " + (root() / "other").string() + "\n");

    // Without flags the file decides...
    {
        GatewayProcess::Options options;
        options.args = {"--config", props.string()};
        ASSERT_TRUE(startGatewayWith(options));
        EXPECT_EQ(fetch(port(), "GET", "/where.txt").body, "config docroot\n");
        ASSERT_TRUE(exitedWith(stopGateway(), 0));
        EXPECT_TRUE(gateway().checkNoAlerts());
    }
    // ...and --docroot/--port on the command line win over it.
    ASSERT_TRUE(startGateway({"--config", props.string()}));
    EXPECT_NE(port(), filePort);
    const FetchResult r = fetch(port(), "GET", "/where.txt");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "flag docroot\n");
}

TEST_F(ConfigFile, IniSetsLimitsWithSizeSuffix) {
    const auto ini = root() / "limits.ini";
    writeFile(ini, "max-request-line = 1k\n");
    ASSERT_TRUE(startGateway({"--config", ini.string()}));
    RawClient client(port());
    client.send(httpRequest("GET", "/" + std::string(2000, 'a')));
    EXPECT_EQ(client.readResponse().status, 414);
}

TEST_F(ConfigFile, BadValueInFileIsAUsageError) {
    const auto ini = root() / "bad.ini";
    writeFile(ini, "port = not-a-port\n");
    const auto r =
        Subprocess::run({GatewayProcess::binary(), "--config", ini.string(), "--docroot",
                         docroot().string(), "--ready-file", (root() / "ready").string()},
                        5s);
    ASSERT_TRUE(r.status) << "still running after 5 s";
    EXPECT_TRUE(exitedWith(r.status, 2)) << Subprocess::describe(*r.status) << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("gateway: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("port"), std::string::npos) << r.err;
}
