// The built example .so files, loaded with dlopen as the gateway does and run by the fake host.
#include <gtest/gtest.h>

#include <string>

#include "gateway/testing.hpp"

using gateway::sdk::testing::AppRunner;
using gateway::sdk::testing::Plugin;

namespace {

class PluginFile : public testing::TestWithParam<std::string> {};

TEST_P(PluginFile, LoadsAndAnswersWithoutLint) {
    Plugin plugin(std::string(GATEWAY_APPS_DIR) + "/" + GetParam() + ".so");
    EXPECT_EQ(plugin.app().name, GetParam());
    AppRunner app(plugin.app());
    EXPECT_TRUE(app.loadLint().empty());
    const auto response = app.run({});
    EXPECT_EQ(response.status, 200);
    EXPECT_FALSE(response.body.empty());
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
    if (GetParam().rfind("hello", 0) == 0) {
        EXPECT_EQ(response.body, "Hello, World!");
    }
}

INSTANTIATE_TEST_SUITE_P(Apps, PluginFile,
                         testing::Values("hello", "hello_c", "echo", "form", "stream", "notes"),
                         [](const auto& info) { return info.param; });

TEST(PluginFile, MissingFileIsAClearError) {
    try {
        Plugin plugin(std::string(GATEWAY_APPS_DIR) + "/no-such-app.so");
        FAIL() << "loaded a missing file";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot load"), std::string::npos);
    }
}

}  // namespace
