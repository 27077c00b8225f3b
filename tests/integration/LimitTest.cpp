// Configured limits: request line → 414, header bytes/count → 431, body → 413 (checked before
// routing, before any 100 Continue).
#include <gtest/gtest.h>

#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"

using namespace gateway::test;

struct LimitCase {
    std::string name;
    std::string bytes;
    int status;
};

void PrintTo(const LimitCase& c, std::ostream* os) {
    *os << c.name;
}

namespace {

std::string headers(int count, std::size_t valueSize) {
    std::string out;
    for (int i = 0; i < count; ++i) {
        out += "X-Filler-" + std::to_string(i) + ": " + std::string(valueSize, 'v') + "\r\n";
    }
    return out;
}

}  // namespace

class Limits : public GatewayFixture {
protected:
    void SetUp() override {
        writeDoc("index.html", "<p>index</p>\n");
        ASSERT_TRUE(startGateway({"--max-request-line", "1k", "--max-header-bytes", "2k",
                                  "--max-header-count", "10", "--max-body", "1k"}));
    }
};

class Limit : public Limits, public ::testing::WithParamInterface<LimitCase> {};

TEST_P(Limit, Answers) {
    RawClient client(port());
    client.send(GetParam().bytes);
    const RawResponse r = client.readResponse();
    EXPECT_EQ(r.status, GetParam().status) << r.head;
    if (GetParam().status == 413 || GetParam().status == 414 || GetParam().status == 431) {
        EXPECT_TRUE(r.hasToken("Connection", "close")) << r.head;
        EXPECT_TRUE(client.waitClosed()) << "connection left open after " << r.status;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Limit, Limit,
    ::testing::Values(
        LimitCase{"RequestLineUnderLimit", httpRequest("GET", "/" + std::string(900, 'a')), 404},
        LimitCase{"RequestLineOverLimit", httpRequest("GET", "/" + std::string(2000, 'a')), 414},
        LimitCase{"HeaderBytesUnderLimit", httpRequest("GET", "/", headers(3, 400)), 200},
        LimitCase{"HeaderBytesOverLimit", httpRequest("GET", "/", headers(3, 1000)), 431},
        LimitCase{"HeaderCountUnderLimit", httpRequest("GET", "/", headers(8, 4)), 200},
        LimitCase{"HeaderCountOverLimit", httpRequest("GET", "/", headers(12, 4)), 431},
        LimitCase{"BodyOverLimitOnStaticPath",
                  httpRequest("POST", "/index.html", "Content-Length: 5000\r\n"), 413},
        LimitCase{"BodyUnderLimitOnStaticPathIs405",
                  httpRequest("POST", "/index.html", "Content-Length: 5\r\n") + "hello", 405}),
    [](const auto& info) { return info.param.name; });

class Expect100 : public Limits {};

TEST_F(Expect100, OverLimitGets413WithoutContinue) {
    RawClient client(port());
    client.send(
        httpRequest("POST", "/index.html", "Content-Length: 5000\r\nExpect: 100-continue\r\n"));
    const RawResponse r = client.readResponse();
    EXPECT_EQ(r.status, 413) << "no 100 Continue may precede a refusal:\n" << r.head;
    EXPECT_TRUE(client.waitClosed());
}

TEST_F(Expect100, UnderLimitGetsContinueOrFinalStatus) {
    // Within the limits: a 100 Continue, or the final answer at once (then the body is drained).
    RawClient client(port());
    client.send(httpRequest("GET", "/index.html", "Content-Length: 5\r\nExpect: 100-continue\r\n"));
    RawResponse r = client.readResponse();
    if (r.status == 100) {
        client.send("hello");
        r = client.readResponse();
    }
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "<p>index</p>\n");
}
