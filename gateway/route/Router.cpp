#include "gateway/route/Router.h"

namespace gateway {

HandlerResult Router::dispatch(const Request& request, Response& response, const Handler* after,
                               const Handler** chosen) {
    HandlerResult result = HandlerResult::Declined;
    bool skipping = after != nullptr;
    _mounts.forEachMatch(request.path,
                         [&](const MountTable::Mount& mount, std::string_view pathInfo) {
                             if (skipping) {
                                 skipping = mount.handler != after;
                                 return false;
                             }
                             result = mount.handler->handle(request, pathInfo, response);
                             if (result == HandlerResult::Declined) {
                                 response.reset();
                                 return false;
                             }
                             if (chosen) *chosen = mount.handler;
                             return true;
                         });
    if (result == HandlerResult::Declined) {
        result = _fallback.handle(request, request.path, response);
        if (chosen) *chosen = &_fallback;
    }
    if (result == HandlerResult::Declined) {
        response.reset();
        response.status = 404;
        result = HandlerResult::Done;
    }
    return result;
}

BodyPolicy Router::bodyPolicy(const Request& request) const {
    BodyPolicy policy = _fallback.bodyPolicy();
    _mounts.forEachMatch(request.path, [&](const MountTable::Mount& mount, std::string_view) {
        policy = mount.handler->bodyPolicy();
        return true;
    });
    return policy;
}

}  // namespace gateway
