#pragma once

#include <string>
#include <string_view>

#include "gateway/http/CidrList.h"
#include "gateway/route/Handler.h"

namespace gateway {

class WorkerSlots;

/// The --metrics endpoint: Prometheus text format (version 0.0.4) summed over every worker's
/// slot in the shared region, so any worker gives the same answer. Loopback clients may read it,
/// others only when --metrics-allow lists them (403 otherwise).
class MetricsHandler final : public Handler {
public:
    MetricsHandler(const WorkerSlots& slots, CidrList allowed);

    HandlerResult handle(const Request& request, std::string_view pathInfo,
                         Response& response) override;

    /// May this client read the metrics?
    static bool allows(const CidrList& allowed, std::string_view remoteAddress) noexcept;
    /// The exposition of everything in `slots`, replacing `out`.
    static void render(std::string& out, const WorkerSlots& slots);

private:
    const WorkerSlots& _slots;
    CidrList _allowed;
    std::string _body;  ///< reused: sent before the handler returns or copied by the connection
};

}  // namespace gateway
