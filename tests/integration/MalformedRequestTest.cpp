// Malformed and smuggling-shaped requests: the documented status, Connection: close, then close.
#include <gtest/gtest.h>

#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"

using namespace gateway::test;
using namespace std::string_literals;

struct MalformedCase {
    std::string name;
    std::string bytes;
    int status;
};

void PrintTo(const MalformedCase& c, std::ostream* os) {
    *os << c.name;
}

class MalformedRequest : public GatewayFixture,
                         public ::testing::WithParamInterface<MalformedCase> {
protected:
    void SetUp() override {
        writeDoc("index.html", "<p>index</p>\n");
        ASSERT_TRUE(startGateway());
    }
};

TEST_P(MalformedRequest, GetsStatusAndClose) {
    RawClient client(port());
    // A valid request first: the error must also be found on a kept-alive connection.
    client.send(httpRequest("GET", "/") + GetParam().bytes);
    const RawResponse ok = client.readResponse();
    EXPECT_EQ(ok.status, 200);
    const RawResponse r = client.readResponse();
    EXPECT_EQ(r.status, GetParam().status) << r.head;
    EXPECT_TRUE(r.hasToken("Connection", "close")) << r.head;
    EXPECT_EQ(r.header("Content-Length").value_or("-1"), std::to_string(r.body.size()))
        << "error responses are small complete responses";
    EXPECT_TRUE(client.waitClosed()) << "connection left open after " << r.status;
    EXPECT_EQ(client.buffered(), "") << "bytes after the error response";
}

namespace {
const std::string H = "Host: test\r\n";
}

INSTANTIATE_TEST_SUITE_P(
    MalformedRequest, MalformedRequest,
    ::testing::Values(
        MalformedCase{"ContentLengthWithTransferEncoding",
                      "POST / HTTP/1.1\r\n" + H +
                          "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                      400},
        MalformedCase{"DuplicateDifferingContentLength",
                      "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
                      400},
        MalformedCase{"ContentLengthList",
                      "POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 6\r\n\r\n", 400},
        MalformedCase{"NegativeContentLength",
                      "POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", 400},
        MalformedCase{"NonNumericContentLength",
                      "POST / HTTP/1.1\r\n" + H + "Content-Length: 1x\r\n\r\n", 400},
        MalformedCase{"ObsFold", "GET / HTTP/1.1\r\n" + H + "X-Long: a\r\n  folded\r\n\r\n", 400},
        MalformedCase{"SpaceBeforeColon", "GET / HTTP/1.1\r\nHost : test\r\n\r\n", 400},
        MalformedCase{"NulInHeaderValue", "GET / HTTP/1.1\r\n" + H + "X-A: a\0b\r\n\r\n"s, 400},
        MalformedCase{"ControlCharInHeaderValue", "GET / HTTP/1.1\r\n" + H + "X-A: a\x01z\r\n\r\n",
                      400},
        MalformedCase{"BareCrInHeaderValue", "GET / HTTP/1.1\r\n" + H + "X-A: a\rb\r\n\r\n", 400},
        MalformedCase{"NulInTarget", "GET /a\0b HTTP/1.1\r\n"s + H + "\r\n", 400},
        MalformedCase{"InvalidCharInHeaderName", "GET / HTTP/1.1\r\n" + H + "X(A): b\r\n\r\n", 400},
        MalformedCase{"EmptyHeaderName", "GET / HTTP/1.1\r\n" + H + ": b\r\n\r\n", 400},
        MalformedCase{"UnknownTransferEncoding",
                      "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: bogus\r\n\r\n", 501},
        MalformedCase{"Http2Version", "GET / HTTP/2.0\r\n" + H + "\r\n", 505},
        MalformedCase{"Http3Version", "GET / HTTP/3.0\r\n" + H + "\r\n", 505},
        MalformedCase{"GarbageRequestLine", "GARBAGE\r\n\r\n", 400},
        MalformedCase{"DoubleSpaceInRequestLine", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400},
        MalformedCase{"ExtraTokenInRequestLine", "GET / HTTP/1.1 x\r\n" + H + "\r\n", 400},
        MalformedCase{"LowercaseVersion", "GET / http/1.1\r\n" + H + "\r\n", 400},
        MalformedCase{"TargetWithoutSlash", "GET index.html HTTP/1.1\r\n" + H + "\r\n", 400},
        MalformedCase{"MissingHostOnHttp11", "GET / HTTP/1.1\r\n\r\n", 400},
        MalformedCase{"DuplicateHost", "GET / HTTP/1.1\r\n" + H + "Host: other\r\n\r\n", 400},
        // One rule for line ends: CRLF only. A bare LF is answered at once, not waited on.
        MalformedCase{"BareLfEndsHeaderLine", "GET / HTTP/1.1\r\nHost: test\nX: y\r\n\r\n", 400},
        MalformedCase{"BareLfEndsHead", "GET / HTTP/1.1\r\n" + H + "\n", 400},
        MalformedCase{"BareLfEndsRequestLineOfUnfinishedHead", "GET / HTTP/1.1\nHost: te", 400},
        // Fields that must never be trailers: refused rather than silently dropped.
        MalformedCase{"ContentLengthTrailer",
                      "POST / HTTP/1.1\r\n" + H +
                          "Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nContent-Length: "
                          "5\r\n\r\n",
                      400},
        MalformedCase{
            "HostTrailer",
            "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\nhOST: evil\r\n\r\n",
            400},
        MalformedCase{"TransferEncodingTrailer",
                      "POST / HTTP/1.1\r\n" + H +
                          "Transfer-Encoding: chunked\r\n\r\n0\r\nTransfer-Encoding: "
                          "chunked\r\n\r\n",
                      400}),
    [](const auto& info) { return info.param.name; });
