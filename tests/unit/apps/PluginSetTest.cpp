#include "gateway/apps/PluginSet.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gateway/apps/AppLoader.h"
#include "tests/unit/apps/PluginsDir.h"

namespace gateway {
namespace {

class PluginSetTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = std::filesystem::temp_directory_path() /
               ("gw-pluginset-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(_dir);
        std::filesystem::create_directories(_dir);
    }
    void TearDown() override { std::filesystem::remove_all(_dir); }
    void write(const std::string& name, const std::string& bytes) {
        std::ofstream(_dir / name, std::ios::binary | std::ios::trunc) << bytes;
    }
    static std::string contents(int fd) {
        std::string text(4096, '\0');
        const ssize_t n = ::pread(fd, text.data(), text.size(), 0);
        text.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
        return text;
    }

    std::filesystem::path _dir;
};

TEST_F(PluginSetTest, TakesEveryRegularSoFileSortedByName) {
    write("b.so", "bee");
    write("a.so", "ay");
    write("notes.txt", "not a plugin");
    std::filesystem::create_directories(_dir / "folder.so");
    const auto set = PluginSet::snapshot(_dir.string());
    EXPECT_FALSE(set->missingFolder());
    ASSERT_EQ(set->files().size(), 2u);
    EXPECT_EQ(set->files()[0].path, (_dir / "a.so").string());
    EXPECT_EQ(set->files()[1].path, (_dir / "b.so").string());
    EXPECT_EQ(contents(set->files()[0].fd), "ay");
    EXPECT_EQ(contents(set->files()[1].fd), "bee");
}

TEST_F(PluginSetTest, CopiesAreSealedAgainstAnyChange) {
    write("a.so", "original");
    const auto set = PluginSet::snapshot(_dir.string());
    ASSERT_EQ(set->files().size(), 1u);
    const int fd = set->files()[0].fd;
    const int seals = ::fcntl(fd, F_GET_SEALS);
    EXPECT_EQ(seals & (F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL),
              F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
    EXPECT_EQ(::pwrite(fd, "X", 1, 0), -1);
    EXPECT_EQ(errno, EPERM);
    EXPECT_NE(::ftruncate(fd, 0), 0);
    EXPECT_EQ(::fcntl(fd, F_ADD_SEALS, 0), -1) << "F_SEAL_SEAL: the seals cannot change";
    EXPECT_EQ(contents(fd), "original");
}

TEST_F(PluginSetTest, OverwritingTheFileLaterLeavesTheSnapshotAlone) {
    write("a.so", "generation one");
    const auto set = PluginSet::snapshot(_dir.string());
    write("a.so", "generation two, longer");  // in place, like cp over it
    EXPECT_EQ(contents(set->files()[0].fd), "generation one");
    std::filesystem::remove(_dir / "a.so");
    EXPECT_EQ(contents(set->files()[0].fd), "generation one");
    EXPECT_EQ(PluginSet::snapshot(_dir.string())->files().size(), 0u);
}

TEST_F(PluginSetTest, MissingFolderIsAnEmptySet) {
    const auto set = PluginSet::snapshot((_dir / "absent").string());
    EXPECT_TRUE(set->missingFolder());
    EXPECT_TRUE(set->files().empty());
    EXPECT_FALSE(PluginSet::snapshot(_dir.string())->missingFolder());
}

TEST_F(PluginSetTest, AppLoaderLoadsTheCopyUnderTheOriginalName) {
    REQUIRE_TEST_PLUGINS();
    std::filesystem::copy_file(testPlugin("good"), _dir / "good.so");
    std::filesystem::copy_file(testPlugin("wrong_major"), _dir / "wrong_major.so");
    const auto set = PluginSet::snapshot(_dir.string());
    ASSERT_EQ(set->files().size(), 2u);
    std::filesystem::remove(_dir / "good.so");  // the copy is what counts
    const auto app = AppLoader::loadCopy(set->files()[0].path, set->files()[0].fd);
    EXPECT_EQ(app->name(), "good");
    EXPECT_EQ(app->path(), (_dir / "good.so").string());
    try {
        AppLoader::loadCopy(set->files()[1].path, set->files()[1].fd);
        FAIL() << "wrong_major loaded";
    } catch (const AppLoadError& e) {
        const std::string message = e.what();
        EXPECT_EQ(message.rfind((_dir / "wrong_major.so").string() + ": ", 0), 0u) << message;
    }
}

}  // namespace
}  // namespace gateway
