#include "gateway/http/CidrList.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "gateway/http/Lexer.h"

namespace gateway {
namespace {

constexpr unsigned kMappedPrefix = 96;  // ::ffff:0:0/96 holds the IPv4 addresses

void mapIpv4(const void* ipv4, CidrList::Address& out) {
    out.fill(0);
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, ipv4, 4);
}

/// Whether the first `bits` bits of the two addresses agree.
bool samePrefix(const CidrList::Address& a, const CidrList::Address& b, unsigned bits) {
    const unsigned bytes = bits / 8;
    if (std::memcmp(a.data(), b.data(), bytes) != 0) return false;
    if (const unsigned rest = bits % 8) {
        const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
        return ((a[bytes] ^ b[bytes]) & mask) == 0;
    }
    return true;
}

[[noreturn]] void badEntry(std::string_view entry, std::string_view why) {
    throw std::invalid_argument("'" + std::string(entry) + "' is not an address range (" +
                                std::string(why) + "); expected ADDRESS[/PREFIX], e.g. " +
                                "10.0.0.0/8 or 2001:db8::/32");
}

}  // namespace

bool CidrList::parseAddress(std::string_view text, Address& out) noexcept {
    char buffer[INET6_ADDRSTRLEN];
    if (text.empty() || text.size() >= sizeof(buffer)) return false;
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    if (text.find(':') == std::string_view::npos) {
        in_addr ipv4;
        if (inet_pton(AF_INET, buffer, &ipv4) != 1) return false;
        mapIpv4(&ipv4, out);
        return true;
    }
    return inet_pton(AF_INET6, buffer, out.data()) == 1;
}

CidrList CidrList::parse(std::string_view text) {
    CidrList list;
    if (trimOws(text).empty()) return list;
    while (true) {
        const std::size_t comma = text.find(',');
        const std::string_view entry = trimOws(text.substr(0, comma));
        const std::size_t slash = entry.find('/');
        const std::string_view address = entry.substr(0, slash);
        Range range{};
        if (entry.empty()) badEntry(entry, "empty entry");
        if (!parseAddress(address, range.network)) badEntry(entry, "not a numeric IP address");
        const bool ipv4 = address.find(':') == std::string_view::npos;
        const unsigned width = ipv4 ? 32 : 128;
        unsigned prefix = width;
        if (slash != std::string_view::npos) {
            std::int64_t bits = -1;
            const std::string_view digits = entry.substr(slash + 1);
            if (digits.size() > 3 || !parseDecimal(digits, bits) || bits > width)
                badEntry(entry, "prefix must be 0 to " + std::to_string(width));
            prefix = static_cast<unsigned>(bits);
        }
        range.prefix = (ipv4 ? kMappedPrefix : 0) + prefix;
        list._ranges.push_back(range);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return list;
}

bool CidrList::contains(const Address& address) const noexcept {
    for (const Range& range : _ranges)
        if (samePrefix(address, range.network, range.prefix)) return true;
    return false;
}

bool CidrList::contains(const sockaddr& address) const noexcept {
    Address mapped;
    if (address.sa_family == AF_INET) {
        mapIpv4(&reinterpret_cast<const sockaddr_in&>(address).sin_addr, mapped);
    } else if (address.sa_family == AF_INET6) {
        std::memcpy(mapped.data(), &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, 16);
    } else {
        return false;
    }
    return contains(mapped);
}

bool CidrList::contains(std::string_view address) const noexcept {
    Address parsed;
    return parseAddress(address, parsed) && contains(parsed);
}

bool CidrList::isLoopback(std::string_view address) noexcept {
    static const CidrList loopback = parse("127.0.0.0/8, ::1");
    return loopback.contains(address);
}

}  // namespace gateway
