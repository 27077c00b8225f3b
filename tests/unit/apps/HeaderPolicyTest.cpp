#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gateway/apps/HeaderPolicy.h"

namespace gateway {
namespace {

struct HeaderCase {
    const char* name;
    std::uint32_t status;
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers;
    std::uint32_t flags;
    std::int32_t code;  ///< expected result
    const char* lint;   ///< expected lint code, "" when accepted
    std::int64_t contentLength;
    const char* lines;  ///< expected header lines when accepted
};

std::ostream& operator<<(std::ostream& out, const HeaderCase& c) {
    return out << c.name;
}

class HeaderPolicyTable : public ::testing::TestWithParam<HeaderCase> {};

TEST_P(HeaderPolicyTable, Check) {
    const HeaderCase& c = GetParam();
    std::vector<gw_header> headers;
    for (const auto& [name, value] : c.headers)
        headers.push_back({{name.data(), name.size()}, {value.data(), value.size()}});
    const gw_str reason{c.reason.empty() ? nullptr : c.reason.data(), c.reason.size()};
    const auto verdict =
        HeaderPolicy::check(c.status, reason, headers.data(), headers.size(), c.flags);
    EXPECT_EQ(verdict.code, c.code);
    EXPECT_EQ(verdict.lint, c.lint);
    if (c.code == GW_OK) {
        EXPECT_TRUE(verdict.detail.empty());
        EXPECT_EQ(verdict.contentLength, c.contentLength);
        std::string lines;
        HeaderPolicy::appendLines(lines, headers.data(), headers.size());
        EXPECT_EQ(lines, c.lines);
    } else {
        EXPECT_FALSE(verdict.detail.empty());
    }
}

const HeaderCase kCases[] = {
    {"Plain",
     200,
     "",
     {{"Content-Type", "text/plain"}},
     0,
     GW_OK,
     "",
     -1,
     "Content-Type: text/plain\r\n"},
    {"NoHeaders", 204, "", {}, 0, GW_OK, "", -1, ""},
    {"CustomReason", 299, "Fine Thanks", {}, 0, GW_OK, "", -1, ""},
    {"ValueTrimmed", 200, "", {{"X-A", "  padded\t "}}, 0, GW_OK, "", -1, "X-A: padded\r\n"},
    {"TabInValue", 200, "", {{"X-A", "a\tb"}}, 0, GW_OK, "", -1, "X-A: a\tb\r\n"},
    {"RepeatedNamesKeptInOrder",
     200,
     "",
     {{"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}},
     0,
     GW_OK,
     "",
     -1,
     "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n"},
    {"ContentLengthTakenOut",
     200,
     "",
     {{"Content-Length", "13"}, {"X-B", "1"}},
     0,
     GW_OK,
     "",
     13,
     "X-B: 1\r\n"},
    {"ContentLengthOn304", 304, "", {{"Content-Length", "5"}}, 0, GW_OK, "", 5, ""},
    {"FlagsReplaceClose", 200, "", {}, GW_RESPONSE_REPLACE | GW_RESPONSE_CLOSE, GW_OK, "", -1, ""},
    {"Status199", 199, "", {}, 0, GW_E_INVAL, "GW-L004", -1, ""},
    {"Status600", 600, "", {}, 0, GW_E_INVAL, "GW-L004", -1, ""},
    {"Status100", 100, "", {}, 0, GW_E_INVAL, "GW-L004", -1, ""},
    {"ReasonWithCrLf", 200, "OK\r\nX: y", {}, 0, GW_E_INVAL, "GW-L004", -1, ""},
    {"NameWithSpace", 200, "", {{"Bad Name", "x"}}, 0, GW_E_INVAL, "GW-L005", -1, ""},
    {"NameWithColon", 200, "", {{"X:Y", "x"}}, 0, GW_E_INVAL, "GW-L005", -1, ""},
    {"EmptyName", 200, "", {{"", "x"}}, 0, GW_E_INVAL, "GW-L005", -1, ""},
    {"ValueWithCrLf", 200, "", {{"X-A", "a\r\nX-Injected: 1"}}, 0, GW_E_INVAL, "GW-L006", -1, ""},
    {"ValueWithLf", 200, "", {{"X-A", "a\nb"}}, 0, GW_E_INVAL, "GW-L006", -1, ""},
    {"ValueWithNul", 200, "", {{"X-A", std::string("a\0b", 3)}}, 0, GW_E_INVAL, "GW-L006", -1, ""},
    {"ValueWithDel", 200, "", {{"X-A", "a\x7f"}}, 0, GW_E_INVAL, "GW-L006", -1, ""},
    {"Connection", 200, "", {{"Connection", "close"}}, 0, GW_E_INVAL, "GW-L007", -1, ""},
    {"TransferEncodingAnyCase",
     200,
     "",
     {{"transfer-ENCODING", "chunked"}},
     0,
     GW_E_INVAL,
     "GW-L007",
     -1,
     ""},
    {"KeepAlive", 200, "", {{"Keep-Alive", "5"}}, 0, GW_E_INVAL, "GW-L007", -1, ""},
    {"Upgrade", 200, "", {{"Upgrade", "h2c"}}, 0, GW_E_INVAL, "GW-L007", -1, ""},
    {"Te", 200, "", {{"TE", "trailers"}}, 0, GW_E_INVAL, "GW-L007", -1, ""},
    {"Date", 200, "", {{"Date", "today"}}, 0, GW_E_INVAL, "GW-L008", -1, ""},
    {"Server", 200, "", {{"server", "mine"}}, 0, GW_E_INVAL, "GW-L008", -1, ""},
    {"ContentLengthNotNumber",
     200,
     "",
     {{"Content-Length", "12a"}},
     0,
     GW_E_INVAL,
     "GW-L009",
     -1,
     ""},
    {"ContentLengthNegative",
     200,
     "",
     {{"Content-Length", "-1"}},
     0,
     GW_E_INVAL,
     "GW-L009",
     -1,
     ""},
    {"ContentLengthList", 200, "", {{"Content-Length", "5, 5"}}, 0, GW_E_INVAL, "GW-L009", -1, ""},
    {"ContentLengthTwice",
     200,
     "",
     {{"Content-Length", "5"}, {"content-length", "5"}},
     0,
     GW_E_INVAL,
     "GW-L009",
     -1,
     ""},
    {"ContentLengthOn204", 204, "", {{"Content-Length", "0"}}, 0, GW_E_INVAL, "GW-L009", -1, ""},
    {"UnknownFlag", 200, "", {}, 0x4, GW_E_INVAL, "GW-L010", -1, ""},
};

INSTANTIATE_TEST_SUITE_P(StartResponse, HeaderPolicyTable, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HeaderPolicy, NullHeaderArrayWithCount) {
    const auto verdict = HeaderPolicy::check(200, {nullptr, 0}, nullptr, 2, 0);
    EXPECT_EQ(verdict.code, GW_E_INVAL);
    EXPECT_EQ(verdict.lint, "GW-L019");
}

TEST(HeaderPolicy, RejectionNamesTheHeader) {
    const gw_header header{{"X-Evil", 6}, {"a\r\nb", 4}};
    const auto verdict = HeaderPolicy::check(200, {nullptr, 0}, &header, 1, 0);
    EXPECT_NE(verdict.detail.find("X-Evil"), std::string::npos) << verdict.detail;
}

}  // namespace
}  // namespace gateway
