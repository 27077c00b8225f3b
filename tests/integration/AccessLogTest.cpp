// Access log: Combined Log Format plus the request time in µs, to a file or stdout.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"

using namespace gateway::test;

namespace {

/// 127.0.0.1 - - [25/Nov/2026:13:55:00 +0000] "GET /x HTTP/1.1" 200 13 "-" "ua" 123
std::regex combinedLine(const std::string& request, int status, const std::string& bytes,
                        const std::string& referer, const std::string& agent) {
    auto quote = [](const std::string& s) {
        return std::regex_replace(s, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
    };
    return std::regex(
        "127\\.0\\.0\\.1 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] \"" +
        quote(request) + "\" " + std::to_string(status) + " " + bytes + " \"" + quote(referer) +
        "\" \"" + quote(agent) + "\" \\d+");
}

bool hasLine(const std::string& log, const std::regex& pattern) {
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        if (std::regex_match(line, pattern)) return true;
    }
    return false;
}

}  // namespace

class AccessLog : public GatewayFixture {
protected:
    void SetUp() override { writeDoc("hello.txt", "hello, world\n"); }

    void makeRequests() {
        EXPECT_EQ(fetch(port(), "GET", "/hello.txt", {{"User-Agent", "itest-agent/1.0"}}).status,
                  200);
        EXPECT_EQ(fetch(port(), "GET", "/missing?q=1",
                        {{"User-Agent", "itest-agent/2.0"}, {"Referer", "http://ref.example/page"}})
                      .status,
                  404);
        EXPECT_EQ(fetch(port(), "HEAD", "/hello.txt", {{"User-Agent", "itest-agent/3.0"}}).status,
                  200);
    }
    void expectLines(const std::string& log) {
        EXPECT_TRUE(hasLine(
            log, combinedLine("GET /hello.txt HTTP/1.1", 200, "13", "-", "itest-agent/1.0")))
            << log;
        EXPECT_TRUE(hasLine(log, combinedLine("GET /missing?q=1 HTTP/1.1", 404, "\\d+",
                                              "http://ref.example/page", "itest-agent/2.0")))
            << log;
        // HEAD sends no body: CLF logs the bytes sent, "-" or 0.
        EXPECT_TRUE(hasLine(
            log, combinedLine("HEAD /hello.txt HTTP/1.1", 200, "(0|-)", "-", "itest-agent/3.0")))
            << log;
    }
};

TEST_F(AccessLog, WritesCombinedFormatToFile) {
    const auto file = root() / "access.log";
    ASSERT_TRUE(startGateway({"--access-log", file.string()}));
    makeRequests();
    ASSERT_TRUE(exitedWith(stopGateway(), 0));  // a graceful exit flushes the log
    expectLines(readFile(file));
}

TEST_F(AccessLog, DashWritesToStdout) {
    ASSERT_TRUE(startGateway({"--access-log", "-"}));
    makeRequests();
    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    expectLines(gateway().log());
}

TEST_F(AccessLog, OffByDefault) {
    ASSERT_TRUE(startGateway());
    makeRequests();
    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    EXPECT_EQ(gateway().log().find("\"GET /hello.txt HTTP/1.1\""), std::string::npos)
        << gateway().log();
}

TEST_F(AccessLog, SigusrOneReopensTheFileInEveryWorker) {
    // Rotation as logrotate does it: rename, then SIGUSR1 to the master, which tells the workers.
    const auto file = root() / "access.log";
    const auto rotated = root() / "access.log.1";
    ASSERT_TRUE(startGateway({"--access-log", file.string(), "--workers", "2"}));
    EXPECT_EQ(fetch(port(), "GET", "/hello.txt", {{"User-Agent", "before/1.0"}}).status, 200);
    std::filesystem::rename(file, rotated);
    gateway().signal(SIGUSR1);
    // Each worker reopens when it reads the signal; poll until the new file has a new request
    // (every worker writes once a second at most).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string fresh;
    while (std::chrono::steady_clock::now() < deadline && fresh.find("after/1.0") == fresh.npos) {
        EXPECT_EQ(fetch(port(), "GET", "/hello.txt", {{"User-Agent", "after/1.0"}}).status, 200);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a file
        if (std::filesystem::exists(file)) fresh = readFile(file);
    }
    EXPECT_NE(fresh.find("after/1.0"), std::string::npos) << "nothing reached the new file";
    EXPECT_EQ(fresh.find("before/1.0"), std::string::npos) << fresh;
    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    const std::string old = readFile(rotated);
    EXPECT_NE(old.find("before/1.0"), std::string::npos) << old;
}
