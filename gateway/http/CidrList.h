#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace gateway {

/// A list of address ranges ("10.0.0.0/8, 2001:db8::/32, 192.168.1.7"), IPv4 and IPv6. IPv4 is
/// kept as IPv4-mapped IPv6, so "10.0.0.0/8" also matches a client seen as ::ffff:10.1.2.3.
class CidrList {
public:
    /// Comma-separated ranges (spaces around items allowed; empty = no ranges). A bare address
    /// is a single host. Throws std::invalid_argument naming the bad item.
    static CidrList parse(std::string_view text);

    /// True when the numeric address (as inet_ntop writes it) is in one of the ranges.
    bool contains(std::string_view address) const noexcept;
    bool empty() const noexcept { return _ranges.empty(); }

    /// 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104.
    static bool isLoopback(std::string_view address) noexcept;

private:
    struct Range {
        std::array<std::uint8_t, 16> address;
        unsigned prefixBits;
    };
    std::vector<Range> _ranges;
};

}  // namespace gateway
