#include "gateway/static/Preconditions.h"

#include <gtest/gtest.h>

#include <ostream>

namespace gateway {
namespace {

using Outcome = Preconditions::Outcome;

constexpr std::string_view kEtag = "\"a1-2b-3c\"";
constexpr std::time_t kLastModified = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
constexpr const char* kAtLastModified = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr const char* kBefore = "Sun, 06 Nov 1994 08:49:36 GMT";
constexpr const char* kAfter = "Sun, 06 Nov 1994 08:49:38 GMT";

const char* outcomeName(Outcome outcome) {
    switch (outcome) {
        case Outcome::Proceed:
            return "Proceed";
        case Outcome::NotModified:
            return "NotModified";
        case Outcome::PreconditionFailed:
            return "PreconditionFailed";
    }
    return "?";
}

struct ConditionCase {
    const char* name;
    Preconditions::Headers headers;  // ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince
    bool getOrHead;
    Outcome outcome;
};

/// Lets ctest/gtest name a case by its name rather than dumping its bytes.
void PrintTo(const ConditionCase& c, std::ostream* out) {
    *out << c.name;
}

class Evaluate : public testing::TestWithParam<ConditionCase> {};

TEST_P(Evaluate, FollowsRfc9110Order) {
    const ConditionCase& c = GetParam();
    EXPECT_STREQ(outcomeName(Preconditions::evaluate(c.headers, kEtag, kLastModified, c.getOrHead)),
                 outcomeName(c.outcome));
}

Preconditions::Headers h(std::string_view ifMatch = {}, std::string_view ifNoneMatch = {},
                         std::string_view ifModifiedSince = {},
                         std::string_view ifUnmodifiedSince = {}) {
    return Preconditions::Headers{ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince};
}

INSTANTIATE_TEST_SUITE_P(
    Preconditions, Evaluate,
    testing::Values(
        ConditionCase{"NoConditions", h(), true, Outcome::Proceed},
        // If-None-Match: weak comparison.
        ConditionCase{"NoneMatchSame", h("", "\"a1-2b-3c\""), true, Outcome::NotModified},
        ConditionCase{"NoneMatchWeakTag", h("", "W/\"a1-2b-3c\""), true, Outcome::NotModified},
        ConditionCase{"NoneMatchInList", h("", "\"x\", \"a1-2b-3c\""), true, Outcome::NotModified},
        ConditionCase{"NoneMatchListNoSpace", h("", "\"x\",\"a1-2b-3c\""), true,
                      Outcome::NotModified},
        ConditionCase{"NoneMatchOther", h("", "\"x\""), true, Outcome::Proceed},
        ConditionCase{"NoneMatchStar", h("", "*"), true, Outcome::NotModified},
        ConditionCase{"NoneMatchUnquoted", h("", "a1-2b-3c"), true, Outcome::Proceed},
        ConditionCase{"NoneMatchPrefixOnly", h("", "\"a1-2b\""), true, Outcome::Proceed},
        ConditionCase{"NoneMatchOnUnsafeMethod", h("", "\"a1-2b-3c\""), false,
                      Outcome::PreconditionFailed},
        // If-Modified-Since: only without If-None-Match, only GET/HEAD.
        ConditionCase{"ModifiedSinceSame", h("", "", kAtLastModified), true, Outcome::NotModified},
        ConditionCase{"ModifiedSinceLater", h("", "", kAfter), true, Outcome::NotModified},
        ConditionCase{"ModifiedSinceEarlier", h("", "", kBefore), true, Outcome::Proceed},
        ConditionCase{"ModifiedSinceRfc850", h("", "", "Sunday, 06-Nov-94 08:49:37 GMT"), true,
                      Outcome::NotModified},
        ConditionCase{"ModifiedSinceAsctime", h("", "", "Sun Nov  6 08:49:37 1994"), true,
                      Outcome::NotModified},
        ConditionCase{"ModifiedSinceInvalid", h("", "", "yesterday"), true, Outcome::Proceed},
        ConditionCase{"ModifiedSinceOnUnsafeMethod", h("", "", kAtLastModified), false,
                      Outcome::Proceed},
        ConditionCase{"NoneMatchOverridesModifiedSince", h("", "\"x\"", kAtLastModified), true,
                      Outcome::Proceed},
        // If-Match: strong comparison.
        ConditionCase{"MatchSame", h("\"a1-2b-3c\""), true, Outcome::Proceed},
        ConditionCase{"MatchInList", h("\"x\", \"a1-2b-3c\""), true, Outcome::Proceed},
        ConditionCase{"MatchWeakNeverMatches", h("W/\"a1-2b-3c\""), true,
                      Outcome::PreconditionFailed},
        ConditionCase{"MatchOther", h("\"x\""), true, Outcome::PreconditionFailed},
        ConditionCase{"MatchStar", h("*"), true, Outcome::Proceed},
        ConditionCase{"MatchMalformed", h("\"unterminated"), true, Outcome::PreconditionFailed},
        // If-Unmodified-Since: only without If-Match.
        ConditionCase{"UnmodifiedSinceEarlier", h("", "", "", kBefore), true,
                      Outcome::PreconditionFailed},
        ConditionCase{"UnmodifiedSinceSame", h("", "", "", kAtLastModified), true,
                      Outcome::Proceed},
        ConditionCase{"UnmodifiedSinceInvalid", h("", "", "", "not a date"), true,
                      Outcome::Proceed},
        ConditionCase{"MatchOverridesUnmodifiedSince", h("\"a1-2b-3c\"", "", "", kBefore), true,
                      Outcome::Proceed},
        // Order between the groups.
        ConditionCase{"MatchFailsBeforeNoneMatch", h("\"x\"", "\"a1-2b-3c\""), true,
                      Outcome::PreconditionFailed},
        ConditionCase{"MatchThenNoneMatch", h("\"a1-2b-3c\"", "\"a1-2b-3c\""), true,
                      Outcome::NotModified},
        ConditionCase{"UnmodifiedFailsBeforeModifiedSince", h("", "", kAtLastModified, kBefore),
                      true, Outcome::PreconditionFailed}),
    [](const testing::TestParamInfo<ConditionCase>& info) { return info.param.name; });

struct IfRangeCase {
    const char* name;
    const char* ifRange;
    bool allows;
};

/// Lets ctest/gtest name a case by its name rather than dumping its bytes.
void PrintTo(const IfRangeCase& c, std::ostream* out) {
    *out << c.name;
}

class IfRange : public testing::TestWithParam<IfRangeCase> {};

TEST_P(IfRange, Decides) {
    EXPECT_EQ(Preconditions::ifRangeAllows(GetParam().ifRange, kEtag, kLastModified),
              GetParam().allows);
}

INSTANTIATE_TEST_SUITE_P(Preconditions, IfRange,
                         testing::Values(IfRangeCase{"Absent", "", true},
                                         IfRangeCase{"SameEtag", "\"a1-2b-3c\"", true},
                                         IfRangeCase{"WeakEtag", "W/\"a1-2b-3c\"", false},
                                         IfRangeCase{"OtherEtag", "\"x\"", false},
                                         IfRangeCase{"EtagList", "\"a1-2b-3c\", \"x\"", false},
                                         IfRangeCase{"SameDate", kAtLastModified, true},
                                         IfRangeCase{"LaterDate", kAfter, false},
                                         IfRangeCase{"EarlierDate", kBefore, false},
                                         IfRangeCase{"Garbage", "whatever", false}),
                         [](const testing::TestParamInfo<IfRangeCase>& info) {
                             return info.param.name;
                         });

}  // namespace
}  // namespace gateway
