#include "gateway/route/Router.h"

namespace gateway {

void Router::dispatch(const Request& request, Response& response) {
    const bool handled = _mounts.forEachMatch(
        request.path, [&](const MountTable::Mount& mount, std::string_view pathInfo) {
            if (mount.handler->handle(request, pathInfo, response) == HandlerResult::Done)
                return true;
            response.reset();
            return false;
        });
    if (!handled && _fallback.handle(request, request.path, response) == HandlerResult::Declined) {
        response.reset();
        response.status = 404;
    }
}

}  // namespace gateway
