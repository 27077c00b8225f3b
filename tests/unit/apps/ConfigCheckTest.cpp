#include "gateway/apps/ConfigCheck.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/unit/apps/PluginsDir.h"

namespace gateway {
namespace {

using namespace std::chrono_literals;

class ConfigCheckTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = std::filesystem::temp_directory_path() /
               ("gw-configcheck-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(_dir);
        std::filesystem::create_directories(_dir);
        _settings.appsDir = _dir.string();
        _settings.configFile = "test.ini";
    }
    void TearDown() override { std::filesystem::remove_all(_dir); }
    ConfigCheckResult check(const std::vector<std::string>& plugins,
                            std::chrono::milliseconds timeout = 10s) {
        for (const auto& name : plugins)
            std::filesystem::copy_file(testPlugin(name), _dir / (name + ".so"));
        return checkConfig(_settings, *PluginSet::snapshot(_dir.string()), timeout);
    }
    std::string file(const std::string& plugin) const { return (_dir / (plugin + ".so")).string(); }
    static std::string joined(const std::vector<std::string>& lines) {
        std::string text;
        for (const auto& line : lines) text += line + "\n";
        return text;
    }

    std::filesystem::path _dir;
    Settings _settings;
};

TEST_F(ConfigCheckTest, GoodPluginsAreSummarised) {
    REQUIRE_TEST_PLUGINS();
    _settings.appSections["good"] = {{"mount", "/a, /b"}, {"body_limit", "2k"}};
    const auto result = check({"good", "declines"});
    EXPECT_TRUE(result.ok) << joined(result.problems);
    EXPECT_NE(result.summary.find("/a → good 0.1.0 (" + file("good") + "), body limit 2k"),
              std::string::npos)
        << result.summary;
    EXPECT_NE(result.summary.find("/b → good"), std::string::npos) << result.summary;
    EXPECT_NE(result.summary.find("/declines → declines 0.1.0"), std::string::npos)
        << result.summary;
}

TEST_F(ConfigCheckTest, CrashInInitNamesThePluginAndSignal) {
    REQUIRE_TEST_PLUGINS();
    const auto result = check({"crash_init", "good"});
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(joined(result.problems), file("crash_init") + " crashed in init: SIGSEGV\n");
}

TEST_F(ConfigCheckTest, HangingInitIsKilledAfterTheTimeout) {
    REQUIRE_TEST_PLUGINS();
    const auto start = std::chrono::steady_clock::now();
    const auto result = check({"hangs_init"}, 300ms);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(joined(result.problems),
              file("hangs_init") + " (in init) did not finish within 300ms: killed\n");
}

TEST_F(ConfigCheckTest, ProblemsNameFileSectionAndKey) {
    REQUIRE_TEST_PLUGINS();
    _settings.appSections["good"] = {{"timeout", "soon"}};
    _settings.appSections["ghost"] = {{"mount", "/g"}};
    const auto result = check({"good", "wrong_major"});
    EXPECT_FALSE(result.ok);
    const std::string text = joined(result.problems);
    EXPECT_NE(text.find("test.ini: [app.good] timeout: "), std::string::npos) << text;
    EXPECT_NE(text.find(file("wrong_major") + ": plugin ABI 2.0"), std::string::npos) << text;
    EXPECT_NE(text.find("test.ini: [app.ghost] matches no plugin in " + _dir.string()),
              std::string::npos)
        << text;
    EXPECT_EQ(result.problems.size(), 3u) << text;
}

TEST_F(ConfigCheckTest, MissingFolderIsAProblemOnlyWithNeedApp) {
    _settings.appsDir = (_dir / "absent").string();
    const auto set = PluginSet::snapshot(_settings.appsDir);
    const auto relaxed = checkConfig(_settings, *set, 10s);
    EXPECT_TRUE(relaxed.ok);
    EXPECT_NE(relaxed.summary.find("warning:    apps folder"), std::string::npos)
        << relaxed.summary;
    _settings.needApp = true;
    const auto strict = checkConfig(_settings, *set, 10s);
    EXPECT_FALSE(strict.ok);
    ASSERT_EQ(strict.problems.size(), 1u);
    EXPECT_NE(strict.problems[0].find("not found (need-app is on)"), std::string::npos);
}

}  // namespace
}  // namespace gateway
