#include "gateway/http/CidrList.h"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace gateway {
namespace {

/// Parses a numeric IPv4 or IPv6 address into 16 bytes (IPv4 mapped); `isV4` says which it was.
bool parseAddress(std::string_view text, std::array<std::uint8_t, 16>& out, bool& isV4) {
    char buffer[INET6_ADDRSTRLEN];
    if (text.empty() || text.size() >= sizeof(buffer)) return false;
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    in_addr v4{};
    if (::inet_pton(AF_INET, buffer, &v4) == 1) {
        out = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        std::memcpy(out.data() + 12, &v4, 4);
        isV4 = true;
        return true;
    }
    isV4 = false;
    return ::inet_pton(AF_INET6, buffer, out.data()) == 1;
}

bool samePrefix(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                unsigned bits) {
    const unsigned bytes = bits / 8;
    if (std::memcmp(a.data(), b.data(), bytes) != 0) return false;
    if (bits % 8 == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits % 8));
    return (a[bytes] & mask) == (b[bytes] & mask);
}

bool parsePrefix(std::string_view digits, unsigned width, unsigned& bits) {
    if (digits.empty() || digits.size() > 3) return false;
    bits = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return false;
        bits = bits * 10 + static_cast<unsigned>(c - '0');
    }
    return bits <= width;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

}  // namespace

CidrList CidrList::parse(std::string_view text) {
    CidrList list;
    while (!trim(text).empty()) {
        const std::size_t comma = text.find(',');
        const std::string_view item = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        const std::size_t slash = item.find('/');
        Range range{};
        bool isV4 = false;
        if (!parseAddress(item.substr(0, slash), range.address, isV4))
            throw std::invalid_argument(
                "expected an address range like 10.0.0.0/8 or "
                "fd00::/8, got '" +
                std::string(item) + "'");
        const unsigned width = isV4 ? 32 : 128;
        range.prefixBits = width;
        if (slash != std::string_view::npos &&
            !parsePrefix(item.substr(slash + 1), width, range.prefixBits))
            throw std::invalid_argument("expected a prefix length from 0 to " +
                                        std::to_string(width) + " in '" + std::string(item) + "'");
        if (isV4) range.prefixBits += 96;
        list._ranges.push_back(range);
    }
    return list;
}

bool CidrList::contains(std::string_view address) const noexcept {
    std::array<std::uint8_t, 16> bytes{};
    bool isV4 = false;
    if (!parseAddress(address, bytes, isV4)) return false;
    for (const Range& range : _ranges)
        if (samePrefix(bytes, range.address, range.prefixBits)) return true;
    return false;
}

bool CidrList::isLoopback(std::string_view address) noexcept {
    static const CidrList loopback = parse("127.0.0.0/8, ::1");
    return loopback.contains(address);
}

}  // namespace gateway
