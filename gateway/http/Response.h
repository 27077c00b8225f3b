#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "gateway/http/Lexer.h"

namespace gateway {

class ClientChannel;

/// What a handler decided: status, its own header lines, and where the body bytes come from.
/// The connection adds Date, Server, Content-Length and Connection, then sends it (writev for
/// memory bodies, sendfile for file bodies). One Response is reused per event loop: reset()
/// keeps the buffers' capacity, so filling it does not allocate in the steady state.
struct Response {
    enum class BodyKind : std::uint8_t { None, Memory, File };

    int status = 200;
    std::string_view
        reason;  ///< reason phrase; empty = the standard one (must outlive sending the head)
    std::string headers;  ///< extra header lines, each "Name: value\r\n" (see header())

    BodyKind bodyKind = BodyKind::None;
    std::string_view memory;  ///< Memory body: must stay valid until sent (owned by `pin`)
    int fileFd = -1;          ///< File body: descriptor, owned by `pin`
    std::uint64_t fileOffset = 0;
    std::uint64_t length = 0;  ///< body length for Content-Length (also set for HEAD)
    /// Keeps `memory` / `fileFd` alive while queued. A Memory body without a pin is valid only
    /// during the handler call: the connection copies whatever it cannot send at once.
    std::shared_ptr<const void> pin;

    /// For HandlerResult::Offload: the job to run on the handler pool (blocking I/O allowed).
    std::function<void(ClientChannel&)> offload;
    /// For Offload: the job's deadline (0 = none). When it passes, the client gets a 504 (or,
    /// once the head is out, the connection closes) even if the job never returns.
    std::int64_t offloadTimeoutMs = 0;

    bool closeConnection = false;  ///< send "Connection: close" and close after this response
    /// No Content-Length header: for a HEAD answered by an app that declared none (RFC 9110
    /// §9.3.2).
    bool omitLength = false;

    void header(std::string_view name, std::string_view value) {
        headers.append(name).append(": ").append(value).append("\r\n");
    }
    void header(std::string_view name, std::uint64_t value) {
        headers.append(name).append(": ");
        appendNumber(headers, value);
        headers.append("\r\n");
    }
    /// Append pre-formatted header lines (each ending in CRLF), e.g. a file cache entry's block.
    void rawHeaders(std::string_view lines) { headers.append(lines); }

    void setMemoryBody(std::string_view body, std::shared_ptr<const void> owner = nullptr) {
        bodyKind = BodyKind::Memory;
        memory = body;
        length = body.size();
        pin = std::move(owner);
    }
    void setFileBody(int fd, std::uint64_t offset, std::uint64_t len,
                     std::shared_ptr<const void> owner) {
        bodyKind = BodyKind::File;
        fileFd = fd;
        fileOffset = offset;
        length = len;
        pin = std::move(owner);
    }

    void reset() {
        status = 200;
        reason = {};
        headers.clear();
        bodyKind = BodyKind::None;
        memory = {};
        fileFd = -1;
        fileOffset = 0;
        length = 0;
        pin.reset();
        offload = nullptr;
        offloadTimeoutMs = 0;
        closeConnection = false;
        omitLength = false;
    }
};

}  // namespace gateway
