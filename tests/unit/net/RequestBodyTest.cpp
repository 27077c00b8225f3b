#include "gateway/net/RequestBody.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "gateway/net/UnreadBody.h"

namespace gateway {
namespace {

/// Bodies larger than this go to the temporary file (the server's default is larger).
constexpr std::size_t kMemoryLimit = 64 * 1024;

/// A body as it arrives after the head, what it decodes to, and what follows it (the next
/// pipelined request, which the body must leave unconsumed).
struct BodyCase {
    const char* name;
    bool chunked;
    std::int64_t contentLength;
    std::string wire;
    std::string decoded;
    std::string next;
    std::uint64_t limit = 1 << 20;
    int errorStatus = 0;  ///< 0 = Done
};

void PrintTo(const BodyCase& c, std::ostream* out) {
    *out << c.name;
}

Request requestFor(const BodyCase& c) {
    Request request;
    request.chunked = c.chunked;
    request.contentLength = c.chunked ? -1 : c.contentLength;
    return request;
}

std::string readAll(RequestBody& body) {
    std::string out;
    char buffer[7];  // small on purpose: many reads
    for (;;) {
        const std::ptrdiff_t n = body.read(buffer, sizeof buffer);
        EXPECT_GE(n, 0);
        if (n <= 0) return out;
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

/// Feeds `input` in pieces as split by `cuts`; returns the bytes left unconsumed at Done/Error.
std::string feedPieces(RequestBody& body, const std::string& input,
                       const std::vector<std::size_t>& cuts, RequestBody::Status& status) {
    std::string pending;
    std::size_t from = 0;
    status = RequestBody::Status::NeedMore;
    std::vector<std::size_t> ends = cuts;
    ends.push_back(input.size());
    for (const std::size_t to : ends) {
        pending += input.substr(from, to - from);
        from = to;
        if (status != RequestBody::Status::NeedMore) continue;
        std::size_t used = 0;
        status = body.feed(pending, used);
        pending.erase(0, used);
    }
    return pending;
}

class RequestBodyTable : public testing::TestWithParam<BodyCase> {
protected:
    void check(const std::vector<std::size_t>& cuts, bool store) {
        const BodyCase& c = GetParam();
        RequestBody body;
        body.start(requestFor(c), c.limit, store, kMemoryLimit);
        RequestBody::Status status;
        const std::string rest = feedPieces(body, c.wire + c.next, cuts, status);
        if (c.errorStatus) {
            EXPECT_EQ(status, RequestBody::Status::Error);
            EXPECT_EQ(body.errorStatus(), c.errorStatus);
            return;
        }
        ASSERT_EQ(status, RequestBody::Status::Done) << body.errorReason();
        EXPECT_EQ(rest, c.next);
        EXPECT_EQ(body.size(), c.decoded.size());
        EXPECT_EQ(readAll(body), store ? c.decoded : "");
    }
};

TEST_P(RequestBodyTable, Whole) {
    check({}, true);
}

TEST_P(RequestBodyTable, ByteByByte) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < GetParam().wire.size() + GetParam().next.size(); ++i)
        cuts.push_back(i);
    check(cuts, true);
}

TEST_P(RequestBodyTable, EverySplit) {
    for (std::size_t at = 1; at < GetParam().wire.size() + GetParam().next.size(); ++at) {
        SCOPED_TRACE(at);
        check({at}, true);
    }
}

TEST_P(RequestBodyTable, DiscardedBodiesAreFramedAlike) {
    check({}, false);
}

const std::string kBig(kMemoryLimit * 3 + 11, 'z');

INSTANTIATE_TEST_SUITE_P(
    Bodies, RequestBodyTable,
    testing::Values(
        BodyCase{"ContentLength", false, 5, "hello", "hello", "GET / HTTP/1.1\r\n\r\n"},
        BodyCase{"ContentLengthNothingFollows", false, 3, "abc", "abc", ""},
        BodyCase{"Chunked", true, -1, "5\r\nhello\r\n1;x=y\r\n!\r\n0\r\n\r\n", "hello!",
                 "GET /x HTTP/1.1\r\n\r\n"},
        BodyCase{"ChunkDataLooksLikeARequest", true, -1,
                 "17\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n\r\n0\r\n\r\n",
                 "0\r\n\r\nGET / HTTP/1.1\r\n\r\n", "GET /n HTTP/1.1\r\n\r\n"},
        BodyCase{"Trailers", true, -1, "2\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n", "ok", "NEXT"},
        BodyCase{"ChunkedAtTheLimit", true, -1, "4\r\nabcd\r\n0\r\n\r\n", "abcd", "", 4},
        BodyCase{"ChunkedPastTheLimit", true, -1, "4\r\nabcd\r\n1\r\ne\r\n0\r\n\r\n", "", "", 4,
                 413},
        BodyCase{"ChunkOfTwoToThe63", true, -1, "8000000000000000\r\n", "", "", 1 << 20, 413},
        BodyCase{"BadChunkSize", true, -1, "0_2e\r\n\r\n", "", "", 1 << 20, 400},
        BodyCase{"DataWithoutCrlf", true, -1, "2\r\nokXX0\r\n\r\n", "", "", 1 << 20, 400}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(RequestBody, LargeBodiesMoveToATemporaryFileAndReadBackIntact) {
    std::string wire;
    for (std::size_t at = 0; at < kBig.size(); at += 1000) {
        const std::string part = kBig.substr(at, 1000);
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", part.size());
        wire += size + part + "\r\n";
    }
    wire += "0\r\n\r\n";
    for (const bool chunked : {false, true}) {
        SCOPED_TRACE(chunked ? "chunked" : "Content-Length");
        Request request;
        request.chunked = chunked;
        request.contentLength = chunked ? -1 : static_cast<std::int64_t>(kBig.size());
        RequestBody body;
        body.start(request, 1 << 20, true, kMemoryLimit);
        std::size_t used = 0;
        EXPECT_EQ(body.feed(chunked ? wire : kBig, used), RequestBody::Status::Done);
        EXPECT_EQ(body.size(), kBig.size());
        EXPECT_EQ(readAll(body), kBig);
        EXPECT_EQ(body.read(nullptr, 0), 0);
    }
}

TEST(RequestBody, ContentLengthBodyInMemoryIsReadIntoItsPlace) {
    // What the loop does with a socket: read into space(), commit() what arrived.
    const std::string text = "a body read without a copy";
    Request request;
    request.contentLength = static_cast<std::int64_t>(text.size());
    RequestBody body;
    body.start(request, 1 << 20, true, kMemoryLimit);
    std::size_t at = 0;
    for (const std::size_t piece : {1u, 5u, 20u}) {
        const std::span<char> space = body.space();
        ASSERT_EQ(space.size(), text.size() - at);
        const std::size_t n = std::min(piece, space.size());
        std::memcpy(space.data(), text.data() + at, n);
        at += n;
        EXPECT_EQ(body.commit(n),
                  at == text.size() ? RequestBody::Status::Done : RequestBody::Status::NeedMore);
    }
    EXPECT_TRUE(body.space().empty());
    EXPECT_EQ(readAll(body), text);
}

TEST(RequestBody, OnlyContentLengthBodiesKeptInMemoryOfferSpace) {
    Request big, chunked;
    big.contentLength = static_cast<std::int64_t>(kMemoryLimit) + 1;
    chunked.chunked = true;
    RequestBody body;
    body.start(big, 1 << 20, true, kMemoryLimit);
    EXPECT_TRUE(body.space().empty());  // goes to the file, through feed()
    body.start(chunked, 1 << 20, true, kMemoryLimit);
    EXPECT_TRUE(body.space().empty());
    Request small;
    small.contentLength = 10;
    body.start(small, 1 << 20, false, kMemoryLimit);
    EXPECT_TRUE(body.space().empty());  // not stored
}

TEST(RequestBody, ClearForgetsTheBody) {
    Request request;
    request.contentLength = 3;
    RequestBody body;
    body.start(request, 10, true, kMemoryLimit);
    std::size_t used = 0;
    ASSERT_EQ(body.feed("abc", used), RequestBody::Status::Done);
    body.clear();
    EXPECT_EQ(body.size(), 0u);
    char buffer[4];
    EXPECT_EQ(body.read(buffer, sizeof buffer), 0);
}

TEST(MinimumBodyRate, AppliesOnlyAfterTheGracePeriod) {
    EXPECT_FALSE(belowMinimumRate(0, kMinRateGraceMs, 1024));  // still in its grace
    EXPECT_TRUE(belowMinimumRate(0, kMinRateGraceMs + 1, 1024));
    EXPECT_TRUE(belowMinimumRate(10 * 1024, 11000, 1024));  // 931 B/s
    EXPECT_FALSE(belowMinimumRate(12 * 1024, 11000, 1024));
    EXPECT_FALSE(belowMinimumRate(0, 1000000, 0));  // 0 = no minimum
}

}  // namespace
}  // namespace gateway
