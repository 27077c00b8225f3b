// form through the fake host: the form page, urlencoded and multipart posts, HTML escaping.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "gateway/testing.hpp"

using gateway::sdk::testing::AppRunner;
using gateway::sdk::testing::TestRequest;
using gateway::sdk::testing::TestResponse;

namespace {

TestResponse run(const TestRequest& request,
                 std::vector<std::pair<std::string, std::string>> config = {}) {
    AppRunner app(*gw_app_entry(GW_ABI_VERSION), std::move(config));
    TestResponse response = app.run(request);
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
    return response;
}

/// A POST of `body` as `contentType`.
TestRequest post(const std::string& contentType, const std::string& body) {
    TestRequest request;
    request.method = "POST";
    request.headers = {{"Content-Type", contentType}};
    request.body = body;
    return request;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(FormApp, GetShowsBothForms) {
    const auto response = run({});
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_TRUE(contains(response.body, "action=\"/form\""));
    EXPECT_TRUE(contains(response.body, "enctype=\"multipart/form-data\""));
}

TEST(FormApp, UrlencodedFieldsAreEscaped) {
    TestRequest request = post("application/x-www-form-urlencoded",
                               "name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&message=a+%26+b");
    const auto response = run(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(contains(response.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    EXPECT_FALSE(contains(response.body, "<script>"));
    EXPECT_TRUE(contains(response.body, "a &amp; b"));
}

TEST(FormApp, MultipartUploadShowsSizeAndDigest) {
    TestRequest request =
        post("multipart/form-data; boundary=XyZ",
             "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n<b>hi</b>\r\n"
             "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
             "Content-Type: text/plain\r\n\r\nabc\r\n--XyZ--\r\n");
    const auto response = run(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(contains(response.body, "&lt;b&gt;hi&lt;/b&gt;"));
    EXPECT_TRUE(contains(response.body, "a.txt"));
    EXPECT_TRUE(contains(response.body, "<td>3</td>"));
    EXPECT_TRUE(contains(response.body,
                         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

TEST(FormApp, BrokenMultipartIs400) {
    TestRequest request = post("multipart/form-data; boundary=XyZ", "garbage");
    EXPECT_EQ(run(request).status, 400);
}

TEST(FormApp, OtherMethodsAre405) {
    TestRequest request;
    request.method = "DELETE";
    const auto response = run(request);
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(response.header("Allow"), "GET, HEAD, POST");
}

TEST(FormApp, OtherPathsAre404) {
    TestRequest request;
    request.path = "/form/other";
    EXPECT_EQ(run(request).status, 404);
}

TEST(FormApp, OtherContentTypesAre415) {
    TestRequest request = post("text/plain", "name=x");
    EXPECT_EQ(run(request).status, 415);
}

TEST(FormApp, BodyOverMaxUploadIsA413Page) {
    TestRequest request =
        post("application/x-www-form-urlencoded", "name=" + std::string(100, 'x'));
    const auto response = run(request, {{"max_upload", "64"}});
    EXPECT_EQ(response.status, 413);
    EXPECT_EQ(response.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_TRUE(contains(response.body, "At most 64 bytes"));
    request.headers = {{"Content-Type", "multipart/form-data; boundary=XyZ"}};
    EXPECT_EQ(run(request, {{"max_upload", "64"}}).status, 413);
    request.body.resize(60);
    EXPECT_EQ(run(request, {{"max_upload", "64"}}).status, 400) << "within the limit: parsed";
}

TEST(FormApp, BadMaxUploadFailsInit) {
    AppRunner app(*gw_app_entry(GW_ABI_VERSION), {{"max_upload", "lots"}});
    EXPECT_FALSE(app.initialized());
    EXPECT_EQ(app.initError().rfind("max_upload: \"lots\"", 0), 0u) << app.initError();
}

}  // namespace
