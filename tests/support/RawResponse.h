#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gateway::test {

/// One HTTP response as it came off the wire, split into parts (no normalisation).
struct RawResponse {
    std::string version;  ///< "HTTP/1.1"
    int status = 0;
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers;  ///< in order, values trimmed
    std::string body;  ///< de-chunked when the response was chunked
    std::string head;  ///< the raw status line + header section, including the blank line

    /// First value of header `name` (case-insensitive).
    std::optional<std::string> header(std::string_view name) const;
    std::size_t headerCount(std::string_view name) const;
    /// True when a comma-separated header (Connection, Vary, ...) holds `token`, case-insensitive.
    bool hasToken(std::string_view name, std::string_view token) const;

    /// Parses one response from the start of `data`. `headRequest`: the response has no body.
    /// `eof`: no more bytes will come (completes a close-delimited body). Returns the bytes
    /// consumed, 0 when `data` is not yet a complete response. Throws std::runtime_error on bytes
    /// that are no HTTP response.
    static std::size_t parse(std::string_view data, bool headRequest, bool eof, RawResponse& out);
};

bool equalsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace gateway::test
