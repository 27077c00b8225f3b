// echo through the fake host: environ and body digest as JSON, streamed body.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>

#include "gateway/testing.hpp"

using gateway::sdk::testing::AppRunner;
using gateway::sdk::testing::TestRequest;

namespace {

Poco::JSON::Object::Ptr echo(const TestRequest& request) {
    AppRunner app(*gw_app_entry(GW_ABI_VERSION));
    const auto response = app.run(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("Content-Type"), "application/json");
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
    return Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
}

TEST(EchoApp, ReportsEnvironAndEmptyBody) {
    TestRequest request;
    request.path = "/echo/a%20b/../c";
    request.query = "x=1&y=%20";
    request.headers = {{"User-Agent", "\"quoted\" <agent>"}};
    const auto json = echo(request);
    const auto environ = json->getObject("environ");
    EXPECT_EQ(environ->getValue<std::string>("PATH_INFO"), "/c");
    EXPECT_EQ(environ->getValue<std::string>("QUERY_STRING"), "x=1&y=%20");
    EXPECT_EQ(environ->getValue<std::string>("HTTP_USER_AGENT"), "\"quoted\" <agent>");
    EXPECT_EQ(environ->getValue<std::string>("REQUEST_METHOD"), "GET");
    EXPECT_EQ(json->getValue<Poco::UInt64>("body_length"), 0u);
    EXPECT_EQ(json->getValue<std::string>("body_sha256"),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(EchoApp, HashesTheBodyInPieces) {
    TestRequest request;
    request.method = "POST";
    request.body = "abc";
    request.readPiece = 1;
    request.chunked = true;
    const auto json = echo(request);
    EXPECT_EQ(json->getValue<Poco::UInt64>("body_length"), 3u);
    EXPECT_EQ(json->getValue<std::string>("body_sha256"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_FALSE(json->getObject("environ")->has("CONTENT_LENGTH"));
}

TEST(EchoApp, LargeBodyLength) {
    TestRequest request;
    request.method = "PUT";
    request.body = std::string(1 << 20, 'z');
    const auto json = echo(request);
    EXPECT_EQ(json->getValue<Poco::UInt64>("body_length"), 1u << 20);
    EXPECT_EQ(json->getObject("environ")->getValue<std::string>("CONTENT_LENGTH"), "1048576");
}

TEST(EchoApp, BytesThatAreNotUtf8AreReplaced) {
    TestRequest request;
    request.path = "/echo/%FF";
    const auto json = echo(request);
    EXPECT_EQ(json->getObject("environ")->getValue<std::string>("PATH_INFO"), "/\xEF\xBF\xBD");
}

TEST(EchoApp, TooLargeBodyIs413) {
    AppRunner app(*gw_app_entry(GW_ABI_VERSION));
    TestRequest request;
    request.method = "POST";
    request.body = std::string(1000, 'z');
    request.bodyLimit = 100;
    EXPECT_EQ(app.run(request).status, 413);
}

}  // namespace
