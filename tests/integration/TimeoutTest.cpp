// Timeouts with short configured values: slow header (slowloris) → 408 + close; idle keep-alive.
#include <gtest/gtest.h>

#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"

using namespace gateway::test;
using namespace std::chrono_literals;

class Timeout : public GatewayFixture {
protected:
    void SetUp() override {
        writeDoc("index.html", "<p>index</p>\n");
        ASSERT_TRUE(startGateway({"--header-timeout", "300ms", "--idle-timeout", "300ms"}));
    }
};

TEST_F(Timeout, PartialHeadGets408AndClose) {
    RawClient client(port());
    const auto start = std::chrono::steady_clock::now();
    client.send("GET / HTTP/1.1\r\nHost: test\r\nX-Slow: ");
    const std::string raw = client.readUntilClose(3s);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(client.closed()) << "still open after 3 s";
    RawResponse r;
    ASSERT_GT(RawResponse::parse(raw, false, true, r), 0u) << "no response: '" << raw << "'";
    EXPECT_EQ(r.status, 408);
    EXPECT_TRUE(r.hasToken("Connection", "close")) << r.head;
    EXPECT_GE(elapsed, 250ms) << "timed out before the configured 300 ms";
}

TEST_F(Timeout, DrippingHeadStillTimesOut) {
    // Slowloris: a byte now and then must not extend the header deadline.
    RawClient client(port());
    const auto start = std::chrono::steady_clock::now();
    client.send("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 30 && !client.closed(); ++i) {
        if (client.waitClosed(100ms)) break;
        try {
            client.send("X");
        } catch (const std::exception&) {
            break;  // reset by the server: it closed
        }
    }
    EXPECT_TRUE(client.waitClosed(1s)) << "a dripping client kept the connection for 3 s";
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
    EXPECT_NE(client.buffered().find(" 408 "), std::string::npos) << client.buffered();
}

TEST_F(Timeout, IdleKeepAliveIsClosed) {
    RawClient client(port());
    client.send(httpRequest("GET", "/"));
    EXPECT_EQ(client.readResponse().status, 200);
    EXPECT_TRUE(client.waitClosed(3s)) << "idle keep-alive connection still open after 3 s";
    EXPECT_EQ(client.buffered(), "") << "no response is due on an idle close";
}

TEST_F(Timeout, ActiveKeepAliveIsNotClosed) {
    // Requests closer together than the idle timeout keep the connection alive past it.
    RawClient client(port());
    for (int i = 0; i < 6; ++i) {
        client.send(httpRequest("GET", "/"));
        EXPECT_EQ(client.readResponse().status, 200) << "request " << i;
        EXPECT_FALSE(client.waitClosed(100ms)) << "closed while active, after request " << i;
    }
}

TEST_F(Timeout, SilentConnectionIsClosed) {
    RawClient client(port());  // connects, sends nothing
    EXPECT_TRUE(client.waitClosed(3s)) << "a connection that never sent a byte is still open";
}
