// The connection cap (beyond it clients wait in the backlog, existing ones are unharmed) and the
// write-stall timeout (a client that stops reading is cut off).
#include <gtest/gtest.h>
#include <poll.h>

#include <string>

#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"

using namespace gateway::test;
using namespace std::chrono_literals;

class ConnectionCap : public GatewayFixture {
protected:
    void SetUp() override {
        writeDoc("index.html", "<p>index</p>\n");
        // The cap is per worker: one process, so it is the whole server's.
        ASSERT_TRUE(startGateway({"--max-connections", "2", "--workers", "0"}));
    }
};

TEST_F(ConnectionCap, NewClientsWaitUntilASlotFrees) {
    RawClient first(port()), second(port());
    for (RawClient* client : {&first, &second}) {
        client->send(httpRequest("GET", "/"));
        ASSERT_EQ(client->readResponse().status, 200);
    }
    RawClient third(port());  // completes in the kernel backlog; the gateway does not accept it
    third.send(httpRequest("GET", "/"));
    EXPECT_THROW(third.readResponse(false, 300ms), std::runtime_error)
        << "answered beyond --max-connections 2";

    first.send(httpRequest("GET", "/"));  // existing connections are unharmed
    EXPECT_EQ(first.readResponse().status, 200);

    second.send(httpRequest("GET", "/", "Connection: close\r\n"));
    EXPECT_EQ(second.readResponse().status, 200);
    EXPECT_TRUE(second.waitClosed());
    EXPECT_EQ(third.readResponse(false, 5s).status, 200) << "not served after a slot freed";
}

class WriteStall : public GatewayFixture {
protected:
    void SetUp() override {
        writeDoc("big.bin", std::string(32 * 1024 * 1024, 'b'));
        ASSERT_TRUE(startGateway({"--write-timeout", "300ms"}));
    }
};

TEST_F(WriteStall, AClientThatStopsReadingIsCutOff) {
    RawClient client(port(), "127.0.0.1", 4096);
    const auto start = std::chrono::steady_clock::now();
    client.send(httpRequest("GET", "/big.bin"));
    // Read nothing: the socket buffers fill, the gateway's writes stall, and after the write
    // timeout it resets the connection.
    pollfd events{client.fd(), POLLRDHUP, 0};
    ASSERT_EQ(::poll(&events, 1, 5000), 1) << "still connected 5 s into a stalled download";
    EXPECT_TRUE(events.revents & (POLLERR | POLLHUP | POLLRDHUP));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms) << "cut before the write timeout";
    const std::string received = client.readUntilClose(5s);
    EXPECT_TRUE(client.closed());
    EXPECT_LT(received.size(), 32u * 1024 * 1024) << "the whole file arrived after all";
}
