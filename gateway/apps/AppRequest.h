#pragma once

#include <pthread.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "gateway/apps/EnvironBuilder.h"
#include "gateway/apps/RequestArena.h"
#include "gateway/apps/ResponseState.h"
#include "gateway/gateway.h"
#include "gateway/http/Request.h"
#include "gateway/http/Response.h"
#include "gateway/obs/WorkerSlots.h"

namespace gateway {

class AppInstance;
class ClientChannel;

/// One request to an app instance: what the plugin knows as its gw_request*. It implements the
/// host functions (HostApi forwards to it) and drives call/next/close either inline on the event
/// loop (respondInline) or on a handler-pool thread with blocking I/O (serve). Reusable: the
/// inline one lives in its AppHost and keeps its buffers from request to request.
class AppRequest {
public:
    enum class InlineResult : std::uint8_t {
        Done,      ///< the Response is filled in (the whole body, or an error)
        Declined,  ///< fall through
        Stream,    ///< the body did not end within the cap: continueStream() on the pool
    };

    explicit AppRequest(AppInstance& instance) : _instance(instance) {}
    AppRequest(const AppRequest&) = delete;
    AppRequest& operator=(const AppRequest&) = delete;

    gw_request* handle() noexcept { return reinterpret_cast<gw_request*>(this); }
    /// Where the AppHost decodes PATH_INFO into (EnvironContext::pathInfo views it).
    std::string& pathBuffer() noexcept { return _path; }

    /// Runs call() on the loop thread for a request without a body, collecting write() and the
    /// pulled body into a reusable buffer up to `cap` bytes.
    InlineResult respondInline(const Request& request, const EnvironContext& context,
                               Response& response, std::size_t cap);
    /// After InlineResult::Stream: sends the head and what was collected, then pulls the rest
    /// with blocking sends. Runs on the handler pool.
    void continueStream(ClientChannel& channel);
    /// The whole request on the handler pool. Returns true when the app declined (nothing sent).
    bool serve(ClientChannel& channel, const EnvironContext& context);

    // Host functions (see gateway.h).
    std::int32_t get(const char* name, std::size_t nameLen, gw_str* value);
    std::size_t environCount();
    std::int32_t environAt(std::size_t index, gw_str* name, gw_str* value);
    std::int32_t readBody(void* buffer, std::size_t cap, std::size_t* nRead);
    std::int32_t startResponse(std::uint32_t status, gw_str reason, const gw_header* headers,
                               std::size_t count, std::uint32_t flags);
    std::int32_t write(const void* data, std::size_t len);
    /// ABI 1.1: takes `fd` over (closed on every return) and queues it as the body.
    std::int32_t sendFile(int fd, std::uint64_t offset, std::uint64_t length);
    void log(std::int32_t level, std::string_view message);
    void* alloc(std::size_t n);

    /// For tests: the findings of the current/last request.
    const ResponseState& response() const noexcept { return _response; }

private:
    enum class Phase : std::uint8_t { None, Call, Body };

    void begin(const Request& request, const EnvironContext& context, ClientChannel* channel);
    void finishScope();
    bool inScope(const char* function);
    const EnvironBuilder& environ();
    std::unique_lock<std::mutex> serialise();

    std::int32_t invokeCall();
    std::int32_t pullNext(gw_str& chunk);
    void closeBody();
    bool bodyFilled() const { return _body.self || _body.next || _body.close; }
    bool pastDeadline() const;
    /// Marks this thread as serving this request in app code until the scope ends, for the
    /// master's crash attribution and stuck-handler detection (obs/WorkerSlots).
    WorkerSlots::Scope track() const;

    bool commitHead(std::int64_t contentLength);
    bool sendBytes(const void* data, std::size_t len);
    void streamBody();
    void fillHead(Response& head) const;
    void errorResponse(Response& response, int status);
    /// Logs call()'s failure; true when the deadline passed (504 / L023).
    void logFailure(std::int32_t rc, const ResponseState::Verdict& verdict);
    void logBodyFailure(std::int32_t rc);
    void flushLint();
    /// The app and the request, to start a log line: "LABEL [request_id=ID]".
    std::string who() const;

    AppInstance& _instance;
    const Request* _request = nullptr;
    ClientChannel* _channel = nullptr;
    EnvironContext _context;
    std::string _path;
    EnvironBuilder _environ;
    bool _environBuilt = false;
    RequestArena _arena;
    ResponseState _response;
    Response _head;                     ///< the head handed to ClientChannel::sendHead
    std::string _collect;               ///< inline: write() bytes and pulled chunks
    std::shared_ptr<const void> _file;  ///< send_file(): the OwnedFd, the body's pin
    int _fileFd = -1;
    std::uint64_t _fileOffset = 0;
    gw_body _body{};
    bool _bodyClosed = false;
    bool _inScope = false;
    Phase _phase = Phase::None;
    pthread_t _thread{};
    std::int32_t _inputError = GW_OK;
    bool _bodyRead = false;
    bool _bodyEnded = false;
    bool _gone = false;
    bool _timedOut = false;
    std::chrono::steady_clock::time_point _deadline{};
    std::size_t _lintLogged = 0;
};

}  // namespace gateway
