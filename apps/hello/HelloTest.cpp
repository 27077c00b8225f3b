// hello through the fake host: exactly "Hello, World!", text/plain, Content-Length 13.
#include <gtest/gtest.h>

#include "gateway/testing.hpp"

using gateway::sdk::testing::AppRunner;
using gateway::sdk::testing::TestRequest;

TEST(HelloApp, SaysHelloWorld) {
    AppRunner app(*gw_app_entry(GW_ABI_VERSION));
    const auto response = app.run({});
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("Content-Type"), "text/plain");
    EXPECT_EQ(response.header("Content-Length"), "13");
    EXPECT_EQ(response.body, "Hello, World!");
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
}

TEST(HelloApp, HeadHasNoBody) {
    AppRunner app(*gw_app_entry(GW_ABI_VERSION));
    TestRequest request;
    request.method = "HEAD";
    const auto response = app.run(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "");
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
}

TEST(HelloApp, DescriptorNamesTheMount) {
    const gw_app* app = gw_app_entry(GW_ABI_VERSION);
    EXPECT_STREQ(app->name, "hello");
    EXPECT_EQ(app->flags, GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING);
}
