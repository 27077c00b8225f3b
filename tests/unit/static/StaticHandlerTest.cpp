#include "gateway/static/StaticHandler.h"

#include <gtest/gtest.h>

#include <ostream>

#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include "TempDocRoot.h"

namespace gateway {
namespace {

using namespace std::chrono_literals;
using Headers = std::vector<std::pair<std::string, std::string>>;
using BodyKind = Response::BodyKind;

/// A hand-built Request with storage for the views it holds.
class TestRequest {
public:
    TestRequest(const std::string& method, const std::string& target, const Headers& headers) {
        _request.method = keep(method);
        static const std::pair<const char*, Method> kMethods[] = {
            {"GET", Method::Get},    {"HEAD", Method::Head},     {"POST", Method::Post},
            {"PUT", Method::Put},    {"DELETE", Method::Delete}, {"OPTIONS", Method::Options},
            {"PATCH", Method::Patch}};
        for (const auto& [name, id] : kMethods)
            if (method == name) _request.methodId = id;
        _request.target = keep(target);
        std::size_t question = _request.target.find('?');
        _request.path = _request.target.substr(0, question);
        if (question != std::string_view::npos)
            _request.query = _request.target.substr(question + 1);
        for (const auto& [name, value] : headers)
            _request.headers[_request.headerCount++] = HeaderField{keep(name), keep(value)};
    }
    const Request& get() const { return _request; }

private:
    std::string_view keep(const std::string& text) { return _storage.emplace_back(text); }
    std::deque<std::string> _storage;
    Request _request;
};

/// The bytes a response would send as its body (the connection drops them for HEAD).
std::string bodyOf(const Response& response) {
    switch (response.bodyKind) {
        case BodyKind::Memory:
            return std::string(response.memory);
        case BodyKind::File:
            return test::TempDocRoot::readFd(response.fileFd, response.fileOffset, response.length);
        case BodyKind::None:
            break;
    }
    return {};
}

std::string headerValue(const Response& response, std::string_view name) {
    std::string_view headers = response.headers;
    while (!headers.empty()) {
        std::size_t end = headers.find("\r\n");
        std::string_view line = headers.substr(0, end);
        if (line.size() > name.size() && line.substr(0, name.size()) == name &&
            line[name.size()] == ':')
            return std::string(line.substr(name.size() + 2));
        if (end == std::string_view::npos) break;
        headers.remove_prefix(end + 2);
    }
    return "<absent>";
}

const char* kindName(BodyKind kind) {
    return kind == BodyKind::None ? "None" : kind == BodyKind::Memory ? "Memory" : "File";
}

struct HandlerCase {
    const char* name;
    const char* method;
    const char* target;
    Headers headers;  ///< "{etag}" / "{lastModified}" are replaced from a plain GET first
    int status;
    Headers expect;  ///< exact header values ("<absent>" = must be absent)
    BodyKind kind;
    const char* bodyFile = nullptr;  ///< the body equals this docroot file's bytes...
    std::uint64_t offset = 0;        ///< ...from here
    std::int64_t length = -1;        ///< ...this many (-1 = to the end)
    const char* bodyContains = nullptr;
};

/// Lets ctest/gtest name a case by its name rather than dumping its bytes.
void PrintTo(const HandlerCase& c, std::ostream* out) {
    *out << c.name;
}

class StaticHandlerCases : public testing::TestWithParam<HandlerCase> {
protected:
    static void SetUpTestSuite() {
        docroot = std::make_unique<test::TempDocRoot>();
        docroot->write("index.html", "<h1>home</h1>\n");
        docroot->write("style.css", "body{}\n");
        docroot->write("dir/index.html", "<p>dir</p>\n");
        docroot->write("a b/index.html", "<p>space</p>\n");
        docroot->write("emptydir/x.txt", "x\n");
        docroot->write("text.txt", "hello hello hello hello hello\n");
        docroot->write("text.txt.gz", "GZ-BYTES-standing-in-for-gzip");
        std::string big(100000, '\0');
        for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
        docroot->write("big.bin", big);
        docroot->write(".env", "PASSWORD=x\n");
        docroot->symlink("../secret", "leak");
    }
    static void TearDownTestSuite() { docroot.reset(); }

    static Settings settings() {
        Settings s;
        s.docroot = docroot->root();
        s.fileCacheValidity = 0ms;
        return s;
    }

    static std::unique_ptr<test::TempDocRoot> docroot;
};
std::unique_ptr<test::TempDocRoot> StaticHandlerCases::docroot;

std::string substitute(std::string text, const std::string& etag, const std::string& lastModified) {
    for (auto [token, value] :
         {std::pair<std::string, std::string>{"{etag}", etag},
          std::pair<std::string, std::string>{"{lastModified}", lastModified}})
        for (std::size_t at; (at = text.find(token)) != std::string::npos;)
            text.replace(at, token.size(), value);
    return text;
}

TEST_P(StaticHandlerCases, Responds) {
    const HandlerCase& c = GetParam();

    // The validators of the representation the case will get, from a plain GET.
    std::string etag, lastModified;
    {
        StaticHandler primer(settings());
        Headers acceptEncoding;
        for (const auto& header : c.headers)
            if (header.first == "Accept-Encoding") acceptEncoding.push_back(header);
        TestRequest plain("GET", c.target, acceptEncoding);
        Response response;
        primer.handle(plain.get(), plain.get().path, response);
        etag = headerValue(response, "ETag");
        lastModified = headerValue(response, "Last-Modified");
    }
    Headers headers;
    for (const auto& [name, value] : c.headers)
        headers.emplace_back(name, substitute(value, etag, lastModified));
    TestRequest request(c.method, c.target, headers);

    StaticHandler handler(settings());
    for (const char* pass : {"cold cache", "warm cache"}) {
        SCOPED_TRACE(pass);
        Response response;
        EXPECT_EQ(handler.handle(request.get(), request.get().path, response), HandlerResult::Done);
        EXPECT_EQ(response.status, c.status);
        for (const auto& [name, value] : c.expect)
            EXPECT_EQ(headerValue(response, name), substitute(value, etag, lastModified)) << name;
        EXPECT_STREQ(kindName(response.bodyKind), kindName(c.kind));
        std::string body = bodyOf(response);
        EXPECT_EQ(response.length, body.size()) << "length must be the body length, HEAD too";
        EXPECT_EQ(body.find("SECRET"), std::string::npos);
        if (c.bodyFile) {
            std::string file;
            {
                int fd = ::open(docroot->path(c.bodyFile).c_str(), O_RDONLY | O_CLOEXEC);
                file = test::TempDocRoot::readFd(fd, 0, 1 << 20);
                ::close(fd);
            }
            std::size_t length = c.length < 0 ? std::string::npos : std::size_t(c.length);
            EXPECT_EQ(body, file.substr(c.offset, length));
        }
        if (c.bodyContains) {
            EXPECT_NE(body.find(c.bodyContains), std::string::npos) << body;
        }
        if (c.kind == BodyKind::None) {
            EXPECT_EQ(response.length, 0u);
        }
    }
}

const std::string kHtml = "text/html; charset=utf-8";
const std::string kAbsent = "<absent>";

const HandlerCase kCases[] = {
    // Plain files and directories.
    {"RootIndex",
     "GET",
     "/",
     {},
     200,
     {{"Content-Type", kHtml},
      {"ETag", "{etag}"},
      {"Last-Modified", "{lastModified}"},
      {"Accept-Ranges", "bytes"},
      {"Vary", kAbsent},
      {"Content-Encoding", kAbsent}},
     BodyKind::Memory,
     "index.html"},
    {"PlainFile",
     "GET",
     "/style.css",
     {},
     200,
     {{"Content-Type", "text/css; charset=utf-8"}},
     BodyKind::Memory,
     "style.css"},
    {"DirectoryRedirect", "GET", "/dir", {}, 301, {{"Location", "/dir/"}}, BodyKind::Memory},
    {"DirectoryRedirectKeepsQuery",
     "GET",
     "/dir?a=1&b=2",
     {},
     301,
     {{"Location", "/dir/?a=1&b=2"}},
     BodyKind::Memory},
    {"DirectoryRedirectEncodes",
     "GET",
     "/a%20b",
     {},
     301,
     {{"Location", "/a%20b/"}},
     BodyKind::Memory},
    {"DirectoryRedirectNoOpenRedirect",
     "GET",
     "//dir",
     {},
     301,
     {{"Location", "/dir/"}},
     BodyKind::Memory},
    {"DirectoryIndex",
     "GET",
     "/dir/",
     {},
     200,
     {{"Content-Type", kHtml}},
     BodyKind::Memory,
     "dir/index.html"},
    {"DirectoryWithoutIndex",
     "GET",
     "/emptydir/",
     {},
     404,
     {{"Content-Type", kHtml}},
     BodyKind::Memory,
     nullptr,
     0,
     -1,
     "404 Not Found"},
    {"Missing",
     "GET",
     "/missing.html",
     {},
     404,
     {{"Content-Type", kHtml}, {"ETag", kAbsent}},
     BodyKind::Memory,
     nullptr,
     0,
     -1,
     "404 Not Found"},
    {"FileWithTrailingSlash", "GET", "/style.css/", {}, 404, {}, BodyKind::Memory},
    {"BigFileBySendfile",
     "GET",
     "/big.bin",
     {},
     200,
     {{"Content-Type", "application/octet-stream"}},
     BodyKind::File,
     "big.bin"},
    // Refused.
    {"Traversal", "GET", "/../secret", {}, 404, {}, BodyKind::Memory},
    {"EncodedTraversal", "GET", "/%2e%2e/secret", {}, 404, {}, BodyKind::Memory},
    {"EncodedSlashTraversal", "GET", "/..%2fsecret", {}, 404, {}, BodyKind::Memory},
    {"SymlinkOut", "GET", "/leak", {}, 404, {}, BodyKind::Memory},
    {"Dotfile", "GET", "/.env", {}, 404, {}, BodyKind::Memory},
    {"BadEscape", "GET", "/%zz", {}, 400, {{"Content-Type", kHtml}}, BodyKind::Memory},
    {"EncodedNul", "GET", "/index.html%00.txt", {}, 400, {}, BodyKind::Memory},
    // Methods.
    {"Post", "POST", "/index.html", {}, 405, {{"Allow", "GET, HEAD"}}, BodyKind::Memory},
    {"Delete", "DELETE", "/", {}, 405, {{"Allow", "GET, HEAD"}}, BodyKind::Memory},
    {"Options", "OPTIONS", "/", {}, 405, {{"Allow", "GET, HEAD"}}, BodyKind::Memory},
    {"Head",
     "HEAD",
     "/style.css",
     {},
     200,
     {{"Content-Type", "text/css; charset=utf-8"}},
     BodyKind::Memory,
     "style.css"},
    {"HeadBigFile", "HEAD", "/big.bin", {}, 200, {}, BodyKind::File, "big.bin"},
    // Conditionals.
    {"IfNoneMatch",
     "GET",
     "/style.css",
     {{"If-None-Match", "{etag}"}},
     304,
     {{"ETag", "{etag}"}, {"Last-Modified", "{lastModified}"}},
     BodyKind::None},
    {"IfNoneMatchHead",
     "HEAD",
     "/style.css",
     {{"If-None-Match", "{etag}"}},
     304,
     {{"ETag", "{etag}"}},
     BodyKind::None},
    {"IfNoneMatchOther",
     "GET",
     "/style.css",
     {{"If-None-Match", "\"other\""}},
     200,
     {},
     BodyKind::Memory,
     "style.css"},
    {"IfModifiedSince",
     "GET",
     "/style.css",
     {{"If-Modified-Since", "{lastModified}"}},
     304,
     {{"ETag", "{etag}"}},
     BodyKind::None},
    {"IfModifiedSinceOld",
     "GET",
     "/style.css",
     {{"If-Modified-Since", "Thu, 01 Jan 1970 00:00:01 GMT"}},
     200,
     {},
     BodyKind::Memory,
     "style.css"},
    {"IfMatchWrong", "GET", "/style.css", {{"If-Match", "\"nope\""}}, 412, {}, BodyKind::Memory},
    {"IfMatchRight",
     "GET",
     "/style.css",
     {{"If-Match", "{etag}"}},
     200,
     {},
     BodyKind::Memory,
     "style.css"},
    {"IfUnmodifiedSinceOld",
     "GET",
     "/style.css",
     {{"If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:01 GMT"}},
     412,
     {},
     BodyKind::Memory},
    // Ranges.
    {"Range",
     "GET",
     "/style.css",
     {{"Range", "bytes=0-3"}},
     206,
     {{"Content-Range", "bytes 0-3/7"}, {"Content-Type", "text/css; charset=utf-8"}},
     BodyKind::Memory,
     "style.css",
     0,
     4},
    {"RangeSuffixOnBigFile",
     "GET",
     "/big.bin",
     {{"Range", "bytes=-10"}},
     206,
     {{"Content-Range", "bytes 99990-99999/100000"}},
     BodyKind::File,
     "big.bin",
     99990,
     10},
    {"RangeUnsatisfiable",
     "GET",
     "/big.bin",
     {{"Range", "bytes=100000-"}},
     416,
     {{"Content-Range", "bytes */100000"}},
     BodyKind::Memory},
    {"RangeMultipleIgnored",
     "GET",
     "/style.css",
     {{"Range", "bytes=0-1,3-4"}},
     200,
     {{"Content-Range", kAbsent}},
     BodyKind::Memory,
     "style.css"},
    {"RangeInvalidIgnored",
     "GET",
     "/style.css",
     {{"Range", "bytes=4-1"}},
     200,
     {},
     BodyKind::Memory,
     "style.css"},
    {"IfRangeMatches",
     "GET",
     "/style.css",
     {{"Range", "bytes=1-2"}, {"If-Range", "{etag}"}},
     206,
     {{"Content-Range", "bytes 1-2/7"}},
     BodyKind::Memory,
     "style.css",
     1,
     2},
    {"IfRangeStale",
     "GET",
     "/style.css",
     {{"Range", "bytes=1-2"}, {"If-Range", "\"old\""}},
     200,
     {{"Content-Range", kAbsent}},
     BodyKind::Memory,
     "style.css"},
    {"HeadIgnoresRange",
     "HEAD",
     "/style.css",
     {{"Range", "bytes=0-1"}},
     200,
     {},
     BodyKind::Memory,
     "style.css"},
    {"NotModifiedBeatsRange",
     "GET",
     "/style.css",
     {{"Range", "bytes=0-1"}, {"If-None-Match", "{etag}"}},
     304,
     {},
     BodyKind::None},
    // Precompressed siblings.
    {"Gzip",
     "GET",
     "/text.txt",
     {{"Accept-Encoding", "gzip, deflate, br"}},
     200,
     {{"Content-Encoding", "gzip"},
      {"Content-Type", "text/plain; charset=utf-8"},
      {"Vary", "Accept-Encoding"}},
     BodyKind::Memory,
     "text.txt.gz"},
    {"GzipNotAccepted",
     "GET",
     "/text.txt",
     {},
     200,
     {{"Content-Encoding", kAbsent}, {"Vary", "Accept-Encoding"}},
     BodyKind::Memory,
     "text.txt"},
    {"GzipRefusedByWeight",
     "GET",
     "/text.txt",
     {{"Accept-Encoding", "gzip;q=0, br"}},
     200,
     {{"Content-Encoding", kAbsent}, {"Vary", "Accept-Encoding"}},
     BodyKind::Memory,
     "text.txt"},
    {"GzipRange",
     "GET",
     "/text.txt",
     {{"Accept-Encoding", "gzip"}, {"Range", "bytes=0-3"}},
     206,
     {{"Content-Encoding", "gzip"}, {"Content-Range", "bytes 0-3/29"}},
     BodyKind::Memory,
     "text.txt.gz",
     0,
     4},
    {"GzipNotModified",
     "GET",
     "/text.txt",
     {{"Accept-Encoding", "gzip"}, {"If-None-Match", "{etag}"}},
     304,
     {{"Vary", "Accept-Encoding"}, {"ETag", "{etag}"}},
     BodyKind::None},
    {"GzipHead",
     "HEAD",
     "/text.txt",
     {{"Accept-Encoding", "gzip"}},
     200,
     {{"Content-Encoding", "gzip"}},
     BodyKind::Memory,
     "text.txt.gz"},
    {"NoSiblingNoVary",
     "GET",
     "/style.css",
     {{"Accept-Encoding", "gzip"}},
     200,
     {{"Content-Encoding", kAbsent}, {"Vary", kAbsent}},
     BodyKind::Memory,
     "style.css"},
    {"GzFileAskedForDirectly",
     "GET",
     "/text.txt.gz",
     {},
     200,
     {{"Content-Type", "application/gzip"}, {"Content-Encoding", kAbsent}},
     BodyKind::Memory,
     "text.txt.gz"},
};

INSTANTIATE_TEST_SUITE_P(StaticHandler, StaticHandlerCases, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<HandlerCase>& info) {
                             return info.param.name;
                         });

// ---- behaviour over time and configuration -----------------------------------------------------

class StaticHandlerTest : public testing::Test {
protected:
    Settings settings(std::chrono::milliseconds validity = 0ms, std::size_t entries = 64) {
        Settings s;
        s.docroot = docroot.root();
        s.fileCacheValidity = validity;
        s.fileCacheEntries = entries;
        return s;
    }
    Response get(StaticHandler& handler, const std::string& target, Headers headers = {},
                 std::string_view pathInfo = {}, const char* method = "GET") {
        TestRequest request(method, target, headers);
        Response response;
        handler.handle(request.get(), pathInfo.empty() ? request.get().path : pathInfo, response);
        return response;
    }
    test::TempDocRoot docroot;
};

TEST_F(StaticHandlerTest, CustomNotFoundPageKeepsStatus404) {
    docroot.write("404.html", "<h1>custom not found</h1>\n");
    StaticHandler handler(settings());
    for (const char* method : {"GET", "HEAD"}) {
        Response response = get(handler, "/nope", {}, {}, method);
        EXPECT_EQ(response.status, 404);
        EXPECT_EQ(headerValue(response, "Content-Type"), "text/html; charset=utf-8");
        EXPECT_EQ(bodyOf(response), "<h1>custom not found</h1>\n");
        EXPECT_EQ(response.length, 26u);
    }
}

TEST_F(StaticHandlerTest, ServesTheNewContentAfterAChange) {
    docroot.write("page.txt", "version one\n");
    StaticHandler handler(settings());
    Response first = get(handler, "/page.txt");
    EXPECT_EQ(bodyOf(first), "version one\n");
    docroot.write("page.txt", "version two, longer\n");
    Response second = get(handler, "/page.txt");
    EXPECT_EQ(bodyOf(second), "version two, longer\n");
    EXPECT_NE(headerValue(first, "ETag"), headerValue(second, "ETag"));
    EXPECT_EQ(bodyOf(first), "version one\n");  // the first response still pins its bytes
    Response stale = get(handler, "/page.txt", {{"If-None-Match", headerValue(first, "ETag")}});
    EXPECT_EQ(stale.status, 200);
}

TEST_F(StaticHandlerTest, DeletedFileIsNotServedFromCache) {
    docroot.write("gone.txt", "here\n");
    StaticHandler handler(settings());
    EXPECT_EQ(get(handler, "/gone.txt").status, 200);
    std::filesystem::remove(docroot.path("gone.txt"));
    EXPECT_EQ(get(handler, "/gone.txt").status, 404);
}

TEST_F(StaticHandlerTest, WorksWithTheCacheDisabled) {
    docroot.write("a.txt", "a\n");
    StaticHandler handler(settings(0ms, 0));
    for (int i = 0; i < 3; ++i) {
        Response response = get(handler, "/a.txt");
        EXPECT_EQ(response.status, 200);
        EXPECT_EQ(bodyOf(response), "a\n");
    }
}

TEST_F(StaticHandlerTest, RedirectKeepsTheMountPrefix) {
    docroot.mkdir("docs");
    StaticHandler handler(settings());
    Response response = get(handler, "/static/docs?x=1", {}, "/docs");
    EXPECT_EQ(response.status, 301);
    EXPECT_EQ(headerValue(response, "Location"), "/static/docs/?x=1");
}

TEST_F(StaticHandlerTest, MountRootWithoutSlashRedirects) {
    docroot.write("index.html", "home\n");
    StaticHandler handler(settings());
    TestRequest request("GET", "/static", {});
    Response response;
    handler.handle(request.get(), std::string_view(request.get().path).substr(7), response);
    EXPECT_EQ(response.status, 301);
    EXPECT_EQ(headerValue(response, "Location"), "/static/");
}

TEST_F(StaticHandlerTest, MissingDocrootThrows) {
    Settings s;
    s.docroot = docroot.base() + "/does-not-exist";
    EXPECT_THROW(StaticHandler handler(s), std::runtime_error);
}

}  // namespace
}  // namespace gateway
