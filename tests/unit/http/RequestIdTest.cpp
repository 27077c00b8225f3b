#include "gateway/http/RequestId.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gateway {
namespace {

struct IdCase {
    const char* name;
    std::string text;
    bool valid;
};

std::ostream& operator<<(std::ostream& out, const IdCase& c) {
    return out << c.name;
}

class RequestIdValid : public ::testing::TestWithParam<IdCase> {};

TEST_P(RequestIdValid, Classifies) {
    EXPECT_EQ(RequestId::valid(GetParam().text), GetParam().valid) << GetParam().text;
}

const IdCase kIds[] = {
    {"Uuid", "123e4567-e89b-12d3-a456-426614174000", true},
    {"Base64", "q83vEjRWeJA+/w==", true},
    {"TraceParent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true},
    {"AllPunctuation", "a-b.c_d~e:f+g/h=i", true},
    {"OneChar", "x", true},
    {"MaxLength", std::string(200, 'a'), true},
    {"Empty", "", false},
    {"TooLong", std::string(201, 'a'), false},
    {"Space", "a b", false},
    {"Quote", "a\"b", false},
    {"Backslash", "a\\b", false},
    {"Tab", "a\tb", false},
    {"Comma", "a,b", false},
    {"HighByte", "caf\xc3\xa9", false},
};

INSTANTIATE_TEST_SUITE_P(RequestId, RequestIdValid, ::testing::ValuesIn(kIds),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(RequestIdGenerator, KeepsAValidClientIdAsAView) {
    RequestIdGenerator ids(1);
    RequestId id;
    const std::string header = "abc-123";
    ids.assign(id, header);
    EXPECT_TRUE(id.fromClient());
    EXPECT_EQ(id.view(), "abc-123");
    EXPECT_EQ(id.view().data(), header.data());
}

TEST(RequestIdGenerator, GeneratesPrefixAndCounterInHex) {
    RequestIdGenerator ids(0x0123456789abcdefull);
    RequestId id;
    ids.assign(id, "");
    EXPECT_FALSE(id.fromClient());
    EXPECT_EQ(id.view(), "0123456789abcdef0000000000000000");
    ids.assign(id, "bad id");
    EXPECT_EQ(id.view(), "0123456789abcdef0000000000000001");
}

TEST(RequestIdGenerator, CopiesCarryTheGeneratedId) {
    RequestIdGenerator ids(7);
    RequestId id;
    ids.assign(id, "");
    const RequestId copy = id;
    ids.assign(id, "");
    EXPECT_EQ(copy.view(), "00000000000000070000000000000000");
    EXPECT_NE(copy.view(), id.view());
}

TEST(RequestIdGenerator, RandomPrefixesDiffer) {
    // Two workers: two generators with random prefixes give different first ids.
    RequestIdGenerator a, b;
    RequestId first, second;
    a.assign(first, "");
    b.assign(second, "");
    EXPECT_EQ(first.view().size(), RequestId::kGeneratedLength);
    EXPECT_NE(first.view(), second.view());
}

TEST(RequestId, EmptyUntilAssigned) {
    EXPECT_TRUE(RequestId{}.view().empty());
}

}  // namespace
}  // namespace gateway
