#pragma once

#include "gateway/http/Request.h"
#include "gateway/http/Response.h"

namespace gateway {

enum class HandlerResult : unsigned char {
    Done,      ///< the Response is filled in
    Declined,  ///< not mine: routing falls through to the next candidate (finally static files)
    Offload,   ///< run Response::offload on the handler pool with a ClientChannel
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
};

}  // namespace gateway
