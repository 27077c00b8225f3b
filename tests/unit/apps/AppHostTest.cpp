#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "gateway/apps/AppHost.h"
#include "gateway/apps/AppLoader.h"
#include "gateway/config/Settings.h"
#include "gateway/http/RequestParser.h"
#include "gateway/route/ClientChannel.h"
#include "tests/unit/apps/PluginsDir.h"

namespace gateway {
namespace {

/// Records what the offloaded job did to the connection.
class FakeChannel final : public ClientChannel {
public:
    explicit FakeChannel(const Request& request) : _request(request) {}
    const Request& request() const override { return _request; }
    std::string_view peerAddress() override { return "127.0.0.9"; }
    std::uint16_t peerPort() const override { return 4242; }
    std::uint16_t localPort() const override { return 8443; }
    ReadStatus readBody(void*, std::size_t, std::size_t& got, std::uint64_t) override {
        got = 0;
        return ReadStatus::End;
    }
    bool sendHead(const Response& head, std::int64_t contentLength, bool close) override {
        status = head.status;
        headers = head.headers;
        length = contentLength;
        closeAfter = close;
        headSentFlag = true;
        return true;
    }
    bool sendBody(std::string_view data) override {
        body.append(data);
        return true;
    }
    bool sendFile(std::shared_ptr<const void> pin, int fd, std::uint64_t offset,
                  std::uint64_t length) override {
        filePin = std::move(pin);
        fileFd = fd;
        fileOffset = offset;
        fileLength = length;
        return true;
    }
    bool endBody() override {
        ended = true;
        return true;
    }
    bool headSent() const override { return headSentFlag; }
    void sendError(int code) override { error = code; }
    void abort() override { aborted = true; }
    void decline() override { declined = true; }

    int status = 0;
    std::string headers;
    std::int64_t length = -2;
    bool closeAfter = false;
    bool headSentFlag = false;
    std::string body;
    std::shared_ptr<const void> filePin;
    int fileFd = -1;
    std::uint64_t fileOffset = 0;
    std::uint64_t fileLength = 0;
    bool ended = false;
    int error = 0;
    bool aborted = false;
    bool declined = false;

private:
    const Request& _request;
};

class AppHostTest : public ::testing::Test {
protected:
    AppHost& host(const std::string& plugin, std::string mount = "") {
        auto app = AppLoader::load(testPlugin(plugin));
        AppInstance::Config config;
        config.mount = mount.empty() ? "/" + plugin : mount;
        auto instance = std::make_shared<AppInstance>(app, config);
        instance->init();
        _host = std::make_unique<AppHost>(instance, AppHost::Options{});
        return *_host;
    }
    const Request& parse(const std::string& raw) {
        _raw = raw;
        RequestParser parser(parserLimitsOf(Settings{}));
        EXPECT_EQ(parser.parse(_raw, _request), RequestParser::Status::Complete);
        return _request;
    }
    HandlerResult handle(const std::string& target, const std::string& mount) {
        const Request& request = parse("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
        _response.reset();
        return _host->handle(request, request.path.substr(mount.size()), _response);
    }

    std::unique_ptr<AppHost> _host;
    std::string _raw;
    Request _request;
    Response _response;
};

TEST_F(AppHostTest, InlineAppFillsTheResponse) {
    REQUIRE_TEST_PLUGINS();
    host("good");
    for (int round = 0; round < 3; ++round) {  // the inline context is reused
        ASSERT_EQ(handle("/good/x", "/good"), HandlerResult::Done);
        EXPECT_EQ(_response.status, 200);
        EXPECT_EQ(_response.memory, "good");
        EXPECT_EQ(_response.length, 4u);
        EXPECT_EQ(_response.headers, "Content-Type: text/plain\r\n");
        EXPECT_FALSE(_response.closeConnection);
    }
}

TEST_F(AppHostTest, DeclineFallsThrough) {
    REQUIRE_TEST_PLUGINS();
    host("declines");
    EXPECT_EQ(handle("/declines/a", "/declines"), HandlerResult::Declined);
}

TEST_F(AppHostTest, PathClimbingAboveTheMountIsDeclined) {
    REQUIRE_TEST_PLUGINS();
    host("good");
    EXPECT_EQ(handle("/good/../etc", "/good"), HandlerResult::Declined);
    EXPECT_EQ(handle("/good/a%00b", "/good"), HandlerResult::Declined);
    EXPECT_EQ(handle("/good/a/../b", "/good"), HandlerResult::Done);
}

TEST_F(AppHostTest, InlineFailuresAre500AndClose) {
    REQUIRE_TEST_PLUGINS();
    for (const char* plugin : {"no_response", "crlf_header", "throws"}) {
        SCOPED_TRACE(plugin);
        host(plugin);
        ASSERT_EQ(handle(std::string("/") + plugin, std::string("/") + plugin),
                  HandlerResult::Done);
        EXPECT_EQ(_response.status, 500);
        EXPECT_TRUE(_response.closeConnection);
        EXPECT_EQ(_response.headers.find("X-Injected"), std::string::npos);
    }
}

TEST_F(AppHostTest, InlineShortBodyKeepsLengthAndCloses) {
    REQUIRE_TEST_PLUGINS();
    host("short_length");
    ASSERT_EQ(handle("/short_length", "/short_length"), HandlerResult::Done);
    EXPECT_EQ(_response.length, 10u);
    EXPECT_EQ(_response.memory, "short");
    EXPECT_TRUE(_response.closeConnection);
}

TEST_F(AppHostTest, DoubleStartKeepsTheFirst) {
    REQUIRE_TEST_PLUGINS();
    host("double_start");
    ASSERT_EQ(handle("/double_start", "/double_start"), HandlerResult::Done);
    EXPECT_EQ(_response.status, 200);
    EXPECT_EQ(_response.memory, "first stays");
}

TEST_F(AppHostTest, BlockingAppIsOffloaded) {
    REQUIRE_TEST_PLUGINS();
    host("returns_error");
    ASSERT_EQ(handle("/returns_error", "/returns_error"), HandlerResult::Offload);
    ASSERT_TRUE(_response.offload);
    FakeChannel channel(_request);
    _response.offload(channel);
    EXPECT_EQ(channel.error, 500);
    EXPECT_FALSE(channel.headSentFlag);
}

TEST_F(AppHostTest, OffloadedLongBodyIsCutAndAborted) {
    REQUIRE_TEST_PLUGINS();
    host("long_length");
    ASSERT_EQ(handle("/long_length", "/long_length"), HandlerResult::Offload);
    FakeChannel channel(_request);
    _response.offload(channel);
    EXPECT_EQ(channel.status, 200);
    EXPECT_EQ(channel.length, 4);
    EXPECT_EQ(channel.body, "long");
    EXPECT_TRUE(channel.aborted);
}

TEST_F(AppHostTest, MountBodyLimitAnswers413WithoutCallingTheApp) {
    REQUIRE_TEST_PLUGINS();
    auto app = AppLoader::load(testPlugin("good"));
    AppInstance::Config config;
    config.mount = "/good";
    config.bodyLimit = 10;
    auto instance = std::make_shared<AppInstance>(app, config);
    instance->init();
    AppHost limited(instance, {});
    const Request& request = parse("POST /good HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n");
    Response response;
    EXPECT_EQ(limited.handle(request, "", response), HandlerResult::Done);
    EXPECT_EQ(response.status, 413);
}

}  // namespace
}  // namespace gateway
