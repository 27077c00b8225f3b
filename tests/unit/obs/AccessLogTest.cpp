#include "gateway/obs/AccessLog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace gateway {
namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(AccessLog, WritesCombinedFormatWithMicroseconds) {
    char path[] = "/tmp/gateway-access-XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    {
        AccessLog log(path);
        Request request;
        request.method = "GET";
        request.target = "/a?b=\"c\"";
        request.versionMinor = 1;
        request.headers[0] = {"User-Agent", "curl/8 \"quoted\""};
        request.headers[1] = {"Referer", "http://x/"};
        request.headerCount = 2;
        log.record(request, "127.0.0.1", 200, 1234, 56, 784111777);
    }  // destruction flushes
    const std::string line = readFile(path);
    ::unlink(path);
    EXPECT_EQ(line,
              "127.0.0.1 - - [06/Nov/1994:08:49:37 +0000] \"GET /a?b='c' HTTP/1.1\" 200 1234 "
              "\"http://x/\" \"curl/8 \\x22quoted\\x22\" 56\n");
}

TEST(AccessLog, UnparsedRequestAndEmptyBody) {
    char path[] = "/tmp/gateway-access-XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    {
        AccessLog log(path);
        log.record(Request{}, "::1", 400, 0, 7, 784111777);
    }
    const std::string line = readFile(path);
    ::unlink(path);
    EXPECT_EQ(line, "::1 - - [06/Nov/1994:08:49:37 +0000] \"-\" 400 - \"-\" \"-\" 7\n");
}

TEST(AccessLog, JsonLineHasEveryFieldEscaped) {
    char path[] = "/tmp/gateway-access-XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    {
        AccessLog log(path, AccessLog::Format::Json);
        Request request;
        request.method = "POST";
        request.target = "/app/x?q=\"1\"";
        request.versionMinor = 0;
        request.headers[0] = {"User-Agent", "a\"b\\c\td\xff\xc3\xa9"};
        request.headers[1] = {"X-Request-Id", "abc-123"};
        request.headerCount = 2;
        RequestIdGenerator ids(0);
        ids.assign(request.id, request.value("X-Request-Id"));
        log.record(request, "::1", 201, 42, 17, 784111777, "/app", "shop");
        log.record(Request{}, "127.0.0.1", 400, 0, 3, 784111777);
    }
    const std::string lines = readFile(path);
    ::unlink(path);
    const std::regex expected(
        R"(\{"time":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z","remote_addr":"::1",)"
        R"("method":"POST","target":"/app/x\?q=\\"1\\"","protocol":"HTTP/1.0","status":201,)"
        R"("bytes":42,"duration_us":17,"mount":"/app","app":"shop",)"
        R"("user_agent":"a\\"b\\\\c\\td\\u00ff\xc3\xa9","referer":null,"request_id":"abc-123"\}\n)"
        R"(\{"time":"[^"]+","remote_addr":"127.0.0.1","method":null,"target":null,)"
        R"("protocol":null,"status":400,"bytes":0,"duration_us":3,"mount":null,"app":null,)"
        R"("user_agent":null,"referer":null,"request_id":null\}\n)");
    EXPECT_TRUE(std::regex_match(lines, expected)) << lines;
}

TEST(AccessLog, FormatNamed) {
    EXPECT_EQ(AccessLog::formatNamed("json"), AccessLog::Format::Json);
    EXPECT_EQ(AccessLog::formatNamed("combined"), AccessLog::Format::Combined);
}

TEST(AccessLog, OffWhenTargetEmpty) {
    AccessLog log("");
    EXPECT_FALSE(log.enabled());
}

TEST(AccessLog, UnopenableFileIsAClearError) {
    EXPECT_THROW(AccessLog("/nonexistent-dir/access.log"), std::runtime_error);
}

}  // namespace
}  // namespace gateway
