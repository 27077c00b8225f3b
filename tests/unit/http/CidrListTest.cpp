#include "gateway/http/CidrList.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace gateway {
namespace {

struct MatchCase {
    const char* name;
    const char* ranges;
    const char* address;
    bool contained;
};

class CidrMatch : public testing::TestWithParam<MatchCase> {};

TEST_P(CidrMatch, ContainsOrNot) {
    const MatchCase& c = GetParam();
    EXPECT_EQ(CidrList::parse(c.ranges).contains(c.address), c.contained)
        << c.address << " in " << c.ranges;
}

INSTANTIATE_TEST_SUITE_P(
    Ranges, CidrMatch,
    testing::Values(
        MatchCase{"V4Inside", "10.0.0.0/8", "10.200.3.4", true},
        MatchCase{"V4Outside", "10.0.0.0/8", "11.0.0.1", false},
        MatchCase{"V4OddPrefixInside", "192.168.4.0/22", "192.168.7.255", true},
        MatchCase{"V4OddPrefixOutside", "192.168.4.0/22", "192.168.8.0", false},
        MatchCase{"V4BareHost", "192.0.2.7", "192.0.2.7", true},
        MatchCase{"V4BareHostNeighbour", "192.0.2.7", "192.0.2.8", false},
        MatchCase{"V4AllOfIt", "0.0.0.0/0", "203.0.113.9", true},
        MatchCase{"V4AllIsNotV6", "0.0.0.0/0", "2001:db8::1", false},
        MatchCase{"V4RangeMatchesMappedClient", "10.0.0.0/8", "::ffff:10.1.2.3", true},
        MatchCase{"MappedRangeMatchesV4Client", "::ffff:10.0.0.0/104", "10.1.2.3", true},
        MatchCase{"V6Inside", "2001:db8::/32", "2001:db8:ffff::1", true},
        MatchCase{"V6Outside", "2001:db8::/32", "2001:db9::1", false},
        MatchCase{"V6OddPrefix", "fd00::/7", "fdff::1", true},
        MatchCase{"V6OddPrefixOutside", "fd00::/7", "fe00::1", false},
        MatchCase{"V6BareHost", "::1", "::1", true},
        MatchCase{"SecondOfList", "10.0.0.0/8, 2001:db8::/32 ,172.16.0.0/12", "172.31.0.1", true},
        MatchCase{"NoneOfList", "10.0.0.0/8, 2001:db8::/32", "172.31.0.1", false},
        MatchCase{"EmptyListHasNothing", "", "127.0.0.1", false},
        MatchCase{"NotAnAddress", "0.0.0.0/0", "localhost", false},
        MatchCase{"EmptyAddress", "0.0.0.0/0", "", false}),
    [](const auto& info) { return std::string(info.param.name); });

class CidrBad : public testing::TestWithParam<const char*> {};

TEST_P(CidrBad, Throws) {
    EXPECT_THROW(CidrList::parse(GetParam()), std::invalid_argument) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Ranges, CidrBad,
                         testing::Values("10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/x",
                                         "example.com", "10.0.0", "10.0.0.0/8,,", "/8",
                                         "10.0.0.0/-1", "10.0.0.0/0008"));

TEST(CidrLoopback, IsLoopbackInEveryForm) {
    for (const char* address : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"})
        EXPECT_TRUE(CidrList::isLoopback(address)) << address;
    for (const char* address : {"128.0.0.1", "::2", "::ffff:10.0.0.1", "0.0.0.0", ""})
        EXPECT_FALSE(CidrList::isLoopback(address)) << address;
}

}  // namespace
}  // namespace gateway
