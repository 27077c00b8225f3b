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

    /// Done (the response is filled in) or Offload (response.offload holds the job). `after`:
    /// resume after this handler, which declined late (from an offloaded job). `chosen` receives
    /// the handler that took the request.
    HandlerResult dispatch(const Request& request, Response& response,
                           const Handler* after = nullptr, const Handler** chosen = nullptr);

    /// The body policy of the handler a request with a body goes to first (its longest mount,
    /// else the fallback).
    BodyPolicy bodyPolicy(const Request& request) const;

private:
    MountTable _mounts;
    Handler& _fallback;
};

}  // namespace gateway
