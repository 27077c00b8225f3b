#include "gateway/http/ForwardedClient.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace gateway {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct ForwardedCase {
    const char* name;
    std::string trusted;
    Fields fields;
    std::string address;  ///< "" = the peer's address is kept
    std::string scheme;
};

void PrintTo(const ForwardedCase& c, std::ostream* os) {
    *os << c.name;
}

class ForwardedClientTable : public testing::TestWithParam<ForwardedCase> {};

TEST_P(ForwardedClientTable, FollowsTheChainFromTheRight) {
    const ForwardedCase& c = GetParam();
    Request request;
    for (const auto& [name, value] : c.fields)
        request.headers[request.headerCount++] = {name, value};
    const ForwardedClient client = ForwardedClient::of(request, CidrList::parse(c.trusted));
    EXPECT_EQ(client.address, c.address);
    EXPECT_EQ(client.scheme, c.scheme);
    if (!client.address.empty()) {  // a view into the header, not a copy
        bool inside = false;
        for (const auto& [name, value] : c.fields)
            inside = inside || (client.address.data() >= value.data() &&
                                client.address.data() < value.data() + value.size());
        EXPECT_TRUE(inside);
    }
}

const std::string kProxies = "127.0.0.1, 10.0.0.0/8";

const ForwardedCase kCases[] = {
    {"NoHeaders", kProxies, {}, "", ""},
    {"OneClient", kProxies, {{"X-Forwarded-For", "203.0.113.7"}}, "203.0.113.7", ""},
    {"NameAnyCase", kProxies, {{"x-forwarded-for", "203.0.113.7"}}, "203.0.113.7", ""},
    {"IPv6Client", kProxies, {{"X-Forwarded-For", "2001:db8::7"}}, "2001:db8::7", ""},
    // The client may write anything on the left: only the right end is the proxies' word.
    {"SpoofedLeftIgnored",
     kProxies,
     {{"X-Forwarded-For", "1.2.3.4, 203.0.113.7"}},
     "203.0.113.7",
     ""},
    {"TrustedHopsSkipped",
     kProxies,
     {{"X-Forwarded-For", "198.51.100.1, 203.0.113.7, 10.1.1.1, 10.2.2.2"}},
     "203.0.113.7",
     ""},
    {"AllTrustedLeftmost", kProxies, {{"X-Forwarded-For", "10.0.0.9, 10.0.0.8"}}, "10.0.0.9", ""},
    {"SeveralFieldsInOrder",
     kProxies,
     {{"X-Forwarded-For", "203.0.113.7"}, {"Host", "x"}, {"X-Forwarded-For", "10.0.0.1"}},
     "203.0.113.7",
     ""},
    {"LastFieldWins",
     kProxies,
     {{"X-Forwarded-For", "10.0.0.1"}, {"X-Forwarded-For", "203.0.113.7"}},
     "203.0.113.7",
     ""},
    {"SpacesAndEmptyEntries",
     kProxies,
     {{"X-Forwarded-For", " 203.0.113.7 ,, 10.0.0.1 , "}},
     "203.0.113.7",
     ""},
    {"EmptyValue", kProxies, {{"X-Forwarded-For", ""}}, "", ""},
    {"GarbageStopsTheWalk", kProxies, {{"X-Forwarded-For", "203.0.113.7, unknown"}}, "", ""},
    {"PortNotBelieved", kProxies, {{"X-Forwarded-For", "203.0.113.7:4711"}}, "", ""},
    {"BracketsNotBelieved", kProxies, {{"X-Forwarded-For", "[2001:db8::7]"}}, "", ""},
    {"GarbageLeftOfClientIgnored",
     kProxies,
     {{"X-Forwarded-For", "unknown, 203.0.113.7"}},
     "203.0.113.7",
     ""},
    {"ProtoHttps", kProxies, {{"X-Forwarded-Proto", "https"}}, "", "https"},
    {"ProtoHttpsUpper", kProxies, {{"X-Forwarded-Proto", "HTTPS"}}, "", "https"},
    {"ProtoHttp", kProxies, {{"X-Forwarded-Proto", "http"}}, "", "http"},
    {"ProtoOther", kProxies, {{"X-Forwarded-Proto", "wss"}}, "", ""},
    {"ProtoListRightmost", kProxies, {{"X-Forwarded-Proto", "http, https"}}, "", "https"},
    {"ProtoLastField",
     kProxies,
     {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Proto", "http"}},
     "",
     "http"},
    {"Both",
     kProxies,
     {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-For", "203.0.113.7"}},
     "203.0.113.7",
     "https"},
};

INSTANTIATE_TEST_SUITE_P(ForwardedClient, ForwardedClientTable, testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace gateway
