// gateway.h's C helpers (gw_str_make, gw_header_make) used from a C11 app, through the fake host.
#include <gtest/gtest.h>

#include <cstring>

#include "gateway/testing.hpp"

extern "C" const gw_app* c_helpers_app(void);
extern "C" gw_str c_helpers_str(const char* text);

using gateway::sdk::testing::AppRunner;

TEST(CHelpers, StrMakeMeasuresWithStrlenAndMapsNullToEmpty) {
    const char text[] = "text/plain";
    const gw_str s = c_helpers_str(text);
    EXPECT_EQ(s.ptr, text) << "a view, not a copy";
    EXPECT_EQ(s.len, std::strlen(text));
    const gw_str none = c_helpers_str(nullptr);
    EXPECT_EQ(none.ptr, nullptr);
    EXPECT_EQ(none.len, 0u);
    EXPECT_EQ(c_helpers_str("").len, 0u);
}

TEST(CHelpers, HeadersBuiltAtRunTimeReachTheClient) {
    AppRunner app(*c_helpers_app());
    gateway::sdk::testing::TestRequest request;
    request.query = "a=1";
    const auto response = app.run(request);
    EXPECT_EQ(response.status, 203);
    EXPECT_EQ(response.reason, "Echoed");
    EXPECT_EQ(response.header("X-Echo"), "[a=1]");
    EXPECT_EQ(response.header("Content-Length"), "3");
    EXPECT_EQ(response.body, "a=1");
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
}

TEST(CHelpers, NullReasonMeansTheStandardPhrase) {
    AppRunner app(*c_helpers_app());
    const auto response = app.run({});
    EXPECT_EQ(response.status, 203);
    EXPECT_EQ(response.header("X-Echo"), "[]");
    EXPECT_EQ(response.header("Content-Length"), "0");
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
}
