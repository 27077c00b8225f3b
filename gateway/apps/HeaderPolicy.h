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
    /// Content-Length (the connection writes the framing). Call only after check() accepted.
    static void appendLines(std::string& out, const gw_header* headers, std::size_t count);

    /// RFC 9110 token.
    static bool isToken(std::string_view text) noexcept;
    /// No CR, LF, NUL or other controls except HTAB (DEL counts as a control).
    static bool isCleanValue(std::string_view text) noexcept;
    /// Strips leading and trailing spaces and tabs.
    static std::string_view trim(std::string_view text) noexcept;
    /// Hop-by-hop names the host owns (Connection, Keep-Alive, ...), case-insensitive.
    static bool isHopByHop(std::string_view name) noexcept;
    /// Date and Server.
    static bool isHostOwned(std::string_view name) noexcept;
    /// One decimal number (after trimming), fitting in int64; -1 when malformed.
    static std::int64_t parseContentLength(std::string_view value) noexcept;
};

}  // namespace gateway
