#include "gateway/obs/AccessLog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
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

TEST(AccessLog, OffWhenTargetEmpty) {
    AccessLog log("");
    EXPECT_FALSE(log.enabled());
}

TEST(AccessLog, UnopenableFileIsAClearError) {
    EXPECT_THROW(AccessLog("/nonexistent-dir/access.log"), std::runtime_error);
}

}  // namespace
}  // namespace gateway
