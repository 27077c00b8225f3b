// notes through the fake host: CRUD, the JSON errors (400, 404, 405 with Allow, 412, 413, 415,
// 422, 507), conditional GET (304), HEAD framed as GET, and the typed config keys.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "gateway/testing.hpp"

using gateway::sdk::testing::AppRunner;
using gateway::sdk::testing::TestRequest;
using gateway::sdk::testing::TestResponse;
using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

namespace {

const gw_app& notes() {
    return *gw_app_entry(GW_ABI_VERSION);
}

/// One request to the app; a body goes as application/json unless `headers` say otherwise.
TestResponse send(AppRunner& app, const std::string& method, const std::string& path,
                  const std::string& body = "", Headers headers = {}) {
    TestRequest request;
    request.method = method;
    request.path = path;
    const auto question = path.find('?');
    if (question != std::string::npos) {
        request.path = path.substr(0, question);
        request.query = path.substr(question + 1);
    }
    const bool typed = std::any_of(headers.begin(), headers.end(),
                                   [](const auto& h) { return h.first == "Content-Type"; });
    if (!body.empty() && !typed) headers.emplace_back("Content-Type", "application/json");
    request.headers = std::move(headers);
    request.body = body;
    TestResponse response = app.run(request);
    EXPECT_TRUE(response.lint.empty()) << method << " " << path << "\n" << response.lintText();
    return response;
}

/// The body of a JSON answer, after checking its Content-Type.
json parsed(const TestResponse& response) {
    EXPECT_EQ(response.header("Content-Type"), "application/json");
    return json::parse(response.body);
}

/// Expects an error answer {"error": "..."} with `status`.
void expectError(const TestResponse& response, int status) {
    EXPECT_EQ(response.status, status) << response.body;
    const json body = parsed(response);
    EXPECT_TRUE(body.contains("error") && body["error"].is_string()) << response.body;
}

TEST(NotesApp, CreateReadUpdateListDelete) {
    AppRunner app(notes());
    const auto created = send(app, "POST", "/notes", R"({"text": "buy milk"})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.header("Location"), "/notes/1");
    EXPECT_EQ(parsed(created), (json{{"id", 1}, {"text", "buy milk"}}));
    const auto etag = created.header("ETag");
    ASSERT_TRUE(etag);

    const auto read = send(app, "GET", "/notes/1");
    EXPECT_EQ(read.status, 200);
    EXPECT_EQ(read.header("ETag"), etag);
    EXPECT_EQ(read.header("Content-Length"), std::to_string(read.body.size()));
    EXPECT_EQ(parsed(read), parsed(created));

    const auto updated = send(app, "PUT", "/notes/1", R"({"text": "caf\u00e9 \"au lait\""})");
    EXPECT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(parsed(updated)["text"], "caf\xC3\xA9 \"au lait\"");
    EXPECT_NE(updated.header("ETag"), etag) << "a write changes the ETag";

    ASSERT_EQ(send(app, "POST", "/notes/", R"({"text": "call mum"})").status, 201);
    const auto list = send(app, "GET", "/notes");
    EXPECT_EQ(list.status, 200);
    EXPECT_EQ(parsed(list), json::parse(R"([{"id": 1, "text": "caf\u00e9 \"au lait\""},
                                           {"id": 2, "text": "call mum"}])"));

    const auto removed = send(app, "DELETE", "/notes/1");
    EXPECT_EQ(removed.status, 204);
    EXPECT_EQ(removed.body, "");
    expectError(send(app, "GET", "/notes/1"), 404);
    expectError(send(app, "DELETE", "/notes/1"), 404);
    EXPECT_EQ(parsed(send(app, "GET", "/notes")).size(), 1u);
}

TEST(NotesApp, ListFiltersByTheDecodedQuery) {
    AppRunner app(notes());
    for (const char* text : {"caf\xC3\xA9 one", "tea", "caf\xC3\xA9 two"})
        ASSERT_EQ(send(app, "POST", "/notes", json{{"text", text}}.dump()).status, 201);
    const json found = parsed(send(app, "GET", "/notes?q=caf%C3%A9+t"));
    ASSERT_EQ(found.size(), 1u) << found;
    EXPECT_EQ(found[0]["id"], 3);
    EXPECT_EQ(parsed(send(app, "GET", "/notes?q=")).size(), 3u);
    expectError(send(app, "GET", "/notes?q=%G1"), 400);
}

TEST(NotesApp, UnknownPathsAndIdsAre404InJson) {
    AppRunner app(notes());
    ASSERT_EQ(send(app, "POST", "/notes", R"({"text": "x"})").status, 201);
    for (const char* path : {"/notes/2", "/notes/abc", "/notes/1x", "/notes/-1",
                             "/notes/99999999999999999999999", "/notes/1/more", "/notes//"})
        expectError(send(app, "GET", path), 404);
}

TEST(NotesApp, WrongMethodIs405WithAllow) {
    AppRunner app(notes());
    const auto onNote = send(app, "PATCH", "/notes/1", R"({"text": "x"})");
    expectError(onNote, 405);
    EXPECT_EQ(onNote.header("Allow"), "GET, HEAD, PUT, DELETE");
    const auto onList = send(app, "DELETE", "/notes");
    expectError(onList, 405);
    EXPECT_EQ(onList.header("Allow"), "GET, HEAD, POST");
}

TEST(NotesApp, BadBodiesAre400And415And422) {
    AppRunner app(notes());
    expectError(send(app, "POST", "/notes", R"({"text": "unterminated)"), 400);
    expectError(send(app, "POST", "/notes", "\xFF"), 400);  // not UTF-8: still a JSON answer
    expectError(send(app, "POST", "/notes", R"({"text": 7})"), 422);
    expectError(send(app, "POST", "/notes", R"(["text"])"), 422);
    expectError(send(app, "POST", "/notes", "text=x", {{"Content-Type", "text/plain"}}), 415);
    expectError(send(app, "POST", "/notes"), 415);  // no body, no Content-Type
    EXPECT_EQ(parsed(send(app, "GET", "/notes")), json::array()) << "nothing was stored";
}

TEST(NotesApp, TooLargeIs413InJsonForItsOwnAndTheMountsLimit) {
    AppRunner app(notes(), {{"max_note", "32"}});
    const std::string fits = json{{"text", std::string(21, 'a')}}.dump();  // 32 bytes
    EXPECT_EQ(send(app, "POST", "/notes", fits).status, 201);
    expectError(send(app, "POST", "/notes", json{{"text", std::string(22, 'a')}}.dump()), 413);

    TestRequest chunked;  // past the mount's body_limit, which the app reads through
    chunked.method = "POST";
    chunked.headers = {{"Content-Type", "application/json"}};
    chunked.body = fits;
    chunked.chunked = true;
    chunked.bodyLimit = 10;
    const auto response = app.run(chunked);
    expectError(response, 413);
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
}

TEST(NotesApp, ConditionalGetIs304AndHeadIsFramedAsGet) {
    AppRunner app(notes());
    const std::string etag = *send(app, "POST", "/notes", R"({"text": "x"})").header("ETag");
    for (const char* method : {"GET", "HEAD"}) {
        SCOPED_TRACE(method);
        const auto same = send(app, method, "/notes/1", "", {{"If-None-Match", etag}});
        EXPECT_EQ(same.status, 304);
        EXPECT_EQ(same.header("ETag"), etag);
        EXPECT_EQ(same.body, "");
        EXPECT_EQ(send(app, method, "/notes/1", "", {{"If-None-Match", "W/" + etag}}).status, 304)
            << "If-None-Match compares weakly";
        EXPECT_EQ(send(app, method, "/notes/1", "", {{"If-None-Match", "\"other\""}}).status, 200);
    }
    const auto get = send(app, "GET", "/notes/1");
    const auto head = send(app, "HEAD", "/notes/1");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(head.header("Content-Length"), get.header("Content-Length"));
    EXPECT_EQ(head.header("ETag"), get.header("ETag"));
}

TEST(NotesApp, WritesWithAStaleIfMatchAre412) {
    AppRunner app(notes());
    const std::string first = *send(app, "POST", "/notes", R"({"text": "v1"})").header("ETag");
    const auto second = send(app, "PUT", "/notes/1", R"({"text": "v2"})", {{"If-Match", first}});
    ASSERT_EQ(second.status, 200) << second.body;
    expectError(send(app, "PUT", "/notes/1", R"({"text": "v3"})", {{"If-Match", first}}), 412);
    expectError(send(app, "DELETE", "/notes/1", "", {{"If-Match", first}}), 412);
    EXPECT_EQ(parsed(send(app, "GET", "/notes/1"))["text"], "v2") << "the stale write was refused";
    EXPECT_EQ(send(app, "DELETE", "/notes/1", "", {{"If-Match", *second.header("ETag")}}).status,
              204);
}

TEST(NotesApp, NoteCountLimitIs507) {
    AppRunner app(notes(), {{"max_notes", "2"}});
    EXPECT_EQ(send(app, "POST", "/notes", R"({"text": "1"})").status, 201);
    EXPECT_EQ(send(app, "POST", "/notes", R"({"text": "2"})").status, 201);
    expectError(send(app, "POST", "/notes", R"({"text": "3"})"), 507);
    EXPECT_EQ(send(app, "DELETE", "/notes/1").status, 204);
    EXPECT_EQ(send(app, "POST", "/notes", R"({"text": "3"})").status, 201) << "room again";
}

TEST(NotesApp, ConfigTakesTheGatewaySyntax) {
    AppRunner app(notes(), {{"max_note", "1k"}, {"max_notes", "5"}});
    ASSERT_TRUE(app.initialized()) << app.initError();
    const std::string text(1000, 'k');
    EXPECT_EQ(send(app, "POST", "/notes", json{{"text", text}}.dump()).status, 201);
    expectError(send(app, "POST", "/notes", json{{"text", text + text}}.dump()), 413);
}

TEST(NotesApp, BadConfigFailsInitNamingTheKey) {
    const std::pair<std::string, std::string> bad[] = {
        {"max_note", "9x"}, {"max_notes", "0"}, {"max_notes", "many"}};
    for (const auto& [key, value] : bad) {
        SCOPED_TRACE(key + " = " + value);
        AppRunner app(notes(), {{key, value}});
        EXPECT_FALSE(app.initialized());
        EXPECT_EQ(app.initResult(), GW_E_INVAL);
        EXPECT_EQ(app.initError().rfind(key + ": \"" + value + "\"", 0), 0u) << app.initError();
    }
}

}  // namespace
