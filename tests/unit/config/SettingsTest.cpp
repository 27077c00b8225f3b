#include "gateway/config/Settings.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace gateway {
namespace {

struct SizeCase {
    const char* name;
    const char* text;
    std::uint64_t bytes;
};

class ParseSize : public testing::TestWithParam<SizeCase> {};

TEST_P(ParseSize, Converts) {
    EXPECT_EQ(parseSize(GetParam().text), GetParam().bytes);
}

INSTANTIATE_TEST_SUITE_P(
    Valid, ParseSize,
    testing::Values(SizeCase{"Bytes", "512", 512}, SizeCase{"Kilo", "8k", 8 * 1024},
                    SizeCase{"KiloUpper", "8K", 8 * 1024}, SizeCase{"Mega", "16m", 16ull << 20},
                    SizeCase{"Giga", "1g", 1ull << 30}, SizeCase{"Zero", "0", 0}),
    [](const auto& info) { return std::string(info.param.name); });

class BadSize : public testing::TestWithParam<const char*> {};

TEST_P(BadSize, Throws) {
    EXPECT_THROW(parseSize(GetParam()), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Invalid, BadSize,
                         testing::Values("", "k", "-1", "12x", "1.5m", " 8k",
                                         "99999999999999999999", "18014398509481984g"));

struct DurationCase {
    const char* name;
    const char* text;
    std::int64_t ms;
};

class ParseDuration : public testing::TestWithParam<DurationCase> {};

TEST_P(ParseDuration, Converts) {
    EXPECT_EQ(parseDuration(GetParam().text).count(), GetParam().ms);
}

INSTANTIATE_TEST_SUITE_P(Valid, ParseDuration,
                         testing::Values(DurationCase{"Milliseconds", "500ms", 500},
                                         DurationCase{"Seconds", "15s", 15000},
                                         DurationCase{"BareIsSeconds", "3", 3000},
                                         DurationCase{"Minutes", "2m", 120000},
                                         DurationCase{"Hours", "1h", 3600000}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ParseDurationInvalid, Throws) {
    for (const char* text : {"", "ms", "1.5s", "-2s", "5d", "s5"})
        EXPECT_THROW(parseDuration(text), std::invalid_argument) << text;
}

TEST(ParseSwitch, AcceptsTheWordsInAnyCase) {
    for (const char* text : {"on", "TRUE", "Yes", "1"}) EXPECT_TRUE(parseSwitch(text)) << text;
    for (const char* text : {"off", "False", "NO", "0", ""})
        EXPECT_FALSE(parseSwitch(text)) << text;
    for (const char* text : {"maybe", "onn", "yes please", " on"})
        EXPECT_THROW(parseSwitch(text), std::invalid_argument) << text;
}

// The syntax has one home (gateway/detail/units.hpp, shared with the SDK's Config getters): the
// gateway's messages quote the same forms as a plugin's.
TEST(ParseErrors, QuoteTheSharedSyntax) {
    const auto messageOf = [](auto parse, const char* text) {
        try {
            parse(text);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(messageOf(parseSize, "9x"), "expected a size (512, 8k, 16m, 1g), got '9x'");
    EXPECT_EQ(messageOf(parseDuration, "5d"),
              "expected a duration (500ms, 15s, 2m, 1h; a bare number is seconds), got '5d'");
    EXPECT_EQ(messageOf(parseSwitch, "maybe"),
              "expected a switch (on/off, true/false, yes/no, 1/0), got 'maybe'");
}

TEST(Settings, SetByNameParsesValues) {
    Settings settings;
    settings.set("port", "0");
    settings.set("bind", "::1");
    settings.set("header-timeout", "300ms");
    settings.set("max-body", "1m");
    settings.set("log-level", "debug");
    settings.set("body-timeout", "5s");
    settings.set("min-body-rate", "2k");
    settings.set("body-buffer-size", "256k");
    EXPECT_EQ(settings.port, 0);
    EXPECT_EQ(settings.bodyTimeout.count(), 5000);
    EXPECT_EQ(settings.minBodyRate, 2048u);
    EXPECT_EQ(settings.bodyBufferSize, 256u * 1024);
    EXPECT_EQ(settings.bind, "::1");
    EXPECT_EQ(settings.headerTimeout.count(), 300);
    EXPECT_EQ(settings.maxBodyBytes, 1u << 20);
    EXPECT_EQ(settings.logLevel, "debug");
}

TEST(Settings, BadValueNamesTheSetting) {
    Settings settings;
    try {
        settings.set("port", "70000");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("port"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("70000"), std::string::npos) << e.what();
    }
    EXPECT_THROW(settings.set("log-level", "loud"), std::invalid_argument);
    EXPECT_THROW(settings.set("workers", "many"), std::invalid_argument);
}

TEST(Settings, AccessLogFormatIsCombinedOrJson) {
    Settings settings;
    EXPECT_EQ(settings.accessLogFormat, "combined");
    settings.set("access-log-format", "json");
    EXPECT_EQ(settings.accessLogFormat, "json");
    for (const char* bad : {"JSON", "clf", "", "combined,json"}) {
        try {
            settings.set("access-log-format", bad);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("expected combined or json"), std::string::npos)
                << e.what();
        }
    }
}

TEST(Settings, ErrorLogMustNameADestination) {
    Settings settings;
    EXPECT_EQ(settings.errorLog, "-");
    settings.set("error-log", "syslog");
    EXPECT_EQ(settings.errorLog, "syslog");
    EXPECT_THROW(settings.set("error-log", ""), std::invalid_argument);
}

TEST(Settings, UnknownNameIsRejected) {
    Settings settings;
    EXPECT_FALSE(Settings::isKnown("prot"));
    EXPECT_TRUE(Settings::isKnown("port"));
    EXPECT_THROW(settings.set("prot", "80"), std::invalid_argument);
}

TEST(Settings, ValidateRejectsZeroTimeouts) {
    Settings settings;
    EXPECT_NO_THROW(settings.validate());
    settings.idleTimeout = std::chrono::milliseconds(0);
    EXPECT_THROW(settings.validate(), std::invalid_argument);
    settings = Settings{};
    settings.bodyTimeout = std::chrono::milliseconds(0);
    EXPECT_THROW(settings.validate(), std::invalid_argument);
}

TEST(Settings, EndpointPathsAreAbsoluteAndDistinct) {
    Settings settings;
    for (const char* bad : {"healthz", "/", "/healthz?x", "/health z"}) {
        EXPECT_THROW(settings.set("health", bad), std::invalid_argument) << bad;
        EXPECT_THROW(settings.set("metrics", bad), std::invalid_argument) << bad;
    }
    settings.set("health", "/status");
    settings.set("metrics", "/metrics");
    EXPECT_NO_THROW(settings.validate());
    settings.set("metrics", "/status");
    EXPECT_THROW(settings.validate(), std::invalid_argument);
    settings.set("health", "");
    settings.set("metrics", "");
    EXPECT_NO_THROW(settings.validate()) << "both off is no clash";
}

TEST(Settings, BodyLimitsDefaultLikeModReqtimeout) {
    const Settings settings;
    EXPECT_EQ(settings.bodyTimeout.count(), 15000);
    EXPECT_EQ(settings.minBodyRate, 1024u);
    Settings off;
    off.set("min-body-rate", "0");
    EXPECT_EQ(off.minBodyRate, 0u);
}

}  // namespace
}  // namespace gateway
