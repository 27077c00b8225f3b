// Preconditions (RFC 9110 §13.2.2): If-None-Match, If-Modified-Since, If-Match, If-Range.
#include <gtest/gtest.h>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"

using namespace gateway::test;

namespace {
const std::string kBody = "0123456789abcdefghijklmnopqrstuvwxyz\n";
}

class Conditional : public GatewayFixture {
protected:
    void SetUp() override {
        writeDoc("file.txt", kBody);
        ASSERT_TRUE(startGateway());
        const FetchResult r = fetch(port(), "GET", "/file.txt");
        ASSERT_EQ(r.status, 200);
        _etag = r.header("ETag");
        ASSERT_FALSE(_etag.empty()) << "no ETag";
    }
    std::string _etag;
};

TEST_F(Conditional, IfNoneMatchGives304WithoutBody) {
    RawClient client(port());
    client.send(
        httpRequest("GET", "/file.txt", "If-None-Match: " + _etag + "\r\nConnection: close\r\n"));
    const RawResponse r = client.readResponse();
    EXPECT_EQ(r.status, 304);
    EXPECT_EQ(r.header("ETag").value_or(""), _etag);
    EXPECT_TRUE(client.waitClosed());
    EXPECT_EQ(client.buffered(), "") << "a 304 must not carry a body";
}

TEST_F(Conditional, IfNoneMatchListAndStar) {
    EXPECT_EQ(fetch(port(), "GET", "/file.txt", {{"If-None-Match", "\"other\", " + _etag}}).status,
              304);
    EXPECT_EQ(fetch(port(), "GET", "/file.txt", {{"If-None-Match", "*"}}).status, 304);
    EXPECT_EQ(fetch(port(), "GET", "/file.txt", {{"If-None-Match", "\"other\""}}).status, 200);
}

TEST_F(Conditional, IfModifiedSinceGives304) {
    const FetchResult same =
        fetch(port(), "GET", "/file.txt", {{"If-Modified-Since", kFixedMtimeHttp}});
    EXPECT_EQ(same.status, 304);
    EXPECT_EQ(same.body, "");
    const FetchResult older =
        fetch(port(), "GET", "/file.txt", {{"If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}});
    EXPECT_EQ(older.status, 200);
    EXPECT_EQ(older.body, kBody);
}

TEST_F(Conditional, IfNoneMatchTakesPrecedenceOverIfModifiedSince) {
    // A non-matching If-None-Match means If-Modified-Since is ignored (§13.2.2 step 4).
    const FetchResult r =
        fetch(port(), "GET", "/file.txt",
              {{"If-None-Match", "\"other\""}, {"If-Modified-Since", kFixedMtimeHttp}});
    EXPECT_EQ(r.status, 200);
}

TEST_F(Conditional, IfMatchMismatchGives412) {
    EXPECT_EQ(fetch(port(), "GET", "/file.txt", {{"If-Match", "\"not-the-etag\""}}).status, 412);
    EXPECT_EQ(fetch(port(), "GET", "/file.txt", {{"If-Match", _etag}}).status, 200);
}

TEST_F(Conditional, IfUnmodifiedSinceInThePastGives412) {
    EXPECT_EQ(fetch(port(), "GET", "/file.txt",
                    {{"If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}})
                  .status,
              412);
}

TEST_F(Conditional, IfRangeMatchingGivesPartial) {
    const FetchResult r =
        fetch(port(), "GET", "/file.txt", {{"Range", "bytes=0-9"}, {"If-Range", _etag}});
    EXPECT_EQ(r.status, 206);
    EXPECT_EQ(r.body, kBody.substr(0, 10));
}

TEST_F(Conditional, IfRangeStaleGivesWholeFile) {
    const FetchResult r =
        fetch(port(), "GET", "/file.txt", {{"Range", "bytes=0-9"}, {"If-Range", "\"stale\""}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, kBody);
}

TEST_F(Conditional, ChangedFileGetsNewValidators) {
    // A new mtime and size must change the ETag once the cache revalidates (validity 0 here).
    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    ASSERT_TRUE(startGateway({"--file-cache-validity", "0"}));
    writeFile(docroot() / "file.txt", kBody + "more\n");
    const FetchResult r = fetch(port(), "GET", "/file.txt", {{"If-None-Match", _etag}});
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.header("ETag"), _etag);
    EXPECT_EQ(r.body, kBody + "more\n");
}
