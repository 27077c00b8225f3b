// stream through the fake host: N chunks "chunk i\n", chunked framing, 400 for bad numbers.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "gateway/testing.hpp"

using gateway::sdk::testing::AppRunner;
using gateway::sdk::testing::Framing;
using gateway::sdk::testing::TestRequest;

namespace {

gateway::sdk::testing::TestResponse get(
    const std::string& query, std::vector<std::pair<std::string, std::string>> config = {}) {
    AppRunner app(*gw_app_entry(GW_ABI_VERSION), std::move(config));
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

TEST(StreamApp, QueryIsDecoded) {
    EXPECT_EQ(get("n=%32").chunks.size(), 2u);
}

TEST(StreamApp, ConfigSetsTheLimits) {
    const std::vector<std::pair<std::string, std::string>> config = {{"max_lines", "3"},
                                                                     {"max_delay", "20ms"}};
    EXPECT_EQ(get("n=3&delay_ms=20", config).status, 200);
    EXPECT_EQ(get("n=4", config).status, 400);
    const auto response = get("delay_ms=21", config);
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(response.body, "delay_ms must be a number from 0 to 20\n");
}

TEST(StreamApp, BadConfigFailsInit) {
    AppRunner app(*gw_app_entry(GW_ABI_VERSION), {{"max_delay", "soon"}});
    EXPECT_FALSE(app.initialized());
    EXPECT_EQ(app.initResult(), GW_E_INVAL);
    EXPECT_EQ(app.initError().rfind("max_delay: \"soon\"", 0), 0u) << app.initError();
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
                                         std::pair<std::string, std::string>{"Empty", "n="},
                                         std::pair<std::string, std::string>{"Trailing", "n=5x"},
                                         std::pair<std::string, std::string>{"BadEscape", "n=%G"}),
                         [](const auto& info) { return info.param.first; });

}  // namespace
