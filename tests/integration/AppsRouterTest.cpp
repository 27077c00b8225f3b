// The SDK 1.1 C++ API through the real gateway (test plugin routed.cpp): the router's 404 and 405
// with Allow, HEAD answered by a GET route and framed as GET, Response::json, conditional GET,
// the mount's body limit in the environ, and a 413 in the app's own format.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"

#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif

using namespace gateway::test;

class AppsRouter : public GatewayFixture {
protected:
    /// The gateway with routed.so alone in its apps folder, and `config` as its config file.
    ::testing::AssertionResult start(const std::string& config = "") {
        const auto apps = root() / "apps";
        std::filesystem::create_directories(apps);
        std::filesystem::copy_file(std::filesystem::path(GATEWAY_TEST_PLUGINS_DIR) / "routed.so",
                                   apps / "routed.so");
        std::vector<std::string> args = {"--apps", apps.string()};
        if (!config.empty()) {
            writeFile(root() / "gateway.ini", config);
            args.insert(args.end(), {"--config", (root() / "gateway.ini").string()});
        }
        return startGateway(args);
    }
    RawResponse send(const std::string& method, const std::string& target,
                     const std::string& headers = "", const std::string& body = "") {
        RawClient client(port());
        const std::string length =
            body.empty() ? "" : "Content-Length: " + std::to_string(body.size()) + "\r\n";
        client.send(httpRequest(method, target, headers + length) + body);
        return client.readResponse(method == "HEAD");
    }
};

TEST_F(AppsRouter, NotFoundAndMethodNotAllowedWithAllow) {
    ASSERT_TRUE(start());
    const RawResponse missing = send("GET", "/routed/nope");
    EXPECT_EQ(missing.status, 404) << missing.head;
    EXPECT_EQ(missing.body, "Not Found");
    EXPECT_EQ(missing.header("Content-Type"), "text/plain; charset=utf-8");
    for (const char* method : {"DELETE", "POST", "OPTIONS"}) {
        const RawResponse wrong = send(method, "/routed/notes/7");
        EXPECT_EQ(wrong.status, 405) << method << "\n" << wrong.head;
        EXPECT_EQ(wrong.header("Allow"), "GET, HEAD, PUT") << method;
        EXPECT_EQ(wrong.body, "Method Not Allowed") << method;
    }
    EXPECT_EQ(send("PUT", "/routed/notes/7").status, 204);
    EXPECT_EQ(send("GET", "/routed/notes/7/").status, 404);  // trailing slashes count
}

TEST_F(AppsRouter, JsonAnswerAndHeadFramedAsGet) {
    ASSERT_TRUE(start());
    const RawResponse got = send("GET", "/routed/notes/a%20b");
    ASSERT_EQ(got.status, 200) << got.head;
    EXPECT_EQ(got.header("Content-Type"), "application/json");
    EXPECT_EQ(got.header("Content-Length"), std::to_string(got.body.size()));
    EXPECT_EQ(got.header("ETag"), "\"note-a b\"");
    const auto note = Poco::JSON::Parser().parse(got.body).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(note->getValue<std::string>("id"), "a b");
    EXPECT_EQ(note->getValue<std::string>("text"), "caf\xC3\xA9 \"quoted\"");

    const RawResponse head = send("HEAD", "/routed/notes/a%20b");
    EXPECT_EQ(head.status, 200) << head.head;
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.header("Content-Length"), got.header("Content-Length")) << head.head;
    EXPECT_FALSE(head.header("Transfer-Encoding")) << head.head;
    EXPECT_EQ(head.header("ETag"), got.header("ETag"));
}

TEST_F(AppsRouter, ConditionalGet) {
    ASSERT_TRUE(start());
    const RawResponse same = send("GET", "/routed/notes/7", "If-None-Match: \"note-7\"\r\n");
    EXPECT_EQ(same.status, 304) << same.head;
    EXPECT_EQ(same.header("ETag"), "\"note-7\"");
    EXPECT_TRUE(same.body.empty());
    const RawResponse weak =
        send("GET", "/routed/notes/7", "If-None-Match: W/\"x\", W/\"note-7\"\r\n");
    EXPECT_EQ(weak.status, 304) << weak.head;
    const RawResponse other = send("GET", "/routed/notes/7", "If-None-Match: \"note-8\"\r\n");
    EXPECT_EQ(other.status, 200) << other.head;
}

TEST_F(AppsRouter, BodyLimitOfTheMountAndTheAppsOwn413) {
    ASSERT_TRUE(start("[app.routed]\nbody_limit = 1k\n"));
    EXPECT_EQ(send("GET", "/routed/limit").body, "1024");
    const RawResponse small = send("POST", "/routed/notes", "", std::string(10, 'x'));
    EXPECT_EQ(small.status, 201) << small.head;
    EXPECT_EQ(small.body, R"({"length":10})");
    EXPECT_EQ(small.header("Location"), "/routed/notes/1");
    const RawResponse big = send("POST", "/routed/notes", "", std::string(100, 'x'));
    EXPECT_EQ(big.status, 413) << big.head;
    EXPECT_EQ(big.body, R"({"error":"note too large"})");
    EXPECT_EQ(big.header("Content-Type"), "application/json");
    // Past the mount's limit the gateway answers before the app runs.
    const RawResponse huge = send("POST", "/routed/notes", "", std::string(2000, 'x'));
    EXPECT_EQ(huge.status, 413) << huge.head;
    EXPECT_NE(huge.body, R"({"error":"note too large"})");
}

TEST_F(AppsRouter, DefaultBodyLimitIsInTheEnviron) {
    ASSERT_TRUE(start());
    EXPECT_EQ(send("GET", "/routed/limit").body, std::to_string(16u << 20));
}
