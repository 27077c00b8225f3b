// ABI 1.1 send_file through the real gateway, from the C test plugin files.c built twice (served
// on the event loop and on the handler pool): 200 with Content-Length and the exact bytes, HEAD
// framed as GET, 304 from the C conditional helpers (gateway/http.h), an 8 MiB file while the
// loop keeps serving, a client that hangs up mid-file (an INFO line), no descriptor left open,
// and the plugin built against the frozen 1.0 header still loading beside them.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"

#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif
#ifndef GATEWAY_FROZEN_PLUGIN
#error "GATEWAY_FROZEN_PLUGIN must name the plugin built against the frozen 1.0 header"
#endif

using namespace gateway::test;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBig = 8u << 20;

}  // namespace

/// The parameter: the mount, "files_inline" (GW_APP_NON_BLOCKING) or "files_pool".
class AppsSendFile : public GatewayFixture, public ::testing::WithParamInterface<const char*> {
protected:
    void SetUp() override {
        _files = root() / "files";
        fs::create_directories(_files);
        writeFile(_files / "small.txt", "hello from send_file\n");
        _big = patternBytes(kBig);
        writeFile(_files / "big.bin", _big);
        const auto apps = root() / "apps";
        fs::create_directories(apps);
        for (const char* name : {"files_inline.so", "files_pool.so"})
            fs::copy_file(fs::path(GATEWAY_TEST_PLUGINS_DIR) / name, apps / name);
        fs::copy_file(GATEWAY_FROZEN_PLUGIN, apps / "frozen.so");
        writeFile(root() / "gateway.ini", "[app.files_inline]\nroot = " + _files.string() +
                                              "\n[app.files_pool]\nroot = " + _files.string() +
                                              "\n");
        ASSERT_TRUE(
            startGateway({"--apps", apps.string(), "--config", (root() / "gateway.ini").string()}));
    }

    std::string target(const std::string& file) const {
        return "/" + std::string(GetParam()) + "/" + file;
    }
    RawResponse send(const std::string& method, const std::string& file,
                     const std::string& headers = "") {
        RawClient client(port());
        client.send(httpRequest(method, target(file), headers));
        return client.readResponse(method == "HEAD");
    }

    /// Descriptors of the gateway's processes open on a file below files/.
    std::size_t openServedFiles() {
        std::vector<pid_t> pids = gateway().children();
        pids.push_back(gateway().pid());
        std::size_t count = 0;
        for (const pid_t pid : pids) {
            std::error_code error;
            for (const auto& fd :
                 fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error)) {
                std::error_code linkError;
                const fs::path link = fs::read_symlink(fd.path(), linkError);
                if (!linkError && link.parent_path() == _files) ++count;
            }
        }
        return count;
    }
    /// Waits (bounded) until no gateway process holds a served file open: the last byte can
    /// reach the client a moment before the worker drops the descriptor.
    bool noServedFileOpen() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (openServedFiles() != 0) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling /proc
        }
        return true;
    }

    fs::path _files;
    std::string _big;
};

TEST_P(AppsSendFile, WholeFileWithContentLength) {
    const RawResponse got = send("GET", "small.txt");
    ASSERT_EQ(got.status, 200) << got.head;
    EXPECT_EQ(got.body, "hello from send_file\n");
    EXPECT_EQ(got.header("Content-Length"), "21") << got.head;
    EXPECT_FALSE(got.header("Transfer-Encoding")) << got.head;
    EXPECT_EQ(got.header("Content-Type"), "application/octet-stream");
    EXPECT_TRUE(got.header("ETag")) << got.head;
    EXPECT_TRUE(got.header("Last-Modified")) << got.head;
    EXPECT_TRUE(noServedFileOpen());
}

TEST_P(AppsSendFile, HeadFramedAsGet) {
    const RawResponse get = send("GET", "small.txt");
    const RawResponse head = send("HEAD", "small.txt");
    ASSERT_EQ(head.status, 200) << head.head;
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.header("Content-Length"), get.header("Content-Length")) << head.head;
    EXPECT_EQ(head.header("ETag"), get.header("ETag"));
    EXPECT_FALSE(head.header("Transfer-Encoding")) << head.head;
    EXPECT_TRUE(noServedFileOpen());
}

TEST_P(AppsSendFile, NotModifiedFromTheCHelpers) {
    const RawResponse get = send("GET", "small.txt");
    ASSERT_TRUE(get.header("ETag")) << get.head;
    const std::string etag = *get.header("ETag");
    const RawResponse same = send("GET", "small.txt", "If-None-Match: W/" + etag + "\r\n");
    EXPECT_EQ(same.status, 304) << same.head;
    EXPECT_TRUE(same.body.empty());
    EXPECT_EQ(same.header("ETag"), etag);
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2): a stale tag is a 200.
    const RawResponse stale = send(
        "GET", "small.txt",
        "If-None-Match: \"other\"\r\nIf-Modified-Since: " + *get.header("Last-Modified") + "\r\n");
    EXPECT_EQ(stale.status, 200) << stale.head;
    EXPECT_EQ(stale.body, "hello from send_file\n");
    const RawResponse since =
        send("GET", "small.txt", "If-Modified-Since: " + *get.header("Last-Modified") + "\r\n");
    EXPECT_EQ(since.status, 304) << since.head;
    EXPECT_TRUE(noServedFileOpen());
}

TEST_P(AppsSendFile, LargeFileWhileTheLoopServesOthers) {
    // A client that reads slowly holds an 8 MiB response in flight; other requests meanwhile
    // are answered (the file goes out from the loop as the socket takes it, nothing blocks).
    RawClient slow(port(), "127.0.0.1", /*receiveBuffer=*/64 * 1024);
    slow.send(httpRequest("GET", target("big.bin")));
    slow.readAtLeast(1);
    const RawResponse other = send("GET", "small.txt");
    EXPECT_EQ(other.status, 200) << other.head;
    const RawResponse big = slow.readResponse();
    ASSERT_EQ(big.status, 200) << big.head;
    EXPECT_EQ(big.header("Content-Length"), std::to_string(kBig));
    EXPECT_TRUE(big.body == _big) << "body of " << big.body.size() << " bytes differs";
    EXPECT_TRUE(noServedFileOpen());
}

TEST_P(AppsSendFile, ClientHangingUpMidFileIsInfoAndClosesTheFile) {
    {
        RawClient client(port(), "127.0.0.1", /*receiveBuffer=*/16 * 1024);
        client.send(httpRequest("GET", target("big.bin")));
        client.readAtLeast(1);
    }  // closed with most of the file unread: the worker's next send fails
    ASSERT_TRUE(gateway().waitForLog("left mid-response")) << gateway().logTail();
    const std::string log = gateway().log();
    const std::size_t at = log.find("left mid-response");
    const std::size_t lineStart = log.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
    EXPECT_NE(log.substr(lineStart, at - lineStart).find("[Information]"), std::string::npos)
        << log.substr(lineStart, log.find('\n', at) - lineStart);
    EXPECT_TRUE(noServedFileOpen());
    EXPECT_EQ(send("GET", "small.txt").status, 200);  // the worker serves on
}

TEST_P(AppsSendFile, NoSuchFileIsTheAppsOwn404) {
    const RawResponse missing = send("GET", "nope.txt");
    EXPECT_EQ(missing.status, 404) << missing.head;
    EXPECT_EQ(missing.body, "no such file");
}

INSTANTIATE_TEST_SUITE_P(Apps, AppsSendFile, ::testing::Values("files_inline", "files_pool"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                             return std::string(info.param);
                         });

// A plugin built against the frozen 1.0 header, whose host table ends before send_file, loads
// and serves beside the 1.1 plugins.
TEST_F(AppsSendFile, FrozenPluginServesBesideSendFilePlugins) {
    RawClient client(port());
    const std::string body(1000, 'b');
    client.send(httpRequest("POST", "/frozen/x%20y",
                            "Content-Length: " + std::to_string(body.size()) + "\r\n") +
                body);
    const RawResponse got = client.readResponse();
    ASSERT_EQ(got.status, 200) << got.head;
    EXPECT_EQ(got.header("X-Frozen-ABI"), "1.0");
    EXPECT_EQ(got.body, "frozen:/x y|1000|connection closed");
}
