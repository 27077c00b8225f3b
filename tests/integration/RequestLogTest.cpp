// The JSON access log and request ids through the real binary: every field of a line (parsed by
// Python's json module, which insists on valid UTF-8 and valid escapes), a hostile User-Agent,
// and one id per request in the access log, the app's environ (echo) and the app's log lines
// (the test plugin "logs").
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/AppsFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/RawClient.h"
#include "tests/support/Subprocess.h"

#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif

using namespace gateway::test;

namespace {

using Json = Poco::JSON::Object::Ptr;

// Reads the file as strict UTF-8 and each line as JSON, and prints each object back as ASCII-only
// JSON, which Poco's parser then reads without doubts about encodings.
constexpr const char* kStrictJson = R"(
import json, sys
with open(sys.argv[1], encoding="utf-8", errors="strict") as lines:
    for line in lines:
        print(json.dumps(json.loads(line), ensure_ascii=True))
)";

const std::regex kGeneratedId("[0-9a-f]{32}");

}  // namespace

class RequestLog : public GatewayFixture {
protected:
    void SetUp() override { writeDoc("hello.txt", "hello, world\n"); }

    /// echo (from the example apps) and logs (a test plugin) in a fresh apps folder, the JSON
    /// access log on, two workers.
    ::testing::AssertionResult start() {
        const auto apps = root() / "apps";
        std::filesystem::create_directories(apps);
        std::filesystem::copy_file(std::filesystem::path(GATEWAY_APPS_DIR) / "echo.so",
                                   apps / "echo.so");
        std::filesystem::copy_file(std::filesystem::path(GATEWAY_TEST_PLUGINS_DIR) / "logs.so",
                                   apps / "logs.so");
        return startGateway({"--apps", apps.string(), "--access-log", accessLog().string(),
                             "--access-log-format", "json", "--workers", "2"});
    }
    std::filesystem::path accessLog() const { return root() / "access.log"; }

    /// Every line of the access log as an object (after stopping the gateway, which flushes it).
    std::vector<Json> accessLines() {
        const auto r = Subprocess::run({"python3", "-c", kStrictJson, accessLog().string()},
                                       std::chrono::seconds(20));
        EXPECT_TRUE(exitedWith(r.status, 0)) << "python3 json: " << r.err;
        std::vector<Json> lines;
        std::istringstream in(r.out);
        for (std::string line; std::getline(in, line);)
            lines.push_back(Poco::JSON::Parser().parse(line).extract<Json>());
        return lines;
    }
    /// The line whose request_id is `id` (nullptr when none or several).
    static Json lineWithId(const std::vector<Json>& lines, const std::string& id) {
        Json found;
        for (const Json& line : lines) {
            if (line->isNull("request_id") || line->getValue<std::string>("request_id") != id)
                continue;
            if (found) return nullptr;
            found = line;
        }
        return found;
    }
    static std::string text(const Json& line, const std::string& field) {
        return line->isNull(field) ? "<null>" : line->getValue<std::string>(field);
    }

    EchoResult echo(const std::string& path, const HeaderList& headers = {}) {
        const FetchResult r = fetch(port(), "GET", path, headers);
        EXPECT_EQ(r.status, 200) << r.body;
        return parseEcho(r.body);
    }
};

TEST_F(RequestLog, JsonLinesCarryEveryFieldEscaped) {
    ASSERT_TRUE(start());
    // A User-Agent with a quote, a backslash, a tab (the only control byte HTTP allows in a
    // field value), a byte that is not UTF-8, valid UTF-8 (é) and an overlong '/'.
    const std::string agent = "a\"b\\c\td\xff\xc3\xa9\xc0\xafz";
    RawClient client(port());
    client.send("GET /hello.txt?x=1 HTTP/1.1\r\nHost: h\r\nUser-Agent: " + agent +
                "\r\nReferer: http://ref.example/\"q\"\r\nX-Request-Id: static-1\r\n\r\n");
    EXPECT_EQ(client.readResponse().status, 200);
    const FetchResult app = fetch(port(), "GET", "/echo/x", {{"X-Request-Id", "echo-1"}});
    EXPECT_EQ(app.status, 200);
    EXPECT_EQ(fetch(port(), "GET", "/missing", {{"X-Request-Id", "missing-1"}}).status, 404);
    RawClient broken(port());
    broken.send("NOT A REQUEST\r\n\r\n");
    EXPECT_EQ(broken.readResponse().status, 400);
    ASSERT_TRUE(exitedWith(stopGateway(), 0));  // flushes the log

    const std::vector<Json> lines = accessLines();
    ASSERT_EQ(lines.size(), 4u);
    const Json file = lineWithId(lines, "static-1");
    ASSERT_TRUE(file);
    EXPECT_TRUE(std::regex_match(text(file, "time"),
                                 std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
        << text(file, "time");
    EXPECT_EQ(text(file, "remote_addr"), "127.0.0.1");
    EXPECT_EQ(text(file, "method"), "GET");
    EXPECT_EQ(text(file, "target"), "/hello.txt?x=1");
    EXPECT_EQ(text(file, "protocol"), "HTTP/1.1");
    EXPECT_EQ(file->getValue<int>("status"), 200);
    EXPECT_EQ(file->getValue<int>("bytes"), 13);
    EXPECT_GE(file->getValue<std::int64_t>("duration_us"), 0);
    EXPECT_TRUE(file->isNull("mount"));
    EXPECT_TRUE(file->isNull("app"));
    // The bytes that are not UTF-8 come back as U+00FF, U+00C0, U+00AF (here in UTF-8).
    EXPECT_EQ(text(file, "user_agent"), "a\"b\\c\td\xc3\xbf\xc3\xa9\xc3\x80\xc2\xafz");
    EXPECT_EQ(text(file, "referer"), "http://ref.example/\"q\"");

    const Json echoLine = lineWithId(lines, "echo-1");
    ASSERT_TRUE(echoLine);
    EXPECT_EQ(text(echoLine, "mount"), "/echo");
    EXPECT_EQ(text(echoLine, "app"), "echo");
    EXPECT_EQ(text(echoLine, "target"), "/echo/x");
    EXPECT_EQ(echoLine->getValue<std::size_t>("bytes"), app.body.size());
    EXPECT_TRUE(echoLine->isNull("referer"));

    const Json missing = lineWithId(lines, "missing-1");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->getValue<int>("status"), 404);
    EXPECT_TRUE(missing->isNull("app"));

    for (const Json& line : lines)
        if (line->getValue<int>("status") == 400) {
            EXPECT_TRUE(line->isNull("method"));
            EXPECT_TRUE(line->isNull("request_id"));
            EXPECT_EQ(text(line, "remote_addr"), "127.0.0.1");
        }
}

TEST_F(RequestLog, ClientIdReachesAccessLogEnvironAndAppLog) {
    ASSERT_TRUE(start());
    const EchoResult r = echo("/echo/a", {{"X-Request-Id", "client-id.42"}});
    EXPECT_EQ(r.env("gateway.request_id"), "client-id.42");
    EXPECT_EQ(r.env("HTTP_X_REQUEST_ID"), "client-id.42");

    const FetchResult logged = fetch(port(), "GET", "/logs", {{"X-Request-Id", "Zm9v+Lw==/7"}});
    EXPECT_EQ(logged.body, "logged");
    EXPECT_TRUE(gateway().waitForLog(
        "[Information] logs at /logs [request_id=Zm9v+Lw==/7]: a line from the logs app"))
        << gateway().logTail();

    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    const std::vector<Json> lines = accessLines();
    const Json echoLine = lineWithId(lines, "client-id.42");
    ASSERT_TRUE(echoLine);
    EXPECT_EQ(text(echoLine, "app"), "echo");
    const Json logsLine = lineWithId(lines, "Zm9v+Lw==/7");
    ASSERT_TRUE(logsLine);
    EXPECT_EQ(text(logsLine, "app"), "logs");
    EXPECT_EQ(text(logsLine, "mount"), "/logs");
}

TEST_F(RequestLog, GeneratedIdsAreUniqueAndTheSameEverywhere) {
    ASSERT_TRUE(start());
    constexpr int kRequests = 40;
    std::map<std::string, std::string> idOfTarget;
    std::set<std::string> ids;
    for (int i = 0; i < kRequests; ++i) {
        const std::string target = "/echo/n" + std::to_string(i);
        const auto id = echo(target).env("gateway.request_id");
        ASSERT_TRUE(id);
        EXPECT_TRUE(std::regex_match(*id, kGeneratedId)) << *id;
        ids.insert(*id);
        idOfTarget[target] = *id;
    }
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kRequests));

    const FetchResult logged = fetch(port(), "GET", "/logs");
    EXPECT_EQ(logged.status, 200);
    EXPECT_TRUE(gateway().waitForLog("]: a line from the logs app")) << gateway().logTail();
    EXPECT_TRUE(std::regex_search(
        gateway().log(),
        std::regex(R"(logs at /logs \[request_id=[0-9a-f]{32}\]: a line from the logs app)")))
        << gateway().logTail();

    ASSERT_TRUE(exitedWith(stopGateway(), 0));
    std::size_t matched = 0;
    for (const Json& line : accessLines()) {
        const auto known = idOfTarget.find(text(line, "target"));
        if (known == idOfTarget.end()) continue;
        ++matched;
        EXPECT_EQ(text(line, "request_id"), known->second);
    }
    EXPECT_EQ(matched, idOfTarget.size());
}

TEST_F(RequestLog, InvalidClientIdIsReplaced) {
    ASSERT_TRUE(start());
    for (const std::string& sent : {std::string("has space"), std::string(201, 'a'),
                                    std::string("quo\"te"), std::string("semi;colon")}) {
        const EchoResult r = echo("/echo", {{"X-Request-Id", sent}});
        const auto id = r.env("gateway.request_id");
        ASSERT_TRUE(id);
        EXPECT_TRUE(std::regex_match(*id, kGeneratedId)) << sent << " → " << *id;
        EXPECT_EQ(r.env("HTTP_X_REQUEST_ID"), sent);
    }
    const EchoResult longest = echo("/echo", {{"X-Request-Id", std::string(200, 'b')}});
    EXPECT_EQ(longest.env("gateway.request_id"), std::string(200, 'b'));
}
