// The notes example (apps/notes) through the real gateway, as the README's curl session uses it:
// create, read, list, conditional GET (304), delete, 405 with Allow, HEAD framed like GET, and the
// app's own JSON 413 from its config key. --workers 1: the notes live in one worker's memory.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/AppsFixture.h"
#include "tests/support/RawClient.h"
#include "tests/support/Subprocess.h"

using namespace gateway::test;
using namespace std::chrono_literals;

namespace {

class AppsNotes : public AppsExamples {
protected:
    ::testing::AssertionResult start(const std::string& config = "") {
        return startApps(config, {"--workers", "1"});
    }
    /// One request on a fresh connection; a body goes as application/json.
    RawResponse send(const std::string& method, const std::string& target,
                     const std::string& headers = "", const std::string& body = "") {
        const std::string framing = body.empty() ? ""
                                                 : "Content-Type: application/json\r\n"
                                                   "Content-Length: " +
                                                       std::to_string(body.size()) + "\r\n";
        return raw(httpRequest(method, target, headers + framing) + body, method == "HEAD");
    }
};

Poco::Dynamic::Var parse(const RawResponse& r) {
    EXPECT_EQ(r.header("Content-Type"), "application/json") << r.head;
    return Poco::JSON::Parser().parse(r.body);
}

Poco::JSON::Object::Ptr object(const RawResponse& r) {
    return parse(r).extract<Poco::JSON::Object::Ptr>();
}

TEST_F(AppsNotes, CreateReadListConditionalGetDelete) {
    ASSERT_TRUE(start());
    // Created with curl, as in the README.
    const auto curl = Subprocess::run(
        {"curl", "-sS", "--max-time", "10", "-i", "-H", "Content-Type: application/json", "-d",
         R"({"text": "buy milk"})", "http://127.0.0.1:" + std::to_string(port()) + "/notes"},
        20s);
    ASSERT_TRUE(exitedWith(curl.status, 0)) << curl.err;
    EXPECT_EQ(curl.out.rfind("HTTP/1.1 201 ", 0), 0u) << curl.out;
    EXPECT_NE(curl.out.find("Location: /notes/1\r\n"), std::string::npos) << curl.out;

    const RawResponse read = send("GET", "/notes/1");
    ASSERT_EQ(read.status, 200) << read.head << read.body;
    EXPECT_EQ(object(read)->getValue<int>("id"), 1);
    EXPECT_EQ(object(read)->getValue<std::string>("text"), "buy milk");
    EXPECT_EQ(read.header("Content-Length"), std::to_string(read.body.size()));
    const std::string etag = read.header("ETag").value_or("");
    ASSERT_FALSE(etag.empty()) << read.head;
    EXPECT_NE(curl.out.find("ETag: " + etag + "\r\n"), std::string::npos) << curl.out;

    ASSERT_EQ(send("POST", "/notes", "", R"({"text": "call mum"})").status, 201);
    const RawResponse list = send("GET", "/notes?q=mum");
    ASSERT_EQ(list.status, 200) << list.head;
    const auto found = parse(list).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(found->size(), 1u) << list.body;
    EXPECT_EQ(found->getObject(0)->getValue<int>("id"), 2);
    EXPECT_EQ(parse(send("GET", "/notes")).extract<Poco::JSON::Array::Ptr>()->size(), 2u);

    const RawResponse same = send("GET", "/notes/1", "If-None-Match: " + etag + "\r\n");
    EXPECT_EQ(same.status, 304) << same.head;
    EXPECT_EQ(same.header("ETag"), etag);
    EXPECT_TRUE(same.body.empty());
    EXPECT_EQ(send("GET", "/notes/1", "If-None-Match: \"0\"\r\n").status, 200);

    const RawResponse stale =
        send("PUT", "/notes/1", "If-Match: \"0\"\r\n", R"({"text": "buy oat milk"})");
    EXPECT_EQ(stale.status, 412) << stale.head;
    EXPECT_TRUE(object(stale)->has("error"));

    EXPECT_EQ(send("DELETE", "/notes/1").status, 204);
    const RawResponse gone = send("GET", "/notes/1");
    EXPECT_EQ(gone.status, 404) << gone.head;
    EXPECT_TRUE(object(gone)->has("error"));
}

TEST_F(AppsNotes, WrongMethodIs405WithAllowInJson) {
    ASSERT_TRUE(start());
    const RawResponse onNote = send("PATCH", "/notes/1", "", R"({"text": "x"})");
    EXPECT_EQ(onNote.status, 405) << onNote.head;
    EXPECT_EQ(onNote.header("Allow"), "GET, HEAD, PUT, DELETE");
    EXPECT_TRUE(object(onNote)->has("error"));
    const RawResponse onList = send("DELETE", "/notes");
    EXPECT_EQ(onList.status, 405) << onList.head;
    EXPECT_EQ(onList.header("Allow"), "GET, HEAD, POST");
}

TEST_F(AppsNotes, HeadIsFramedLikeGet) {
    ASSERT_TRUE(start());
    ASSERT_EQ(send("POST", "/notes", "", R"({"text": "framed"})").status, 201);
    for (const char* target : {"/notes/1", "/notes"}) {
        SCOPED_TRACE(target);
        // HEAD then GET in one write: body bytes after the HEAD's head would corrupt the GET.
        RawClient client(port());
        client.send(httpRequest("HEAD", target) + httpRequest("GET", target));
        const RawResponse head = client.readResponse(true);
        const RawResponse get = client.readResponse();
        ASSERT_EQ(get.status, 200) << get.head;
        EXPECT_EQ(head.status, 200) << head.head;
        EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size())) << head.head;
        EXPECT_FALSE(head.header("Transfer-Encoding")) << head.head;
        EXPECT_EQ(head.header("ETag"), get.header("ETag"));
        EXPECT_EQ(client.buffered(), "");
    }
}

TEST_F(AppsNotes, NoteOverMaxNoteIs413InJson) {
    ASSERT_TRUE(start("[app.notes]\nmax_note = 64\n"));
    const RawResponse big =
        send("POST", "/notes", "", R"({"text": ")" + std::string(64, 'x') + "\"}");
    EXPECT_EQ(big.status, 413) << big.head;
    EXPECT_TRUE(object(big)->has("error")) << big.body;
    EXPECT_EQ(send("POST", "/notes", "", R"({"text": "small"})").status, 201);
}

}  // namespace
