// C10K: 10,000 concurrent keep-alive connections, each answered, all held, the server still
// serving.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "tests/support/ConnectionSwarm.h"
#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"

using namespace gateway::test;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kConnections = 10000;

std::string describe(const ConnectionSwarm::Result& r) {
    std::string s = std::to_string(r.answered) + " answered, " + std::to_string(r.failed) +
                    " failed, " + std::to_string(r.unanswered) + " unanswered";
    for (const auto& e : r.errors) s += "\n  " + e;
    return s;
}

}  // namespace

class Concurrency : public GatewayFixture {};

TEST_F(Concurrency, TenThousandKeepAliveConnectionsAllAnswered) {
    rlimit limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < kConnections + 100) {
        GTEST_SKIP() << "hard RLIMIT_NOFILE is " << limit.rlim_max << ", below the "
                     << kConnections + 100 << " this test needs (raise it with ulimit -Hn)";
    }
    limit.rlim_cur = limit.rlim_max;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);

    writeDoc("small.txt", "small file\n");
    // The gateway inherits the raised soft limit, and raises its own where allowed.
    ASSERT_TRUE(startGateway());

    ConnectionSwarm swarm(port());
    const std::string request = httpRequest("GET", "/small.txt");
    const auto result =
        swarm.connectAll(kConnections, request, 200, std::chrono::steady_clock::now() + 30s);
    EXPECT_EQ(result.answered, kConnections) << describe(result);
    EXPECT_EQ(swarm.openCount(), result.answered);

    // All held open: a second request on every 50th connection is answered on the same socket.
    const auto again = swarm.again(50, request, 200, std::chrono::steady_clock::now() + 10s);
    EXPECT_EQ(again.failed + again.unanswered, 0u) << describe(again);
    EXPECT_GE(again.answered, result.answered / 50);

    // And a newcomer is still served.
    const FetchResult r = fetch(port(), "GET", "/small.txt");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "small file\n");
}
