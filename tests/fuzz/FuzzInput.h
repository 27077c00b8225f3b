#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gateway::fuzz {

/// Reads a fuzz input as a stream of choices: bytes, small numbers, strings. Past the end every
/// read gives 0 or "", so any input, however short, is a complete program.
class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size)
        : _rest(reinterpret_cast<const char*>(data), size) {}

    bool empty() const noexcept { return _rest.empty(); }
    std::size_t size() const noexcept { return _rest.size(); }

    std::uint8_t byte() noexcept {
        if (_rest.empty()) return 0;
        const auto b = static_cast<std::uint8_t>(_rest.front());
        _rest.remove_prefix(1);
        return b;
    }
    bool flag() noexcept { return byte() & 1; }
    /// Two bytes, big-endian.
    std::uint16_t u16() noexcept {
        const std::uint16_t high = byte();
        return static_cast<std::uint16_t>(high << 8 | byte());
    }
    /// A choice among `count` alternatives (count > 0).
    std::size_t pick(std::size_t count) noexcept { return byte() % count; }

    /// A string of a length given by one byte (at most `max`), viewing the input itself.
    std::string_view text(std::size_t max = 255) noexcept {
        return take(std::min<std::size_t>(byte(), max));
    }
    std::string_view take(std::size_t n) noexcept {
        const std::string_view out = _rest.substr(0, std::min(n, _rest.size()));
        _rest.remove_prefix(out.size());
        return out;
    }
    /// Everything not read yet.
    std::string_view rest() noexcept { return take(_rest.size()); }

private:
    std::string_view _rest;
};

}  // namespace gateway::fuzz
