#pragma once

#include <span>
#include <string>
#include <string_view>

#include "gateway/config/Settings.h"

namespace gateway {

/// How the table reaches the one Settings field a setting sets.
struct SettingAccess {
    /// Parses `text` into the field; throws std::invalid_argument naming the accepted form.
    void (*set)(Settings& settings, std::string_view text);
    /// Whether the field holds the same value in both.
    bool (*same)(const Settings& a, const Settings& b);
    /// Copies the field's value from `from` into `to`.
    void (*copy)(Settings& to, const Settings& from);
};

/// One setting: everything the CLI, the config file, --help, Settings() and a reload know of it.
struct SettingSpec {
    std::string_view name;         ///< the flag without "--", and the config-file key
    std::string_view placeholder;  ///< the value's form in --help: SIZE, DURATION, N, on|off, ...
    std::string_view defaultText;  ///< parsed by `access.set` into every new Settings; "" = none
    std::string_view help;         ///< for --help, without the default (helpText() appends it)
    bool reloadable;               ///< a reload's new generation of workers can take a new value
    SettingAccess access;
};

/// Every setting, in --help order. To add one: a field in Settings, a row in SettingsTable.cpp, a
/// row in README.md's option table and a value in SettingsTableTest.cpp's kOtherValue (the tests
/// fail until both exist).
std::span<const SettingSpec> settingsTable();

/// The setting called `name`, or nullptr.
const SettingSpec* findSetting(std::string_view name);

/// The setting's help followed by "(default X)", X being its default text or "none".
std::string helpText(const SettingSpec& spec);

}  // namespace gateway
