#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "gateway/apps/AppRegistry.h"
#include "gateway/route/MountTable.h"
#include "tests/unit/apps/PluginsDir.h"

namespace gateway {
namespace {

class AppRegistryTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = std::filesystem::temp_directory_path() /
               ("gw-registry-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(_dir);
        std::filesystem::create_directories(_dir);
        _settings.appsDir = _dir.string();
    }
    void TearDown() override { std::filesystem::remove_all(_dir); }
    void add(const std::string& plugin) {
        std::filesystem::copy_file(testPlugin(plugin), _dir / (plugin + ".so"));
    }
    std::vector<std::string> mounts(const AppRegistry& registry) {
        std::vector<std::string> result;
        for (const auto& host : registry.hosts()) result.push_back(host->instance().mount());
        return result;
    }

    std::filesystem::path _dir;
    Settings _settings;
};

TEST_F(AppRegistryTest, DefaultMountIsTheName) {
    REQUIRE_TEST_PLUGINS();
    add("good");
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    registry.load();
    EXPECT_EQ(mounts(registry), std::vector<std::string>{"/good"});
    MountTable table;
    registry.mountInto(table);
    ASSERT_EQ(table.mounts().size(), 1u);
    EXPECT_EQ(table.mounts()[0].prefix, "/good");
}

TEST_F(AppRegistryTest, RefusedAndFailedPluginsAreSkipped) {
    REQUIRE_TEST_PLUGINS();
    for (const char* plugin : {"good", "wrong_major", "init_fails", "no_entry"}) add(plugin);
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    registry.load();
    EXPECT_EQ(mounts(registry), std::vector<std::string>{"/good"});
    EXPECT_EQ(registry.refusals().size(), 3u);
}

TEST_F(AppRegistryTest, ConfigMountsDisablesAndPassesKeys) {
    REQUIRE_TEST_PLUGINS();
    add("good");
    add("declines");
    _settings.appSections["good"] = {{"mount", "/, /x/"}, {"body_limit", "1k"}, {"timeout", "2s"}};
    _settings.appSections["declines"] = {{"disabled", "true"}};
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    registry.load();
    EXPECT_EQ(mounts(registry), (std::vector<std::string>{"", "/x"}));
    const auto& config = registry.hosts()[0]->instance().config();
    EXPECT_EQ(config.bodyLimit, 1024u);
    EXPECT_EQ(config.timeout, std::chrono::milliseconds(2000));
    EXPECT_EQ(config.entries.size(), 3u);
}

TEST_F(AppRegistryTest, EntriesKeepTheSectionsOrder) {
    REQUIRE_TEST_PLUGINS();
    add("good");
    _settings.appSections["good"] = {{"zeta", "1"}, {"mount", "/g"}, {"alpha", "2"}};
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    registry.load();
    ASSERT_EQ(registry.hosts().size(), 1u);
    using Entries = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(registry.hosts()[0]->instance().config().entries,
              (Entries{{"zeta", "1"}, {"mount", "/g"}, {"alpha", "2"}}));
}

TEST_F(AppRegistryTest, SectionsNamingAPluginAreAppsOfTheirOwn) {
    REQUIRE_TEST_PLUGINS();
    add("good");
    // By app name and by file name (the same here); a section of its own runs beside them.
    _settings.appSections["a"] = {{"plugin", "good"}, {"k", "1"}};
    _settings.appSections["b"] = {{"plugin", "good"}, {"mount", "/bee"}};
    _settings.appSections["good"] = {{"mount", "/g"}};
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    registry.load();
    EXPECT_EQ(mounts(registry), (std::vector<std::string>{"/g", "/a", "/bee"}));
    EXPECT_EQ(registry.hosts()[0]->instance().name(), "good");
    EXPECT_EQ(registry.hosts()[1]->instance().name(), "a");
    EXPECT_EQ(registry.hosts()[1]->instance().label(), "a at /a");
    using Entries = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(registry.hosts()[1]->instance().config().entries,
              (Entries{{"plugin", "good"}, {"k", "1"}}));
    EXPECT_TRUE(registry.unusedSections().empty());
    EXPECT_TRUE(registry.refusals().empty());
}

TEST_F(AppRegistryTest, WithOnlyNamedSectionsThereIsNoDefaultInstance) {
    REQUIRE_TEST_PLUGINS();
    add("good");
    _settings.appSections["shop"] = {{"plugin", "good"}};
    _settings.appSections["off"] = {{"plugin", "good"}, {"disabled", "yes"}};
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    registry.load();
    EXPECT_EQ(mounts(registry), std::vector<std::string>{"/shop"});
}

TEST_F(AppRegistryTest, SectionNamingNoPluginIsARefusalNamingFileSectionAndKey) {
    REQUIRE_TEST_PLUGINS();
    add("good");
    _settings.configFile = "test.ini";
    _settings.appSections["shop"] = {{"plugin", "nosuch"}};
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    registry.load();
    EXPECT_EQ(mounts(registry), std::vector<std::string>{"/good"});
    ASSERT_EQ(registry.refusals().size(), 1u);
    EXPECT_NE(registry.refusals()[0].find("test.ini: [app.shop] plugin: no plugin nosuch in " +
                                          _dir.string()),
              std::string::npos)
        << registry.refusals()[0];
    EXPECT_TRUE(registry.unusedSections().empty());
}

TEST_F(AppRegistryTest, TwoPluginsOnOneMountNamesBothFiles) {
    REQUIRE_TEST_PLUGINS();
    add("good");
    add("declines");
    _settings.appSections["good"] = {{"mount", "/same"}};
    _settings.appSections["declines"] = {{"mount", "/same/"}};
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    try {
        registry.load();
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("good.so"), std::string::npos) << message;
        EXPECT_NE(message.find("declines.so"), std::string::npos) << message;
    }
}

TEST_F(AppRegistryTest, BadConfigValueRefusesThatApp) {
    REQUIRE_TEST_PLUGINS();
    add("good");
    _settings.appSections["good"] = {{"body_limit", "lots"}};
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    registry.load();
    EXPECT_TRUE(registry.hosts().empty());
    ASSERT_EQ(registry.refusals().size(), 1u);
    EXPECT_NE(registry.refusals()[0].find("body_limit"), std::string::npos);
}

TEST_F(AppRegistryTest, RequestBufferingIsOnUnlessTurnedOff) {
    REQUIRE_TEST_PLUGINS();
    add("good");
    add("declines");
    _settings.appSections["declines"] = {{"request_buffering", "off"}};
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    registry.load();
    ASSERT_EQ(registry.hosts().size(), 2u);
    for (const auto& host : registry.hosts()) {
        const bool streams = host->instance().mount() == "/declines";
        EXPECT_EQ(host->instance().config().requestBuffering, !streams);
        EXPECT_EQ(host->bodyPolicy().mode,
                  streams ? BodyPolicy::Mode::Stream : BodyPolicy::Mode::Buffer);
        EXPECT_EQ(host->bodyPolicy().limit, _settings.maxBodyBytes);
    }
}

TEST_F(AppRegistryTest, BadRequestBufferingValueRefusesThatApp) {
    REQUIRE_TEST_PLUGINS();
    add("good");
    _settings.appSections["good"] = {{"request_buffering", "sometimes"}};
    AppRegistry registry(_settings, PluginSet::snapshot(_dir.string()));
    registry.load();
    EXPECT_TRUE(registry.hosts().empty());
    ASSERT_EQ(registry.refusals().size(), 1u);
    EXPECT_NE(registry.refusals()[0].find("request_buffering"), std::string::npos);
}

TEST(AppRegistry, ParseMounts) {
    EXPECT_EQ(AppRegistry::parseMounts(" /a , b/ ,, /"),
              (std::vector<std::string>{"/a", "/b", ""}));
    EXPECT_TRUE(AppRegistry::parseMounts(" ").empty());
}

TEST(AppRegistry, MissingFolderMeansNoApps) {
    Settings settings;
    settings.appsDir = "/nonexistent/gateway/apps";
    AppRegistry registry(settings, PluginSet::snapshot(settings.appsDir));
    EXPECT_NO_THROW(registry.load());
    EXPECT_TRUE(registry.hosts().empty());
}

}  // namespace
}  // namespace gateway
