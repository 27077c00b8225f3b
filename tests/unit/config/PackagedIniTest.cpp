// packaging/gateway.ini, the config the Debian package installs as /etc/gateway/gateway.ini,
// against the settings table: every setting is a key there, under a comment with its help and
// default. (tests/package runs the real binary with the installed copy: `gateway -t --config ...`.)
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "gateway/config/SettingsTable.h"

namespace gateway {

void PrintTo(const SettingSpec& spec, std::ostream* os);  // SettingsTableTest.cpp: by name

namespace {

/// The settings whose packaged value is not the default: the installed layout (docroot, apps)
/// and the files packaging/gateway.logrotate works on (access log, pid file).
const std::set<std::string, std::less<>> kPackagedValues = {"docroot", "apps", "access-log",
                                                            "pidfile"};

struct IniKey {
    std::string value;
    std::string comment;  ///< the comment lines right above the key, joined by blanks
    int count = 0;
};

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

/// The keys before the first [section], as Poco's IniFileConfiguration reads them (';' starts a
/// comment line; `key = value`).
std::map<std::string, IniKey, std::less<>> readIni(const std::string& path) {
    std::ifstream file(path);
    EXPECT_TRUE(file) << "cannot read " << path;
    std::map<std::string, IniKey, std::less<>> keys;
    std::string comment;
    for (std::string line; std::getline(file, line);) {
        line = trim(line);
        if (line.starts_with(";")) {
            comment += (comment.empty() ? "" : " ") + trim(line.substr(1));
        } else if (line.starts_with("[")) {
            break;
        } else if (const auto equals = line.find('='); equals != std::string::npos) {
            IniKey& key = keys[trim(line.substr(0, equals))];
            key.value = trim(line.substr(equals + 1));
            key.comment = comment;
            ++key.count;
            comment.clear();
        } else {
            EXPECT_TRUE(line.empty()) << "not a key, comment or section: " << line;
            comment.clear();
        }
    }
    return keys;
}

const std::map<std::string, IniKey, std::less<>>& packagedIni() {
    static const auto keys = readIni(GATEWAY_SOURCE_DIR "/packaging/gateway.ini");
    return keys;
}

/// The comment a key's line must follow: "PLACEHOLDER: help (default X)".
std::string expectedComment(const SettingSpec& spec) {
    return std::string(spec.placeholder) + ": " + helpText(spec);
}

std::string nameOf(const testing::TestParamInfo<SettingSpec>& info) {
    std::string name;
    for (char c : info.param.name) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return name;
}

class PackagedIni : public testing::TestWithParam<SettingSpec> {
protected:
    const SettingSpec& spec = GetParam();
    const std::string name{spec.name};
};

TEST_P(PackagedIni, HasTheSettingOnceUnderItsHelpAndDefault) {
    const auto key = packagedIni().find(name);
    ASSERT_NE(key, packagedIni().end()) << "packaging/gateway.ini has no key " << name
                                        << "; add:\n; " << expectedComment(spec) << "\n"
                                        << name << " = " << spec.defaultText;
    EXPECT_EQ(key->second.count, 1) << name << " is set more than once";
    EXPECT_EQ(key->second.comment, expectedComment(spec))
        << "the comment above " << name << " (wrapped into '; ' lines as you like)";
}

TEST_P(PackagedIni, ValueIsTheDefaultUnlessThePackageNeedsAnother) {
    const auto key = packagedIni().find(name);
    ASSERT_NE(key, packagedIni().end());
    Settings settings;
    EXPECT_NO_THROW(settings.set(name, key->second.value));
    if (!kPackagedValues.contains(name)) {
        EXPECT_EQ(key->second.value, spec.defaultText)
            << "the packaged config states the defaults (the header says so)";
    }
}

INSTANTIATE_TEST_SUITE_P(EverySetting, PackagedIni, testing::ValuesIn(settingsTable()), nameOf);

TEST(PackagedIniFile, HasNoKeyThatIsNotASetting) {
    for (const auto& [name, key] : packagedIni()) EXPECT_TRUE(Settings::isKnown(name)) << name;
    EXPECT_EQ(packagedIni().size(), settingsTable().size());
}

TEST(PackagedIniFile, IsAValidConfiguration) {
    Settings settings;
    for (const auto& [name, key] : packagedIni()) settings.set(name, key.value);
    EXPECT_NO_THROW(settings.validate());
}

}  // namespace
}  // namespace gateway
