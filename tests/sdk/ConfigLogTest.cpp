// SDK 1.1 for C++ apps: Config's typed getters (the gateway's SIZE, DURATION and SWITCH syntax,
// errors that name the key), gateway::sdk::log() outside a request (constructor, destructor, the
// app's own threads) and GATEWAY_APP's optional description.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gateway/app.hpp"
#include "gateway/testing.hpp"

namespace sdk = gateway::sdk;
using sdk::testing::AppRunner;
using Entries = std::vector<std::pair<std::string, std::string>>;

namespace {

/// A Config over a copy of `entries`, as the host hands it to init().
class ConfigOf {
public:
    explicit ConfigOf(Entries entries) : _owned(std::move(entries)) {
        for (const auto& [key, value] : _owned)
            _entries.push_back({{key.c_str(), key.size()}, {value.c_str(), value.size()}});
        _config = gw_config{
            sizeof(gw_config), static_cast<uint32_t>(_entries.size()), _entries.data(), {"/t", 2}};
    }
    sdk::Config config() const { return sdk::Config(&_config); }

private:
    Entries _owned;  ///< the strings _entries points into
    std::vector<gw_config_entry> _entries;
    gw_config _config{};
};

/// The ConfigError message a getter throws for `entries`, or "" when it does not throw.
template <class Get>
std::string errorOf(const Entries& entries, Get get) {
    ConfigOf holder(entries);
    try {
        get(holder.config());
    } catch (const sdk::ConfigError& e) {
        EXPECT_EQ(e.code(), GW_E_INVAL);
        return e.what();
    }
    return "";
}

TEST(ConfigGetters, AbsentKeysGiveTheFallback) {
    ConfigOf holder(Entries{{"other", "1"}});
    const sdk::Config config = holder.config();
    EXPECT_EQ(config.size("max_upload", 1 << 20), 1u << 20);
    EXPECT_EQ(config.duration("poll", std::chrono::seconds(5)), std::chrono::milliseconds(5000));
    EXPECT_TRUE(config.boolean("verbose", true));
    EXPECT_EQ(config.integer("retries", -4), -4);
    EXPECT_EQ(config.size(), 1u) << "size() without arguments still counts the entries";
}

TEST(ConfigGetters, ReadTheGatewaysSyntax) {
    ConfigOf holder(Entries{{"a", "9m"},
                            {"b", "8K"},
                            {"c", "512"},
                            {"d", "500ms"},
                            {"e", "3"},
                            {"f", "2m"},
                            {"g", "YES"},
                            {"h", "off"},
                            {"i", ""},
                            {"j", "-12"},
                            {"k", "1h"}});
    const sdk::Config c = holder.config();
    EXPECT_EQ(c.size("a", 0), 9u << 20);
    EXPECT_EQ(c.size("b", 0), 8u << 10);
    EXPECT_EQ(c.size("c", 0), 512u);
    EXPECT_EQ(c.duration("d", {}).count(), 500);
    EXPECT_EQ(c.duration("e", {}).count(), 3000) << "a bare number is seconds";
    EXPECT_EQ(c.duration("f", {}).count(), 120000) << "m is minutes";
    EXPECT_EQ(c.duration("k", {}).count(), 3600000);
    EXPECT_TRUE(c.boolean("g", false));
    EXPECT_FALSE(c.boolean("h", true));
    EXPECT_FALSE(c.boolean("i", true)) << "an empty switch is off, as for the gateway's";
    EXPECT_EQ(c.integer("j", 0), -12);
}

TEST(ConfigGetters, BadValuesNameTheKeyTheValueAndTheSyntax) {
    EXPECT_EQ(errorOf({{"max_upload", "9x"}},
                      [](const sdk::Config& c) { c.size("max_upload", 1 << 20); }),
              "max_upload: \"9x\" is not a SIZE (512, 8k, 16m, 1g)");
    EXPECT_EQ(errorOf({{"poll", "5d"}},
                      [](const sdk::Config& c) { c.duration("poll", std::chrono::seconds(1)); }),
              "poll: \"5d\" is not a DURATION (500ms, 15s, 2m, 1h; a bare number is seconds)");
    EXPECT_EQ(
        errorOf({{"verbose", "maybe"}}, [](const sdk::Config& c) { c.boolean("verbose", false); }),
        "verbose: \"maybe\" is not a SWITCH (on/off, true/false, yes/no, 1/0)");
    EXPECT_EQ(errorOf({{"retries", "3.5"}}, [](const sdk::Config& c) { c.integer("retries", 1); }),
              "retries: \"3.5\" is not an INTEGER");
    EXPECT_EQ(
        errorOf({{"retries", "11"}}, [](const sdk::Config& c) { c.integer("retries", 1, 0, 10); }),
        "retries: \"11\" is not an INTEGER from 0 to 10");
}

TEST(ConfigGetters, OverflowIsABadValueNotAWrappedNumber) {
    for (const char* text : {"18014398509481984g", "99999999999999999999"})
        EXPECT_NE(errorOf({{"n", text}}, [](const sdk::Config& c) { c.size("n", 0); }), "") << text;
    EXPECT_NE(errorOf({{"n", "101d"}}, [](const sdk::Config& c) { c.duration("n", {}); }), "");
    EXPECT_NE(errorOf({{"n", "2401h"}}, [](const sdk::Config& c) { c.duration("n", {}); }), "")
        << "more than 100 days";
    EXPECT_NE(
        errorOf({{"n", "9223372036854775808"}}, [](const sdk::Config& c) { c.integer("n", 0); }),
        "");
}

// ---- through the init wrapper ------------------------------------------------------------------

/// Reads a SIZE in its constructor and logs from there, from a thread of its own and from its
/// destructor, all outside any request.
class Upload {
public:
    explicit Upload(const sdk::Config& config) : _limit(config.size("max_upload", 1 << 20)) {
        sdk::log(GW_LOG_INFO, "limit " + std::to_string(_limit));
        std::thread worker([] { sdk::log(GW_LOG_DEBUG, "from a thread of the app"); });
        worker.join();
    }
    ~Upload() { sdk::log(GW_LOG_WARNING, "bye"); }
    sdk::Body call(sdk::Request& request) {
        request.startResponse(200, {{"Content-Type", "text/plain"}});
        sdk::log(GW_LOG_INFO, "not tagged with the request");
        return sdk::Body::fromString(std::to_string(_limit));
    }

private:
    std::uint64_t _limit;
};

constexpr gw_app kUpload = sdk::makeApp<Upload>("upload", "1.0", GW_APP_THREAD_SAFE);

TEST(ConfigInit, BadValueFailsInitWithTheMessage) {
    AppRunner runner(kUpload, {{"max_upload", "9x"}});
    EXPECT_FALSE(runner.initialized());
    EXPECT_EQ(runner.initResult(), GW_E_INVAL);
    EXPECT_EQ(runner.initError(), "max_upload: \"9x\" is not a SIZE (512, 8k, 16m, 1g)");
    EXPECT_TRUE(runner.loadLint().empty());
    EXPECT_EQ(sdk::hostApi(), nullptr) << "a failed init gives the host table back";
}

TEST(ConfigInit, GoodValueReachesTheApp) {
    AppRunner runner(kUpload, {{"max_upload", "16m"}});
    ASSERT_TRUE(runner.initialized()) << runner.initError();
    EXPECT_EQ(runner.run({}).body, std::to_string(16u << 20));
}

TEST(LogOutsideARequest, ConstructorAndTheAppsThreadsReachTheHost) {
    EXPECT_EQ(sdk::hostApi(), nullptr) << "no mount yet";
    sdk::log(GW_LOG_ERROR, "no host: dropped, no crash");
    std::vector<sdk::testing::LogLine> lines;
    {
        AppRunner runner(kUpload);
        ASSERT_TRUE(runner.initialized()) << runner.initError();
        EXPECT_EQ(sdk::hostApi(), &runner.api());
        const auto response = runner.run({});
        EXPECT_TRUE(response.logs.empty()) << "log() outside the request is not the request's";
        lines = runner.logs();
        ASSERT_EQ(lines.size(), 3u);
        EXPECT_EQ(lines[0].level, GW_LOG_INFO);
        EXPECT_EQ(lines[0].message, "limit 1048576");
        EXPECT_EQ(lines[1].level, GW_LOG_DEBUG);
        EXPECT_EQ(lines[1].message, "from a thread of the app");
        EXPECT_EQ(lines[2].message, "not tagged with the request");
        // A second mount shares the table; the first fini must not forget it.
        { AppRunner second(kUpload); }
        EXPECT_EQ(sdk::hostApi(), &runner.api());
    }
    EXPECT_EQ(sdk::hostApi(), nullptr) << "forgotten after the last fini";
}

std::vector<std::string>& recorded() {
    static std::vector<std::string> lines;
    return lines;
}

TEST(LogOutsideARequest, DestructorLogsBeforeTheTableIsForgotten) {
    // A bare host table (not the fake host), to see fini's lines after the instance is gone.
    gw_host_api api{};
    api.abi_version = GW_ABI_VERSION;
    api.size = sizeof api;
    api.log = [](gw_request* req, int32_t level, gw_str msg) {
        recorded().push_back(std::to_string(level) + (req ? " req " : " ") +
                             std::string(msg.ptr, msg.len));
    };
    recorded().clear();
    const gw_config config{sizeof(gw_config), 0, nullptr, {"/u", 2}};
    void* state = nullptr;
    char errbuf[128] = "";
    ASSERT_EQ(kUpload.init(&api, &config, &state, errbuf, sizeof errbuf), GW_OK) << errbuf;
    kUpload.fini(state);
    EXPECT_EQ(sdk::hostApi(), nullptr);
    const std::vector<std::string> expected = {"6 limit 1048576", "7 from a thread of the app",
                                               "4 bye"};
    EXPECT_EQ(recorded(), expected);
}

}  // namespace

// The five-argument form: the description lands in the descriptor (`gateway check`'s "about:").
GATEWAY_APP(Upload, "upload", "1.1.0", GW_APP_THREAD_SAFE, "Takes uploads up to max_upload")

TEST(GatewayAppMacro, CarriesTheDescription) {
    const gw_app* app = gw_app_entry(GW_ABI_VERSION);
    ASSERT_NE(app, nullptr);
    EXPECT_STREQ(app->name, "upload");
    EXPECT_STREQ(app->version, "1.1.0");
    EXPECT_STREQ(app->description, "Takes uploads up to max_upload");
}

TEST(GatewayAppMacro, MakeAppWithoutADescriptionLeavesItNull) {
    constexpr gw_app plain = sdk::makeApp<Upload>("upload", "1.0", 0);
    EXPECT_EQ(plain.description, nullptr);
}
