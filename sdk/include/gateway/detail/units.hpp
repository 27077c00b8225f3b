// detail/units.hpp - the value syntax of the gateway's config file, in one place: SIZE (512, 8k,
// 16m, 1g; 1024-based), DURATION (500ms, 15s, 2m, 1h; a bare number is seconds) and SWITCH
// (on/off, true/false, yes/no, 1/0). Header-only, C++17, standard library only.
//
// The gateway's settings (gateway/config/Settings.cpp) and the SDK's typed config getters
// (gateway::sdk::Config in gateway/app.hpp) both parse with it, so a plugin's keys in its
// [app.NAME] section read exactly like the gateway's own.
// Not part of the plugin API: anything in gateway::detail may change in any release.
#ifndef GATEWAY_DETAIL_UNITS_HPP
#define GATEWAY_DETAIL_UNITS_HPP

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>

namespace gateway::detail {

/// The accepted forms, for error messages ("is not a SIZE (512, 8k, 16m, 1g)").
inline constexpr std::string_view kSizeSyntax = "512, 8k, 16m, 1g";
inline constexpr std::string_view kDurationSyntax = "500ms, 15s, 2m, 1h; a bare number is seconds";
inline constexpr std::string_view kSwitchSyntax = "on/off, true/false, yes/no, 1/0";
/// The longest DURATION accepted: 100 days.
inline constexpr std::uint64_t kMaxDurationMs = 100ull * 24 * 3600 * 1000;

/// Decimal digits only (no sign, no blanks) that fit in 64 bits.
inline std::optional<std::uint64_t> parseDecimal(std::string_view text) noexcept {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [last, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || last != end) return std::nullopt;
    return value;
}

/// SIZE: digits with an optional k, m or g (either case), 1024-based: "8k" is 8192 bytes.
inline std::optional<std::uint64_t> parseSize(std::string_view text) noexcept {
    std::uint64_t unit = 1;
    if (!text.empty()) {
        switch (text.back()) {
            case 'k':
            case 'K':
                unit = 1ull << 10;
                break;
            case 'm':
            case 'M':
                unit = 1ull << 20;
                break;
            case 'g':
            case 'G':
                unit = 1ull << 30;
                break;
            default:
                break;
        }
        if (unit != 1) text.remove_suffix(1);
    }
    const std::optional<std::uint64_t> value = parseDecimal(text);
    if (!value || *value > std::numeric_limits<std::uint64_t>::max() / unit) return std::nullopt;
    return *value * unit;
}

/// DURATION: digits with ms, s, m or h; a bare number is seconds. At most kMaxDurationMs.
inline std::optional<std::chrono::milliseconds> parseDuration(std::string_view text) noexcept {
    std::uint64_t unitMs = 1000;
    if (text.size() >= 2 && text.substr(text.size() - 2) == "ms") {
        unitMs = 1;
        text.remove_suffix(2);
    } else if (!text.empty()) {
        const char unit = text.back();
        if (unit == 's' || unit == 'm' || unit == 'h') {
            unitMs = unit == 's' ? 1000 : unit == 'm' ? 60 * 1000 : 3600 * 1000;
            text.remove_suffix(1);
        }
    }
    const std::optional<std::uint64_t> value = parseDecimal(text);
    if (!value || *value > kMaxDurationMs / unitMs) return std::nullopt;
    return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(*value * unitMs));
}

/// SWITCH: on/off, true/false, yes/no, 1/0, in any case; an empty value is off.
inline std::optional<bool> parseSwitch(std::string_view text) noexcept {
    if (text.size() > 5) return std::nullopt;
    char lower[5];
    for (std::size_t i = 0; i < text.size(); ++i)
        lower[i] =
            text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    const std::string_view word(lower, text.size());
    if (word == "on" || word == "true" || word == "yes" || word == "1") return true;
    if (word == "off" || word == "false" || word == "no" || word == "0" || word.empty())
        return false;
    return std::nullopt;
}

}  // namespace gateway::detail

#endif  // GATEWAY_DETAIL_UNITS_HPP
