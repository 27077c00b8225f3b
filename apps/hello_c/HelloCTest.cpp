// hello_c (plain C, no wrapper) through the fake host: the same bytes as hello.
#include <gtest/gtest.h>

#include "gateway/testing.hpp"

using gateway::sdk::testing::AppRunner;
using gateway::sdk::testing::Framing;

TEST(HelloCApp, SaysHelloWorld) {
    const gw_app* descriptor = gw_app_entry(GW_ABI_VERSION);
    ASSERT_NE(descriptor, nullptr);
    EXPECT_STREQ(descriptor->name, "hello_c");
    AppRunner app(*descriptor);
    const auto response = app.run({});
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("Content-Type"), "text/plain");
    EXPECT_EQ(response.header("Content-Length"), "13");
    EXPECT_EQ(response.framing, Framing::ContentLength);
    EXPECT_EQ(response.body, "Hello, World!");
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
}
