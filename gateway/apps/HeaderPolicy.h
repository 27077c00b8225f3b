#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/gateway.h"

namespace gateway {

/// The start_response() rules of SPEC section 5, as a pure function: status, reason, header names
/// and values, hop-by-hop and host-owned names, Content-Length, flags. Table-tested.
class HeaderPolicy {
public:
    struct Verdict {
        std::int32_t code = GW_OK;  ///< GW_OK or GW_E_INVAL
        std::string_view lint;      ///< "GW-L005" ... when rejected, else empty
        std::string detail;         ///< why, naming the offending header (empty when accepted)
        std::int64_t contentLength = -1;  ///< the app's Content-Length, -1 when none
    };

    /// Validates a whole start_response() call. Allocates only when it rejects.
    static Verdict check(std::uint32_t status, gw_str reason, const gw_header* headers,
                         std::size_t count, std::uint32_t flags);

    /// Appends the accepted headers as "Name: value\r\n" lines (values trimmed), leaving out
    /// Content-Length (the connection writes the framing) unless `keepLength`: a 304's
    /// Content-Length describes the GET representation (SPEC section 5) and the connection
    /// writes none for a 304. Call only after check() accepted.
    static void appendLines(std::string& out, const gw_header* headers, std::size_t count,
                            bool keepLength = false);

    /// Hop-by-hop names the host owns (Connection, Keep-Alive, ...), case-insensitive.
    static bool isHopByHop(std::string_view name) noexcept;
    /// Date and Server.
    static bool isHostOwned(std::string_view name) noexcept;
};

}  // namespace gateway
