#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace gateway {

/// A list of IP address ranges, "10.0.0.0/8,192.168.1.7,2001:db8::/32": the proxies whose
/// forwarding headers are believed (--trusted-proxies), the clients that may read the metrics
/// (--metrics-allow). Every address is kept as IPv6, IPv4 as v4-mapped (::ffff:a.b.c.d), so an
/// IPv4 range matches an IPv4 client whether it came on an IPv4 socket or as a v4-mapped address
/// on a dual-stack one. Parsed once at start-up; contains() neither allocates nor locks.
class CidrList {
public:
    using Address = std::array<std::uint8_t, 16>;

    CidrList() = default;

    /// Parses a comma-separated list of ADDRESS[/PREFIX] (a bare address is one host; spaces
    /// around entries are allowed; "" is the empty list). Bits past the prefix are ignored, as
    /// nginx and HAProxy do ("10.0.0.1/8" is 10.0.0.0/8). Throws std::invalid_argument naming the
    /// entry that is not a range.
    static CidrList parse(std::string_view text);

    bool empty() const noexcept { return _ranges.empty(); }
    std::size_t size() const noexcept { return _ranges.size(); }

    bool contains(const Address& address) const noexcept;
    /// An AF_INET or AF_INET6 socket address; false for any other family.
    bool contains(const sockaddr& address) const noexcept;
    /// A numeric address as text ("127.0.0.1", "::1"); false when it is not one.
    bool contains(std::string_view address) const noexcept;

    /// Numeric IPv4 or IPv6 address text (no brackets, port or zone) → its IPv6 form.
    static bool parseAddress(std::string_view text, Address& out) noexcept;
    /// 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104.
    static bool isLoopback(std::string_view address) noexcept;

private:
    struct Range {
        Address network;
        unsigned prefix;  ///< leading bits that must match, 0..128 (IPv4 ranges: 96 + bits)
    };
    std::vector<Range> _ranges;
};

}  // namespace gateway
