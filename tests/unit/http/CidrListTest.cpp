#include "gateway/http/CidrList.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <stdexcept>
#include <string>

namespace gateway {
namespace {

// ---- parsing: what a list accepts, and the message for what it refuses ------------------------

struct ParseCase {
    const char* name;
    std::string text;
    std::size_t ranges;  ///< entries parsed; ignored when `error` is set
    const char* error;   ///< a part of the message, or nullptr when the list is valid
};

void PrintTo(const ParseCase& c, std::ostream* os) {
    *os << c.name;
}

class CidrListParse : public testing::TestWithParam<ParseCase> {};

TEST_P(CidrListParse, AcceptsOrNamesTheBadEntry) {
    const ParseCase& c = GetParam();
    if (!c.error) {
        EXPECT_EQ(CidrList::parse(c.text).size(), c.ranges);
        return;
    }
    try {
        CidrList::parse(c.text);
        FAIL() << "accepted " << c.text;
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find(c.error), std::string::npos) << e.what();
    }
}

const ParseCase kParses[] = {
    {"Empty", "", 0, nullptr},
    {"OnlySpaces", "  ", 0, nullptr},
    {"OneHostV4", "127.0.0.1", 1, nullptr},
    {"OneHostV6", "::1", 1, nullptr},
    {"RangeV4", "10.0.0.0/8", 1, nullptr},
    {"RangeV6", "2001:db8::/32", 1, nullptr},
    {"EverythingV4", "0.0.0.0/0", 1, nullptr},
    {"EverythingV6", "::/0", 1, nullptr},
    {"HostPrefixes", "192.0.2.7/32,2001:db8::7/128", 2, nullptr},
    {"SpacesAroundEntries", " 10.0.0.0/8 , 192.168.0.0/16 ,::1", 3, nullptr},
    {"V4MappedRange", "::ffff:10.0.0.0/104", 1, nullptr},
    {"HostBitsIgnoredV4", "10.0.0.1/8", 1, nullptr},
    {"HostBitsIgnoredV6", "fd00::/7", 1, nullptr},
    {"PrefixTooLongV4", "10.0.0.0/33", 0, "prefix must be 0 to 32"},
    {"PrefixTooLongV6", "::/129", 0, "prefix must be 0 to 128"},
    {"PrefixEmpty", "10.0.0.0/", 0, "prefix must be 0 to 32"},
    {"PrefixSigned", "10.0.0.0/+8", 0, "prefix must be 0 to 32"},
    {"PrefixHuge", "10.0.0.0/0008", 0, "prefix must be 0 to 32"},
    {"PrefixNegative", "10.0.0.0/-1", 0, "prefix must be 0 to 32"},
    {"PrefixNotANumber", "10.0.0.0/x", 0, "prefix must be 0 to 32"},
    {"OnlyPrefix", "/8", 0, "not a numeric IP address"},
    {"Name", "localhost", 0, "'localhost' is not an address range (not a numeric IP address)"},
    {"ShortV4", "10.0.0/8", 0, "not a numeric IP address"},
    {"OctetTooBig", "10.0.0.256", 0, "not a numeric IP address"},
    {"Brackets", "[::1]", 0, "not a numeric IP address"},
    {"Zone", "fe80::1%eth0", 0, "not a numeric IP address"},
    {"WithPort", "127.0.0.1:80", 0, "not a numeric IP address"},
    {"EmptyEntry", "10.0.0.0/8,,::1", 0, "empty entry"},
    {"TrailingComma", "10.0.0.0/8,", 0, "empty entry"},
    {"TrailingCommas", "10.0.0.0/8,,", 0, "empty entry"},
    {"SecondEntryBad", "10.0.0.0/8,bogus", 0, "'bogus'"},
    {"SemicolonSeparated", "10.0.0.0/8;::1", 0, "'10.0.0.0/8;::1'"},
};

INSTANTIATE_TEST_SUITE_P(CidrList, CidrListParse, testing::ValuesIn(kParses),
                         [](const auto& info) { return std::string(info.param.name); });

// ---- matching: a table of list × address --------------------------------------------------------

struct MatchCase {
    const char* name;
    std::string list;
    std::string address;
    bool contained;
};

void PrintTo(const MatchCase& c, std::ostream* os) {
    *os << c.name;
}

class CidrListMatch : public testing::TestWithParam<MatchCase> {};

sockaddr_in6 socketAddress(const std::string& text) {
    sockaddr_in6 storage{};
    if (text.find(':') == std::string::npos) {
        auto& v4 = reinterpret_cast<sockaddr_in&>(storage);
        v4.sin_family = AF_INET;
        EXPECT_EQ(inet_pton(AF_INET, text.c_str(), &v4.sin_addr), 1) << text;
    } else {
        storage.sin6_family = AF_INET6;
        EXPECT_EQ(inet_pton(AF_INET6, text.c_str(), &storage.sin6_addr), 1) << text;
    }
    return storage;
}

TEST_P(CidrListMatch, TextAndSocketAddressAgree) {
    const MatchCase& c = GetParam();
    const CidrList list = CidrList::parse(c.list);
    EXPECT_EQ(list.contains(std::string_view(c.address)), c.contained);
    const sockaddr_in6 peer = socketAddress(c.address);
    EXPECT_EQ(list.contains(reinterpret_cast<const sockaddr&>(peer)), c.contained);
}

const MatchCase kMatches[] = {
    {"EmptyListNothing", "", "127.0.0.1", false},
    {"HostItself", "127.0.0.1", "127.0.0.1", true},
    {"HostNeighbour", "127.0.0.1", "127.0.0.2", false},
    {"InsideSlash8", "10.0.0.0/8", "10.255.3.4", true},
    {"OutsideSlash8", "10.0.0.0/8", "11.0.0.0", false},
    {"OddPrefixInside", "192.168.4.0/22", "192.168.7.255", true},
    {"OddPrefixOutside", "192.168.4.0/22", "192.168.8.0", false},
    {"AllV4HasV4", "0.0.0.0/0", "203.0.113.9", true},
    {"AllV4NotV6", "0.0.0.0/0", "2001:db8::1", false},
    {"AllV6HasV6", "::/0", "2001:db8::1", true},
    {"AllV6HasV4", "::/0", "203.0.113.9", true},
    {"V4RangeHasV4Mapped", "10.0.0.0/8", "::ffff:10.1.2.3", true},
    {"V4RangeNotV4MappedOutside", "10.0.0.0/8", "::ffff:11.1.2.3", false},
    {"V4MappedRangeHasV4", "::ffff:10.0.0.0/104", "10.9.9.9", true},
    {"V4HostNotV4CompatibleV6", "10.1.2.3", "::10.1.2.3", false},
    {"V6Loopback", "::1", "::1", true},
    {"V6LoopbackNotV4Loopback", "::1", "127.0.0.1", false},
    {"V6Slash32Inside", "2001:db8::/32", "2001:db8:ffff::1", true},
    {"V6Slash32Outside", "2001:db8::/32", "2001:db9::1", false},
    {"V6OddPrefixInside", "2001:db8:8000::/33", "2001:db8:ffff::1", true},
    {"V6OddPrefixOutside", "2001:db8:8000::/33", "2001:db8:7fff::1", false},
    {"HostBitsIgnoredInside", "10.0.0.1/8", "10.9.9.9", true},
    {"HostBitsIgnoredOutside", "10.0.0.1/8", "11.0.0.1", false},
    {"UlaWrittenFd00Inside", "fd00::/7", "fcff::1", true},
    {"UlaWrittenFd00Outside", "fd00::/7", "fe00::1", false},
    {"SecondRangeMatches", "10.0.0.0/8, 2001:db8::/32, 127.0.0.0/8", "127.0.0.53", true},
    {"NoRangeMatches", "10.0.0.0/8, 2001:db8::/32", "192.0.2.1", false},
};

INSTANTIATE_TEST_SUITE_P(CidrList, CidrListMatch, testing::ValuesIn(kMatches),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CidrList, TextThatIsNoAddressIsNotContained) {
    const CidrList all = CidrList::parse("0.0.0.0/0,::/0");
    EXPECT_FALSE(all.contains(std::string_view("unknown")));
    EXPECT_FALSE(all.contains(std::string_view("")));
    EXPECT_FALSE(all.contains(std::string_view("10.0.0.1:80")));
    EXPECT_FALSE(all.contains(std::string_view(std::string(100, '1'))));
}

TEST(CidrList, LoopbackInEveryForm) {
    for (const char* address : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"})
        EXPECT_TRUE(CidrList::isLoopback(address)) << address;
    for (const char* address : {"128.0.0.1", "::2", "::ffff:10.0.0.1", "0.0.0.0", "", "localhost"})
        EXPECT_FALSE(CidrList::isLoopback(address)) << address;
}

TEST(CidrList, OtherSocketFamiliesAreNotContained) {
    const CidrList all = CidrList::parse("0.0.0.0/0,::/0");
    sockaddr unixAddress{};
    unixAddress.sa_family = AF_UNIX;
    EXPECT_FALSE(all.contains(unixAddress));
}

}  // namespace
}  // namespace gateway
