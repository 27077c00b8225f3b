#include "gateway/process/SystemdNotify.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>

namespace gateway {
namespace {

namespace fs = std::filesystem;

/// A datagram socket standing in for systemd's: bound to a path, or to an abstract name.
class Receiver {
public:
    /// `name`: a path, or an abstract name after a leading '@'.
    explicit Receiver(const std::string& name) {
        _fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, name.data(), name.size());
        socklen_t length = offsetof(sockaddr_un, sun_path) + name.size();
        if (name[0] == '@')
            address.sun_path[0] = '\0';
        else
            ++length;
        EXPECT_EQ(::bind(_fd, reinterpret_cast<sockaddr*>(&address), length), 0)
            << std::strerror(errno);
    }
    ~Receiver() { ::close(_fd); }

    /// The next datagram, waiting up to 5 s; "" when none came.
    std::string next() {
        pollfd p{_fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) != 1) return "";
        char buffer[4096];
        const ssize_t n = ::recv(_fd, buffer, sizeof(buffer), 0);
        return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
    }

private:
    int _fd = -1;
};

class SystemdNotifyTest : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/gateway-notify-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        _dir = pattern;
    }
    void TearDown() override { fs::remove_all(_dir); }
    fs::path _dir;
};

TEST_F(SystemdNotifyTest, SendsADatagramToASocketPath) {
    const std::string path = (_dir / "notify").string();
    Receiver systemd(path);
    const SystemdNotify notify(path);
    ASSERT_TRUE(notify.active());
    EXPECT_TRUE(notify.send("READY=1\nSTATUS=serving"));
    EXPECT_EQ(systemd.next(), "READY=1\nSTATUS=serving");
    EXPECT_TRUE(notify.send("STOPPING=1"));
    EXPECT_EQ(systemd.next(), "STOPPING=1");
}

TEST_F(SystemdNotifyTest, SendsADatagramToAnAbstractName) {
    const std::string name =
        "@gateway-notify-test-" + std::to_string(::getpid()) + "-" + _dir.filename().string();
    Receiver systemd(name);
    const SystemdNotify notify(name);
    ASSERT_TRUE(notify.active());
    EXPECT_TRUE(notify.send("RELOADING=1"));
    EXPECT_EQ(systemd.next(), "RELOADING=1");
}

TEST_F(SystemdNotifyTest, ReadsAndUnsetsNotifySocket) {
    const std::string path = (_dir / "notify").string();
    Receiver systemd(path);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    const SystemdNotify notify = SystemdNotify::fromEnvironment();
    EXPECT_EQ(std::getenv("NOTIFY_SOCKET"), nullptr) << "workers would inherit it";
    EXPECT_TRUE(notify.send("READY=1"));
    EXPECT_EQ(systemd.next(), "READY=1");
}

TEST_F(SystemdNotifyTest, WithoutASocketNothingIsSent) {
    ::unsetenv("NOTIFY_SOCKET");
    EXPECT_FALSE(SystemdNotify::fromEnvironment().active());
    for (const char* address : {"", "relative/path", "vsock:2:1234", "@"})
        EXPECT_FALSE(SystemdNotify(address).active()) << address;
    EXPECT_FALSE(SystemdNotify("").send("READY=1"));
    const SystemdNotify gone((_dir / "nobody-listens").string());
    EXPECT_TRUE(gone.active());
    EXPECT_FALSE(gone.send("READY=1")) << "a socket nobody listens on is an error, not a crash";
}

TEST_F(SystemdNotifyTest, MonotonicUsecIsTheMonotonicClock) {
    timespec before{};
    ::clock_gettime(CLOCK_MONOTONIC, &before);
    const long long usec = std::stoll(SystemdNotify::monotonicUsec());
    timespec after{};
    ::clock_gettime(CLOCK_MONOTONIC, &after);
    EXPECT_GE(usec, before.tv_sec * 1000000LL + before.tv_nsec / 1000);
    EXPECT_LE(usec, after.tv_sec * 1000000LL + after.tv_nsec / 1000);
}

}  // namespace
}  // namespace gateway
