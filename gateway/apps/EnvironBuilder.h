#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/http/Request.h"

namespace gateway {

/// What the environ needs to know about the connection and the mount beyond the request itself.
struct EnvironContext {
    std::string_view scriptName;     ///< the mount prefix without trailing '/' ("" for "/")
    std::string_view pathInfo;       ///< decoded and normalised (PathNormalizer::kPathInfo)
    std::string_view remoteAddress;  ///< peer IP as text, IPv6 without brackets
    std::uint16_t remotePort = 0;
    std::string_view localAddress;  ///< the listening address (SERVER_NAME without a Host)
    std::uint16_t localPort = 0;
    std::string_view urlScheme = "http";
    bool multithread = false;
    bool multiprocess = false;
    std::int64_t deadlineMs = 0;  ///< ms since the Unix epoch; 0 = no deadline
    std::uint64_t bodyLimit = 0;  ///< the mount's body limit in bytes (gateway.body_limit)
};

/// Builds a request's environ (SPEC section 3) into reusable storage: names and values are views,
/// into the request's buffer where the value is verbatim, else into the builder's own buffer.
/// Pure and reusable: build() keeps the capacity of its buffers, so in the steady state it does
/// not allocate. Table-tested.
class EnvironBuilder {
public:
    using Entry = std::pair<std::string_view, std::string_view>;

    /// Builds the environ of `request` (views into it must outlive the entries).
    void build(const Request& request, const EnvironContext& context);

    const std::vector<Entry>& entries() const noexcept { return _entries; }
    /// Exact (case-sensitive) lookup; nullptr when absent.
    const Entry* find(std::string_view name) const noexcept;

    /// "HTTP_" + the header name upper-cased with '-' → '_', or false when the name has a
    /// character outside [A-Za-z0-9-] (such headers are dropped).
    static bool cgiName(std::string_view header, std::string& out);

private:
    struct Slot {
        const char* external;  ///< nullptr: the bytes are _storage[offset, offset + length)
        std::size_t offset;
        std::size_t length;
    };
    Slot stored(std::string_view text);
    Slot external(std::string_view text) {
        return {text.data() ? text.data() : "", 0, text.size()};
    }
    Slot number(std::uint64_t value);
    void add(Slot name, Slot value) { _slots.emplace_back(name, value); }
    std::string_view resolve(const Slot& slot) const;

    std::string _storage;
    std::string _scratch;
    std::vector<std::pair<Slot, Slot>> _slots;
    std::vector<Entry> _entries;
};

}  // namespace gateway
