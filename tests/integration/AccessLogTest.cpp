// Access log: Combined Log Format plus the request time in µs, to a file or stdout.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

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
