// Range requests against a binary file: 206 + Content-Range + exact bytes, 416, multi-range.
#include <gtest/gtest.h>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/Subprocess.h"

using namespace gateway::test;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kSize = 100000;

struct RangeCase {
    std::string name;
    std::string range;
    std::size_t first;  ///< expected first byte
    std::size_t last;   ///< expected last byte (inclusive)
};

void PrintTo(const RangeCase& c, std::ostream* os) {
    *os << c.name;
}

}  // namespace

class Range : public GatewayFixture {
protected:
    void SetUp() override {
        _content = patternBytes(kSize);
        writeDoc("data.bin", _content);
        ASSERT_TRUE(startGateway());
    }
    std::string _content;
};

class SingleRange : public Range, public ::testing::WithParamInterface<RangeCase> {};

TEST_P(SingleRange, Gives206WithExactBytes) {
    const RangeCase& c = GetParam();
    const FetchResult r = fetch(port(), "GET", "/data.bin", {{"Range", c.range}});
    ASSERT_EQ(r.status, 206) << c.range;
    EXPECT_EQ(r.header("Content-Range"), "bytes " + std::to_string(c.first) + "-" +
                                             std::to_string(c.last) + "/" + std::to_string(kSize));
    EXPECT_EQ(r.header("Content-Length"), std::to_string(c.last - c.first + 1));
    EXPECT_TRUE(r.body == _content.substr(c.first, c.last - c.first + 1))
        << "wrong bytes for " << c.range << " (got " << r.body.size() << " bytes)";
}

INSTANTIATE_TEST_SUITE_P(
    Range, SingleRange,
    ::testing::Values(RangeCase{"FirstTen", "bytes=0-9", 0, 9},
                      RangeCase{"Middle", "bytes=5000-5999", 5000, 5999},
                      RangeCase{"Suffix", "bytes=-500", kSize - 500, kSize - 1},
                      RangeCase{"OpenEnded", "bytes=99990-", 99990, kSize - 1},
                      RangeCase{"LastPastEndIsClamped", "bytes=99000-200000", 99000, kSize - 1},
                      RangeCase{"SuffixLargerThanFile", "bytes=-200000", 0, kSize - 1}),
    [](const auto& info) { return info.param.name; });

TEST_F(Range, UnsatisfiableGives416WithSize) {
    const FetchResult r = fetch(port(), "GET", "/data.bin", {{"Range", "bytes=100000-"}});
    EXPECT_EQ(r.status, 416);
    EXPECT_EQ(r.header("Content-Range"), "bytes */" + std::to_string(kSize));
}

TEST_F(Range, MultipleRangesGiveWholeFileOrMultipart) {
    const FetchResult r = fetch(port(), "GET", "/data.bin", {{"Range", "bytes=0-1,5-6"}});
    if (r.status == 200) {
        EXPECT_TRUE(r.body == _content) << "200 must carry the whole file";
    } else {
        EXPECT_EQ(r.status, 206);
        EXPECT_EQ(r.header("Content-Type").rfind("multipart/byteranges", 0), 0u);
    }
}

TEST_F(Range, MalformedRangeIsIgnored) {
    // RFC 9110 §14.2: a server MAY ignore a Range it cannot parse — the whole file, never an error.
    const FetchResult r = fetch(port(), "GET", "/data.bin", {{"Range", "bytes=abc"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body.size(), kSize);
}

TEST_F(Range, CurlRangeDownloadMatches) {
    const auto out = root() / "curl-range.out";
    const auto r = Subprocess::run(
        {"curl", "-sS", "--max-time", "10", "-r", "1000-1999", "-o", out.string(), "-w",
         "%{http_code}", "http://127.0.0.1:" + std::to_string(port()) + "/data.bin"},
        15s);
    ASSERT_TRUE(exitedWith(r.status, 0)) << r.err;
    EXPECT_EQ(r.out, "206");
    EXPECT_TRUE(readFile(out) == _content.substr(1000, 1000));
}
