#include "gateway/http/RequestParser.h"

#include <gtest/gtest.h>

#include "gateway/config/Settings.h"

#include <string>
#include <utility>
#include <vector>

using namespace std::string_literals;
using gateway::HeaderField;
using gateway::Method;
using gateway::ParserLimits;
using gateway::Request;
using gateway::RequestParser;

namespace {

using Status = RequestParser::Status;
using Fields = std::vector<std::pair<std::string, std::string>>;

/// The limits a server runs with unless told otherwise.
const ParserLimits kDefaults = gateway::parserLimitsOf(gateway::Settings{});

/// Everything observable after one feeding, copied out of the buffer so feedings can be compared.
struct Outcome {
    Status status = Status::Incomplete;
    int errorStatus = 0;
    std::size_t consumed = 0;
    std::string method, target, path, query, host;
    Method methodId = Method::Other;
    int versionMinor = 0;
    bool keepAlive = false, chunked = false, expectContinue = false;
    std::int64_t contentLength = 0;
    Fields fields;
    bool viewsInBuffer = true;  ///< every view points into the buffer of the completing call

    bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
    os << "{status=" << static_cast<int>(o.status) << " error=" << o.errorStatus
       << " consumed=" << o.consumed << " method=" << o.method << " target=" << o.target
       << " path=" << o.path << " query=" << o.query << " host=" << o.host
       << " minor=" << o.versionMinor << " keepAlive=" << o.keepAlive << " chunked=" << o.chunked
       << " expect=" << o.expectContinue << " length=" << o.contentLength
       << " fields=" << o.fields.size() << " viewsInBuffer=" << o.viewsInBuffer << "}";
    return os;
}

bool inside(std::string_view view, std::string_view buffer) {
    return view.empty() || (view.data() >= buffer.data() &&
                            view.data() + view.size() <= buffer.data() + buffer.size());
}

Outcome capture(Status status, const RequestParser& parser, const Request& r,
                std::string_view buffer) {
    Outcome o;
    o.status = status;
    if (status == Status::Error) o.errorStatus = parser.errorStatus();
    if (status != Status::Complete) return o;
    o.consumed = parser.consumed();
    o.method = r.method;
    o.target = r.target;
    o.path = r.path;
    o.query = r.query;
    o.host = r.host;
    o.methodId = r.methodId;
    o.versionMinor = r.versionMinor;
    o.keepAlive = r.keepAlive;
    o.chunked = r.chunked;
    o.expectContinue = r.expectContinue;
    o.contentLength = r.contentLength;
    // path may be the static "/" for an absolute-form target without a path.
    o.viewsInBuffer = inside(r.method, buffer) && inside(r.target, buffer) &&
                      inside(r.query, buffer) && inside(r.host, buffer) &&
                      (inside(r.path, buffer) || r.path == "/");
    for (std::size_t i = 0; i < r.headerCount; ++i) {
        const HeaderField& f = r.headers[i];
        o.fields.emplace_back(std::string(f.name), std::string(f.value));
        o.viewsInBuffer = o.viewsInBuffer && inside(f.name, buffer) && inside(f.value, buffer);
    }
    return o;
}

Outcome feedWhole(const std::string& raw, const ParserLimits& limits) {
    RequestParser parser(limits);
    Request request;
    const Status status = parser.parse(raw, request);
    return capture(status, parser, request, raw);
}

/// One byte more per call, each time in the other of two buffers (as if the connection's buffer
/// grew and moved): the parser may keep offsets, never pointers.
Outcome feedByteByByte(const std::string& raw, const ParserLimits& limits) {
    RequestParser parser(limits);
    Request request;
    std::string buffers[2];
    Status status = Status::Incomplete;
    for (std::size_t i = 0; i < raw.size() && status == Status::Incomplete; ++i) {
        std::string& buffer = buffers[i % 2];
        buffer.assign(raw, 0, i + 1);
        status = parser.parse(buffer, request);
        if (status != Status::Incomplete) return capture(status, parser, request, buffer);
    }
    return capture(status, parser, request, buffers[(raw.size() + 1) % 2]);
}

/// The first `split` bytes, then everything (in a fresh buffer).
Outcome feedSplit(const std::string& raw, std::size_t split, const ParserLimits& limits) {
    RequestParser parser(limits);
    Request request;
    const std::string first = raw.substr(0, split);
    Status status = parser.parse(first, request);
    if (status != Status::Incomplete) return capture(status, parser, request, first);
    const std::string all = raw;
    status = parser.parse(all, request);
    return capture(status, parser, request, all);
}

/// Feeds `raw` whole, byte by byte, and split at every boundary; all must agree. Returns the
/// outcome of the whole feeding.
Outcome feedEveryWay(const std::string& raw, const ParserLimits& limits = kDefaults) {
    const Outcome whole = feedWhole(raw, limits);
    EXPECT_EQ(feedByteByByte(raw, limits), whole) << "fed byte by byte";
    for (std::size_t split = 1; split < raw.size(); ++split)
        EXPECT_EQ(feedSplit(raw, split, limits), whole) << "split at " << split;
    return whole;
}

// ---------------------------------------------------------------------------------------------
// Valid requests

struct Expected {
    std::string method = "GET";
    Method methodId = Method::Get;
    std::string target = "/";
    std::string path = "/";
    std::string query = "";
    int versionMinor = 1;
    bool keepAlive = true;
    bool chunked = false;
    bool expectContinue = false;
    std::int64_t contentLength = -1;
    std::string host = "h";
    Fields fields = {{"Host", "h"}};
};

struct ValidCase {
    std::string name;
    std::string head;      ///< the request head, consumed() must equal its size
    std::string trailing;  ///< bytes after the head (body, next request), never consumed
    Expected expected;
};

void PrintTo(const ValidCase& c, std::ostream* os) {
    *os << c.name;
}

std::string manyFields(int count) {
    std::string s;
    for (int i = 0; i < count; ++i)
        s += "X-Field-" + std::to_string(i) + ": v" + std::to_string(i) + "\r\n";
    return s;
}

Fields manyFieldsExpected(int count) {
    Fields f = {{"Host", "h"}};
    for (int i = 0; i < count; ++i)
        f.emplace_back("X-Field-" + std::to_string(i), "v" + std::to_string(i));
    return f;
}

const ValidCase kValid[] = {
    {"SimpleGet", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "", {}},
    {"Head",
     "HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.method = "HEAD", .methodId = Method::Head, .target = "/x", .path = "/x"}},
    {"PostWithBody",
     "POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n",
     "hello",
     {.method = "POST",
      .methodId = Method::Post,
      .target = "/form",
      .path = "/form",
      .contentLength = 5,
      .fields = {{"Host", "h"}, {"Content-Length", "5"}}}},
    {"Put",
     "PUT /r HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
     "",
     {.method = "PUT",
      .methodId = Method::Put,
      .target = "/r",
      .path = "/r",
      .contentLength = 0,
      .fields = {{"Host", "h"}, {"Content-Length", "0"}}}},
    {"Delete",
     "DELETE /r/1 HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.method = "DELETE", .methodId = Method::Delete, .target = "/r/1", .path = "/r/1"}},
    {"OptionsAsterisk",
     "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.method = "OPTIONS", .methodId = Method::Options, .target = "*", .path = "*"}},
    {"OptionsPath",
     "OPTIONS /p HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.method = "OPTIONS", .methodId = Method::Options, .target = "/p", .path = "/p"}},
    {"Patch",
     "PATCH /p HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.method = "PATCH", .methodId = Method::Patch, .target = "/p", .path = "/p"}},
    {"Trace",
     "TRACE / HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.method = "TRACE", .methodId = Method::Trace}},
    {"ConnectAuthorityForm",
     "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
     "",
     {.method = "CONNECT",
      .methodId = Method::Connect,
      .target = "example.com:443",
      .path = "",
      .host = "example.com:443",
      .fields = {{"Host", "example.com:443"}}}},
    {"ConnectIpv6",
     "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n",
     "",
     {.method = "CONNECT",
      .methodId = Method::Connect,
      .target = "[::1]:8443",
      .path = "",
      .host = "[::1]:8443",
      .fields = {{"Host", "[::1]:8443"}}}},
    {"ExtensionMethod",
     "PROPFIND /dav HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.method = "PROPFIND", .methodId = Method::Other, .target = "/dav", .path = "/dav"}},
    {"MethodsAreCaseSensitive",
     "get / HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.method = "get", .methodId = Method::Other}},
    {"QueryString",
     "GET /search?q=a&b=c HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.target = "/search?q=a&b=c", .path = "/search", .query = "q=a&b=c"}},
    {"EmptyQuery",
     "GET /p? HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.target = "/p?", .path = "/p", .query = ""}},
    {"QuestionMarkInQuery",
     "GET /p?a?b=/c HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.target = "/p?a?b=/c", .path = "/p", .query = "a?b=/c"}},
    {"PercentAndSubDelimsInTarget",
     "GET /a%20b;c=d,e!$&'()*+@:~ HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {.target = "/a%20b;c=d,e!$&'()*+@:~", .path = "/a%20b;c=d,e!$&'()*+@:~"}},
    {"AbsoluteFormHostFromTarget",
     "GET http://example.com/a?b HTTP/1.1\r\nHost: other\r\n\r\n",
     "",
     {.target = "http://example.com/a?b",
      .path = "/a",
      .query = "b",
      .host = "example.com",
      .fields = {{"Host", "other"}}}},
    {"AbsoluteFormWithoutPath",
     "GET http://example.com:8443 HTTP/1.1\r\nHost: x\r\n\r\n",
     "",
     {.target = "http://example.com:8443",
      .path = "/",
      .host = "example.com:8443",
      .fields = {{"Host", "x"}}}},
    {"AbsoluteFormQueryWithoutPath",
     "GET https://ex.com?x=1 HTTP/1.1\r\nHost: ex.com\r\n\r\n",
     "",
     {.target = "https://ex.com?x=1",
      .path = "/",
      .query = "x=1",
      .host = "ex.com",
      .fields = {{"Host", "ex.com"}}}},
    {"Http10WithoutHost",
     "GET / HTTP/1.0\r\n\r\n",
     "",
     {.versionMinor = 0, .keepAlive = false, .host = "", .fields = {}}},
    {"Http10KeepAlive",
     "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
     "",
     {.versionMinor = 0, .keepAlive = true, .host = "", .fields = {{"Connection", "keep-alive"}}}},
    {"Http10KeepAliveMixedCase",
     "GET / HTTP/1.0\r\nconnection: Keep-Alive\r\n\r\n",
     "",
     {.versionMinor = 0, .keepAlive = true, .host = "", .fields = {{"connection", "Keep-Alive"}}}},
    {"Http10CloseBeatsKeepAlive",
     "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n",
     "",
     {.versionMinor = 0,
      .keepAlive = false,
      .host = "",
      .fields = {{"Connection", "keep-alive, close"}}}},
    {"Http11Close",
     "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
     "",
     {.keepAlive = false, .fields = {{"Host", "h"}, {"Connection", "close"}}}},
    {"Http11CloseInListAnyCase",
     "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade ,CLOSE\r\n\r\n",
     "",
     {.keepAlive = false, .fields = {{"Host", "h"}, {"Connection", "Upgrade ,CLOSE"}}}},
    {"Http11CloseInSecondConnectionField",
     "GET / HTTP/1.1\r\nConnection: keep-alive\r\nHost: h\r\nConnection: close\r\n\r\n",
     "",
     {.keepAlive = false,
      .fields = {{"Connection", "keep-alive"}, {"Host", "h"}, {"Connection", "close"}}}},
    {"Http11OtherConnectionTokenKeepsAlive",
     "GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n",
     "",
     {.keepAlive = true, .fields = {{"Host", "h"}, {"Connection", "closed"}}}},
    {"Http12AnsweredAs11", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", "", {.versionMinor = 1}},
    {"ContentLengthLeadingZeros",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 007\r\n\r\n",
     "",
     {.method = "POST",
      .methodId = Method::Post,
      .contentLength = 7,
      .fields = {{"Host", "h"}, {"Content-Length", "007"}}}},
    {"ContentLengthIdenticalDuplicates",
     "POST / HTTP/1.1\r\nContent-Length: 5\r\nHost: h\r\ncontent-length: 5\r\n\r\n",
     "",
     {.method = "POST",
      .methodId = Method::Post,
      .contentLength = 5,
      .fields = {{"Content-Length", "5"}, {"Host", "h"}, {"content-length", "5"}}}},
    {"ContentLengthIdenticalList",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5 ,5\r\n\r\n",
     "",
     {.method = "POST",
      .methodId = Method::Post,
      .contentLength = 5,
      .fields = {{"Host", "h"}, {"Content-Length", "5 ,5"}}}},
    {"ContentLengthInt64Max",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9223372036854775807\r\n\r\n",
     "",
     {.method = "POST",
      .methodId = Method::Post,
      .contentLength = INT64_MAX,
      .fields = {{"Host", "h"}, {"Content-Length", "9223372036854775807"}}}},
    {"Chunked",
     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
     "5\r\nhello\r\n0\r\n\r\n",
     {.method = "POST",
      .methodId = Method::Post,
      .chunked = true,
      .fields = {{"Host", "h"}, {"Transfer-Encoding", "chunked"}}}},
    {"ChunkedAnyCaseWithOws",
     "POST / HTTP/1.1\r\nHost: h\r\ntransfer-encoding: \t CHUNKED \t\r\n\r\n",
     "",
     {.method = "POST",
      .methodId = Method::Post,
      .chunked = true,
      .fields = {{"Host", "h"}, {"transfer-encoding", "CHUNKED"}}}},
    {"ExpectContinue",
     "PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n",
     "",
     {.method = "PUT",
      .methodId = Method::Put,
      .target = "/u",
      .path = "/u",
      .expectContinue = true,
      .contentLength = 3,
      .fields = {{"Host", "h"}, {"Expect", "100-Continue"}, {"Content-Length", "3"}}}},
    {"ExpectOtherValue",
     "GET / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\n\r\n",
     "",
     {.expectContinue = false, .fields = {{"Host", "h"}, {"Expect", "200-ok"}}}},
    {"ExpectIgnoredOnHttp10",
     "GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
     "",
     {.versionMinor = 0,
      .keepAlive = false,
      .expectContinue = false,
      .host = "",
      .fields = {{"Expect", "100-continue"}}}},
    {"ValueOwsTrimmedInnerKept",
     "GET / HTTP/1.1\r\nHost: h\r\nX-A: \t a \t b \t\r\n\r\n",
     "",
     {.fields = {{"Host", "h"}, {"X-A", "a \t b"}}}},
    {"EmptyValue",
     "GET / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nX-Blank:   \r\n\r\n",
     "",
     {.fields = {{"Host", "h"}, {"X-Empty", ""}, {"X-Blank", ""}}}},
    {"ObsTextInValue",
     "GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf\xC3\xA9 \xFF\r\n\r\n",
     "",
     {.fields = {{"Host", "h"}, {"X-Name", "caf\xC3\xA9 \xFF"}}}},
    {"ColonInValue",
     "GET / HTTP/1.1\r\nHost: h\r\nX-Time: 12:30:00\r\n\r\n",
     "",
     {.fields = {{"Host", "h"}, {"X-Time", "12:30:00"}}}},
    {"TcharsInName",
     "GET / HTTP/1.1\r\nHost: h\r\nX!#$%&'*+-.^_`|~9: v\r\n\r\n",
     "",
     {.fields = {{"Host", "h"}, {"X!#$%&'*+-.^_`|~9", "v"}}}},
    {"HostNameCaseInsensitive",
     "GET / HTTP/1.1\r\nhOsT: Example.COM:8443\r\n\r\n",
     "",
     {.host = "Example.COM:8443", .fields = {{"hOsT", "Example.COM:8443"}}}},
    {"HostIpv6",
     "GET / HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n",
     "",
     {.host = "[::1]:8443", .fields = {{"Host", "[::1]:8443"}}}},
    {"EmptyHostAllowed",
     "GET / HTTP/1.1\r\nHost:\r\n\r\n",
     "",
     {.host = "", .fields = {{"Host", ""}}}},
    {"LeadingEmptyLinesSkipped", "\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", "", {}},
    {"BareLfAfterHeadIsBody",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n",
     "\n\r\r",
     {.method = "POST",
      .methodId = Method::Post,
      .contentLength = 3,
      .fields = {{"Host", "h"}, {"Content-Length", "3"}}}},
    {"NinetyNineFields",
     "GET / HTTP/1.1\r\nHost: h\r\n" + manyFields(99) + "\r\n",
     "",
     {.fields = manyFieldsExpected(99)}},
    {"PipelinedRequestNotConsumed",
     "GET /a HTTP/1.1\r\nHost: h\r\n\r\n",
     "GET /b HTTP/1.1\r\nHost: h\r\n\r\n",
     {.target = "/a", .path = "/a"}},
    {"PipelinedAfterBody",
     "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n",
     "abcGET /b HTTP/1.1\r\nHost: h\r\n\r\n",
     {.method = "POST",
      .methodId = Method::Post,
      .target = "/a",
      .path = "/a",
      .contentLength = 3,
      .fields = {{"Host", "h"}, {"Content-Length", "3"}}}},
    {"BodyLooksLikeHeadEnd",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n",
     "\r\n\r\n",
     {.method = "POST",
      .methodId = Method::Post,
      .contentLength = 4,
      .fields = {{"Host", "h"}, {"Content-Length", "4"}}}},
};

class ValidRequest : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ValidRequest, ParsesTheSameFedWholeByteByByteAndSplit) {
    const ValidCase& c = GetParam();
    const Outcome o = feedEveryWay(c.head + c.trailing);
    ASSERT_EQ(o.status, Status::Complete) << "error " << o.errorStatus;
    const Expected& e = c.expected;
    EXPECT_EQ(o.consumed, c.head.size());
    EXPECT_EQ(o.method, e.method);
    EXPECT_EQ(o.methodId, e.methodId);
    EXPECT_EQ(o.target, e.target);
    EXPECT_EQ(o.path, e.path);
    EXPECT_EQ(o.query, e.query);
    EXPECT_EQ(o.versionMinor, e.versionMinor);
    EXPECT_EQ(o.keepAlive, e.keepAlive);
    EXPECT_EQ(o.chunked, e.chunked);
    EXPECT_EQ(o.expectContinue, e.expectContinue);
    EXPECT_EQ(o.contentLength, e.contentLength);
    EXPECT_EQ(o.host, e.host);
    EXPECT_EQ(o.fields, e.fields);
    EXPECT_TRUE(o.viewsInBuffer) << "a view points outside the buffer it was parsed from";
}

std::string caseName(const ::testing::TestParamInfo<ValidCase>& info) {
    return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(RequestParser, ValidRequest, ::testing::ValuesIn(kValid), caseName);

// ---------------------------------------------------------------------------------------------
// Malformed and smuggling shapes

struct InvalidCase {
    std::string name;
    std::string raw;
    int status;
};

void PrintTo(const InvalidCase& c, std::ostream* os) {
    *os << c.name;
}

const InvalidCase kInvalid[] = {
    // Line ends: CRLF only. A bare LF fails as soon as it arrives (the rows that stop right after
    // it would otherwise be Incomplete); a bare CR once the head is complete.
    {"BareLfEndsRequestLine", "GET / HTTP/1.1\nHost: h\r\n\r\n", 400},
    {"BareLfEndsRequestLineAtOnce", "GET / HTTP/1.1\n", 400},
    {"BareLfEndsHeaderLine", "GET / HTTP/1.1\r\nHost: a\n\r\n", 400},
    {"BareLfEndsHeaderLineAtOnce", "GET / HTTP/1.1\r\nHost: a\n", 400},
    {"BareLfEndsLaterHeaderLine", "GET / HTTP/1.1\r\nHost: a\r\nX: y\n\r\n", 400},
    {"BareLfEndsHead", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400},
    {"BareLfOnly", "GET / HTTP/1.1\nHost: h\nX: y\n\n", 400},
    {"BareLfLeadingEmptyLine", "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"BareLfAfterLeadingEmptyLine", "\r\n\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"CrLfLfEndsHead", "GET / HTTP/1.1\r\nHost: h\r\n\n\r\n", 400},
    {"BareLfInHeaderValue", "GET / HTTP/1.1\r\nHost: h\r\nX: a\nb\r\n\r\n", 400},
    {"BareCrLfLf", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\r\n\r\n", 400},
    {"BareCrEndsRequestLine", "GET / HTTP/1.1\rHost: h\r\n\r\n", 400},
    {"BareCrInHeaderValue", "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400},
    {"CrCrLfEndsField", "GET / HTTP/1.1\r\nHost: h\r\r\n\r\n", 400},
    {"BareCrBeforeFinalLine", "GET / HTTP/1.1\r\nHost: h\r\n\r\r\n\r\n", 400},
    {"BareCrInTarget", "GET /a\rb HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"TooManyLeadingEmptyLines", "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    // Request line
    {"LeadingSpace", " GET / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"TlsHandshakeBytes", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"s, 400},
    {"EmptyRequestLineThenGarbage", "\r\n:\r\n\r\n", 400},
    {"InvalidMethodChar", "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"NoTarget", "GET HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"DoubleSpaceAfterMethod", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"DoubleSpaceBeforeVersion", "GET /  HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"TabSeparator", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"SpaceInTarget", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"NulInTarget", "GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n"s, 400},
    {"DelInTarget", "GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"FragmentInTarget", "GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"NonAsciiInTarget", "GET /caf\xC3\xA9 HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"RelativeTarget", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"AsteriskForGet", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"AsteriskWithPath", "OPTIONS */x HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"ConnectOriginForm", "CONNECT / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"ConnectWithoutPort", "CONNECT example.com HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"ConnectNonNumericPort", "CONNECT example.com:https HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"AuthorityFormForGet", "GET example.com:80 HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"AbsoluteFormUserinfo", "GET http://user@example.com/ HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"AbsoluteFormEmptyAuthority", "GET http:///a HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"MissingVersion", "GET /\r\nHost: h\r\n\r\n", 400},
    {"LowercaseVersion", "GET / http/1.1\r\nHost: h\r\n\r\n", 400},
    {"VersionWithoutMinor", "GET / HTTP/1\r\nHost: h\r\n\r\n", 400},
    {"VersionTwoDigitMinor", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", 400},
    {"VersionTwoDigitMajor", "GET / HTTP/11.1\r\nHost: h\r\n\r\n", 400},
    {"VersionLetters", "GET / HTTP/x.y\r\nHost: h\r\n\r\n", 400},
    {"VersionTrailingSpace", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400},
    {"VersionTrailingJunk", "GET / HTTP/1.1x\r\nHost: h\r\n\r\n", 400},
    {"ExtraRequestLineToken", "GET / HTTP/1.1 extra\r\nHost: h\r\n\r\n", 400},
    {"Http20", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505},
    {"Http2", "GET / HTTP/2\r\nHost: h\r\n\r\n", 505},
    {"Http3", "GET / HTTP/3\r\nHost: h\r\n\r\n", 505},
    {"Http09", "GET / HTTP/0.9\r\n\r\n", 505},
    {"Http2Preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505},
    // Field syntax
    {"ObsFold", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400},
    {"ObsFoldTab", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n", 400},
    {"WhitespaceBeforeFirstField", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400},
    {"SpaceBeforeColon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400},
    {"TabBeforeColon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400},
    {"EmptyFieldName", "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", 400},
    {"NoColon", "GET / HTTP/1.1\r\nHost: h\r\nJustAName\r\n\r\n", 400},
    {"InvalidNameChar", "GET / HTTP/1.1\r\nHost: h\r\nX(Y): v\r\n\r\n", 400},
    {"NonAsciiName", "GET / HTTP/1.1\r\nHost: h\r\nX\xC3\xA9: v\r\n\r\n", 400},
    {"NulInValue", "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n"s, 400},
    {"CtlInValue", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01\r\n\r\n", 400},
    {"EscInValue", "GET / HTTP/1.1\r\nHost: h\r\nX: \x1b[31m\r\n\r\n", 400},
    {"DelInValue", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n", 400},
    {"NulInName", "GET / HTTP/1.1\r\nHost: h\r\nX\0: v\r\n\r\n"s, 400},
    // Host
    {"MissingHostOnHttp11", "GET / HTTP/1.1\r\nX: y\r\n\r\n", 400},
    {"TwoHostFields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
    {"TwoIdenticalHostFields", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400},
    {"TwoHostFieldsOnHttp10", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400},
    {"HostWithSpace", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
    {"HostWithSlash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400},
    {"HostWithUserinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400},
    // Content-Length
    {"ContentLengthNegative", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400},
    {"ContentLengthPlusSign", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n", 400},
    {"ContentLengthEmpty", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400},
    {"ContentLengthSpaceInside", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n", 400},
    {"ContentLengthHex", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x5\r\n\r\n", 400},
    {"ContentLengthLetterSuffix", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5a\r\n\r\n", 400},
    {"ContentLengthDecimalPoint", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5.0\r\n\r\n", 400},
    {"ContentLengthInt64Overflow",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9223372036854775808\r\n\r\n", 400},
    {"ContentLengthUint64Overflow",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 184467440737095516160\r\n\r\n", 400},
    {"ContentLengthDifferingDuplicates",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400},
    {"ContentLengthDifferingList", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\n",
     400},
    {"ContentLengthEmptyListElement", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5,\r\n\r\n",
     400},
    // Transfer-Encoding
    {"ContentLengthAndChunked",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
    {"ChunkedAndContentLength",
     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400},
    {"ContentLengthAndUnknownCoding",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: gzip\r\n\r\n", 400},
    {"TransferEncodingOnHttp10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
    {"ChunkedNotLast", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
     400},
    {"ChunkedTwiceInList",
     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400},
    {"ChunkedTwiceInTwoFields",
     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
     "chunked\r\n\r\n",
     400},
    {"ChunkedThenOtherField",
     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
     400},
    {"TransferEncodingEmpty", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n\r\n", 400},
    {"TransferEncodingEmptyElement",
     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: , chunked\r\n\r\n", 400},
    {"TransferEncodingSpaceSeparated",
     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip chunked\r\n\r\n", 400},
    {"TransferEncodingQuoted",
     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", 400},
    {"TransferEncodingGzipOnly", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
     501},
    {"TransferEncodingUnknown", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: foo\r\n\r\n",
     501},
    {"TransferEncodingIdentity",
     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n", 501},
    {"GzipThenChunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
     501},
    {"ChunkedWithParameter", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked;q=1\r\n\r\n",
     501},
    {"ChunkedPrefixedName", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n",
     501},
};

class MalformedRequest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(MalformedRequest, IsRejectedTheSameFedWholeByteByByteAndSplit) {
    const InvalidCase& c = GetParam();
    const Outcome o = feedEveryWay(c.raw);
    ASSERT_EQ(o.status, Status::Error);
    EXPECT_EQ(o.errorStatus, c.status);
}

std::string invalidName(const ::testing::TestParamInfo<InvalidCase>& info) {
    return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(RequestParser, MalformedRequest, ::testing::ValuesIn(kInvalid),
                         invalidName);

// ---------------------------------------------------------------------------------------------
// Limits: exactly at the limit passes, one over fails, also before the head is complete.

constexpr ParserLimits kSmall{.maxRequestLine = 32, .maxHeaderBytes = 128, .maxHeaderCount = 4};

/// "GET /aaa… HTTP/1.1" with a request line of exactly `length` bytes (CRLF not counted).
std::string requestLine(std::size_t length) {
    const std::size_t fixed = std::string("GET / HTTP/1.1").size();
    return "GET /" + std::string(length - fixed, 'a') + " HTTP/1.1";
}

/// A complete head of exactly `size` bytes (request line to the final CRLF), padded in X-Pad.
std::string headOfSize(std::size_t size) {
    const std::string start = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ";
    return start + std::string(size - start.size() - 4, 'p') + "\r\n\r\n";
}

std::string headWithFields(std::size_t count) {
    std::string s = "GET / HTTP/1.1\r\nHost: h\r\n";
    for (std::size_t i = 1; i < count; ++i) s += "X" + std::to_string(i) + ": v\r\n";
    return s + "\r\n";
}

struct LimitCase {
    std::string name;
    ParserLimits limits;
    std::string raw;
    Status status;
    int errorStatus;  ///< when status is Error
};

void PrintTo(const LimitCase& c, std::ostream* os) {
    *os << c.name;
}

const LimitCase kLimits[] = {
    {"RequestLineAtLimit", kSmall, requestLine(32) + "\r\nHost: h\r\n\r\n", Status::Complete, 0},
    {"RequestLineAtLimitBareLf", kSmall, requestLine(32) + "\nHost: h\n\n", Status::Error, 400},
    {"RequestLineOverLimit", kSmall, requestLine(33) + "\r\nHost: h\r\n\r\n", Status::Error, 414},
    {"RequestLineOverLimitBareLf", kSmall, requestLine(33) + "\nHost: h\n\n", Status::Error, 414},
    {"RequestLineAtLimitStillBuffering", kSmall, requestLine(32) + "\r", Status::Incomplete, 0},
    {"RequestLineOverLimitWithoutLineEnd", kSmall, requestLine(33), Status::Error, 414},
    {"EndlessRequestLine", kSmall, std::string(200, 'G'), Status::Error, 414},
    {"HeadAtLimit", kSmall, headOfSize(128), Status::Complete, 0},
    {"HeadOverLimit", kSmall, headOfSize(129), Status::Error, 431},
    // The limits win over a bare LF that arrives once they are broken, in any feeding.
    {"BareLfAfterHeadOverLimit", kSmall, headOfSize(200).substr(0, 129) + "\n", Status::Error, 431},
    {"BareLfPutsHeadOverLimit", kSmall, headOfSize(200).substr(0, 128) + "\n", Status::Error, 431},
    {"BareLfWithinHeadLimit", kSmall, headOfSize(200).substr(0, 127) + "\n", Status::Error, 400},
    {"HeadOverLimitWithoutEnd", kSmall, headOfSize(200).substr(0, 129), Status::Error, 431},
    {"HeadAtLimitWithoutEnd", kSmall, headOfSize(200).substr(0, 128), Status::Incomplete, 0},
    {"FieldCountAtLimit", kSmall, headWithFields(4), Status::Complete, 0},
    {"FieldCountOverLimit", kSmall, headWithFields(5), Status::Error, 431},
    {"FieldCountOverLimitBeforeHeadEnds", kSmall,
     headWithFields(5).substr(0, headWithFields(5).size() - 2), Status::Error, 431},
    {"DefaultRequestLineAtLimit", kDefaults,
     requestLine(kDefaults.maxRequestLine) + "\r\nHost: h\r\n\r\n", Status::Complete, 0},
    {"DefaultRequestLineOverLimit", kDefaults,
     requestLine(kDefaults.maxRequestLine + 1) + "\r\nHost: h\r\n\r\n", Status::Error, 414},
    {"DefaultHeadAtLimit", kDefaults, headOfSize(kDefaults.maxHeaderBytes), Status::Complete, 0},
    {"DefaultHeadOverLimit", kDefaults, headOfSize(kDefaults.maxHeaderBytes + 1), Status::Error,
     431},
    {"DefaultFieldCountAtLimit", kDefaults, headWithFields(kDefaults.maxHeaderCount),
     Status::Complete, 0},
    {"DefaultFieldCountOverLimit", kDefaults, headWithFields(kDefaults.maxHeaderCount + 1),
     Status::Error, 431},
    {"FieldCountCappedByRequestArray",
     {kDefaults.maxRequestLine, kDefaults.maxHeaderBytes, 1000},
     headWithFields(gateway::Request::kMaxHeaders + 1),
     Status::Error,
     431},
};

class ParserLimit : public ::testing::TestWithParam<LimitCase> {};

TEST_P(ParserLimit, IsEnforcedTheSameFedWholeByteByByteAndSplit) {
    const LimitCase& c = GetParam();
    // Splitting at every boundary is quadratic: keep it to the small heads.
    const Outcome o =
        c.raw.size() <= 1024 ? feedEveryWay(c.raw, c.limits) : feedWhole(c.raw, c.limits);
    if (c.raw.size() > 1024) {
        EXPECT_EQ(feedByteByByte(c.raw, c.limits), o);
    }
    ASSERT_EQ(o.status, c.status) << "error " << o.errorStatus;
    EXPECT_EQ(o.errorStatus, c.errorStatus);
    if (o.status == Status::Complete) {
        EXPECT_EQ(o.consumed, c.raw.size());
    }
}

std::string limitName(const ::testing::TestParamInfo<LimitCase>& info) {
    return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(RequestParser, ParserLimit, ::testing::ValuesIn(kLimits), limitName);

// ---------------------------------------------------------------------------------------------
// Behaviour across calls

TEST(RequestParserTest, ResetParsesThePipelinedNextRequest) {
    const std::string data =
        "GET /a HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\nX";
    RequestParser parser(kDefaults);
    Request request;
    ASSERT_EQ(parser.parse(data, request), Status::Complete);
    EXPECT_EQ(request.path, "/a");
    const std::string_view rest = std::string_view(data).substr(parser.consumed());
    parser.reset();
    ASSERT_EQ(parser.parse(rest, request), Status::Complete);
    EXPECT_EQ(request.method, "HEAD");
    EXPECT_EQ(request.path, "/b");
    EXPECT_EQ(request.versionMinor, 0);
    EXPECT_TRUE(request.keepAlive);
    EXPECT_EQ(request.headerCount, 1u);  // nothing left over from the first request
    EXPECT_EQ(request.host, "");
    EXPECT_EQ(rest.substr(parser.consumed()), "X");
}

TEST(RequestParserTest, ErrorIsStickyUntilReset) {
    RequestParser parser(kDefaults);
    Request request;
    ASSERT_EQ(parser.parse("GET / HTTP/9.9\r\n\r\n", request), Status::Error);
    EXPECT_EQ(parser.errorStatus(), 505);
    EXPECT_STRNE(parser.errorReason(), "");
    EXPECT_EQ(parser.parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n", request), Status::Error);
    parser.reset();
    EXPECT_EQ(parser.parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n", request), Status::Complete);
    EXPECT_EQ(parser.errorStatus(), 0);
}

TEST(RequestParserTest, EmptyInputIsIncomplete) {
    RequestParser parser(kDefaults);
    Request request;
    EXPECT_EQ(parser.parse({}, request), Status::Incomplete);
    EXPECT_EQ(parser.parse("\r\n", request), Status::Incomplete);
    EXPECT_EQ(parser.parse("\r\nGET / HTTP/1.1\r\nHost: h\r\n", request), Status::Incomplete);
    EXPECT_EQ(parser.parse("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", request), Status::Complete);
    EXPECT_EQ(parser.consumed(), 29u);
}

TEST(RequestParserTest, FindLooksUpFieldsCaseInsensitively) {
    const std::string data = "GET / HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n";
    RequestParser parser(kDefaults);
    Request request;
    ASSERT_EQ(parser.parse(data, request), Status::Complete);
    EXPECT_EQ(request.value("accept-encoding"), "gzip");
    EXPECT_EQ(request.find("X-Missing"), nullptr);
}

}  // namespace
