#include "gateway/route/Router.h"

namespace gateway {

HandlerResult Router::dispatch(const Request& request, Response& response) {
    HandlerResult result = HandlerResult::Declined;
    _mounts.forEachMatch(request.path,
                         [&](const MountTable::Mount& mount, std::string_view pathInfo) {
                             result = mount.handler->handle(request, pathInfo, response);
                             if (result != HandlerResult::Declined) return true;
                             response.reset();
                             return false;
                         });
    if (result == HandlerResult::Declined)
        result = _fallback.handle(request, request.path, response);
    if (result == HandlerResult::Declined) {
        response.reset();
        response.status = 404;
        result = HandlerResult::Done;
    }
    return result;
}

}  // namespace gateway
