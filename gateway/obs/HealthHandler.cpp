#include "gateway/obs/HealthHandler.h"

namespace gateway {

HandlerResult HealthHandler::handle(const Request& request, std::string_view pathInfo,
                                    Response& response) {
    if (!pathInfo.empty()) return HandlerResult::Declined;  // the exact path only
    if (request.methodId != Method::Get && request.methodId != Method::Head) {
        response.status = 405;
        response.header("Allow", "GET, HEAD");
        return HandlerResult::Done;
    }
    response.header("Content-Type", "text/plain");
    // A cached "ok" would hide a draining gateway from a checker behind a cache.
    response.header("Cache-Control", "no-store");
    if (_draining) {
        response.status = 503;
        // Every connection closes after its response while draining: say so, so that a checker
        // reconnects (to a worker that accepts) rather than expect this one to stay open.
        response.closeConnection = true;
        response.setMemoryBody("draining\n");  // a literal: valid however long it is queued
    } else {
        response.setMemoryBody("ok\n");
    }
    return HandlerResult::Done;
}

}  // namespace gateway
