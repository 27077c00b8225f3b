#pragma once

#include "gateway/http/Request.h"
#include "gateway/http/Response.h"

namespace gateway {

enum class HandlerResult : unsigned char {
    Done,      ///< the Response is filled in
    Declined,  ///< not mine: routing falls through to the next candidate (finally static files)
};

/// The one interface every handler implements. Routing knows no concrete handler.
class Handler {
public:
    virtual ~Handler() = default;
    /// Fill `response` for `request`. `pathInfo` is the request path below the handler's mount
    /// (the whole path for the fallback handler), still percent-encoded.
    virtual HandlerResult handle(const Request& request, std::string_view pathInfo,
                                 Response& response) = 0;
};

}  // namespace gateway
