#pragma once

#include <string_view>

#include "gateway/route/Handler.h"

namespace gateway {

/// The --health endpoint, for load balancers' checks (HAProxy's `option httpchk`, Kubernetes
/// probes): 200 "ok" while this worker accepts new requests, 503 "draining" with
/// "Connection: close" once it stops accepting (a graceful stop, or its generation replaced by a
/// reload) and only finishes what it has. A worker accepts only after its apps are loaded, so a
/// 200 means they are; a plugin that refused to load is a config error for the log, `-t` and
/// --need-app, not a reason to fail the check (every gateway with that config would fail alike).
/// Public, unlike the metrics: the answer tells nothing a client could not find out anyway.
class HealthHandler final : public Handler {
public:
    HandlerResult handle(const Request& request, std::string_view pathInfo,
                         Response& response) override;

    /// From now on answer 503: the worker has stopped accepting.
    void drain() noexcept { _draining = true; }
    bool draining() const noexcept { return _draining; }

private:
    bool _draining = false;  ///< loop thread only, like handle()
};

}  // namespace gateway
