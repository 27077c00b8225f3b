// The example apps (apps/: hello, hello_c, echo, form, stream) served by the real binary, seen
// by real clients: Poco HTTPClientSession, curl, and raw sockets where a library would normalise
// the bytes (dot segments, pipelining, timing of chunks). Each test is bounded; none sleeps.
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/AppsFixture.h"
#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempDir.h"

using namespace gateway::test;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

const std::string kHello = "Hello, World!";

// --- hello, hello_c ----------------------------------------------------------------------------

TEST_F(AppsExamples, HelloAndHelloCAnswerExactBytesOverKeepAlive) {
    ASSERT_TRUE(startApps());
    auto session = makeSession(port());
    std::optional<std::uint16_t> clientPort;
    for (const char* path : {"/hello", "/hello_c", "/hello", "/hello_c"}) {
        SCOPED_TRACE(path);
        const auto r = fetch(*session, "GET", path);
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, kHello);
        EXPECT_EQ(r.body.size(), 13u);
        EXPECT_EQ(r.header("Content-Type"), "text/plain");
        EXPECT_EQ(r.header("Content-Length"), "13");
        EXPECT_FALSE(r.has("Transfer-Encoding"));
        EXPECT_TRUE(r.header("Server").rfind("gateway/", 0) == 0) << r.header("Server");
        EXPECT_TRUE(r.has("Date"));
        if (!clientPort) clientPort = r.localPort;
        EXPECT_EQ(r.localPort, *clientPort) << "the connection was not kept alive";
    }
}

TEST_F(AppsExamples, HeadHelloHasNoBody) {
    ASSERT_TRUE(startApps());
    // HEAD then GET in one write: any body bytes after the HEAD head would corrupt the GET.
    RawClient client(port());
    client.send(httpRequest("HEAD", "/hello") + httpRequest("GET", "/hello_c") +
                httpRequest("HEAD", "/hello_c"));
    const auto head = client.readResponse(true);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("Content-Type").value_or(""), "text/plain");
    const auto get = client.readResponse();
    EXPECT_EQ(get.status, 200);
    EXPECT_EQ(get.body, kHello);
    const auto headC = client.readResponse(true);
    EXPECT_EQ(headC.status, 200);
    client.send(httpRequest("GET", "/hello"));
    const auto last = client.readResponse();
    EXPECT_EQ(last.body, kHello) << "HEAD left body bytes on the connection";
    EXPECT_EQ(client.buffered(), "");
}

// --- echo: environ -----------------------------------------------------------------------------

struct PathCase {
    const char* name;
    const char* target;  ///< request-target as sent
    const char* pathInfo;
    const char* query;
};

std::ostream& operator<<(std::ostream& out, const PathCase& c) {
    return out << c.name << " (" << c.target << ")";
}

class EchoPaths : public AppsExamples, public ::testing::WithParamInterface<PathCase> {};

TEST_P(EchoPaths, EnvironSplitsTheTarget) {
    const PathCase& c = GetParam();
    ASSERT_TRUE(startApps());
    const auto r = raw(httpRequest("GET", c.target));
    ASSERT_EQ(r.status, 200) << r.head << r.body;
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/json");
    const EchoResult echo = parseEcho(r.body);
    EXPECT_EQ(echo.env("SCRIPT_NAME"), "/echo");
    EXPECT_EQ(echo.env("PATH_INFO"), c.pathInfo);
    EXPECT_EQ(echo.env("QUERY_STRING"), c.query);
    EXPECT_EQ(echo.env("REQUEST_URI"), c.target);
    EXPECT_EQ(echo.env("REQUEST_METHOD"), "GET");
    EXPECT_EQ(echo.bodyLength, 0u);
    EXPECT_EQ(echo.bodySha256, sha256Hex(""));
}

const PathCase kPathCases[] = {
    {"MountItself", "/echo", "", ""},
    {"TrailingSlash", "/echo/", "/", ""},
    {"PercentDecoded", "/echo/a%20b?x=1", "/a b", "x=1"},
    {"DotSegmentsRemovedQueryRaw", "/echo/a%20b/../c?x=1&y=%20", "/c", "x=1&y=%20"},
    {"EncodedSlashDecoded", "/echo/x%2Fy", "/x/y", ""},
    {"EmptySegmentsKept", "/echo//a//b", "//a//b", ""},
    {"SingleDotsRemoved", "/echo/./a/.", "/a/", ""},
    {"QueryNotDecoded", "/echo?q=%41+b&&z", "", "q=%41+b&&z"},
    {"EmptyQuery", "/echo/p?", "/p", ""},
};

INSTANTIATE_TEST_SUITE_P(Echo, EchoPaths, ::testing::ValuesIn(kPathCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(AppsExamples, EchoEnvironHasTheWsgiNames) {
    ASSERT_TRUE(startApps());
    const auto r =
        raw("GET /echo/a%20b/../c?x=1&y=%20 HTTP/1.1\r\n"
            "Host: example.test:8123\r\n"
            "X-Multi: one\r\n"
            "User-Agent: raw-test\r\n"
            "X_Forwarded_For: evil\r\n"
            "X-Multi: two\r\n"
            "X-Forwarded-For: 10.0.0.1\r\n"
            "X-Multi: three\r\n"
            "\r\n");
    ASSERT_EQ(r.status, 200) << r.head << r.body;
    const EchoResult echo = parseEcho(r.body);
    EXPECT_EQ(echo.env("SCRIPT_NAME"), "/echo");
    EXPECT_EQ(echo.env("PATH_INFO"), "/c");
    EXPECT_EQ(echo.env("QUERY_STRING"), "x=1&y=%20");
    EXPECT_EQ(echo.env("REQUEST_URI"), "/echo/a%20b/../c?x=1&y=%20");
    EXPECT_EQ(echo.env("SERVER_PROTOCOL"), "HTTP/1.1");
    EXPECT_EQ(echo.env("SERVER_NAME"), "example.test");
    EXPECT_EQ(echo.env("SERVER_PORT"), std::to_string(port()));
    EXPECT_EQ(echo.env("REMOTE_ADDR"), "127.0.0.1");
    EXPECT_TRUE(echo.env("REMOTE_PORT").has_value());
    EXPECT_EQ(echo.env("gateway.url_scheme"), "http");
    EXPECT_EQ(echo.env("gateway.version"), "1.1");
    EXPECT_EQ(echo.env("gateway.input_terminated"), "1");
    EXPECT_EQ(echo.env("CONTENT_LENGTH"), std::nullopt) << "no body, no CONTENT_LENGTH";
    EXPECT_EQ(echo.env("CONTENT_TYPE"), std::nullopt);
    // Headers: repeats joined with ", " in order; a name with '_' is dropped entirely.
    EXPECT_EQ(echo.env("HTTP_X_MULTI"), "one, two, three");
    EXPECT_EQ(echo.env("HTTP_USER_AGENT"), "raw-test");
    EXPECT_EQ(echo.env("HTTP_HOST"), "example.test:8123");
    EXPECT_EQ(echo.env("HTTP_X_FORWARDED_FOR"), "10.0.0.1");
    std::vector<std::string> names;
    echo.environ->getNames(names);
    for (const auto& name : names) {
        EXPECT_EQ(echo.env(name)->find("evil"), std::string::npos)
            << name << " carries the value of X_Forwarded_For";
        static const std::set<std::string> kCgiNames = {
            "REQUEST_METHOD", "SCRIPT_NAME",     "PATH_INFO",      "QUERY_STRING",
            "REQUEST_URI",    "CONTENT_TYPE",    "CONTENT_LENGTH", "SERVER_NAME",
            "SERVER_PORT",    "SERVER_PROTOCOL", "REMOTE_ADDR",    "REMOTE_PORT"};
        const bool known = name.rfind("HTTP_", 0) == 0 || name.rfind("gateway.", 0) == 0 ||
                           kCgiNames.count(name) > 0;
        EXPECT_TRUE(known) << "environ name outside the SPEC: " << name;
    }
}

TEST_F(AppsExamples, DotSegmentsAboveTheMountNeverReachEcho) {
    ASSERT_TRUE(startApps());
    for (const char* target : {"/echo/../secret", "/echo/%2E%2E/secret", "/echo/a/../../secret"}) {
        SCOPED_TRACE(target);
        const auto r = raw(httpRequest("GET", target));
        EXPECT_EQ(r.status, 404) << r.head << r.body;
        EXPECT_EQ(r.body.find("\"environ\""), std::string::npos) << "echo answered: " << r.body;
        EXPECT_EQ(r.body.find(secret()), std::string::npos);
    }
}

// --- echo: request bodies ----------------------------------------------------------------------

TEST_F(AppsExamples, EchoHashesAContentLengthBody) {
    ASSERT_TRUE(startApps());
    const std::string body = patternBytes(200000, 7);
    const auto r =
        fetch(port(), "POST", "/echo/upload", {{"Content-Type", "application/octet-stream"}}, body);
    ASSERT_EQ(r.status, 200) << r.body;
    const EchoResult echo = parseEcho(r.body);
    EXPECT_EQ(echo.bodyLength, body.size());
    EXPECT_EQ(echo.bodySha256, sha256Hex(body));
    EXPECT_EQ(echo.env("CONTENT_LENGTH"), std::to_string(body.size()));
    EXPECT_EQ(echo.env("CONTENT_TYPE"), "application/octet-stream");
    EXPECT_EQ(echo.env("REQUEST_METHOD"), "POST");
    EXPECT_EQ(echo.env("HTTP_CONTENT_LENGTH"), std::nullopt);
    EXPECT_EQ(echo.env("HTTP_CONTENT_TYPE"), std::nullopt);
}

TEST_F(AppsExamples, EchoHashesAChunkedBody) {
    ASSERT_TRUE(startApps());
    const std::string body = patternBytes(150001, 9);
    auto session = makeSession(port());
    Poco::Net::HTTPRequest request("PUT", "/echo", Poco::Net::HTTPMessage::HTTP_1_1);
    request.setChunkedTransferEncoding(true);
    request.setContentType("application/x-test");
    std::ostream& out = session->sendRequest(request);
    for (std::size_t at = 0; at < body.size(); at += 10000)
        out << body.substr(at, 10000) << std::flush;  // several chunks
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    std::string json;
    Poco::StreamCopier::copyToString(in, json);
    ASSERT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK) << json;
    const EchoResult echo = parseEcho(json);
    EXPECT_EQ(echo.bodyLength, body.size());
    EXPECT_EQ(echo.bodySha256, sha256Hex(body));
    EXPECT_EQ(echo.env("CONTENT_LENGTH"), std::nullopt) << "chunked: no CONTENT_LENGTH";
    EXPECT_EQ(echo.env("HTTP_TRANSFER_ENCODING"), "chunked");
    EXPECT_EQ(echo.env("CONTENT_TYPE"), "application/x-test");
    EXPECT_EQ(echo.env("REQUEST_METHOD"), "PUT");
}

TEST_F(AppsExamples, HundredMiBChunkedUploadStreamsInBoundedMemory) {
    // --workers 0: the process that reads the body is the one whose VmHWM is checked.
    ASSERT_TRUE(startApps("[app.echo]\nbody_limit = 128m\n", {"--workers", "0"}));
    // What the upload adds to the high-water mark counts, not what the process (every example
    // app loaded, a sanitizer's shadow memory) takes before it.
    const std::uint64_t before = peakRssKiB(gateway().pid());
    ASSERT_GT(before, 0u) << "cannot read VmHWM of pid " << gateway().pid();
    constexpr std::size_t kTotal = 100u << 20;
    constexpr std::size_t kPiece = 64u << 10;
    RawClient client(port());
    client.send(
        "POST /echo/big HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/octet-stream\r\n\r\n");
    ByteGenerator generator;
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    std::string piece(kPiece, '\0');
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", kPiece);
    for (std::size_t sent = 0; sent < kTotal; sent += kPiece) {
        generator.fill(piece);
        sha.update(piece);
        client.send(size, 30s);
        client.send(piece, 30s);
        client.send("\r\n", 30s);
    }
    client.send("0\r\n\r\n");
    const auto r = client.readResponse(false, 60s);
    ASSERT_EQ(r.status, 200) << r.head << r.body;
    const EchoResult echo = parseEcho(r.body);
    EXPECT_EQ(echo.bodyLength, kTotal);
    EXPECT_EQ(echo.bodySha256, Poco::DigestEngine::digestToHex(sha.digest()));
    const std::uint64_t peak = peakRssKiB(gateway().pid());
    EXPECT_LT(peak - before, 48u * 1024)
        << "the upload of 100 MiB raised the gateway's peak RSS "
        << "from " << before / 1024 << " to " << peak / 1024 << " MiB";
    RecordProperty("gateway_peak_rss_kib", std::to_string(peak));
}

TEST_F(AppsExamples, ExpectContinueGets100BeforeTheAnswer) {
    ASSERT_TRUE(startApps());
    RawClient client(port());
    client.send(
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 11\r\n"
        "Expect: 100-continue\r\n\r\n");
    const auto interim = client.readResponse();
    EXPECT_EQ(interim.status, 100) << interim.head;
    EXPECT_EQ(interim.head, "HTTP/1.1 100 Continue\r\n\r\n");
    client.send("hello world");
    const auto r = client.readResponse();
    ASSERT_EQ(r.status, 200) << r.head << r.body;
    const EchoResult echo = parseEcho(r.body);
    EXPECT_EQ(echo.bodyLength, 11u);
    EXPECT_EQ(echo.bodySha256, sha256Hex("hello world"));
}

TEST_F(AppsExamples, BodyOverTheMountLimitIs413) {
    ASSERT_TRUE(startApps("[app.echo]\nbody_limit = 1k\n"));
    const std::string big(2048, 'x');
    {
        SCOPED_TRACE("Content-Length with 100-continue: 413 instead of 100");
        RawClient client(port());
        client.send(
            "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 2048\r\n"
            "Expect: 100-continue\r\n\r\n");
        EXPECT_EQ(client.readResponse().status, 413);
    }
    {
        SCOPED_TRACE("Content-Length");
        const auto r = raw(httpRequest("POST", "/echo", "Content-Length: 2048\r\n") + big);
        EXPECT_EQ(r.status, 413) << r.head << r.body;
    }
    {
        SCOPED_TRACE("within the limit");
        const auto r =
            raw(httpRequest("POST", "/echo", "Content-Length: 1024\r\n") + big.substr(0, 1024));
        EXPECT_EQ(r.status, 200) << r.head << r.body;
    }
    // The limit is the mount's, not the server's: hello_c takes the same 2 KiB body.
    const auto other = raw(httpRequest("POST", "/hello_c", "Content-Length: 2048\r\n") + big);
    EXPECT_EQ(other.status, 200);
}

TEST_F(AppsExamples, ChunkedBodyOverTheMountLimitIs413) {
    ASSERT_TRUE(startApps("[app.echo]\nbody_limit = 1k\n"));
    const std::string big(2048, 'x');
    const auto r =
        raw(httpRequest("POST", "/echo", "Transfer-Encoding: chunked\r\n") + chunked(big, 512));
    EXPECT_EQ(r.status, 413) << r.head << r.body;
    const auto small = raw(httpRequest("POST", "/echo", "Transfer-Encoding: chunked\r\n") +
                           chunked(big.substr(0, 1000), 512));
    EXPECT_EQ(small.status, 200) << small.head << small.body;
}

TEST_F(AppsExamples, ChunkedBodyOverTheServerMaxBodyIs413) {
    // Without a body_limit, a mount's limit is --max-body.
    ASSERT_TRUE(startApps("", {"--max-body", "1k"}));
    const auto r = raw(httpRequest("POST", "/echo", "Transfer-Encoding: chunked\r\n") +
                       chunked(std::string(2048, 'y'), 512));
    EXPECT_EQ(r.status, 413) << r.head << r.body;
}

// --- pipelining --------------------------------------------------------------------------------

TEST_F(AppsExamples, PipelinedRequestsToAppsAreAnsweredInOrder) {
    ASSERT_TRUE(startApps());
    std::string batch;
    for (int i = 0; i < 3; ++i) batch += httpRequest("GET", "/hello?i=" + std::to_string(i));
    batch += httpRequest("POST", "/echo/p?n=4", "Content-Length: 5\r\n") + "abcde";
    batch += httpRequest("GET", "/hello_c");
    batch += httpRequest("GET", "/echo/last");
    RawClient client(port());
    client.send(batch);
    for (int i = 0; i < 3; ++i) {
        const auto r = client.readResponse();
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, kHello) << "response " << i;
    }
    const auto post = client.readResponse();
    ASSERT_EQ(post.status, 200) << post.head << post.body;
    const EchoResult echo = parseEcho(post.body);
    EXPECT_EQ(echo.env("REQUEST_METHOD"), "POST");
    EXPECT_EQ(echo.env("QUERY_STRING"), "n=4");
    EXPECT_EQ(echo.bodyLength, 5u);
    EXPECT_EQ(echo.bodySha256, sha256Hex("abcde"));
    const auto helloC = client.readResponse();
    EXPECT_EQ(helloC.body, kHello);
    const auto last = client.readResponse();
    ASSERT_EQ(last.status, 200);
    EXPECT_EQ(parseEcho(last.body).env("PATH_INFO"), "/last");
    EXPECT_FALSE(client.closed());
}

// --- stream ------------------------------------------------------------------------------------

TEST_F(AppsExamples, StreamChunksArriveAsTheyAreProduced) {
    ASSERT_TRUE(startApps());
    RawClient client(port());
    const auto start = Clock::now();
    client.send(httpRequest("GET", "/stream?n=5&delay_ms=200"));
    const auto deadline = start + 20s;
    auto left = [&] { return std::chrono::duration_cast<RawClient::Ms>(deadline - Clock::now()); };

    // The head, then each HTTP chunk as soon as it is complete, with its arrival time.
    std::size_t at = 0;
    while ((at = client.buffered().find("\r\n\r\n")) == std::string::npos) {
        ASSERT_FALSE(client.closed()) << client.buffered();
        ASSERT_GT(left().count(), 0) << "no head";
        client.readAtLeast(1, left());
    }
    const std::string head = client.buffered().substr(0, at + 4);
    EXPECT_EQ(head.rfind("HTTP/1.1 200 ", 0), 0u) << head;
    EXPECT_NE(head.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << head;
    EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
    at += 4;

    std::vector<std::string> chunks;
    std::vector<Clock::time_point> arrivals;
    for (;;) {
        const std::string& buf = client.buffered();
        const std::size_t eol = buf.find("\r\n", at);
        if (eol != std::string::npos) {
            const std::size_t size = std::stoul(buf.substr(at, eol - at), nullptr, 16);
            if (buf.size() >= eol + 2 + size + 2) {
                ASSERT_EQ(buf.substr(eol + 2 + size, 2), "\r\n") << "bad chunk framing";
                if (size == 0) break;
                chunks.push_back(buf.substr(eol + 2, size));
                arrivals.push_back(Clock::now());
                at = eol + 2 + size + 2;
                continue;
            }
        }
        ASSERT_FALSE(client.closed()) << "closed mid-body: " << buf;
        ASSERT_GT(left().count(), 0) << "body incomplete: " << buf;
        client.readAtLeast(1, left());
    }
    ASSERT_EQ(chunks.size(), 5u);
    for (std::size_t i = 0; i < chunks.size(); ++i)
        EXPECT_EQ(chunks[i], "chunk " + std::to_string(i) + "\n") << "one HTTP chunk per line";
    // Four 200 ms pauses separate the first chunk from the last; a server that buffered the body
    // would deliver them all at once.
    const auto spread =
        std::chrono::duration_cast<std::chrono::milliseconds>(arrivals.back() - arrivals.front());
    EXPECT_GE(spread.count(), 400) << "the chunks arrived together, not as produced";
    EXPECT_LT(arrivals.front() - start, arrivals.back() - start);

    // Keep-alive after a chunked body.
    client.send(httpRequest("GET", "/hello"));
    client.takeBuffered();
    EXPECT_EQ(client.readResponse().body, kHello);
}

TEST_F(AppsExamples, StreamIsCloseDelimitedOnHttp10) {
    ASSERT_TRUE(startApps());
    RawClient client(port());
    client.send(httpRequest("GET", "/stream?n=3&delay_ms=10", "", "HTTP/1.0"));
    const std::string bytes = client.readUntilClose(10s);
    ASSERT_TRUE(client.closed()) << bytes;
    RawResponse r;
    ASSERT_GT(RawResponse::parse(bytes, false, true, r), 0u) << bytes;
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.header("Transfer-Encoding").has_value()) << r.head;
    EXPECT_FALSE(r.header("Content-Length").has_value()) << r.head;
    EXPECT_EQ(r.body, "chunk 0\nchunk 1\nchunk 2\n");
}

// --- form --------------------------------------------------------------------------------------

TEST_F(AppsExamples, FormGetShowsAForm) {
    ASSERT_TRUE(startApps());
    const auto r = fetch(port(), "GET", "/form");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(r.body.find("<form method=\"post\" action=\"/form\""), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("enctype=\"multipart/form-data\""), std::string::npos);
    EXPECT_NE(r.body.find("type=\"file\""), std::string::npos);
}

TEST_F(AppsExamples, FormPostShowsFieldsHtmlEscaped) {
    ASSERT_TRUE(startApps());
    const auto r =
        fetch(port(), "POST", "/form", {{"Content-Type", "application/x-www-form-urlencoded"}},
              "name=%3Cb%3Ebold%3C%2Fb%3E&message=tom+%26+%22jerry%22");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("&lt;b&gt;bold&lt;/b&gt;"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("<b>"), std::string::npos) << "unescaped markup: " << r.body;
    EXPECT_NE(r.body.find("tom &amp; &quot;jerry&quot;"), std::string::npos) << r.body;
}

TEST_F(AppsExamples, FormMultipartUploadWithCurlShowsSizeAndSha256) {
    ASSERT_TRUE(startApps());
    const std::string content = patternBytes(70001, 3);
    const auto file = root() / "upload.bin";
    writeFile(file, content);
    const auto result = Subprocess::run(
        {"curl", "-sS", "--max-time", "20", "-F", "file=@" + file.string(), "--form-string",
         "title=<i>x</i>", "http://127.0.0.1:" + std::to_string(port()) + "/form"},
        30s);
    ASSERT_TRUE(exitedWith(result.status, 0)) << result.err;
    const std::string& html = result.out;
    EXPECT_NE(html.find("<td>70001</td>"), std::string::npos) << html;
    EXPECT_NE(html.find(sha256Hex(content)), std::string::npos) << html;
    EXPECT_NE(html.find("upload.bin"), std::string::npos) << html;
    EXPECT_NE(html.find("&lt;i&gt;x&lt;/i&gt;"), std::string::npos) << html;
    EXPECT_EQ(html.find("<i>"), std::string::npos) << html;
}

// --- config ------------------------------------------------------------------------------------

TEST_F(AppsExamples, ConfigMountsHelloAtTwoPrefixesOnly) {
    ASSERT_TRUE(startApps("[app.hello]\nmount = /hi, /hey\n"));
    EXPECT_EQ(fetch(port(), "GET", "/hi").body, kHello);
    EXPECT_EQ(fetch(port(), "GET", "/hey/there").body, kHello);
    EXPECT_EQ(fetch(port(), "GET", "/hello").status, 404);
    EXPECT_EQ(fetch(port(), "GET", "/hello_c").body, kHello) << "the other apps are unaffected";
}

TEST_F(AppsExamples, DisabledAppIsUnmounted) {
    ASSERT_TRUE(startApps("[app.hello]\ndisabled = true\n"));
    EXPECT_EQ(fetch(port(), "GET", "/hello").status, 404);
    EXPECT_EQ(fetch(port(), "GET", "/hello_c").body, kHello);
}

TEST_F(AppsExamples, TwoPluginsOnOneMountFailStartUpNamingBoth) {
    const auto apps = root() / "apps";
    std::filesystem::create_directories(apps);
    for (const char* name : {"hello.so", "hello_c.so"})
        std::filesystem::copy_file(std::filesystem::path(GATEWAY_APPS_DIR) / name, apps / name);
    writeFile(root() / "gateway.ini", "[app.hello_c]\nmount = /hello\n");
    const auto result =
        Subprocess::run({GatewayProcess::binary(), "--port", "0", "--docroot", docroot().string(),
                         "--apps", apps.string(), "--config", (root() / "gateway.ini").string()},
                        20s);
    const std::string output = result.out + result.err;
    ASSERT_TRUE(result.status.has_value()) << "still running after 20 s:\n" << output;
    EXPECT_FALSE(exitedWith(result.status, 0)) << output;
    EXPECT_TRUE(WIFEXITED(*result.status)) << Subprocess::describe(*result.status);
    EXPECT_NE(output.find((apps / "hello.so").string()), std::string::npos) << output;
    EXPECT_NE(output.find((apps / "hello_c.so").string()), std::string::npos) << output;
    EXPECT_NE(output.find("/hello"), std::string::npos) << output;
}

}  // namespace
