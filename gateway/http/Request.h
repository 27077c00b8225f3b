#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/http/Lexer.h"

namespace gateway {

/// One header field as it appeared on the wire: views into the connection's buffer.
struct HeaderField {
    std::string_view name;   ///< field-name, original case
    std::string_view value;  ///< field-value, leading/trailing whitespace trimmed
};

enum class Method : std::uint8_t {
    Get,
    Head,
    Post,
    Put,
    Delete,
    Options,
    Patch,
    Trace,
    Connect,
    Other
};

/// A parsed request head. Every view points into the connection's read buffer and is valid only
/// until the connection consumes the request (no copies on the hot path).
struct Request {
    static constexpr std::size_t kMaxHeaders = 100;

    std::string_view method;  ///< the method token as sent
    Method methodId = Method::Other;
    std::string_view target;  ///< raw request-target (origin-form, absolute-form, '*' or authority)
    std::string_view path;    ///< target up to '?', still percent-encoded
    std::string_view query;   ///< after '?', without it; empty when absent
    int versionMinor = 1;     ///< HTTP/1.<minor>; only 1.0 and 1.1 are accepted

    HeaderField headers[kMaxHeaders];
    std::size_t headerCount = 0;

    // Derived by the parser from the fields above, so handlers never re-scan headers for framing.
    bool keepAlive = true;            ///< 1.1 default unless "close"; 1.0 only with "keep-alive"
    bool chunked = false;             ///< Transfer-Encoding: chunked
    bool expectContinue = false;      ///< Expect: 100-continue
    std::int64_t contentLength = -1;  ///< -1 when absent (and always when chunked)
    std::string_view host;            ///< Host header value (empty when absent)

    // Filled by the connection, not the parser: the two ends of the TCP connection, except that
    // behind a trusted proxy the client is the one it forwarded (ForwardedClient).
    std::string_view remoteAddress;  ///< numeric client address, "127.0.0.1" / "::1"
    std::uint16_t remotePort = 0;    ///< 0 when remoteAddress came from X-Forwarded-For
    std::string_view urlScheme;     ///< "https" when a trusted proxy says so; "" = the connection's
    std::string_view localAddress;  ///< the address the listener is bound to
    std::uint16_t localPort = 0;

    /// First header with this name (case-insensitive), or nullptr.
    const HeaderField* find(std::string_view name) const noexcept;
    /// Value of the first header with this name, or an empty view.
    std::string_view value(std::string_view name) const noexcept;
    /// True when the request carries a body (Content-Length > 0 or chunked).
    bool hasBody() const noexcept { return chunked || contentLength > 0; }
    bool isHead() const noexcept { return methodId == Method::Head; }
};

}  // namespace gateway
