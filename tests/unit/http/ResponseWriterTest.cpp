#include "gateway/http/ResponseWriter.h"

#include <gtest/gtest.h>

#include "gateway/http/DateCache.h"
#include "gateway/http/StatusCodes.h"

namespace gateway {
namespace {

constexpr std::string_view kDate = "Wed, 25 Nov 2026 13:55:00 GMT";

std::size_t declaredLength(const std::string& out) {
    const auto at = out.find("Content-Length: ");
    return at == std::string::npos ? std::string::npos : std::stoul(out.substr(at + 16));
}

TEST(ResponseWriter, HeadCarriesDateServerLengthAndHandlerHeaders) {
    Response response;
    response.status = 200;
    response.header("Content-Type", "text/plain");
    response.setMemoryBody("hello");
    std::string out;
    ResponseWriter::writeHead(out, response, kDate, true, false);
    EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK\r\n")) << out;
    EXPECT_NE(out.find("Date: Wed, 25 Nov 2026 13:55:00 GMT\r\n"), std::string::npos);
    EXPECT_NE(out.find("Server: gateway/"), std::string::npos);
    EXPECT_NE(out.find("Content-Type: text/plain\r\n"), std::string::npos);
    EXPECT_EQ(declaredLength(out), 5u);
    EXPECT_EQ(out.find("Connection:"), std::string::npos);
    EXPECT_TRUE(out.ends_with("\r\n\r\n"));
}

TEST(ResponseWriter, ConnectionHeaderFollowsKeepAliveDecision) {
    Response response;
    std::string closing, http10;
    ResponseWriter::writeHead(closing, response, kDate, false, false);
    ResponseWriter::writeHead(http10, response, kDate, true, true);
    EXPECT_NE(closing.find("Connection: close\r\n"), std::string::npos);
    EXPECT_NE(http10.find("Connection: keep-alive\r\n"), std::string::npos);
}

TEST(ResponseWriter, NoContentLengthFor304And204) {
    for (int status : {204, 304}) {
        Response response;
        response.status = status;
        response.length = 42;
        std::string out;
        ResponseWriter::writeHead(out, response, kDate, true, false);
        EXPECT_EQ(out.find("Content-Length"), std::string::npos) << status;
    }
}

TEST(ResponseWriter, ErrorIsCompleteAndCloses) {
    for (int status : {400, 404, 408, 413, 414, 431, 500, 501, 505}) {
        std::string out;
        ResponseWriter::writeError(out, status, kDate);
        const auto headEnd = out.find("\r\n\r\n");
        ASSERT_NE(headEnd, std::string::npos);
        EXPECT_EQ(out.size() - headEnd - 4, declaredLength(out)) << status;
        EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos);
        EXPECT_NE(out.find(std::string(reasonPhrase(status))), headEnd) << status;
    }
}

TEST(ResponseWriter, ErrorForHeadHasLengthButNoBody) {
    std::string out;
    ResponseWriter::writeError(out, 404, kDate, false);
    EXPECT_TRUE(out.ends_with("\r\n\r\n"));
    EXPECT_GT(declaredLength(out), 0u);
}

TEST(HttpDate, FormatsAndParsesAllThreeForms) {
    EXPECT_EQ(formatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    EXPECT_EQ(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
    EXPECT_EQ(parseHttpDate("Sun Nov  6 08:49:37 1994"), 784111777);
    EXPECT_EQ(parseHttpDate("yesterday"), std::nullopt);
    EXPECT_EQ(parseHttpDate(""), std::nullopt);
}

TEST(DateCache, HoldsTodaysDate) {
    DateCache cache;
    const auto parsed = parseHttpDate(cache.get());
    ASSERT_TRUE(parsed.has_value()) << cache.get();
    EXPECT_LE(std::abs(*parsed - std::time(nullptr)), 2);
}

}  // namespace
}  // namespace gateway
