#include "gateway/apps/HostApi.h"

#include "gateway/app.hpp"  // errorText(): the SPEC's texts, one table for SDK and host

#include <unistd.h>

#include <Poco/Logger.h>

#include "gateway/apps/AppInstance.h"
#include "gateway/apps/AppRequest.h"
#include "gateway/http/Lexer.h"

namespace gateway {
namespace {

thread_local const AppInstance* tCurrent = nullptr;

AppRequest* context(gw_request* req) noexcept {
    return reinterpret_cast<AppRequest*>(req);
}

int32_t apiGet(gw_request* req, const char* name, size_t nameLen, gw_str* value) {
    if (!req) return GW_E_INVAL;
    return context(req)->get(name, nameLen, value);
}

size_t apiEnvironCount(gw_request* req) {
    return req ? context(req)->environCount() : 0;
}

int32_t apiEnvironAt(gw_request* req, size_t index, gw_str* name, gw_str* value) {
    if (!req) return GW_E_INVAL;
    return context(req)->environAt(index, name, value);
}

int32_t apiReadBody(gw_request* req, void* buf, size_t cap, size_t* nRead) {
    if (!req) {
        if (nRead) *nRead = 0;
        return GW_E_INVAL;
    }
    return context(req)->readBody(buf, cap, nRead);
}

int32_t apiStartResponse(gw_request* req, uint32_t status, gw_str reason, const gw_header* headers,
                         size_t count, uint32_t flags) {
    if (!req) return GW_E_INVAL;
    return context(req)->startResponse(status, reason, headers, count, flags);
}

int32_t apiWrite(gw_request* req, const void* data, size_t len) {
    if (!req) return GW_E_INVAL;
    return context(req)->write(data, len);
}

int32_t apiSendFile(gw_request* req, int fd, uint64_t offset, uint64_t length) {
    if (!req) {
        if (fd >= 0) ::close(fd);  // the host owns fd on every return
        return GW_E_INVAL;
    }
    return context(req)->sendFile(fd, offset, length);
}

void apiLog(gw_request* req, int32_t level, gw_str msg) {
    const std::string_view text(msg.ptr ? msg.ptr : "", msg.ptr ? msg.len : 0);
    if (req)
        context(req)->log(level, text);
    else
        HostApi::logLine(tCurrent, level, text);
}

void* apiAlloc(gw_request* req, size_t n) {
    return req ? context(req)->alloc(n) : nullptr;
}

const char* apiStrerror(int32_t code) {
    return HostApi::strerror(code);
}

const gw_host_api kTable = {
    GW_ABI_VERSION, sizeof(gw_host_api), apiGet,   apiEnvironCount, apiEnvironAt,
    apiReadBody,    apiStartResponse,    apiWrite, apiLog,          apiAlloc,
    apiStrerror,    apiSendFile,
};

}  // namespace

const gw_host_api& HostApi::table() noexcept {
    return kTable;
}

const char* HostApi::strerror(std::int32_t code) noexcept {
    return sdk::errorText(code);
}

HostApi::CurrentInstance::CurrentInstance(const AppInstance* instance) noexcept
    : _previous(tCurrent) {
    tCurrent = instance;
}

HostApi::CurrentInstance::~CurrentInstance() {
    tCurrent = _previous;
}

const AppInstance* HostApi::CurrentInstance::get() noexcept {
    return tCurrent;
}

std::string HostApi::requestLabel(const AppInstance* instance, std::string_view requestId) {
    std::string label = instance ? instance->label() : std::string("app");
    if (!requestId.empty()) label.append(" [request_id=").append(requestId).append("]");
    return label;
}

void HostApi::logLine(const AppInstance* instance, std::int32_t level, std::string_view message,
                      std::string_view requestId) {
    Poco::Logger& logger = Poco::Logger::get("gateway");
    const Poco::Message::Priority priority = level <= GW_LOG_ERROR     ? Poco::Message::PRIO_ERROR
                                             : level == GW_LOG_WARNING ? Poco::Message::PRIO_WARNING
                                             : level <= GW_LOG_INFO
                                                 ? Poco::Message::PRIO_INFORMATION
                                                 : Poco::Message::PRIO_DEBUG;
    if (!logger.is(priority)) return;
    std::string line = requestLabel(instance, requestId);
    line.append(": ");
    appendEscaped(line, message);
    logger.log(Poco::Message("gateway", line, priority));
}

}  // namespace gateway
