#include "gateway/apps/AppRequest.h"

#include <sys/stat.h>

#include <Poco/Logger.h>

#include "gateway/apps/AppInstance.h"
#include "gateway/apps/HostApi.h"
#include "gateway/http/ResponseWriter.h"
#include "gateway/net/OwnedFd.h"
#include "gateway/route/ClientChannel.h"

namespace gateway {
namespace {

Poco::Logger& logger() {
    return Poco::Logger::get("gateway");
}

gw_str toStr(std::string_view text) {
    return {text.data(), text.size()};
}

}  // namespace

// --- scope -----------------------------------------------------------------------------------

void AppRequest::begin(const Request& request, const EnvironContext& context,
                       ClientChannel* channel) {
    _request = &request;
    _channel = channel;
    _context = context;
    _environBuilt = false;
    _response.reset(request.isHead());
    _collect.clear();
    _file.reset();
    _fileFd = -1;
    _body = {};
    _bodyClosed = false;
    _inputError = GW_OK;
    _bodyRead = _bodyEnded = _gone = _timedOut = false;
    _lintLogged = 0;
    _phase = Phase::None;
    const auto timeout = _instance.config().timeout;
    _deadline = timeout.count() > 0 ? std::chrono::steady_clock::now() + timeout
                                    : std::chrono::steady_clock::time_point{};
    _inScope = true;
}

void AppRequest::finishScope() {
    _file.reset();  // not handed to the connection (an error, HEAD): closed here
    flushLint();
    _inScope = false;
    _phase = Phase::None;
    _arena.reset();
}

bool AppRequest::inScope(const char* function) {
    if (_inScope && _phase != Phase::None && pthread_equal(_thread, pthread_self())) return true;
    _response.lint("GW-L018",
                   std::string(function) + (_inScope ? " from a thread not running the request"
                                                     : " with a request out of scope"));
    if (!_inScope) flushLint();
    return false;
}

const EnvironBuilder& AppRequest::environ() {
    if (!_environBuilt) {
        _environ.build(*_request, _context);
        _environBuilt = true;
    }
    return _environ;
}

std::unique_lock<std::mutex> AppRequest::serialise() {
    if (_instance.threadSafe()) return {};
    return std::unique_lock<std::mutex>(_instance.serial());
}

WorkerSlots::Scope AppRequest::track() const {
    using namespace std::chrono;
    const std::int64_t deadlineMs =
        _deadline == steady_clock::time_point{}
            ? 0
            : duration_cast<milliseconds>(_deadline.time_since_epoch()).count();
    return WorkerSlots::Scope(_instance.name(), _instance.mount(), _request->method,
                              _request->target, deadlineMs);
}

std::string AppRequest::who() const {
    return HostApi::requestLabel(&_instance, _request ? _request->id.view() : "");
}

bool AppRequest::pastDeadline() const {
    return _deadline != std::chrono::steady_clock::time_point{} &&
           std::chrono::steady_clock::now() >= _deadline;
}

void AppRequest::flushLint() {
    const auto& findings = _response.findings();
    if (_lintLogged == findings.size()) return;
    // Out of scope the request's head may be gone (a stale req from the app): no id then.
    const std::string tag = _inScope ? who() : _instance.label();
    for (; _lintLogged < findings.size(); ++_lintLogged)
        logger().warning("lint " + std::string(findings[_lintLogged].code) + " " + tag + ": " +
                         findings[_lintLogged].detail);
}

// --- host functions ----------------------------------------------------------------------------

std::int32_t AppRequest::get(const char* name, std::size_t nameLen, gw_str* value) {
    if (!inScope("get")) {
        if (value) *value = {nullptr, 0};
        return GW_E_STATE;
    }
    if (!value || (!name && nameLen > 0)) {
        _response.lint("GW-L019", "get: NULL argument");
        if (value) *value = {nullptr, 0};
        return GW_E_INVAL;
    }
    const auto* entry = environ().find({name ? name : "", nameLen});
    *value = entry ? toStr(entry->second) : gw_str{nullptr, 0};
    return entry ? GW_OK : GW_NOT_FOUND;
}

std::size_t AppRequest::environCount() {
    return inScope("environ_count") ? environ().entries().size() : 0;
}

std::int32_t AppRequest::environAt(std::size_t index, gw_str* name, gw_str* value) {
    if (!inScope("environ_at")) return GW_E_STATE;
    if (!name || !value) {
        _response.lint("GW-L019", "environ_at: NULL argument");
        return GW_E_INVAL;
    }
    const auto& entries = environ().entries();
    if (index >= entries.size()) {
        *name = *value = {nullptr, 0};
        return GW_NOT_FOUND;
    }
    *name = toStr(entries[index].first);
    *value = toStr(entries[index].second);
    return GW_OK;
}

std::int32_t AppRequest::readBody(void* buffer, std::size_t cap, std::size_t* nRead) {
    if (nRead) *nRead = 0;
    if (!inScope("read_body")) return GW_E_STATE;
    if (!nRead || (!buffer && cap > 0)) {
        _response.lint("GW-L019", "read_body: NULL argument");
        return GW_E_INVAL;
    }
    if (_inputError != GW_OK) return _inputError;
    if (_bodyEnded || cap == 0) return GW_OK;
    _bodyRead = true;
    if (!_channel || !_request->hasBody()) {  // inline requests have no body
        _bodyEnded = true;
        return GW_OK;
    }
    if (_timedOut || pastDeadline()) {
        _timedOut = true;
        return GW_E_TIMEOUT;
    }
    std::size_t got = 0;
    switch (_channel->readBody(buffer, cap, got, _instance.config().bodyLimit)) {
        case ClientChannel::ReadStatus::Ok:
            *nRead = got;
            return GW_OK;
        case ClientChannel::ReadStatus::End:
            _bodyEnded = true;
            return GW_OK;
        case ClientChannel::ReadStatus::TooLarge:
            _inputError = GW_E_TOO_LARGE;
            break;
        case ClientChannel::ReadStatus::BadBody:
            _inputError = GW_E_PROTOCOL;
            break;
        case ClientChannel::ReadStatus::Timeout:
            _inputError = GW_E_TIMEOUT;
            break;
        case ClientChannel::ReadStatus::Gone:
            _inputError = GW_E_IO;
            _gone = true;
            break;
    }
    return _inputError;
}

std::int32_t AppRequest::startResponse(std::uint32_t status, gw_str reason,
                                       const gw_header* headers, std::size_t count,
                                       std::uint32_t flags) {
    if (!inScope("start_response")) return GW_E_STATE;
    const std::int32_t rc =
        _response.startResponse(status, reason, headers, count, flags, _phase != Phase::Call);
    if (rc == GW_E_INVAL)
        logger().error(who() + ": start_response rejected: " + _response.lastRejection());
    return rc;
}

std::int32_t AppRequest::write(const void* data, std::size_t len) {
    if (!inScope("write")) return GW_E_STATE;
    if (!data && len > 0) {
        _response.lint("GW-L019", "write: NULL data with len > 0");
        return GW_E_INVAL;
    }
    if (_phase != Phase::Call || !_response.started()) {
        _response.lint("GW-L011",
                       _response.started() ? "write outside call" : "write before start_response");
        return GW_E_STATE;
    }
    if (_timedOut || pastDeadline()) {  // too late to start sending: the host answers 504
        _timedOut = true;
        return GW_E_TIMEOUT;
    }
    if (_gone) return GW_E_IO;
    std::size_t allowed = 0;
    if (_response.fileQueued()) return _response.admitWrite(len, true, allowed);
    const std::int32_t rc = _response.admitWrite(len, true, allowed);
    if (!commitHead(_response.contentLength())) return GW_E_IO;
    if (allowed > 0 && !_response.bodyWithheld() && !sendBytes(data, allowed))
        return _timedOut ? GW_E_TIMEOUT : GW_E_IO;
    return rc;
}

std::int32_t AppRequest::sendFile(int fd, std::uint64_t offset, std::uint64_t length) {
    OwnedFd file(fd);  // ours from here on, whatever happens
    if (!inScope("send_file")) return GW_E_STATE;
    struct stat info {};
    if (fd < 0 || ::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) ||
        offset > static_cast<std::uint64_t>(info.st_size) ||
        length > static_cast<std::uint64_t>(info.st_size) - offset) {
        _response.lint("GW-L025", fd < 0                   ? "send_file: bad descriptor"
                                  : !S_ISREG(info.st_mode) ? "send_file: not a regular file"
                                                           : "send_file: range past the end");
        return GW_E_INVAL;
    }
    const std::int32_t rc = _response.admitFile(length, _phase == Phase::Call);
    if (rc != GW_OK) return rc;
    if (_gone) return GW_E_IO;
    if (_response.bodyWithheld() || length == 0) return GW_OK;  // HEAD, 204, 304: fd not read
    _fileFd = fd;
    _fileOffset = offset;
    _file = std::make_shared<OwnedFd>(file.release());
    return GW_OK;
}

void AppRequest::log(std::int32_t level, std::string_view message) {
    if (level < GW_LOG_ERROR || level > GW_LOG_DEBUG)
        _response.lint("GW-L020", "log level " + std::to_string(level));
    HostApi::logLine(&_instance, level, message, _inScope ? _request->id.view() : "");
}

void* AppRequest::alloc(std::size_t n) {
    return inScope("alloc") ? _arena.allocate(n) : nullptr;
}

// --- calls into the app --------------------------------------------------------------------------

std::int32_t AppRequest::invokeCall() {
    auto lock = serialise();
    HostApi::CurrentInstance current(&_instance);
    _thread = pthread_self();
    _phase = Phase::Call;
    const std::int32_t rc =
        _instance.descriptor().call(_instance.state(), &HostApi::table(), handle(), &_body);
    _phase = Phase::None;
    return rc;
}

std::int32_t AppRequest::pullNext(gw_str& chunk) {
    auto lock = serialise();
    HostApi::CurrentInstance current(&_instance);
    _thread = pthread_self();
    _phase = Phase::Body;
    chunk = {nullptr, 0};
    const std::int32_t rc = _body.next(_body.self, &HostApi::table(), handle(), &chunk);
    _phase = Phase::None;
    return _response.checkNext(rc, chunk);
}

void AppRequest::closeBody() {
    if (_bodyClosed) return;
    _bodyClosed = true;
    if (!_body.close) return;
    auto lock = serialise();
    HostApi::CurrentInstance current(&_instance);
    _thread = pthread_self();
    _phase = Phase::Body;
    _body.close(_body.self);
    _phase = Phase::None;
}

// --- sending -------------------------------------------------------------------------------------

void AppRequest::fillHead(Response& head) const {
    head.reset();
    head.status = _response.status();
    head.reason = _response.reason();
    head.rawHeaders(_response.headerLines());
    head.closeConnection = _response.closeRequested();
}

bool AppRequest::commitHead(std::int64_t contentLength) {
    if (_response.committed()) return !_gone;
    _response.commit();
    if (!_channel) return true;  // inline: the Response carries the head
    fillHead(_head);
    if (!_channel->sendHead(_head, contentLength, _response.closeRequested())) {
        _gone = true;
        return false;
    }
    return true;
}

bool AppRequest::sendBytes(const void* data, std::size_t len) {
    if (!_channel) {
        _collect.append(static_cast<const char*>(data), len);
        return true;
    }
    if (_channel->sendBody({static_cast<const char*>(data), len})) return true;
    _gone = true;
    return false;
}

void AppRequest::errorResponse(Response& response, int status) {
    response.reset();
    response.status = status;
    response.closeConnection = true;
    response.header("Content-Type", "text/html; charset=utf-8");
    _collect.clear();
    ResponseWriter::appendErrorPage(_collect, status);
    response.setMemoryBody(_collect);
}

void AppRequest::logBodyFailure(std::int32_t rc) {
    logger().error(who() + ": body failed: " + HostApi::strerror(rc) + " (" + std::to_string(rc) +
                   ")");
}

void AppRequest::logFailure(std::int32_t rc, const ResponseState::Verdict& verdict) {
    if (rc == GW_OK) {
        logger().error(who() + ": call returned GW_OK without starting a response");
    } else if (_timedOut) {
        logger().error(who() + ": request ran past its deadline");
    } else if (verdict.logError) {
        std::string line =
            who() + ": call failed: " + HostApi::strerror(rc) + " (" + std::to_string(rc) + ")";
        if (!_response.lastRejection().empty())
            line.append("; start_response rejected: ").append(_response.lastRejection());
        logger().error(line);
    } else if (logger().information()) {
        logger().information(who() + ": request failed: " +
                             HostApi::strerror(_inputError != GW_OK ? _inputError : rc));
    }
}

// --- drivers -------------------------------------------------------------------------------------

AppRequest::InlineResult AppRequest::respondInline(const Request& request,
                                                   const EnvironContext& context,
                                                   Response& response, std::size_t cap) {
    begin(request, context, nullptr);
    const WorkerSlots::Scope activity = track();
    const std::int32_t rc = invokeCall();
    ResponseState::Verdict verdict = _response.afterCall(rc, bodyFilled(), _bodyRead, _inputError);
    using Kind = ResponseState::Verdict::Kind;
    if (verdict.kind == Kind::Decline) {
        closeBody();
        finishScope();
        return InlineResult::Declined;
    }
    if (verdict.kind != Kind::Respond) {
        logFailure(rc, verdict);
        closeBody();
        errorResponse(response, verdict.status ? verdict.status : 500);
        finishScope();
        return InlineResult::Done;
    }
    bool ended = !_body.next || _response.bodyWithheld() || _response.fileQueued();
    while (!ended && _collect.size() < cap) {
        gw_str chunk;
        const std::int32_t next = pullNext(chunk);
        if (next < 0) {
            logBodyFailure(next);
            closeBody();
            errorResponse(response, 500);
            finishScope();
            return InlineResult::Done;
        }
        const std::size_t allowed = _response.admitChunk(chunk.len);
        if (allowed > 0) _collect.append(chunk.ptr, allowed);
        ended = next == GW_BODY_END || _response.overran();
    }
    if (!ended) return InlineResult::Stream;  // still in scope: continueStream() takes over

    closeBody();
    const bool clean = _response.finish();
    _response.commit();
    fillHead(response);
    const std::int64_t length = _response.contentLength();
    if (_response.bodyWithheld()) {
        response.length = length >= 0 ? static_cast<std::uint64_t>(length) : 0;
        response.omitLength = length < 0;  // HEAD: the app declared no length, so neither do we
    } else if (_response.fileQueued()) {   // send_file: the loop sends it with sendfile
        response.setFileBody(_fileFd, _fileOffset, static_cast<std::uint64_t>(length),
                             std::move(_file));
    } else {
        response.setMemoryBody(_collect);
        if (length >= 0) response.length = static_cast<std::uint64_t>(length);
    }
    if (!clean) response.closeConnection = true;
    finishScope();
    return InlineResult::Done;
}

void AppRequest::continueStream(ClientChannel& channel) {
    _channel = &channel;
    _request = &channel.request();  // the loop has moved on from the request it handed over
    const WorkerSlots::Scope activity = track();
    if (commitHead(_response.contentLength()) &&
        (_collect.empty() || sendBytes(_collect.data(), _collect.size())))
        streamBody();
    closeBody();
    finishScope();
}

void AppRequest::streamBody() {
    while (_body.next && !_gone) {
        if (pastDeadline()) {
            _timedOut = true;
            _response.lint("GW-L023", "next ran past the request's deadline");
            logger().error(who() + ": body ran past its deadline");
            _channel->abort();
            return;
        }
        gw_str chunk;
        const std::int32_t next = pullNext(chunk);
        if (next < 0) {
            logger().error(who() + ": body failed after the first byte: " +
                           HostApi::strerror(next) + " (" + std::to_string(next) + ")");
            _channel->abort();
            return;
        }
        const std::size_t allowed = _response.admitChunk(chunk.len);
        if (allowed > 0 && !sendBytes(chunk.ptr, allowed)) return;  // client gone
        if (next == GW_BODY_END || _response.overran()) break;
    }
    if (_gone) return;
    closeBody();
    if (!_response.finish())
        _channel->abort();
    else if (!_channel->endBody())
        _gone = true;
}

bool AppRequest::serve(ClientChannel& channel, const EnvironContext& context) {
    begin(channel.request(), context, &channel);
    const WorkerSlots::Scope activity = track();
    const std::int32_t rc = invokeCall();
    ResponseState::Verdict verdict = _response.afterCall(rc, bodyFilled(), _bodyRead, _inputError);
    using Kind = ResponseState::Verdict::Kind;
    if (pastDeadline() && verdict.kind != Kind::Decline) {
        _timedOut = true;
        _response.lint("GW-L023", "call ran past the request's deadline");
        if (verdict.kind == Kind::Respond)
            verdict.kind = _response.committed() ? Kind::Abort : Kind::Fail;
        if (verdict.kind == Kind::Fail) verdict.status = 504;
    }
    switch (verdict.kind) {
        case Kind::Decline:
            closeBody();
            finishScope();
            return true;
        case Kind::Fail:
            logFailure(rc, verdict);
            closeBody();
            if (verdict.status == 0)
                channel.abort();
            else
                channel.sendError(verdict.status);
            finishScope();
            return false;
        case Kind::Abort:
            logFailure(rc, verdict);
            closeBody();
            channel.abort();
            finishScope();
            return false;
        case Kind::Respond:
            break;
    }
    const std::int64_t length = _response.contentLength();
    if (_response.bodyWithheld()) {
        if (commitHead(length)) channel.endBody();
    } else if (_response.fileQueued()) {  // send_file: the connection sends it after this job
        closeBody();
        if (commitHead(length) &&
            (!_file || channel.sendFile(std::move(_file), _fileFd, _fileOffset,
                                        static_cast<std::uint64_t>(length))))
            channel.endBody();
    } else if (_response.committed()) {
        streamBody();
    } else if (!_body.next) {  // framing rule 2: no body at all
        if (commitHead(length >= 0 ? length : 0) && !_response.finish())
            channel.abort();
        else if (!_gone)
            channel.endBody();
    } else {
        gw_str chunk;
        const std::int32_t next = pullNext(chunk);
        if (next < 0) {
            logBodyFailure(next);
            closeBody();
            channel.sendError(500);
            finishScope();
            return false;
        }
        const bool last = next == GW_BODY_END;
        const std::size_t allowed = _response.admitChunk(chunk.len);
        if (commitHead(length >= 0 ? length
                       : last      ? static_cast<std::int64_t>(chunk.len)
                                   : -1) &&
            (allowed == 0 || sendBytes(chunk.ptr, allowed))) {
            if (last || _response.overran()) {
                closeBody();
                if (!_response.finish())
                    channel.abort();
                else if (!channel.endBody())
                    _gone = true;
            } else {
                streamBody();
            }
        }
    }
    closeBody();
    finishScope();
    return false;
}

}  // namespace gateway
