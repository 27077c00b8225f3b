#pragma once

#include <cstdint>
#include <string_view>

#include "gateway/gateway.h"

namespace gateway {

class AppInstance;

/// The gw_host_api table handed to every plugin: static trampolines that turn the opaque
/// gw_request* back into the host's per-request AppRequest.
class HostApi {
public:
    /// The one table (constant, valid for the life of the process).
    static const gw_host_api& table() noexcept;
    /// SPEC section 8 texts; "unknown error" for anything else.
    static const char* strerror(std::int32_t code) noexcept;

    /// The instance whose init/call/next/close/fini runs on this thread (for log(NULL, ...)).
    class CurrentInstance {
    public:
        explicit CurrentInstance(const AppInstance* instance) noexcept;
        ~CurrentInstance();
        CurrentInstance(const CurrentInstance&) = delete;
        CurrentInstance& operator=(const CurrentInstance&) = delete;
        static const AppInstance* get() noexcept;

    private:
        const AppInstance* _previous;
    };

    /// Writes an app's log line to the gateway log: level per GW_LOG_*, control characters escaped,
    /// "LABEL [request_id=ID]: message" when the line belongs to a request.
    static void logLine(const AppInstance* instance, std::int32_t level, std::string_view message,
                        std::string_view requestId = {});
    /// "LABEL [request_id=ID]", or the label alone without an id: how a request's lines start.
    static std::string requestLabel(const AppInstance* instance, std::string_view requestId);
};

}  // namespace gateway
