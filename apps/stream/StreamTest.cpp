// stream through the fake host: N chunks "chunk i\n", chunked framing, 400 for bad numbers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gateway/testing.hpp"

using gateway::sdk::testing::AppRunner;
using gateway::sdk::testing::Framing;
using gateway::sdk::testing::TestRequest;

namespace {

gateway::sdk::testing::TestResponse get(const std::string& query) {
    AppRunner app(*gw_app_entry(GW_ABI_VERSION));
    TestRequest request;
    request.query = query;
    return app.run(request);
}

TEST(StreamApp, SendsEachLineAsItsOwnChunk) {
    const auto response = get("n=3&delay_ms=1");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.chunks, (std::vector<std::string>{"chunk 0\n", "chunk 1\n", "chunk 2\n"}));
    EXPECT_EQ(response.framing, Framing::Chunked);
    EXPECT_FALSE(response.header("Content-Length"));
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
}

TEST(StreamApp, DefaultsToTenLines) {
    EXPECT_EQ(get("").chunks.size(), 10u);
}

TEST(StreamApp, OneLineIsStillChunked) {
    const auto response = get("n=1");
    EXPECT_EQ(response.body, "chunk 0\n");
    EXPECT_EQ(response.framing, Framing::Chunked);
}

class StreamBadQuery : public testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(StreamBadQuery, Is400) {
    const auto response = get(GetParam().second);
    EXPECT_EQ(response.status, 400);
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
}

INSTANTIATE_TEST_SUITE_P(StreamApp, StreamBadQuery,
                         testing::Values(std::pair<std::string, std::string>{"NotANumber", "n=abc"},
                                         std::pair<std::string, std::string>{"Negative", "n=-1"},
                                         std::pair<std::string, std::string>{"TooMany", "n=100001"},
                                         std::pair<std::string, std::string>{"DelayTooLong",
                                                                             "delay_ms=10001"},
                                         std::pair<std::string, std::string>{"Empty", "n="}),
                         [](const auto& info) { return info.param.first; });

}  // namespace
