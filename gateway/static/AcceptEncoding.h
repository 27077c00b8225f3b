#pragma once

#include <string_view>

namespace gateway {

/// Content negotiation for precompressed siblings (RFC 9110 §12.5.3).
class AcceptEncoding {
public:
    /// True when an Accept-Encoding value allows gzip: "gzip" / "x-gzip" with a non-zero q, or "*"
    /// with a non-zero q when gzip is not named. An absent header (empty) means no gzip, as nginx.
    static bool allowsGzip(std::string_view value) noexcept;
};

}  // namespace gateway
