#include <gtest/gtest.h>

#include <map>
#include <string>

#include "gateway/apps/EnvironBuilder.h"
#include "gateway/config/Settings.h"
#include "gateway/http/PathNormalizer.h"
#include "gateway/http/RequestId.h"
#include "gateway/http/RequestParser.h"

namespace gateway {
namespace {

// PATH_INFO decoding has its table in tests/unit/http/PathNormalizerTest.cpp.

// --- whole environ ---------------------------------------------------------------------------

struct EnvironCase {
    const char* name;
    const char* request;                          ///< raw head
    const char* mount;                            ///< SCRIPT_NAME
    std::map<std::string, std::string> expected;  ///< entries that must be there, with values
    std::vector<std::string> absent;              ///< entries that must not be there
};

std::ostream& operator<<(std::ostream& out, const EnvironCase& c) {
    return out << c.name;
}

class EnvironTable : public ::testing::TestWithParam<EnvironCase> {};

TEST_P(EnvironTable, Build) {
    const EnvironCase& c = GetParam();
    const std::string raw = c.request;
    RequestParser parser(parserLimitsOf(Settings{}));
    Request request;
    ASSERT_EQ(parser.parse(raw, request), RequestParser::Status::Complete);
    request.remoteAddress = "::1";
    request.remotePort = 54321;
    RequestIdGenerator ids(0x0123456789abcdefull);
    ids.assign(request.id, request.value("X-Request-Id"));

    std::string raw_path(request.path.substr(std::string_view(c.mount).size()));
    std::string pathInfo;
    ASSERT_EQ(PathNormalizer::normalize(raw_path, pathInfo, PathNormalizer::kPathInfo),
              PathNormalizer::Result::Ok);
    EnvironContext context;
    context.scriptName = c.mount;
    context.pathInfo = pathInfo;
    context.remoteAddress = request.remoteAddress;
    context.remotePort = request.remotePort;
    context.localAddress = "127.0.0.1";
    context.localPort = 8443;
    context.multithread = true;
    context.deadlineMs = std::string_view(c.name) == "Deadline" ? 1700000000123 : 0;
    context.bodyLimit = 16u << 20;

    EnvironBuilder builder;
    for (int round = 0; round < 2; ++round) {  // reuse must give the same result
        builder.build(request, context);
        for (const auto& [key, value] : c.expected) {
            const auto* entry = builder.find(key);
            ASSERT_NE(entry, nullptr) << key;
            EXPECT_EQ(entry->second, value) << key;
        }
        for (const auto& key : c.absent) EXPECT_EQ(builder.find(key), nullptr) << key;
        std::map<std::string_view, int> names;
        for (const auto& entry : builder.entries())
            EXPECT_EQ(++names[entry.first], 1) << entry.first;
    }
}

const EnvironCase kEnvirons[] = {
    {"Basic",
     "GET /echo/a%20b/../c?x=1&y=%20 HTTP/1.1\r\nHost: example.org:8443\r\n\r\n",
     "/echo",
     {{"REQUEST_METHOD", "GET"},
      {"SCRIPT_NAME", "/echo"},
      {"PATH_INFO", "/c"},
      {"QUERY_STRING", "x=1&y=%20"},
      {"REQUEST_URI", "/echo/a%20b/../c?x=1&y=%20"},
      {"SERVER_NAME", "example.org"},
      {"SERVER_PORT", "8443"},
      {"SERVER_PROTOCOL", "HTTP/1.1"},
      {"REMOTE_ADDR", "::1"},
      {"REMOTE_PORT", "54321"},
      {"HTTP_HOST", "example.org:8443"},
      {"gateway.url_scheme", "http"},
      {"gateway.version", "1.1"},
      {"gateway.multithread", "1"},
      {"gateway.multiprocess", "0"},
      {"gateway.input_terminated", "1"},
      {"gateway.request_id", "0123456789abcdef0000000000000000"},
      {"gateway.body_limit", "16777216"}},
     {"CONTENT_TYPE", "CONTENT_LENGTH", "gateway.deadline", "HTTP_X_REQUEST_ID"}},
    {"MountRoot",
     "GET /echo HTTP/1.1\r\nHost: h\r\n\r\n",
     "/echo",
     {{"SCRIPT_NAME", "/echo"}, {"PATH_INFO", ""}, {"QUERY_STRING", ""}},
     {}},
    {"RootMount",
     "GET /x/y HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {{"SCRIPT_NAME", ""}, {"PATH_INFO", "/x/y"}},
     {}},
    {"NoHostUsesListenAddress",
     "GET /a HTTP/1.0\r\n\r\n",
     "",
     {{"SERVER_NAME", "127.0.0.1"}, {"SERVER_PROTOCOL", "HTTP/1.0"}},
     {"HTTP_HOST"}},
    {"Ipv6Host", "GET /a HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n", "", {{"SERVER_NAME", "::1"}}, {}},
    {"ContentHeaders",
     "POST /f HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n",
     "",
     {{"REQUEST_METHOD", "POST"}, {"CONTENT_TYPE", "text/plain"}, {"CONTENT_LENGTH", "5"}},
     {"HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"}},
    {"ChunkedHasNoLength",
     "POST /f HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
     "",
     {{"HTTP_TRANSFER_ENCODING", "chunked"}},
     {"CONTENT_LENGTH"}},
    {"RepeatsJoined",
     "GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\nX-Other: 1\r\naccept: b\r\nACCEPT: c\r\n\r\n",
     "",
     {{"HTTP_ACCEPT", "a, b, c"}, {"HTTP_X_OTHER", "1"}},
     {}},
    {"UnderscoreDropped",
     "GET / HTTP/1.1\r\nHost: h\r\nX_Forwarded_For: evil\r\nX-Forwarded-For: good\r\n\r\n",
     "",
     {{"HTTP_X_FORWARDED_FOR", "good"}},
     {}},
    {"TokenCharsDropped",
     "GET / HTTP/1.1\r\nHost: h\r\nX.Dotted: 1\r\nUser-Agent: ua/1\r\n\r\n",
     "",
     {{"HTTP_USER_AGENT", "ua/1"}},
     {"HTTP_X_DOTTED", "HTTP_X.DOTTED"}},
    {"MethodCaseKept",
     "PATCH /p HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {{"REQUEST_METHOD", "PATCH"}},
     {}},
    {"Deadline",
     "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
     "",
     {{"gateway.deadline", "1700000000123"}},
     {}},
    {"ClientRequestIdKept",
     "GET / HTTP/1.1\r\nHost: h\r\nX-Request-Id: 3f2a-b9/x=:~+_.\r\n\r\n",
     "",
     {{"gateway.request_id", "3f2a-b9/x=:~+_."}, {"HTTP_X_REQUEST_ID", "3f2a-b9/x=:~+_."}},
     {}},
    {"InvalidClientRequestIdReplaced",
     "GET / HTTP/1.1\r\nHost: h\r\nX-Request-Id: a b\r\n\r\n",
     "",
     {{"gateway.request_id", "0123456789abcdef0000000000000000"}, {"HTTP_X_REQUEST_ID", "a b"}},
     {}},
};

INSTANTIATE_TEST_SUITE_P(Environ, EnvironTable, ::testing::ValuesIn(kEnvirons),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(EnvironBuilder, CgiName) {
    std::string out;
    EXPECT_TRUE(EnvironBuilder::cgiName("x-Request-id9", out));
    EXPECT_EQ(out, "HTTP_X_REQUEST_ID9");
    EXPECT_FALSE(EnvironBuilder::cgiName("X_Y", out));
    EXPECT_FALSE(EnvironBuilder::cgiName("", out));
}

}  // namespace
}  // namespace gateway
