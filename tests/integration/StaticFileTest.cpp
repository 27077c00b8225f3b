// Static files: GET/HEAD headers and bodies, index.html, /dir → 301, 404 (+ 404.html), 405, MIME.
#include <gtest/gtest.h>

#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"

using namespace gateway::test;
using namespace std::chrono_literals;

namespace {

const std::string kIndex = "<!doctype html><title>home</title><p>Hello from the docroot</p>\n";

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

class StaticFile : public GatewayFixture {
protected:
    void SetUp() override {
        writeDoc("index.html", kIndex);
        writeDoc("docs/index.html", "<p>docs</p>\n");
        writeDoc("empty-dir/.keep-out", "dotfile\n");
        writeDoc("hello.txt", "hello, world\n");
        for (const char* name :
             {"style.css", "app.js", "logo.png", "data.json", "icon.svg", "blob.zzzunknown"}) {
            writeDoc(name, "x");
        }
        ASSERT_TRUE(startGateway());
    }
};

TEST_F(StaticFile, GetHasBodyAndEveryHeader) {
    const FetchResult r = fetch(port(), "GET", "/index.html");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, kIndex);
    EXPECT_EQ(r.header("Content-Length"), std::to_string(kIndex.size()));
    EXPECT_TRUE(startsWith(lower(r.header("Content-Type")), "text/html"))
        << r.header("Content-Type");
    EXPECT_NE(lower(r.header("Content-Type")).find("charset=utf-8"), std::string::npos)
        << r.header("Content-Type");
    EXPECT_TRUE(startsWith(r.header("Server"), "gateway/")) << r.header("Server");
    EXPECT_TRUE(startsWith(r.header("ETag"), "\"")) << "want a strong ETag: " << r.header("ETag");
    EXPECT_EQ(r.header("Last-Modified"), kFixedMtimeHttp);
    EXPECT_EQ(r.header("Accept-Ranges"), "bytes");

    int tzd = 0;
    Poco::DateTime date;
    ASSERT_TRUE(Poco::DateTimeParser::tryParse(r.header("Date"), date, tzd)) << r.header("Date");
    const auto skew = (Poco::Timestamp() - date.timestamp()) / Poco::Timestamp::resolution();
    EXPECT_LE(std::abs(skew), 5) << "Date is off by " << skew << " s: " << r.header("Date");
}

TEST_F(StaticFile, HeadHasTheSameHeadersAndNoBody) {
    const FetchResult get = fetch(port(), "GET", "/index.html");
    RawClient client(port());
    client.send(httpRequest("HEAD", "/index.html", "Connection: close\r\n"));
    const RawResponse head = client.readResponse(/*headRequest=*/true);
    EXPECT_EQ(head.status, 200);
    for (const char* name : {"Content-Length", "Content-Type", "ETag", "Last-Modified"}) {
        EXPECT_EQ(head.header(name).value_or("<absent>"), get.header(name)) << name;
    }
    EXPECT_TRUE(client.waitClosed()) << "Connection: close was not honoured";
    EXPECT_EQ(client.buffered(), "") << "HEAD response carried body bytes";
}

TEST_F(StaticFile, SlashServesIndexHtml) {
    const FetchResult r = fetch(port(), "GET", "/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, kIndex);
    EXPECT_EQ(fetch(port(), "GET", "/docs/").body, "<p>docs</p>\n");
}

TEST_F(StaticFile, DirectoryWithoutSlashRedirects) {
    const FetchResult r = fetch(port(), "GET", "/docs");
    EXPECT_EQ(r.status, 301);
    const std::string location = r.header("Location");
    const bool endsWithDocsSlash =
        location.size() >= 6 && location.compare(location.size() - 6, 6, "/docs/") == 0;
    EXPECT_TRUE(endsWithDocsSlash) << "Location: " << location;
}

TEST_F(StaticFile, DirectoryWithoutIndexIsNotListed) {
    const FetchResult r = fetch(port(), "GET", "/empty-dir/");
    EXPECT_TRUE(r.status == 403 || r.status == 404) << r.status;
    EXPECT_EQ(r.body.find(".keep-out"), std::string::npos) << "directory listing leaked:\n"
                                                           << r.body;
}

TEST_F(StaticFile, MissingFileIsHtml404) {
    const FetchResult r = fetch(port(), "GET", "/no/such/file.txt");
    EXPECT_EQ(r.status, 404);
    EXPECT_TRUE(startsWith(lower(r.header("Content-Type")), "text/html"))
        << r.header("Content-Type");
    EXPECT_FALSE(r.body.empty());
    EXPECT_EQ(r.header("Content-Length"), std::to_string(r.body.size()));
    EXPECT_TRUE(startsWith(r.header("Server"), "gateway/"));
    EXPECT_FALSE(r.header("Date").empty());
}

class NotFoundPage : public GatewayFixture {};

TEST_F(NotFoundPage, UsesDocroot404Html) {
    const std::string custom = "<h1>Custom not found page</h1>\n";
    writeDoc("404.html", custom);
    ASSERT_TRUE(startGateway());
    const FetchResult r = fetch(port(), "GET", "/nothing-here");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, custom);
}

class StaticMethod : public StaticFile, public ::testing::WithParamInterface<std::string> {};

TEST_P(StaticMethod, IsRefusedWith405AndAllow) {
    const FetchResult r = fetch(port(), GetParam(), "/hello.txt");
    EXPECT_EQ(r.status, 405);
    const std::string allow = r.header("Allow");
    EXPECT_NE(allow.find("GET"), std::string::npos) << "Allow: " << allow;
    EXPECT_NE(allow.find("HEAD"), std::string::npos) << "Allow: " << allow;
    EXPECT_EQ(fetch(port(), "GET", "/hello.txt").body, "hello, world\n") << "file was modified";
}

INSTANTIATE_TEST_SUITE_P(StaticFile, StaticMethod, ::testing::Values("POST", "PUT", "DELETE"),
                         [](const auto& info) { return info.param; });

struct MimeCase {
    std::string name;
    std::string file;
    std::vector<std::string> acceptable;  ///< Content-Type prefixes (lower case)
};

void PrintTo(const MimeCase& c, std::ostream* os) {
    *os << c.name;
}

class Mime : public StaticFile, public ::testing::WithParamInterface<MimeCase> {};

TEST_P(Mime, ContentTypeFromExtension) {
    const std::string type =
        lower(fetch(port(), "GET", "/" + GetParam().file).header("Content-Type"));
    bool ok = false;
    for (const auto& prefix : GetParam().acceptable) ok |= startsWith(type, prefix);
    EXPECT_TRUE(ok) << GetParam().file << " → " << type;
}

INSTANTIATE_TEST_SUITE_P(
    StaticFile, Mime,
    ::testing::Values(MimeCase{"Css", "style.css", {"text/css"}},
                      MimeCase{"Js", "app.js", {"text/javascript", "application/javascript"}},
                      MimeCase{"Png", "logo.png", {"image/png"}},
                      MimeCase{"Json", "data.json", {"application/json"}},
                      MimeCase{"Svg", "icon.svg", {"image/svg+xml"}},
                      MimeCase{
                          "UnknownExtension", "blob.zzzunknown", {"application/octet-stream"}}),
    [](const auto& info) { return info.param.name; });
