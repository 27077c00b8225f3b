#include "gateway/process/AppsWatcher.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gateway/obs/WorkerSlots.h"

namespace gateway {
namespace {

namespace fs = std::filesystem;

class AppsWatcherTest : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/gateway-watch-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        _dir = pattern;
        _watcher = std::make_unique<AppsWatcher>(_dir.string(), kQuietMs);
        ASSERT_GE(_watcher->fd(), 0);
    }
    void TearDown() override { fs::remove_all(_dir); }

    /// Reads what inotify has (bounded wait for the first event).
    void readEvents(std::int64_t nowMs) {
        pollfd p{_watcher->fd(), POLLIN, 0};
        if (::poll(&p, 1, 1000) > 0) _watcher->onReadable(nowMs);
    }
    void write(const std::string& name, const std::string& bytes) {
        std::ofstream(_dir / name, std::ios::binary) << bytes;
    }

    static constexpr std::int64_t kQuietMs = 300;
    fs::path _dir;
    std::unique_ptr<AppsWatcher> _watcher;
};

TEST_F(AppsWatcherTest, NothingIsDueWithoutChanges) {
    EXPECT_EQ(_watcher->msUntilDue(1000), -1);
    EXPECT_EQ(_watcher->takeDue(1000), "");
}

TEST_F(AppsWatcherTest, AWrittenPluginIsDueAfterTheQuietPeriod) {
    write("hello.so", "bytes");
    readEvents(1000);
    EXPECT_EQ(_watcher->msUntilDue(1000), kQuietMs);
    EXPECT_EQ(_watcher->takeDue(1000 + kQuietMs - 1), "") << "not before the quiet period";
    EXPECT_EQ(_watcher->takeDue(1000 + kQuietMs), "hello.so written");
    EXPECT_EQ(_watcher->msUntilDue(2000), -1) << "taken once";
}

TEST_F(AppsWatcherTest, APluginStillOpenForWritingIsNotDue) {
    std::ofstream out(_dir / "big.so", std::ios::binary);
    out << "half";
    out.flush();
    readEvents(1000);
    EXPECT_EQ(_watcher->takeDue(1000 + kQuietMs * 10), "") << "the copy is still open";
    out << "the rest";
    out.close();
    readEvents(5000);
    EXPECT_EQ(_watcher->takeDue(5000 + kQuietMs), "big.so written");
}

TEST_F(AppsWatcherTest, MovesAndRemovalsAreChangesOtherFilesAreNot) {
    write("notes.txt", "not a plugin");
    write(".hidden.so", "an editor's temp file");
    readEvents(1000);
    EXPECT_EQ(_watcher->takeDue(1000 + kQuietMs), "");
    write("staged", "bytes");
    fs::rename(_dir / "staged", _dir / "app.so");
    readEvents(2000);
    fs::remove(_dir / "app.so");
    readEvents(2100);
    EXPECT_EQ(_watcher->takeDue(2100 + kQuietMs), "app.so moved in, app.so removed");
}

TEST(AppsWatcherMissing, AMissingFolderIsNotWatched) {
    AppsWatcher watcher("/nonexistent/gateway-apps", 300);
    EXPECT_EQ(watcher.fd(), -1);
}

}  // namespace
}  // namespace gateway
