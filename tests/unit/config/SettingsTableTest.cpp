#include "gateway/config/SettingsTable.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace gateway {

/// Test names say which setting, not its bytes (found by argument-dependent lookup).
void PrintTo(const SettingSpec& spec, std::ostream* os) {
    *os << spec.name;
}

namespace {

/// A valid value other than the default, per setting: proves that a setting's setter and its
/// comparator reach the same field and no other. A new setting needs a line here.
const std::map<std::string, std::string, std::less<>> kOtherValue = {
    {"bind", "::1"},
    {"port", "0"},
    {"docroot", "/srv/www"},
    {"apps", "/srv/apps"},
    {"workers", "3"},
    {"threads", "7"},
    {"access-log", "-"},
    {"log-level", "debug"},
    {"ready-file", "/run/gateway.port"},
    {"max-request-line", "4k"},
    {"max-header-bytes", "64k"},
    {"max-header-count", "50"},
    {"max-body", "1g"},
    {"max-connections", "10"},
    {"header-timeout", "5s"},
    {"idle-timeout", "2m"},
    {"write-timeout", "500ms"},
    {"body-timeout", "1h"},
    {"body-buffer-size", "64k"},
    {"min-body-rate", "0"},
    {"shutdown-grace", "3s"},
    {"need-app", "on"},
    {"watch-apps", "off"},
    {"stuck-share", "50"},
    {"metrics", "/metrics"},
    {"metrics-allow", "10.0.0.0/8"},
    {"health", "/healthz"},
    {"access-log-format", "json"},
    {"error-log", "syslog"},
    {"trusted-proxies", "127.0.0.1/32"},
    {"user", "www-data"},
    {"pidfile", "/run/gateway.pid"},
    {"file-cache-validity", "0"},
    {"file-cache-entries", "1"},
};

/// The names of the settings whose fields differ between `a` and `b`.
std::vector<std::string> differences(const Settings& a, const Settings& b) {
    std::vector<std::string> names;
    for (const SettingSpec& spec : settingsTable())
        if (!spec.access.same(a, b)) names.emplace_back(spec.name);
    return names;
}

std::string nameOf(const testing::TestParamInfo<SettingSpec>& info) {
    std::string name;
    for (char c : info.param.name) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return name;
}

class EverySetting : public testing::TestWithParam<SettingSpec> {
protected:
    const SettingSpec& spec = GetParam();
    const std::string name{spec.name};
};

TEST_P(EverySetting, DefaultParsesToWhatSettingsStartWith) {
    Settings settings;
    ASSERT_NO_THROW(settings.set(name, kOtherValue.at(name)));
    ASSERT_NO_THROW(settings.set(name, spec.defaultText));
    EXPECT_EQ(differences(settings, Settings{}), std::vector<std::string>{});
}

TEST_P(EverySetting, SetsItsOwnFieldAndNoOther) {
    ASSERT_TRUE(kOtherValue.contains(name)) << "give " << name << " a line in kOtherValue";
    Settings settings;
    settings.set(name, kOtherValue.at(name));
    EXPECT_EQ(differences(settings, Settings{}), std::vector<std::string>{name});
}

TEST_P(EverySetting, IsAConfigFileKey) {
    EXPECT_TRUE(Settings::isKnown(name));
    ASSERT_NE(findSetting(name), nullptr);
    EXPECT_EQ(findSetting(name)->name, spec.name);
}

TEST_P(EverySetting, HelpStatesTheDefaultOnce) {
    EXPECT_EQ(spec.help.find("default"), std::string_view::npos)
        << "--help appends the default; the help text must not repeat it: " << spec.help;
    const std::string shown = spec.defaultText.empty() ? "none" : std::string(spec.defaultText);
    EXPECT_EQ(helpText(spec), std::string(spec.help) + " (default " + shown + ")");
    EXPECT_FALSE(spec.placeholder.empty());
}

TEST_P(EverySetting, RestartIsRequiredExactlyWhenNotReloadable) {
    Settings next;
    next.set(name, kOtherValue.at(name));
    const std::vector<std::string> expected =
        spec.reloadable ? std::vector<std::string>{} : std::vector<std::string>{name};
    EXPECT_EQ(Settings::restartRequired(Settings{}, next), expected);
}

INSTANTIATE_TEST_SUITE_P(Table, EverySetting, testing::ValuesIn(settingsTable()), nameOf);

TEST(SettingsTable, NamesAreUniqueFlagNames) {
    std::set<std::string_view> seen;
    for (const SettingSpec& spec : settingsTable()) {
        EXPECT_TRUE(seen.insert(spec.name).second) << spec.name << " twice";
        EXPECT_TRUE(std::all_of(spec.name.begin(), spec.name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || c == '-';
        })) << spec.name;
    }
    EXPECT_EQ(seen.size(), kOtherValue.size());
}

TEST(SettingsTable, ConfigIsAFlagNotASetting) {
    EXPECT_FALSE(Settings::isKnown("config"));
    EXPECT_EQ(findSetting("help"), nullptr);
}

TEST(SettingsTable, WorkersDefaultToOnePerCore) {
    Settings settings;
    settings.set("workers", "1");
    settings.set("workers", "cores");
    EXPECT_GE(settings.workers, 1u);
    EXPECT_EQ(settings.workers, Settings{}.workers);
    try {
        settings.set("workers", "many");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(),
                     "bad value for workers: expected cores or a number from 0 to 1024, got "
                     "'many'");
    }
}

TEST(SettingsTable, TrustedProxiesAreCheckedRanges) {
    Settings settings;
    EXPECT_EQ(settings.trustedProxies, "");  // nobody is trusted unless told
    settings.set("trusted-proxies", "10.0.0.0/8, ::1");
    EXPECT_EQ(settings.trustedProxies, "10.0.0.0/8, ::1");
    try {
        settings.set("trusted-proxies", "10.0.0.0/8, proxy.local");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(),
                     "bad value for trusted-proxies: 'proxy.local' is not an address range (not "
                     "a numeric IP address); expected ADDRESS[/PREFIX], e.g. 10.0.0.0/8 or "
                     "2001:db8::/32");
    }
}

TEST(RestartRequired, ListenerChangesNeedARestart) {
    const Settings running;
    Settings next;
    next.set("port", "9090");
    EXPECT_EQ(Settings::restartRequired(running, next), std::vector<std::string>{"port"});
    next.set("bind", "::1");
    EXPECT_EQ(Settings::restartRequired(running, next), (std::vector<std::string>{"bind", "port"}));
}

TEST(RestartRequired, WhatWorkersReadCanBeReloaded) {
    const Settings running;
    Settings next;
    next.set("docroot", "/srv/other");
    next.set("threads", "16");
    next.set("max-body", "1m");
    next.appSections["hello"] = {{"mount", "/hello"}};
    EXPECT_EQ(Settings::restartRequired(running, next), std::vector<std::string>{});
    EXPECT_EQ(Settings::restartRequired(running, running), std::vector<std::string>{});
}

/// README.md's option table: its row for `setting`, or "".
std::string readmeRow(const std::string& readme, const SettingSpec& spec) {
    const std::string start = "| `--" + std::string(spec.name) + " ";
    std::istringstream lines(readme);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with(start)) return line;
    return "";
}

TEST(SettingsTable, ReadmeDocumentsEverySettingWithItsDefault) {
    std::ifstream file(GATEWAY_SOURCE_DIR "/README.md");
    ASSERT_TRUE(file) << "cannot read README.md";
    const std::string readme{std::istreambuf_iterator<char>(file), {}};
    for (const SettingSpec& spec : settingsTable()) {
        const std::string row = readmeRow(readme, spec);
        if (row.empty()) {
            ADD_FAILURE() << "README.md's option table has no row for --" << spec.name;
            continue;
        }
        // "| `--name PLACEHOLDER` | `default` | meaning |"; in Markdown '|' is written '\|'.
        std::string placeholder;
        for (char c : spec.placeholder)
            placeholder += c == '|' ? std::string("\\|") : std::string(1, c);
        EXPECT_TRUE(row.starts_with("| `--" + std::string(spec.name) + " " + placeholder)) << row;
        if (!spec.defaultText.empty()) {
            EXPECT_NE(row.find("` | `" + std::string(spec.defaultText) + "` |"), std::string::npos)
                << "README.md should give --" << spec.name << " the default " << spec.defaultText
                << ": " << row;
        }
    }
}

}  // namespace
}  // namespace gateway
