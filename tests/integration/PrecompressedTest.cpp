// Precompressed siblings: file.gz served to clients that accept gzip, with Vary: Accept-Encoding.
#include <gtest/gtest.h>

#include <Poco/DeflatingStream.h>

#include <sstream>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/Subprocess.h"

using namespace gateway::test;
using namespace std::chrono_literals;

namespace {

std::string gzip(const std::string& data) {
    std::ostringstream out;
    Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    deflater << data;
    deflater.close();
    return out.str();
}

std::string makeScript() {
    std::string s;
    for (int i = 0; i < 400; ++i) s += "console.log('line " + std::to_string(i) + "');\n";
    return s;
}

}  // namespace

class Precompressed : public GatewayFixture {
protected:
    void SetUp() override {
        _plain = makeScript();
        _gz = gzip(_plain);
        writeDoc("app.js", _plain);
        writeDoc("app.js.gz", _gz);
        writeDoc("plain-only.txt", "no sibling here\n");
        ASSERT_TRUE(startGateway());
    }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port()) + path;
    }
    std::string _plain, _gz;
};

TEST_F(Precompressed, AcceptGzipGetsTheGzSibling) {
    const FetchResult r = fetch(port(), "GET", "/app.js", {{"Accept-Encoding", "gzip, deflate"}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Encoding"), "gzip");
    EXPECT_NE(r.header("Vary").find("Accept-Encoding"), std::string::npos) << r.header("Vary");
    EXPECT_EQ(r.header("Content-Length"), std::to_string(_gz.size()));
    EXPECT_TRUE(r.body == _gz);
    EXPECT_NE(r.header("Content-Type").find("javascript"), std::string::npos)
        << "the type is the original's, not application/gzip: " << r.header("Content-Type");
}

TEST_F(Precompressed, WithoutAcceptEncodingGetsIdentity) {
    const FetchResult r = fetch(port(), "GET", "/app.js");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("Content-Encoding")) << r.header("Content-Encoding");
    EXPECT_EQ(r.body, _plain);
    EXPECT_NE(r.header("Vary").find("Accept-Encoding"), std::string::npos)
        << "the identity variant must carry Vary too, or caches serve gzip to everyone";
}

TEST_F(Precompressed, GzipWithQZeroGetsIdentity) {
    const FetchResult r = fetch(port(), "GET", "/app.js", {{"Accept-Encoding", "gzip;q=0"}});
    EXPECT_FALSE(r.has("Content-Encoding"));
    EXPECT_EQ(r.body, _plain);
}

TEST_F(Precompressed, VariantsHaveDifferentETags) {
    const FetchResult gz = fetch(port(), "GET", "/app.js", {{"Accept-Encoding", "gzip"}});
    const FetchResult plain = fetch(port(), "GET", "/app.js");
    EXPECT_NE(gz.header("ETag"), plain.header("ETag"));
}

TEST_F(Precompressed, FileWithoutSiblingIsIdentity) {
    const FetchResult r = fetch(port(), "GET", "/plain-only.txt", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("Content-Encoding"));
    EXPECT_EQ(r.body, "no sibling here\n");
}

TEST_F(Precompressed, CurlCompressedDecodesToTheOriginal) {
    const auto out = root() / "curl.out";
    const auto r = Subprocess::run({"curl", "-sS", "--max-time", "10", "--compressed", "-D", "-",
                                    "-o", out.string(), url("/app.js")},
                                   15s);
    ASSERT_TRUE(exitedWith(r.status, 0)) << r.err;
    std::string headers = r.out;
    for (char& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(headers.find("content-encoding: gzip"), std::string::npos) << "headers:\n" << r.out;
    EXPECT_EQ(readFile(out), _plain);
}
