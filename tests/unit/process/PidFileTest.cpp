#include "gateway/process/PidFile.h"

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

namespace gateway {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void put(const fs::path& path, const std::string& text) {
    std::ofstream(path) << text;
}

/// A child process that waits until destroyed; `name` renames it (its /proc/PID/comm).
class Child {
public:
    explicit Child(const char* name = nullptr) {
        int ready[2], hold[2];
        EXPECT_EQ(::pipe(ready), 0);
        EXPECT_EQ(::pipe(hold), 0);
        _pid = ::fork();
        if (_pid == 0) {
            if (name) ::prctl(PR_SET_NAME, name);
            ::close(ready[0]);
            ::close(ready[1]);  // renamed: the parent may look now
            char byte;
            ::close(hold[1]);
            [[maybe_unused]] ssize_t n = ::read(hold[0], &byte, 1);  // until the parent closes it
            ::_exit(0);
        }
        ::close(ready[1]);
        char byte;
        [[maybe_unused]] ssize_t n = ::read(ready[0], &byte, 1);  // EOF once the child renamed
        ::close(ready[0]);
        ::close(hold[0]);
        _hold = hold[1];
    }
    ~Child() {
        if (_pid > 0) reap();
    }
    pid_t pid() const { return _pid; }
    /// Lets the child exit and waits for it: its pid is dead afterwards.
    void reap() {
        ::close(_hold);
        int status = 0;
        ::waitpid(_pid, &status, 0);
        _pid = -_pid;
    }

private:
    pid_t _pid = -1;
    int _hold = -1;
};

class PidFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/gateway-pidfile-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        _dir = pattern;
        _path = _dir / "gateway.pid";
    }
    void TearDown() override { fs::remove_all(_dir); }

    std::size_t filesInDir() const {
        std::size_t count = 0;
        for ([[maybe_unused]] const auto& entry : fs::directory_iterator(_dir)) ++count;
        return count;
    }

    fs::path _dir;
    fs::path _path;
};

TEST_F(PidFileTest, WritesThisPidAndRemovesItAtTheEnd) {
    {
        PidFile file(_path.string());
        EXPECT_EQ(slurp(_path), std::to_string(::getpid()) + "\n");
        EXPECT_EQ(PidFile::read(_path.string()), ::getpid());
        EXPECT_EQ(filesInDir(), 1u) << "the temporary file was renamed, not left behind";
    }
    EXPECT_FALSE(fs::exists(_path));
}

TEST_F(PidFileTest, RefusesWhileALiveGatewayHoldsIt) {
    Child running;  // a fork keeps this test's name: a "gateway" as far as the check can tell
    ASSERT_TRUE(PidFile::isGateway(running.pid()));
    put(_path, std::to_string(running.pid()) + "\n");
    try {
        PidFile file(_path.string());
        FAIL() << "claimed a pid file that a running gateway holds";
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(_path.string()), std::string::npos) << message;
        EXPECT_NE(message.find(std::to_string(running.pid()) + ", which is running"),
                  std::string::npos)
            << message;
    }
    EXPECT_EQ(PidFile::read(_path.string()), running.pid()) << "the holder's file was touched";
    EXPECT_EQ(filesInDir(), 1u);
}

TEST_F(PidFileTest, ReplacesTheFileOfADeadProcess) {
    Child gone;
    const pid_t pid = gone.pid();
    gone.reap();
    ASSERT_FALSE(PidFile::isGateway(pid));
    put(_path, std::to_string(pid) + "\n");
    PidFile file(_path.string());
    EXPECT_EQ(PidFile::read(_path.string()), ::getpid());
}

TEST_F(PidFileTest, ReplacesTheFileOfAProcessThatIsNoGateway) {
    Child other("not-a-gateway");  // a recycled pid: alive, but something else
    ASSERT_FALSE(PidFile::isGateway(other.pid()));
    put(_path, std::to_string(other.pid()) + "\n");
    PidFile file(_path.string());
    EXPECT_EQ(PidFile::read(_path.string()), ::getpid());
}

TEST_F(PidFileTest, ReplacesAFileWithoutAPid) {
    put(_path, "not a pid\n");
    EXPECT_EQ(PidFile::read(_path.string()), 0);
    PidFile file(_path.string());
    EXPECT_EQ(PidFile::read(_path.string()), ::getpid());
}

TEST_F(PidFileTest, ClaimsAFileNamingThisProcess) {
    // A container's gateway is pid 1 on every start: its own old pid file is stale, not a rival.
    put(_path, std::to_string(::getpid()) + "\n");
    PidFile file(_path.string());
    EXPECT_EQ(PidFile::read(_path.string()), ::getpid());
}

TEST_F(PidFileTest, LeavesAFileThatNamesAnotherProcessNow) {
    {
        PidFile file(_path.string());
        put(_path, "1\n");  // e.g. another gateway took the name over meanwhile
    }
    ASSERT_TRUE(fs::exists(_path));
    EXPECT_EQ(PidFile::read(_path.string()), 1);
}

TEST_F(PidFileTest, AnUnwritableFolderIsAClearError) {
    const fs::path missing = _dir / "no-such-folder" / "gateway.pid";
    try {
        PidFile file(missing.string());
        FAIL() << "wrote into a folder that does not exist";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("pidfile " + missing.string() + ": cannot write"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(filesInDir(), 0u);
}

}  // namespace
}  // namespace gateway
