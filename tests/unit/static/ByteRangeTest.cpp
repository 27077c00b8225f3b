#include "gateway/static/ByteRange.h"

#include <gtest/gtest.h>

#include <ostream>

namespace gateway {
namespace {

using Kind = ByteRange::Kind;

struct RangeCase {
    const char* name;
    const char* header;
    std::uint64_t size;
    Kind kind;
    std::uint64_t first;   // when Satisfiable
    std::uint64_t length;  // when Satisfiable
};

/// Lets ctest/gtest name a case by its name rather than dumping its bytes.
void PrintTo(const RangeCase& c, std::ostream* out) {
    *out << c.name;
}

const char* kindName(Kind kind) {
    switch (kind) {
        case Kind::Ignore:
            return "Ignore";
        case Kind::Satisfiable:
            return "Satisfiable";
        case Kind::Unsatisfiable:
            return "Unsatisfiable";
    }
    return "?";
}

class ParseRange : public testing::TestWithParam<RangeCase> {};

TEST_P(ParseRange, Decides) {
    const RangeCase& c = GetParam();
    ByteRange range = ByteRange::parse(c.header, c.size);
    ASSERT_STREQ(kindName(range.kind), kindName(c.kind));
    if (c.kind == Kind::Satisfiable) {
        EXPECT_EQ(range.first, c.first);
        EXPECT_EQ(range.length, c.length);
        EXPECT_LT(range.last(), c.size);
    }
}

INSTANTIATE_TEST_SUITE_P(
    ByteRange, ParseRange,
    testing::Values(
        RangeCase{"FirstHalf", "bytes=0-499", 1000, Kind::Satisfiable, 0, 500},
        RangeCase{"OpenEnded", "bytes=500-", 1000, Kind::Satisfiable, 500, 500},
        RangeCase{"Suffix", "bytes=-200", 1000, Kind::Satisfiable, 800, 200},
        RangeCase{"SuffixLongerThanFile", "bytes=-2000", 1000, Kind::Satisfiable, 0, 1000},
        RangeCase{"FirstByte", "bytes=0-0", 1000, Kind::Satisfiable, 0, 1},
        RangeCase{"LastByte", "bytes=999-999", 1000, Kind::Satisfiable, 999, 1},
        RangeCase{"EndClamped", "bytes=990-2000", 1000, Kind::Satisfiable, 990, 10},
        RangeCase{"HugeEndClamped", "bytes=0-99999999999999999999999", 1000, Kind::Satisfiable, 0,
                  1000},
        RangeCase{"UnitCaseInsensitive", "BYTES=0-1", 1000, Kind::Satisfiable, 0, 2},
        RangeCase{"Whitespace", "bytes= 0-1 ", 1000, Kind::Satisfiable, 0, 2},
        RangeCase{"EmptyListElement", "bytes=0-1,", 1000, Kind::Satisfiable, 0, 2},
        RangeCase{"StartAtEnd", "bytes=1000-", 1000, Kind::Unsatisfiable, 0, 0},
        RangeCase{"StartPastEnd", "bytes=1000-1001", 1000, Kind::Unsatisfiable, 0, 0},
        RangeCase{"HugeStart", "bytes=99999999999999999999999-", 1000, Kind::Unsatisfiable, 0, 0},
        RangeCase{"ZeroSuffix", "bytes=-0", 1000, Kind::Unsatisfiable, 0, 0},
        RangeCase{"EmptyFileFrom0", "bytes=0-", 0, Kind::Unsatisfiable, 0, 0},
        RangeCase{"EmptyFileSuffix", "bytes=-5", 0, Kind::Unsatisfiable, 0, 0},
        RangeCase{"Reversed", "bytes=5-2", 1000, Kind::Ignore, 0, 0},
        RangeCase{"MultipleRanges", "bytes=0-1,5-6", 1000, Kind::Ignore, 0, 0},
        RangeCase{"OtherUnit", "items=0-1", 1000, Kind::Ignore, 0, 0},
        RangeCase{"NoEquals", "bytes 0-1", 1000, Kind::Ignore, 0, 0},
        RangeCase{"Letters", "bytes=a-b", 1000, Kind::Ignore, 0, 0},
        RangeCase{"ThreeParts", "bytes=1-2-3", 1000, Kind::Ignore, 0, 0},
        RangeCase{"DashOnly", "bytes=-", 1000, Kind::Ignore, 0, 0},
        RangeCase{"NoDash", "bytes=5", 1000, Kind::Ignore, 0, 0},
        RangeCase{"NegativeSuffixSign", "bytes=--5", 1000, Kind::Ignore, 0, 0},
        RangeCase{"EmptySet", "bytes=", 1000, Kind::Ignore, 0, 0},
        RangeCase{"Empty", "", 1000, Kind::Ignore, 0, 0}),
    [](const testing::TestParamInfo<RangeCase>& info) { return info.param.name; });

}  // namespace
}  // namespace gateway
