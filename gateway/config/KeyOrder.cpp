#include "gateway/config/KeyOrder.h"

#include <algorithm>
#include <cctype>

namespace gateway {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

bool sameKey(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

}  // namespace

KeyOrder::KeyOrder(std::string_view text, bool ini) {
    std::string section;
    bool continued = false;  // .properties: the previous line ended with a backslash
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        const bool wasContinued = continued;
        continued = !ini && !line.empty() && line.back() == '\\';
        line = trim(line);
        if (wasContinued || line.empty() || line.front() == ';' || line.front() == '#' ||
            line.front() == '!')
            continue;
        if (ini && line.front() == '[') {
            section = std::string(trim(line.substr(1, line.find(']') - 1)));
            continue;
        }
        const std::string_view key = trim(line.substr(0, line.find_first_of(ini ? "=" : "=:")));
        std::string full = ini && !section.empty() ? section + "." : std::string();
        full.append(key);
        if (position(full) == _keys.size()) _keys.push_back(std::move(full));
    }
}

std::size_t KeyOrder::position(std::string_view key) const {
    const auto found =
        std::find_if(_keys.begin(), _keys.end(), [key](const auto& k) { return sameKey(k, key); });
    return static_cast<std::size_t>(found - _keys.begin());
}

}  // namespace gateway
