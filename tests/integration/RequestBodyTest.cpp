// Request bodies on the real binary: read by the event loop before an app runs (so slow clients
// never hold a pool thread), bounded by --body-timeout and --min-body-rate, framed by the chunk
// sizes alone, and checked even when nobody reads them. Raw sockets, every wait bounded.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "tests/integration/AppsFixture.h"

using namespace gateway::test;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

const std::string kEchoHead = "POST /echo HTTP/1.1\r\nHost: test\r\n";

std::string chunkedPost(const std::string& target, const std::string& body) {
    return "POST " + target + " HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n" +
           body;
}

/// How a request's bytes go out: whole, one byte per send, or in two parts split at `at`.
struct Feed {
    std::string name;
    std::size_t splitAt = 0;  ///< 0 = whole; SIZE_MAX = byte by byte
};

void PrintTo(const Feed& feed, std::ostream* out) {
    *out << feed.name;
}

void sendFed(RawClient& client, const std::string& bytes, const Feed& feed) {
    if (feed.splitAt == 0) {
        client.send(bytes);
    } else if (feed.splitAt == SIZE_MAX) {
        for (char c : bytes) client.send(std::string(1, c));
    } else {
        client.send(bytes.substr(0, feed.splitAt));
        client.send(bytes.substr(feed.splitAt));
    }
}

class RequestBody : public AppsExamples {};

// --- slow clients -------------------------------------------------------------------------------

TEST_F(RequestBody, SlowUploadsDoNotHoldTheHandlerThreads) {
    // Twice as many stalled uploads as pool threads: before request buffering, each held a
    // thread until the idle timeout and /echo stopped answering everyone.
    ASSERT_TRUE(startApps("", {"--workers", "1", "--threads", "4"}));
    std::vector<std::unique_ptr<RawClient>> stalled;
    for (int i = 0; i < 8; ++i) {
        stalled.push_back(std::make_unique<RawClient>(port()));
        stalled.back()->send(kEchoHead + "Content-Length: 100\r\n\r\n0123456789");
    }
    for (int i = 0; i < 5; ++i) {
        const auto r = raw(kEchoHead + "Content-Length: 5\r\n\r\nhello", false, 2s);
        ASSERT_EQ(r.status, 200) << r.head;
        EXPECT_EQ(parseEcho(r.body).bodyLength, 5u);
    }
}

TEST_F(RequestBody, StalledBodyIsAnswered408AfterTheBodyTimeout) {
    ASSERT_TRUE(startApps("", {"--workers", "1", "--body-timeout", "1s"}));
    for (const std::string target : {"/echo", "/"}) {
        SCOPED_TRACE(target);
        RawClient client(port());
        const auto start = Clock::now();
        client.send("POST " + target +
                    " HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");
        const auto r = client.readResponse(false, 5s);
        EXPECT_EQ(r.status, 408) << r.head;
        EXPECT_GE(Clock::now() - start, 900ms);
        EXPECT_TRUE(client.waitClosed());
    }
    EXPECT_NE(gateway().log().find("request body stalled past --body-timeout"), std::string::npos);
}

TEST_F(RequestBody, UnreadBodyThatStallsAfterTheResponseIsClosedAtTheBodyTimeout) {
    // A static file ignores a Content-Length body: it is drained after the response, and a
    // client that stops sending it must not keep the connection forever.
    ASSERT_TRUE(startApps("", {"--workers", "1", "--body-timeout", "1s"}));
    RawClient client(port());
    const auto start = Clock::now();
    client.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n0123456789");
    EXPECT_EQ(client.readResponse().status, 405);
    EXPECT_TRUE(client.waitClosed(5s));
    EXPECT_GE(Clock::now() - start, 900ms);
}

TEST_F(RequestBody, TwoHundredSlowUploadsNeitherStarveAppsNorLinger) {
    // The acceptance run on one worker: 100 uploads that stall and 100 that trickle a byte every
    // 2 s. Normal uploads keep being answered within 2 s; the stalled ones are cut off at the
    // body timeout, the tricklers once their average rate stays below --min-body-rate past its
    // 10 s grace.
    ASSERT_TRUE(startApps("", {"--workers", "1", "--body-timeout", "3s"}));
    const std::string head = kEchoHead + "Content-Length: 1000\r\n\r\n";
    std::vector<std::unique_ptr<RawClient>> idle, trickling;
    for (int i = 0; i < 100; ++i) {
        idle.push_back(std::make_unique<RawClient>(port()));
        idle.back()->send(head);
        trickling.push_back(std::make_unique<RawClient>(port()));
        trickling.back()->send(head);
    }
    const auto start = Clock::now();
    auto nextTrickle = start + 2s;
    int normal = 0;
    while (Clock::now() - start < 13s) {
        const auto sent = Clock::now();
        const auto r = raw(kEchoHead + "Content-Length: 5\r\n\r\nhello", false, 2s);
        ASSERT_EQ(r.status, 200) << r.head;
        ASSERT_LT(Clock::now() - sent, 2s);
        ++normal;
        if (Clock::now() >= nextTrickle) {
            for (auto& client : trickling)
                if (!client->closed()) try {
                        client->send("x", 100ms);
                    } catch (const std::exception&) {  // cut off meanwhile: expected later
                    }
            nextTrickle += 2s;
        }
        const auto r2 = raw(httpRequest("GET", "/hello"), false, 2s);
        ASSERT_EQ(r2.status, 200);
    }
    EXPECT_GT(normal, 20);
    for (auto& client : idle) {
        const auto r = client->readResponse(false, 1s);  // answered long ago, at 3 s
        EXPECT_EQ(r.status, 408);
    }
    for (auto& client : trickling) {
        const auto r = client->readResponse(false, 3s);
        EXPECT_EQ(r.status, 408);
    }
    EXPECT_NE(gateway().log().find("below --min-body-rate"), std::string::npos);
}

// --- framing by the chunk sizes alone -----------------------------------------------------------

const std::string kLookalike = "0\r\n\r\nGET / HTTP/1.1\r\nHost: test\r\n\r\n";

class ChunkDataLookingLikeARequest : public RequestBody,
                                     public ::testing::WithParamInterface<Feed> {};

TEST_P(ChunkDataLookingLikeARequest, IsBodyData) {
    // A chunk whose data spells a last chunk and a request: only the size says where it ends.
    ASSERT_TRUE(startApps("", {"--workers", "1"}));
    char size[8];
    std::snprintf(size, sizeof size, "%zx\r\n", kLookalike.size());
    const std::string request =
        chunkedPost("/echo", size + kLookalike + "\r\n0\r\n\r\n") + httpRequest("GET", "/hello");
    RawClient client(port());
    sendFed(client, request, GetParam());
    const auto r = client.readResponse();
    ASSERT_EQ(r.status, 200) << r.head << r.body;
    const EchoResult echo = parseEcho(r.body);
    EXPECT_EQ(echo.bodyLength, kLookalike.size());
    EXPECT_EQ(echo.bodySha256, sha256Hex(kLookalike));
    const auto next = client.readResponse();  // the pipelined request, not the lookalike
    EXPECT_EQ(next.status, 200);
    EXPECT_EQ(next.body, "Hello, World!");
}

std::vector<Feed> lookalikeFeeds() {
    // Splits around the chunk's data and its end; every boundary of the whole request would
    // start ~120 gateways.
    std::vector<Feed> feeds{{"whole", 0}, {"byte by byte", SIZE_MAX}};
    const std::size_t headSize = chunkedPost("/echo", "").size();
    for (std::size_t at = headSize; at < headSize + kLookalike.size() + 12; ++at)
        feeds.push_back({"split at " + std::to_string(at), at});
    return feeds;
}

INSTANTIATE_TEST_SUITE_P(Feeds, ChunkDataLookingLikeARequest, ::testing::ValuesIn(lookalikeFeeds()),
                         [](const auto& info) {
                             std::string name = info.param.name;
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

struct BadBody {
    std::string name;
    std::string body;  ///< after the head of a chunked request
    int status;
};

void PrintTo(const BadBody& bad, std::ostream* out) {
    *out << bad.name;
}

class BrokenChunkedBody : public RequestBody, public ::testing::WithParamInterface<BadBody> {};

TEST_P(BrokenChunkedBody, IsRefusedWhetherOrNotTheHandlerReadsIt) {
    // A static file ignores the body, echo reads it: both answer the broken framing, never 200.
    ASSERT_TRUE(startApps("", {"--workers", "1"}));
    const BadBody& bad = GetParam();
    for (const std::string target : {"/", "/echo"}) {
        const std::string request = chunkedPost(target, bad.body);
        for (const Feed& feed : {Feed{"whole", 0}, Feed{"byte by byte", SIZE_MAX},
                                 Feed{"split after head", chunkedPost(target, "").size()}}) {
            SCOPED_TRACE(target + ", " + feed.name);
            RawClient client(port());
            sendFed(client, request, feed);
            const auto r = client.readResponse(false, 3s);
            EXPECT_EQ(r.status, bad.status) << r.head;
            EXPECT_TRUE(r.hasToken("Connection", "close"));
            EXPECT_TRUE(client.waitClosed(3s));
        }
    }
    EXPECT_NE(gateway().log().find("client 127.0.0.1:"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Framing, BrokenChunkedBody,
    ::testing::Values(BadBody{"UnderscoreInSize", "0_2e\r\n\r\n", 400},
                      BadBody{"HexPrefix", "0x5\r\nhello\r\n0\r\n\r\n", 400},
                      BadBody{"SizeLineEndedByBareCr", "5\rhello\r\n0\r\n\r\n", 400},
                      BadBody{"SizeLineEndedByBareLf", "5\nhello\r\n0\r\n\r\n", 400},
                      BadBody{"DataNotFollowedByCrlf", "5\r\nhelloXX0\r\n\r\n", 400},
                      BadBody{"EmptySizeLine", "\r\n0\r\n\r\n", 400},
                      BadBody{"SeventeenHexDigits", "00000000000000005\r\nhello\r\n0\r\n\r\n", 400},
                      BadBody{"ChunkOfTwoToThe63", "8000000000000000\r\n", 413},
                      BadBody{"ChunkOfTwoToThe64Minus1", "ffffffffffffffff\r\n", 413},
                      BadBody{"ChunkPastTheLimit", "1000001\r\n", 413}),
    [](const auto& info) { return info.param.name; });

// --- HEAD framing -------------------------------------------------------------------------------

TEST_F(RequestBody, HeadSendsTheFramingGetWouldSendOrNone) {
    ASSERT_TRUE(startApps());
    for (const std::string target : {"/echo", "/hello", "/hello_c", "/stream", "/form"}) {
        SCOPED_TRACE(target);
        const auto get = raw(httpRequest("GET", target));
        const auto head = raw(httpRequest("HEAD", target), true);
        ASSERT_EQ(head.status, get.status);
        if (head.header("Transfer-Encoding")) {
            EXPECT_EQ(head.header("Transfer-Encoding"), get.header("Transfer-Encoding"));
        }
        if (head.header("Content-Length")) {
            EXPECT_TRUE(get.header("Content-Length").has_value());
        }
        EXPECT_TRUE(head.body.empty());
    }
}

// --- buffering in detail ------------------------------------------------------------------------

TEST_F(RequestBody, PipelinedRequestAfterABufferedBodyIsServedInOrder) {
    ASSERT_TRUE(startApps());
    RawClient client(port());
    client.send(kEchoHead + "Content-Length: 5\r\n\r\nhello" + httpRequest("GET", "/hello") +
                chunkedPost("/echo", chunked("abcdefghij", 3)) + httpRequest("GET", "/hello_c"));
    const auto first = client.readResponse();
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(parseEcho(first.body).bodySha256, sha256Hex("hello"));
    EXPECT_EQ(client.readResponse().body, "Hello, World!");
    const auto third = client.readResponse();
    ASSERT_EQ(third.status, 200);
    EXPECT_EQ(parseEcho(third.body).bodySha256, sha256Hex("abcdefghij"));
    EXPECT_EQ(client.readResponse().body, "Hello, World!");
}

TEST_F(RequestBody, BodiesLargerThanMemoryBufferArriveIntact) {
    // Past 64 KiB the loop moves a body to an anonymous temporary file.
    ASSERT_TRUE(startApps());
    std::string body(300 * 1024 + 7, '\0');
    ByteGenerator().fill(body);
    for (const bool isChunked : {false, true}) {
        SCOPED_TRACE(isChunked ? "chunked" : "Content-Length");
        const auto r =
            raw(isChunked ? chunkedPost("/echo", chunked(body, 4000))
                          : kEchoHead + "Content-Length: " + std::to_string(body.size()) +
                                "\r\n\r\n" + body);
        ASSERT_EQ(r.status, 200) << r.head;
        EXPECT_EQ(parseEcho(r.body).bodySha256, sha256Hex(body));
    }
}

TEST_F(RequestBody, MountBodyLimitAppliesToBufferedChunkedBodies) {
    ASSERT_TRUE(startApps("[app.echo]\nbody_limit = 1k\n"));
    EXPECT_EQ(raw(chunkedPost("/echo", chunked(std::string(1024, 'a'), 100))).status, 200);
    const auto r = raw(chunkedPost("/echo", chunked(std::string(1025, 'a'), 100)));
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(raw(kEchoHead + "Content-Length: 1025\r\n\r\n").status, 413);
}

TEST_F(RequestBody, MountBodyLimitCanExceedTheServerDefault) {
    ASSERT_TRUE(startApps("[app.echo]\nbody_limit = 2m\n", {"--max-body", "1m"}));
    const std::string body(1536 * 1024, 'b');
    const auto r =
        raw(kEchoHead + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    ASSERT_EQ(r.status, 200) << r.head;
    EXPECT_EQ(parseEcho(r.body).bodyLength, body.size());
    EXPECT_EQ(raw(httpRequest("POST", "/", "Content-Length: 1100000\r\n")).status, 413);
}

TEST_F(RequestBody, RequestBufferingOffStreamsAndStillTimesOut) {
    ASSERT_TRUE(startApps("[app.echo]\nrequest_buffering = off\n",
                          {"--workers", "1", "--body-timeout", "1s"}));
    std::string body(1 << 20, '\0');
    ByteGenerator().fill(body);
    const auto r =
        raw(kEchoHead + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    ASSERT_EQ(r.status, 200) << r.head;
    EXPECT_EQ(parseEcho(r.body).bodySha256, sha256Hex(body));

    RawClient stalled(port());
    stalled.send(kEchoHead + "Content-Length: 100\r\n\r\nabc");
    EXPECT_TRUE(stalled.waitClosed(5s)) << "a streaming app's read must time out";
    if (!stalled.buffered().empty()) {
        EXPECT_NE(stalled.buffered().find(" 408 "), std::string::npos) << stalled.buffered();
    }
}

}  // namespace
