#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "gateway/apps/AppInstance.h"
#include "gateway/apps/AppRequest.h"
#include "gateway/apps/EnvironBuilder.h"
#include "gateway/route/Handler.h"

namespace gateway {

/// The Handler of one app mount. Apps flagged GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING run inline
/// on the event loop for requests without a body (the response collected in a reusable buffer;
/// bodies longer than the inline cap continue on the handler pool); everything else is offloaded
/// to the handler pool with a ClientChannel.
class AppHost : public Handler {
public:
    struct Options {
        std::string bindAddress = "127.0.0.1";  ///< SERVER_NAME when the request has no Host
        std::uint16_t port = 0;                 ///< SERVER_PORT when the Request has no localPort
        std::size_t inlineCap = 256 * 1024;     ///< bytes collected on the loop before streaming
    };

    AppHost(std::shared_ptr<AppInstance> instance, Options options);

    HandlerResult handle(const Request& request, std::string_view pathInfo,
                         Response& response) override;
    BodyPolicy bodyPolicy() const override;
    HandlerLabel label() const override;

    const AppInstance& instance() const noexcept { return *_instance; }
    std::shared_ptr<AppInstance> sharedInstance() const noexcept { return _instance; }

private:
    /// REMOTE_ADDR etc. for the inline path, from the Request's connection fields.
    EnvironContext inlineContext(const Request& request) const;
    EnvironContext baseContext() const;

    std::shared_ptr<AppInstance> _instance;
    Options _options;
    std::unique_ptr<AppRequest> _inline;  ///< reused by inline requests (loop thread only)
};

}  // namespace gateway
