// --error-log: the server's own lines to a file (reopened on SIGUSR1 by the master and every
// worker) or to syslog; stderr by default.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"

using namespace gateway::test;

namespace {

/// The pids in "YYYY-MM-DD HH:MM:SS.mmm [PID] [Priority] text" lines containing `text`.
std::set<pid_t> pidsOfLinesWith(const std::string& log, const std::string& text) {
    std::set<pid_t> pids;
    std::size_t start = 0;
    while (start < log.size()) {
        std::size_t end = log.find('\n', start);
        if (end == std::string::npos) end = log.size();
        const std::string line = log.substr(start, end - start);
        start = end + 1;
        const std::size_t open = line.find(" [");
        if (line.find(text) == std::string::npos || open == std::string::npos) continue;
        pids.insert(static_cast<pid_t>(std::stol(line.substr(open + 2))));
    }
    return pids;
}

/// Whether process `pid` has `path` open (one of its /proc/PID/fd links names it).
bool holdsOpen(pid_t pid, const std::filesystem::path& path) {
    std::error_code error;
    const auto fds = std::filesystem::path("/proc") / std::to_string(pid) / "fd";
    for (const auto& fd : std::filesystem::directory_iterator(fds, error)) {
        const auto target = std::filesystem::read_symlink(fd.path(), error);
        if (!error && target == path) return true;
    }
    return false;
}

}  // namespace

class ErrorLog : public GatewayFixture {
protected:
    void SetUp() override { writeDoc("hello.txt", "hello, world\n"); }

    /// A request the worker answers 417 and logs at [Information], naming the client.
    void unsupportedExpect() {
        RawClient client(port());
        client.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n");
        EXPECT_EQ(client.readResponse().status, 417);
    }
};

TEST_F(ErrorLog, FileGetsTheLinesWithTheirPids) {
    const auto file = root() / "error.log";
    ASSERT_TRUE(startGateway({"--error-log", file.string(), "--workers", "1"}));
    unsupportedExpect();
    const pid_t master = gateway().pid();
    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    const std::string log = readFile(file);
    EXPECT_EQ(pidsOfLinesWith(log, "serving"), std::set<pid_t>{master}) << log;
    EXPECT_EQ(pidsOfLinesWith(log, "stopped"), std::set<pid_t>{master}) << log;
    const std::set<pid_t> worker = pidsOfLinesWith(log, "417 unsupported Expect");
    ASSERT_EQ(worker.size(), 1u) << log;
    EXPECT_NE(*worker.begin(), master);
    EXPECT_NE(log.find("] [Information] gateway "), std::string::npos) << log;
    // Nothing of it on stderr.
    EXPECT_EQ(gateway().log().find("serving"), std::string::npos) << gateway().log();
}

TEST_F(ErrorLog, SigusrOneReopensTheFileInTheMasterAndEveryWorker) {
    // Rotation as logrotate does it: rename, then SIGUSR1 to the master, which reopens its own
    // descriptor and tells the workers to reopen theirs.
    const auto file = root() / "error.log";
    const auto rotated = root() / "error.log.1";
    ASSERT_TRUE(startGateway({"--error-log", file.string(), "--workers", "2"}));
    const pid_t master = gateway().pid();
    std::vector<pid_t> processes = gateway().children();
    ASSERT_EQ(processes.size(), 2u);
    processes.push_back(master);
    std::filesystem::rename(file, rotated);
    gateway().signal(SIGUSR1);
    // Each process reopens when it reads the signal: poll (bounded) until every one of them
    // holds the new file and none the rotated one.
    const auto reopenedEverywhere = [&] {
        for (pid_t pid : processes)
            if (!holdsOpen(pid, file) || holdsOpen(pid, rotated)) return false;
        return true;
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!reopenedEverywhere() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling /proc
    EXPECT_TRUE(reopenedEverywhere()) << "a process still writes the rotated file";
    unsupportedExpect();
    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    const std::string fresh = readFile(file);
    EXPECT_NE(fresh.find("417 unsupported Expect"), std::string::npos) << fresh;
    EXPECT_EQ(pidsOfLinesWith(fresh, "stopped"), std::set<pid_t>{master}) << fresh;
    EXPECT_EQ(fresh.find("serving"), std::string::npos) << fresh;
    const std::string old = readFile(rotated);
    EXPECT_NE(old.find("serving"), std::string::npos) << old;
}

TEST_F(ErrorLog, SyslogIsAcceptedAndTheServerRuns) {
    // Whether a syslog daemon receives the lines cannot be observed here (there may be none):
    // this checks that the option starts a serving gateway whose lines leave stderr.
    ASSERT_TRUE(startGateway({"--error-log", "syslog", "--workers", "1"}));
    EXPECT_EQ(fetch(port(), "GET", "/hello.txt").status, 200);
    unsupportedExpect();
    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    EXPECT_EQ(gateway().log().find("serving"), std::string::npos) << gateway().log();
    EXPECT_EQ(gateway().log().find("417"), std::string::npos) << gateway().log();
}

TEST_F(ErrorLog, StderrByDefault) {
    ASSERT_TRUE(startGateway({"--workers", "1"}));
    unsupportedExpect();
    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    EXPECT_NE(gateway().log().find("] [Information] gateway "), std::string::npos);
    EXPECT_NE(gateway().log().find("417 unsupported Expect"), std::string::npos);
}
