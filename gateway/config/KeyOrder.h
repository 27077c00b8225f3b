#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gateway {

/// The keys of a config file in the order they are written. Poco's file configurations keep keys
/// in sorted maps, but plugins are promised their "[app.NAME]" section in file order.
class KeyOrder {
public:
    /// Scans `text`, an .ini file (`ini`: "[section]" then "key = value", keys become
    /// "section.key") or a .properties file ("a.b.key = value" or "a.b.key: value"). Comments
    /// and continuation lines are skipped; a repeated key keeps its first position.
    KeyOrder(std::string_view text, bool ini);

    /// Where `key` (full dotted name, compared case-insensitively as Poco's .ini reader does)
    /// first appears; keys the scan did not see come after all others.
    std::size_t position(std::string_view key) const;

private:
    std::vector<std::string> _keys;
};

}  // namespace gateway
