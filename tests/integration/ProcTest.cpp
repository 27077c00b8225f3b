// Process files, privileges and systemd: --pidfile, --user, and the readiness notifications of
// a gateway started with $NOTIFY_SOCKET (README "Logging and signals", "Install").
#include <grp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempDir.h"

namespace gateway::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string contentOf(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<pid_t> childrenOf(pid_t pid) {
    std::vector<pid_t> pids;
    std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    for (pid_t child; in >> child;) pids.push_back(child);
    return pids;
}

/// The value of a /proc/PID/status line ("Uid", "Gid", "Groups"), tabs made blanks.
std::string statusLine(pid_t pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(key + ":")) {
            std::string value = line.substr(key.size() + 1);
            for (char& c : value)
                if (c == '\t') c = ' ';
            const auto first = value.find_first_not_of(' ');
            const auto last = value.find_last_not_of(' ');
            return first == std::string::npos ? "" : value.substr(first, last - first + 1);
        }
    return "(no " + key + " line)";
}

class Proc : public GatewayFixture {
protected:
    void SetUp() override { writeDoc("index.html", "<h1>hi</h1>\n"); }

    fs::path pidFile() const { return root() / "gateway.pid"; }

    Subprocess::Result signalCommand(const std::string& action) const {
        return Subprocess::run(
            {GatewayProcess::binary(), "-s", action, "--pidfile", pidFile().string()}, 10s);
    }
    /// A second gateway on the same docroot and pid file, run to completion.
    Subprocess::Result runAnother(std::vector<std::string> args) const {
        std::vector<std::string> argv = {GatewayProcess::binary(), "--port", "0", "--docroot",
                                         docroot().string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return Subprocess::run(argv, 20s);
    }
};

TEST_F(Proc, PidFileHoldsTheMasterPidUntilItExits) {
    ASSERT_TRUE(startGateway({"--workers", "2", "--pidfile", pidFile().string()}));
    EXPECT_EQ(contentOf(pidFile()), std::to_string(gateway().pid()) + "\n");
    for (const auto& entry : fs::directory_iterator(root()))
        EXPECT_FALSE(entry.path().string().ends_with(".tmp")) << entry.path();
    const auto status = stopGateway();
    EXPECT_TRUE(exitedWith(status, 0));
    EXPECT_FALSE(fs::exists(pidFile())) << "the pid file outlived the gateway";
}

TEST_F(Proc, PidFileInOneProcess) {
    ASSERT_TRUE(startGateway({"--workers", "0", "--pidfile", pidFile().string()}));
    EXPECT_EQ(contentOf(pidFile()), std::to_string(gateway().pid()) + "\n");
    EXPECT_TRUE(exitedWith(stopGateway(), 0));
    EXPECT_FALSE(fs::exists(pidFile()));
}

TEST_F(Proc, ASecondGatewayOnTheSamePidFileIsRefused) {
    ASSERT_TRUE(startGateway({"--workers", "1", "--pidfile", pidFile().string()}));
    const auto second = runAnother({"--workers", "1", "--pidfile", pidFile().string()});
    EXPECT_TRUE(exitedWith(second.status, 1))
        << (second.status ? Subprocess::describe(*second.status) : "still running") << "\n"
        << second.err;
    EXPECT_NE(second.err.find("gateway: pidfile " + pidFile().string() + " names gateway " +
                              std::to_string(gateway().pid()) + ", which is running"),
              std::string::npos)
        << second.err;
    EXPECT_EQ(contentOf(pidFile()), std::to_string(gateway().pid()) + "\n");
    EXPECT_EQ(fetch(port(), "GET", "/").status, 200) << "the first one was disturbed";
}

TEST_F(Proc, AStalePidFileIsReplaced) {
    const auto gone = Subprocess::run({"true"}, 10s);  // reaped: its pid names no process now
    ASSERT_TRUE(exitedWith(gone.status, 0));
    writeFile(pidFile(), "999999999\n");  // beyond pid_max: certainly no gateway
    ASSERT_TRUE(startGateway({"--workers", "1", "--pidfile", pidFile().string()}));
    EXPECT_EQ(contentOf(pidFile()), std::to_string(gateway().pid()) + "\n");
    EXPECT_TRUE(gateway().waitForLog("replaced a stale one")) << gateway().logTail();
}

TEST_F(Proc, SignalCommandsReachItThroughItsPidFile) {
    ASSERT_TRUE(startGateway({"--workers", "1", "--pidfile", pidFile().string()}));
    const auto reload = signalCommand("reload");
    EXPECT_TRUE(exitedWith(reload.status, 0)) << reload.err;
    EXPECT_TRUE(gateway().waitForLog("generation 2 serving")) << gateway().logTail();
    EXPECT_EQ(fetch(port(), "GET", "/").status, 200);
    const auto stop = signalCommand("stop");
    EXPECT_TRUE(exitedWith(stop.status, 0)) << stop.err;
    const auto status = gateway().waitExit(10s);
    ASSERT_TRUE(status) << "-s stop did not stop the gateway";
    EXPECT_TRUE(exitedWith(status, 0));
    EXPECT_FALSE(fs::exists(pidFile()));
    const auto after = signalCommand("reload");
    EXPECT_TRUE(exitedWith(after.status, 1));
    EXPECT_NE(after.err.find("cannot read " + pidFile().string()), std::string::npos) << after.err;
}

// --- systemd: Type=notify ------------------------------------------------------------------------

/// The socket systemd would listen on ($NOTIFY_SOCKET), a datagram socket in the test's folder.
class NotifySocket {
public:
    explicit NotifySocket(const fs::path& path) : _path(path) {
        _fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
        EXPECT_EQ(::bind(_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0)
            << std::strerror(errno);
    }
    ~NotifySocket() { ::close(_fd); }
    const fs::path& path() const { return _path; }

    /// The next message, waiting up to `timeout`; "" when none came.
    std::string next(std::chrono::milliseconds timeout = 15s) const {
        pollfd p{_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return "";
        char buffer[4096];
        const ssize_t n = ::recv(_fd, buffer, sizeof(buffer), 0);
        return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
    }

private:
    fs::path _path;
    int _fd = -1;
};

/// The gateway spawned directly (not through GatewayProcess, which waits for the ready file
/// first): the test must see READY=1 before it knows the gateway is ready by any other means.
class Notify : public Proc {
protected:
    void start(const std::vector<std::string>& extra) {
        std::vector<std::string> argv = {GatewayProcess::binary(),
                                         "--port",
                                         "0",
                                         "--docroot",
                                         docroot().string(),
                                         "--ready-file",
                                         readyFile().string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        ::setenv("NOTIFY_SOCKET", _socket.path().c_str(), 1);  // inherited by the spawn
        _process = std::make_unique<Subprocess>(argv, logFile(), logFile());
        ::unsetenv("NOTIFY_SOCKET");
    }
    void TearDown() override {
        if (_process && !_process->status()) {
            _process->signal(SIGTERM);
            EXPECT_TRUE(exitedWith(_process->wait(10s), 0));
        }
        if (HasFailure()) std::fprintf(stderr, "--- gateway log ---\n%s", log().c_str());
    }
    fs::path readyFile() const { return root() / "ready"; }
    fs::path logFile() const { return root() / "notify-gateway.log"; }
    std::string log() const { return contentOf(logFile()); }
    std::uint16_t readyPort() const {
        return static_cast<std::uint16_t>(std::stoul(contentOf(readyFile())));
    }

    NotifySocket _socket{root() / "notify"};
    std::unique_ptr<Subprocess> _process;
};

TEST_F(Notify, ReadyReloadingReadyStoppingInOrder) {
    start({"--workers", "2"});
    // READY=1 comes once the first generation serves: at once, a request is answered, and both
    // workers are there.
    const std::string ready = _socket.next();
    ASSERT_TRUE(ready.starts_with("READY=1\n")) << "first message: '" << ready << "'";
    EXPECT_NE(ready.find("MAINPID=" + std::to_string(_process->pid())), std::string::npos) << ready;
    EXPECT_NE(ready.find("STATUS=serving on 127.0.0.1:"), std::string::npos) << ready;
    ASSERT_TRUE(fs::exists(readyFile())) << "READY=1 before the gateway was ready";
    EXPECT_EQ(fetch(readyPort(), "GET", "/").status, 200);
    EXPECT_EQ(childrenOf(_process->pid()).size(), 2u);

    // A reload: RELOADING=1 (with the time systemd's notify-reload asks for), then READY=1 once
    // the new generation serves.
    _process->signal(SIGHUP);
    const std::string reloading = _socket.next();
    EXPECT_TRUE(reloading.starts_with("RELOADING=1\nMONOTONIC_USEC=")) << reloading;
    const std::string reloaded = _socket.next();
    EXPECT_TRUE(reloaded.starts_with("READY=1\n")) << reloaded;
    EXPECT_NE(log().find("generation 2 serving"), std::string::npos)
        << "READY=1 before the new generation served";
    EXPECT_NE(reloaded.find("generation 2"), std::string::npos) << reloaded;
    EXPECT_EQ(fetch(readyPort(), "GET", "/").status, 200);

    _process->signal(SIGTERM);
    EXPECT_EQ(_socket.next(), "STOPPING=1");
    EXPECT_TRUE(exitedWith(_process->wait(10s), 0));
    EXPECT_EQ(_socket.next(100ms), "") << "a message after STOPPING=1";
}

TEST_F(Notify, ARefusedReloadIsReadyAgainWithTheOldGeneration) {
    const fs::path config = root() / "gateway.ini";
    writeFile(config, "workers = 1\n");
    start({"--config", config.string()});
    ASSERT_TRUE(_socket.next().starts_with("READY=1\n"));
    writeFile(config, "workers = many\n");
    _process->signal(SIGHUP);
    EXPECT_TRUE(_socket.next().starts_with("RELOADING=1\n"));
    const std::string ready = _socket.next();
    EXPECT_TRUE(ready.starts_with("READY=1\n")) << ready;
    EXPECT_NE(ready.find("generation 1"), std::string::npos) << ready;
    EXPECT_NE(log().find("reload refused"), std::string::npos) << log();
    EXPECT_EQ(fetch(readyPort(), "GET", "/").status, 200);
}

TEST_F(Notify, OneProcessIsReadyAndStopping) {
    start({"--workers", "0"});
    const std::string ready = _socket.next();
    ASSERT_TRUE(ready.starts_with("READY=1\n")) << ready;
    EXPECT_NE(ready.find("in one process"), std::string::npos) << ready;
    EXPECT_EQ(fetch(readyPort(), "GET", "/").status, 200);
    _process->signal(SIGTERM);
    EXPECT_EQ(_socket.next(), "STOPPING=1");
    EXPECT_TRUE(exitedWith(_process->wait(10s), 0));
}

// --- --user --------------------------------------------------------------------------------------

class User : public Proc {
protected:
    void SetUp() override {
        Proc::SetUp();
        if (::geteuid() != 0) return;
        const passwd* nobody = ::getpwnam("nobody");
        ASSERT_NE(nobody, nullptr) << "this system has no user nobody";
        _uid = nobody->pw_uid;
        _gid = nobody->pw_gid;
        // nobody writes the ready file and the pid file here, and reads the docroot below it.
        ASSERT_EQ(::chown(root().c_str(), _uid, _gid), 0) << std::strerror(errno);
        fs::permissions(root(), fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec);
    }
    /// Uid and Gid (real, effective, saved, filesystem) are nobody's, and root's group is gone.
    void expectNobody(pid_t pid, const std::string& who) const {
        const std::string uid = std::to_string(_uid), gid = std::to_string(_gid);
        EXPECT_EQ(statusLine(pid, "Uid"), uid + " " + uid + " " + uid + " " + uid) << who;
        EXPECT_EQ(statusLine(pid, "Gid"), gid + " " + gid + " " + gid + " " + gid) << who;
        std::istringstream groups(statusLine(pid, "Groups"));
        for (std::string group; groups >> group;) EXPECT_NE(group, "0") << who;
    }
    uid_t _uid = 0;
    gid_t _gid = 0;
};

TEST_F(User, MasterAndWorkersRunAsTheUserAndServe) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop privileges (CI runs as root)";
    ASSERT_TRUE(
        startGateway({"--workers", "2", "--user", "nobody", "--pidfile", pidFile().string()}));
    expectNobody(gateway().pid(), "master");
    const std::vector<pid_t> workers = gateway().children();
    EXPECT_EQ(workers.size(), 2u);
    for (pid_t worker : workers) expectNobody(worker, "worker " + std::to_string(worker));
    const FetchResult page = fetch(port(), "GET", "/index.html");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body, "<h1>hi</h1>\n");
    EXPECT_NE(gateway().log().find("running as --user nobody"), std::string::npos);
    EXPECT_TRUE(exitedWith(stopGateway(), 0));
    EXPECT_FALSE(fs::exists(pidFile())) << "nobody owns the folder: it could remove its pid file";
}

TEST_F(User, BindsAPrivilegedPortBeforeDropping) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to bind a port below 1024";
    // A free port below 1024: probed here, then given to the gateway (nothing else in this test
    // binds loopback ports below 1024).
    std::uint16_t free = 0;
    for (std::uint16_t candidate = 1023; candidate > 900 && !free; --candidate) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(candidate);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0)
            free = candidate;
        ::close(fd);
    }
    if (!free) GTEST_SKIP() << "no free port between 901 and 1023 on loopback";
    GatewayProcess::Options options;
    options.docroot = docroot();
    options.ephemeralPort = false;
    options.args = {"--port", std::to_string(free), "--workers", "1", "--user", "nobody"};
    ASSERT_TRUE(startGatewayWith(options));
    EXPECT_EQ(port(), free);
    expectNobody(gateway().pid(), "master");
    EXPECT_EQ(fetch(port(), "GET", "/index.html").status, 200);
}

TEST_F(User, AnUnknownUserIsRefused) {
    const auto run = runAnother({"--user", "gateway-no-such-user"});
    EXPECT_TRUE(exitedWith(run.status, 2)) << run.err;
    EXPECT_NE(run.err.find("gateway: --user gateway-no-such-user: no user "
                           "'gateway-no-such-user' on this system"),
              std::string::npos)
        << run.err;
    const auto check = runAnother({"-t", "--user", "nobody:gateway-no-such-group"});
    EXPECT_TRUE(exitedWith(check.status, 2)) << check.err;
    EXPECT_NE(check.err.find("no group 'gateway-no-such-group'"), std::string::npos) << check.err;
}

TEST_F(User, RootIsRefusedAsTheUserToDropTo) {
    const auto run = runAnother({"--user", "root", "--pidfile", pidFile().string()});
    EXPECT_TRUE(exitedWith(run.status, 2)) << run.err;
    EXPECT_NE(run.err.find("gateway: --user root is root: refusing to keep running as root"),
              std::string::npos)
        << run.err;
    EXPECT_FALSE(fs::exists(pidFile())) << "a refused start left its pid file";
}

TEST_F(User, WithoutRootAnotherUserIsAnError) {
    if (::geteuid() == 0) GTEST_SKIP() << "runs as root: MasterAndWorkersRunAsTheUserAndServe";
    const std::string other = ::geteuid() == 54321 ? "54322:54322" : "54321:54321";
    const auto run = runAnother({"--user", other});
    EXPECT_TRUE(exitedWith(run.status, 2)) << run.err;
    EXPECT_NE(run.err.find("switching to another user needs root"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace gateway::test
