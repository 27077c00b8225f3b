#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gateway/apps/AppInstance.h"
#include "gateway/apps/AppLoader.h"
#include "tests/unit/apps/PluginsDir.h"

namespace gateway {
namespace {

struct RefusalCase {
    const char* name;
    const char* plugin;
    std::vector<std::string> mentions;  ///< every one must be in the message
};

std::ostream& operator<<(std::ostream& out, const RefusalCase& c) {
    return out << c.name;
}

class LoaderRefusal : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(LoaderRefusal, MessageNamesFileSymbolAndVersions) {
    REQUIRE_TEST_PLUGINS();
    const RefusalCase& c = GetParam();
    const std::string file = testPlugin(c.plugin);
    try {
        AppLoader::load(file);
        FAIL() << c.plugin << " loaded";
    } catch (const AppLoadError& e) {
        const std::string message = e.what();
        EXPECT_EQ(message.rfind(file + ": ", 0), 0u) << message;
        for (const auto& text : c.mentions)
            EXPECT_NE(message.find(text), std::string::npos) << message;
    }
}

const RefusalCase kRefusals[] = {
    {"Missing", "does_not_exist", {"cannot load:"}},
    {"UndefinedSymbol", "undefined_symbol", {"cannot load:", "gw_test_missing_function"}},
    {"NoEntry", "no_entry", {"no symbol gw_app_entry: not a gateway plugin"}},
    {"NullEntry", "null_entry", {"gw_app_entry returned NULL: the plugin refuses host ABI 1.1"}},
    {"BadMagic",
     "bad_magic",
     {"bad magic 0xDEADBEEF from gw_app_entry (expected 0x47574150): not a gateway plugin"}},
    {"WrongMajor",
     "wrong_major",
     {"plugin ABI 2.0 (gw_app_entry) is incompatible with gateway ABI 1.1: different major"}},
    {"NewerMinor",
     "newer_minor",
     {"plugin ABI 1.2 (gw_app_entry) is newer than gateway ABI 1.1: upgrade the gateway"}},
    {"SmallSize",
     "small_size",
     {"descriptor size 40 is smaller than 64 required by ABI 1.1", "gw_app_entry",
      "gateway ABI 1.1"}},
    {"NoCall", "no_call", {"descriptor has no call function", "gw_app_entry"}},
    {"BadName", "bad_name", {"invalid app name \"bad name!\"", "gw_app_entry"}},
};

INSTANTIATE_TEST_SUITE_P(Load, LoaderRefusal, ::testing::ValuesIn(kRefusals),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(AppLoader, LoadsAGoodPlugin) {
    REQUIRE_TEST_PLUGINS();
    const auto app = AppLoader::load(testPlugin("good"));
    EXPECT_EQ(app->name(), "good");
    EXPECT_EQ(app->version(), "0.1.0");
    EXPECT_EQ(app->abiVersion(), GW_ABI_VERSION);
    EXPECT_TRUE(app->threadSafe());
    EXPECT_TRUE(app->nonBlocking());
    EXPECT_EQ(app->path(), testPlugin("good"));
    EXPECT_TRUE(app->flagProblems().empty());
}

TEST(AppLoader, EachLoadIsAPrivateCopy) {
    REQUIRE_TEST_PLUGINS();
    // Loading the same file twice gives two independent handles: a reload never shares state
    // with (or unmaps code under) the previous generation.
    const auto first = AppLoader::load(testPlugin("good"));
    const auto second = AppLoader::load(testPlugin("good"));
    EXPECT_NE(first->descriptor().call, second->descriptor().call);
}

TEST(AppLoader, OverwritingTheFileDoesNotTouchTheLoadedCopy) {
    REQUIRE_TEST_PLUGINS();
    const auto dir =
        std::filesystem::temp_directory_path() / ("gw-loader-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "good.so";
    std::filesystem::copy_file(testPlugin("good"), file,
                               std::filesystem::copy_options::overwrite_existing);
    const auto app = AppLoader::load(file.string());
    // Truncate and rewrite the file in place, as a careless deploy would.
    { std::ofstream(file, std::ios::trunc) << "not an elf any more"; }
    AppInstance instance(app, {"/good", {}, 1024, {}, false});
    EXPECT_NO_THROW(instance.init());
    EXPECT_NE(instance.state(), nullptr);
    std::filesystem::remove_all(dir);
}

TEST(AppLoader, InitFailureCarriesThePluginsMessage) {
    REQUIRE_TEST_PLUGINS();
    const auto app = AppLoader::load(testPlugin("init_fails"));
    AppInstance instance(app, {"/db", {}, 1024, {}, false});
    try {
        instance.init();
        FAIL() << "init succeeded";
    } catch (const AppLoadError& e) {
        EXPECT_EQ(std::string(e.what()),
                  testPlugin("init_fails") +
                      ": init failed for mount /db: application error (-7): cannot reach the "
                      "database");
    }
}

TEST(AppLoader, VersionText) {
    EXPECT_EQ(AppLoader::versionText(GW_MAKE_ABI_VERSION(1, 0)), "1.0");
    EXPECT_EQ(AppLoader::versionText(GW_MAKE_ABI_VERSION(3, 12)), "3.12");
    EXPECT_EQ(AppLoader::descriptorSize(0), sizeof(gw_app));
    EXPECT_EQ(AppLoader::descriptorSize(1), sizeof(gw_app));  // 1.1 added no descriptor field
    EXPECT_TRUE(AppLoader::validName("a-Z_09"));
    EXPECT_FALSE(AppLoader::validName(""));
    EXPECT_FALSE(AppLoader::validName("a/b"));
    EXPECT_FALSE(AppLoader::validName(std::string(65, 'a').c_str()));
    EXPECT_TRUE(AppLoader::validName(std::string(64, 'a').c_str()));
}

}  // namespace
}  // namespace gateway
