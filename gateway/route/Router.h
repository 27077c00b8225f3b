#pragma once

#include "gateway/route/Handler.h"
#include "gateway/route/MountTable.h"

namespace gateway {

/// Sends a request to the longest matching mount; a handler that declines passes it on to the
/// next shorter mount and finally to the fallback (static files).
class Router {
public:
    explicit Router(Handler& fallback) : _fallback(fallback) {}

    MountTable& mounts() { return _mounts; }

    /// Done (the response is filled in) or Offload (response.offload holds the job).
    HandlerResult dispatch(const Request& request, Response& response);

private:
    MountTable _mounts;
    Handler& _fallback;
};

}  // namespace gateway
