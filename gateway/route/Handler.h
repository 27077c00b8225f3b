#pragma once

#include <cstdint>
#include <string_view>

#include "gateway/http/Request.h"
#include "gateway/http/Response.h"

namespace gateway {

enum class HandlerResult : unsigned char {
    Done,      ///< the Response is filled in
    Declined,  ///< not mine: routing falls through to the next candidate (finally static files)
    Offload,   ///< run Response::offload on the handler pool with a ClientChannel
};

/// What the connection does with a request body before the handler runs.
struct BodyPolicy {
    enum class Mode : std::uint8_t {
        Discard,  ///< the handler ignores bodies: a chunked one is decoded (framing checked),
                  ///< dropped
        Buffer,   ///< read all of it on the event loop first; the handler gets the buffered bytes
        Stream,   ///< the handler's offloaded job reads it from the socket itself
    };
    Mode mode = Mode::Discard;
    std::uint64_t limit = 0;  ///< largest body accepted (→ 413); 0 = the server's --max-body
};

/// Who served a request, for the access log: an app's mount prefix ("/" for the root) and name.
struct HandlerLabel {
    std::string_view mount;
    std::string_view app;
};

/// The one interface every handler implements. Routing knows no concrete handler.
class Handler {
public:
    virtual ~Handler() = default;
    /// Fill `response` for `request`, on the event loop thread: never block here. `pathInfo` is
    /// the request path below the handler's mount (the whole path for the fallback handler),
    /// still percent-encoded. Work that may block goes into Response::offload (→ Offload).
    virtual HandlerResult handle(const Request& request, std::string_view pathInfo,
                                 Response& response) = 0;
    /// Asked before the body is read, for requests that have one.
    virtual BodyPolicy bodyPolicy() const { return {}; }
    /// Empty for handlers that are not apps (static files).
    virtual HandlerLabel label() const { return {}; }
};

}  // namespace gateway
