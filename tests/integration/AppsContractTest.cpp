// Where sdk/docs/SPEC.md, gateway.h and the real binary must agree (issue 9): config entries in
// file order, app log lines tagged with the app, its mount and the request, a client that hangs
// up mid-upload logged once at INFO with the request, and HEAD framed as GET is or not at all.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"

#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif
#ifndef GATEWAY_APPS_DIR
#error "GATEWAY_APPS_DIR must name the folder of the example app plugins"
#endif

using namespace gateway::test;

namespace {

/// The lines of `text` that contain `needle`.
std::vector<std::string> linesWith(const std::string& text, const std::string& needle) {
    std::vector<std::string> found;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos) found.push_back(line);
    return found;
}

}  // namespace

class AppsContract : public GatewayFixture {
protected:
    /// The example apps and the test plugins config_echo and logs in a fresh apps folder, plus
    /// a config file `configName` holding `config` when it is not empty.
    ::testing::AssertionResult start(const std::string& config = "",
                                     const std::string& configName = "gateway.ini") {
        const auto apps = root() / "apps";
        std::filesystem::create_directories(apps);
        for (const auto& entry : std::filesystem::directory_iterator(GATEWAY_APPS_DIR))
            if (entry.path().extension() == ".so")
                std::filesystem::copy_file(entry.path(), apps / entry.path().filename());
        for (const char* name : {"config_echo.so", "logs.so"})
            std::filesystem::copy_file(std::filesystem::path(GATEWAY_TEST_PLUGINS_DIR) / name,
                                       apps / name);
        std::vector<std::string> args = {"--apps", apps.string()};
        if (!config.empty()) {
            writeFile(root() / configName, config);
            args.insert(args.end(), {"--config", (root() / configName).string()});
        }
        return startGateway(args);
    }
    RawResponse get(const std::string& method, const std::string& target) {
        RawClient client(port());
        client.send(httpRequest(method, target));
        return client.readResponse(method == "HEAD");
    }
};

TEST_F(AppsContract, InitGetsTheSectionInFileOrderHostKeysWhereWritten) {
    ASSERT_TRUE(start(
        "[app.config_echo]\nzeta = 1\nmount = /ce\nalpha = two words\nbody_limit = 1k\nmid = 3\n"));
    const RawResponse r = get("GET", "/ce");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "zeta=1\nmount=/ce\nalpha=two words\nbody_limit=1k\nmid=3\n");
}

TEST_F(AppsContract, SectionsNamingOnePluginServeTheirOwnConfigAtTheirOwnMounts) {
    ASSERT_TRUE(
        start("[app.one]\nplugin = config_echo\nmount = /one\nwho = first\n"
              "[app.two]\nplugin = config_echo\nwho = second\n"));
    EXPECT_EQ(get("GET", "/one").body, "plugin=config_echo\nmount=/one\nwho=first\n");
    // No mount key: "/" + the section's NAME.
    EXPECT_EQ(get("GET", "/two").body, "plugin=config_echo\nwho=second\n");
    // The plugin runs only as those apps: no default /config_echo instance.
    EXPECT_EQ(get("GET", "/config_echo").status, 404);
    const std::string log = gateway().log();
    EXPECT_FALSE(linesWith(log, "two at /two: init saw 2 entries").empty()) << log;
    EXPECT_EQ(log.find("matches no plugin"), std::string::npos) << log;
}

TEST_F(AppsContract, SectionNamingAnUnknownPluginIsAnErrorNamingFileAndKey) {
    ASSERT_TRUE(start("[app.shop]\nplugin = nosuch\n"));
    gateway().expectAlert("no plugin nosuch");
    ASSERT_TRUE(gateway().waitForLog("no plugin nosuch")) << gateway().logTail();
    const auto lines = linesWith(gateway().log(), "no plugin nosuch");
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines[0].find("[Error]"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find((root() / "gateway.ini").string() +
                            ": [app.shop] plugin: no plugin "
                            "nosuch in " +
                            (root() / "apps").string()),
              std::string::npos)
        << lines[0];
    EXPECT_EQ(get("GET", "/hello").status, 200);  // the others serve
}

TEST_F(AppsContract, PropertiesFileKeepsFileOrderToo) {
    ASSERT_TRUE(
        start("app.config_echo.mount = /ce\napp.config_echo.b = 1\n"
              "app.config_echo.a = 2\n",
              "gateway.properties"));
    EXPECT_EQ(get("GET", "/ce").body, "mount=/ce\nb=1\na=2\n");
}

TEST_F(AppsContract, InitAndRequestLogLinesNameAppMountAndRequest) {
    ASSERT_TRUE(start("[app.config_echo]\nmount = /ce\nx = 1\n"));
    RawClient client(port());
    client.send(httpRequest("GET", "/ce", "X-Request-Id: contract-log-1\r\n"));
    EXPECT_EQ(client.readResponse().status, 200);
    EXPECT_TRUE(gateway().waitForLog("]: serving the config")) << gateway().logTail();
    const std::string log = gateway().log();
    // Each worker runs init: every "init saw" line, one per worker, names the app and mount.
    const auto initLines = linesWith(log, "init saw 2 entries");
    EXPECT_FALSE(initLines.empty()) << log;
    for (const std::string& line : initLines)
        EXPECT_NE(line.find("[Information] config_echo at /ce: init saw"), std::string::npos)
            << line;
    EXPECT_EQ(
        linesWith(log, "config_echo at /ce [request_id=contract-log-1]: serving the config").size(),
        1u)
        << log;
    EXPECT_TRUE(linesWith(log, "] app: ").empty()) << "a line without its app: " << log;
}

TEST_F(AppsContract, ClientGoneMidUploadIsOneInfoLineNamingTheRequest) {
    // echo reads its body; with request_buffering off it reads it from the socket on the pool.
    ASSERT_TRUE(start("[app.echo]\nrequest_buffering = off\n"));
    {
        RawClient client(port());
        client.send(
            httpRequest("POST", "/echo/up", "X-Request-Id: gone-1\r\nContent-Length: 100000\r\n") +
            std::string(1000, 'x'));
    }  // closed 99000 bytes short
    ASSERT_TRUE(gateway().waitForLog("gone-1")) << gateway().logTail();
    ASSERT_TRUE(stopGateway().has_value());  // waits for the request to end: every line is out
    const std::string log = gateway().log();
    const auto lines = linesWith(log, "gone-1");
    ASSERT_EQ(lines.size(), 1u) << log;
    EXPECT_NE(lines[0].find("[Information]"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("echo at /echo [request_id=gone-1]: request failed: connection closed"),
              std::string::npos)
        << lines[0];
    EXPECT_EQ(log.find("sent no response"), std::string::npos) << log;
    EXPECT_EQ(log.find("left before its request body"), std::string::npos) << log;
}

TEST_F(AppsContract, HeadIsFramedAsGetOrNotAtAll) {
    ASSERT_TRUE(start("[app.config_echo]\nmount = /ce\nk = v\n"));
    // Apps on the loop and on the pool; bodies from fromString (length known at the first byte),
    // from write() without a Content-Length, streamed in chunks, and with the app's own length.
    for (const std::string target :
         {"/hello", "/hello_c", "/echo/x", "/form", "/stream?n=2", "/ce", "/logs"}) {
        SCOPED_TRACE(target);
        const RawResponse got = get("GET", target);
        const RawResponse head = get("HEAD", target);
        ASSERT_EQ(got.status, 200) << got.head;
        ASSERT_EQ(head.status, 200) << head.head;
        EXPECT_TRUE(head.body.empty());
        const auto getLength = got.header("Content-Length");
        const auto headLength = head.header("Content-Length");
        const auto headChunked = head.header("Transfer-Encoding");
        if (getLength) {
            EXPECT_FALSE(headChunked) << "GET sends Content-Length, HEAD " << head.head;
            if (headLength && target != "/echo/x") {  // echo's JSON names the method
                EXPECT_EQ(*headLength, *getLength) << head.head;
            }
        } else {
            EXPECT_EQ(got.header("Transfer-Encoding"), "chunked") << got.head;
            EXPECT_FALSE(headLength) << "GET is chunked, HEAD claims a length: " << head.head;
        }
    }
}
