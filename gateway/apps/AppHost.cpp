#include "gateway/apps/AppHost.h"

#include <Poco/Logger.h>

#include <chrono>

#include "gateway/http/PathNormalizer.h"
#include "gateway/route/ClientChannel.h"

namespace gateway {
namespace {

std::int64_t epochMs(std::chrono::milliseconds timeout) {
    if (timeout.count() <= 0) return 0;
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch() + timeout).count();
}

}  // namespace

AppHost::AppHost(std::shared_ptr<AppInstance> instance, Options options)
    : _instance(std::move(instance)), _options(std::move(options)) {}

EnvironContext AppHost::baseContext() const {
    EnvironContext context;
    context.scriptName = _instance->mount();
    context.localAddress = _options.bindAddress;
    context.localPort = _options.port;
    context.multithread = _instance->threadSafe();
    context.multiprocess = _instance->config().multiprocess;
    context.deadlineMs = epochMs(_instance->config().timeout);
    context.bodyLimit = _instance->config().bodyLimit;
    return context;
}

EnvironContext AppHost::inlineContext(const Request& request) const {
    EnvironContext context = baseContext();
    context.remoteAddress = request.remoteAddress;
    context.remotePort = request.remotePort;
    if (!request.urlScheme.empty()) context.urlScheme = request.urlScheme;
    if (!request.localAddress.empty()) context.localAddress = request.localAddress;
    if (request.localPort != 0) context.localPort = request.localPort;
    return context;
}

BodyPolicy AppHost::bodyPolicy() const {
    const AppInstance::Config& config = _instance->config();
    return {config.requestBuffering ? BodyPolicy::Mode::Buffer : BodyPolicy::Mode::Stream,
            config.bodyLimit};
}

HandlerLabel AppHost::label() const {
    const std::string& mount = _instance->mount();
    return {mount.empty() ? std::string_view("/") : std::string_view(mount), _instance->name()};
}

HandlerResult AppHost::handle(const Request& request, std::string_view pathInfo,
                              Response& response) {
    // The connection checked the limit of the mount it routed to first; a request declined on
    // to this mount meets this one's limit here.
    if (request.contentLength > 0 &&
        static_cast<std::uint64_t>(request.contentLength) > _instance->config().bodyLimit) {
        response.status = 413;
        response.closeConnection = true;
        return HandlerResult::Done;
    }
    if (_instance->nonBlocking() && !request.hasBody()) {
        if (!_inline) _inline = std::make_unique<AppRequest>(*_instance);
        AppRequest& context = *_inline;
        if (PathNormalizer::normalize(pathInfo, context.pathBuffer(), PathNormalizer::kPathInfo) !=
            PathNormalizer::Result::Ok)
            return HandlerResult::Declined;
        EnvironContext environ = inlineContext(request);
        environ.pathInfo = context.pathBuffer();
        switch (context.respondInline(request, environ, response, _options.inlineCap)) {
            case AppRequest::InlineResult::Done:
                return HandlerResult::Done;
            case AppRequest::InlineResult::Declined:
                return HandlerResult::Declined;
            case AppRequest::InlineResult::Stream:
                break;
        }
        // The body goes on: the context (whose address the app may keep) moves to the job.
        std::shared_ptr<AppRequest> streaming(_inline.release());
        response.offload = [streaming, keep = _instance](ClientChannel& channel) {
            streaming->continueStream(channel);
        };
        response.offloadTimeoutMs = _instance->config().timeout.count();
        return HandlerResult::Offload;
    }

    auto context = std::make_shared<AppRequest>(*_instance);
    if (PathNormalizer::normalize(pathInfo, context->pathBuffer(), PathNormalizer::kPathInfo) !=
        PathNormalizer::Result::Ok)
        return HandlerResult::Declined;
    response.offload = [context, keep = _instance, base = baseContext()](ClientChannel& channel) {
        EnvironContext environ = base;
        environ.pathInfo = context->pathBuffer();
        const Request& request = channel.request();
        environ.remoteAddress =
            request.remoteAddress.empty() ? channel.peerAddress() : request.remoteAddress;
        environ.remotePort =
            request.remoteAddress.empty() ? channel.peerPort() : request.remotePort;
        if (!request.urlScheme.empty()) environ.urlScheme = request.urlScheme;
        environ.localPort = request.localPort ? request.localPort : channel.localPort();
        if (!request.localAddress.empty()) environ.localAddress = request.localAddress;
        if (context->serve(channel, environ)) channel.decline();
    };
    response.offloadTimeoutMs = _instance->config().timeout.count();
    return HandlerResult::Offload;
}

}  // namespace gateway
