#include <gtest/gtest.h>

#include <sstream>

#include "gateway/apps/PluginCheck.h"
#include "tests/unit/apps/PluginsDir.h"

namespace gateway {
namespace {

TEST(PluginCheck, GoodPluginWouldLoad) {
    REQUIRE_TEST_PLUGINS();
    std::ostringstream out;
    EXPECT_EQ(checkPlugin(testPlugin("good"), Settings{}, out), 0) << out.str();
    EXPECT_NE(out.str().find("name:     good"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("exports:  gw_app_entry\n"), std::string::npos) << out.str();
}

TEST(PluginCheck, CrashWhileLoadingIsReportedNotSuffered) {
    REQUIRE_TEST_PLUGINS();
    std::ostringstream out;
    EXPECT_EQ(checkPlugin(testPlugin("crash_init"), Settings{}, out), 1);
    EXPECT_NE(out.str().find("SIGSEGV"), std::string::npos) << out.str();
}

TEST(PluginCheck, UniqueSymbolsAreAProblem) {
    REQUIRE_TEST_PLUGINS();
#ifdef __clang__
    GTEST_SKIP() << "clang never emits STB_GNU_UNIQUE symbols, so the test plugin has none";
#endif
    const ElfSymbols symbols = readElfSymbols(testPlugin("unique_symbol"));
    ASSERT_TRUE(symbols.error.empty()) << symbols.error;
    EXPECT_FALSE(symbols.unique.empty());
    std::ostringstream out;
    EXPECT_EQ(checkPlugin(testPlugin("unique_symbol"), Settings{}, out), 1);
    EXPECT_NE(out.str().find("STB_GNU_UNIQUE symbol"), std::string::npos) << out.str();
}

TEST(PluginCheck, RefusalIsPrinted) {
    REQUIRE_TEST_PLUGINS();
    std::ostringstream out;
    EXPECT_EQ(checkPlugin(testPlugin("newer_minor"), Settings{}, out), 1);
    EXPECT_NE(out.str().find("is newer than gateway ABI 1.1"), std::string::npos) << out.str();
}

TEST(PluginCheck, ElfSymbolsOfAHiddenPlugin) {
    REQUIRE_TEST_PLUGINS();
    const ElfSymbols symbols = readElfSymbols(testPlugin("good"));
    ASSERT_TRUE(symbols.error.empty());
    EXPECT_EQ(symbols.exported, std::vector<std::string>{"gw_app_entry"});
    EXPECT_TRUE(symbols.unique.empty());
    EXPECT_FALSE(readElfSymbols("/etc/hostname").error.empty());
}

}  // namespace
}  // namespace gateway
