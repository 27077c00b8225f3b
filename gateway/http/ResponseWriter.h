#pragma once

#include <string>
#include <string_view>

#include "gateway/http/Response.h"

namespace gateway {

/// Serialises response heads into a byte buffer. Appends; never clears `out`.
class ResponseWriter {
public:
    /// How the body is delimited: Content-Length (response.length), chunked, or by closing.
    enum class Framing { Length, Chunked, Close };

    /// Status line + Date + Server + the handler's headers + framing + Connection + CRLF.
    /// `keepAlive` false adds "Connection: close"; `http10KeepAlive` adds "Connection: keep-alive".
    /// Framing headers are omitted for 1xx, 204 and 304 responses.
    static void writeHead(std::string& out, const Response& response, std::string_view date,
                          bool keepAlive, bool http10KeepAlive, Framing framing = Framing::Length);

    /// A small complete error response (status line, Date, Server, Content-Type text/html,
    /// Content-Length, Connection: close, a short HTML body). For HEAD requests pass
    /// withBody=false.
    static void writeError(std::string& out, int status, std::string_view date,
                           bool withBody = true);

    /// The small HTML page every error response carries ("<h1>404 Not Found</h1>"): the one
    /// generator for the connection's, the static handler's and the app host's error bodies.
    static void appendErrorPage(std::string& out, int status);

    /// "HTTP/1.1 100 Continue\r\n\r\n"
    static std::string_view continueLine();

    /// "gateway/<version>"
    static std::string_view serverName();
};

}  // namespace gateway
