#include "gateway/apps/ResponseState.h"

#include "gateway/apps/HeaderPolicy.h"

namespace gateway {

void ResponseState::reset(bool headRequest) {
    _head = headRequest;
    _started = _committed = _usedWrite = _close = _overran = _file = false;
    _status = 0;
    _contentLength = -1;
    _sent = 0;
    _reason.clear();
    _lines.clear();
    _lastRejection.clear();
    _findings.clear();
}

void ResponseState::lint(std::string_view code, std::string detail) {
    _findings.push_back({code, std::move(detail)});
}

std::int32_t ResponseState::startResponse(std::uint32_t status, gw_str reason,
                                          const gw_header* headers, std::size_t count,
                                          std::uint32_t flags, bool fromBody) {
    // Once a body byte is admitted the head it belongs to is fixed, committed yet or not.
    if (_committed || _usedWrite || _file || _sent > 0 || fromBody) {
        lint("GW-L003",
             fromBody ? "start_response from next/close" : "start_response after the first byte");
        return GW_E_STATE;
    }
    if (_started && !(flags & GW_RESPONSE_REPLACE)) {
        lint("GW-L002", "start_response called again without GW_RESPONSE_REPLACE");
        return GW_E_STATE;
    }
    HeaderPolicy::Verdict verdict = HeaderPolicy::check(status, reason, headers, count, flags);
    if (verdict.code != GW_OK) {
        _lastRejection = verdict.detail;
        lint(verdict.lint, std::move(verdict.detail));
        return verdict.code;
    }
    _started = true;
    _status = static_cast<int>(status);
    _contentLength = verdict.contentLength;
    _close = (flags & GW_RESPONSE_CLOSE) != 0;
    _reason.assign(reason.ptr ? reason.ptr : "", reason.ptr ? reason.len : 0);
    _lines.clear();
    HeaderPolicy::appendLines(_lines, headers, count, status == 304);
    return GW_OK;
}

std::int32_t ResponseState::admitWrite(std::size_t len, bool inCall, std::size_t& allowed) {
    allowed = 0;
    if (!inCall || !_started) {
        lint("GW-L011", _started ? "write outside call" : "write before start_response");
        return GW_E_STATE;
    }
    if (_file) {
        lint("GW-L025", "write after send_file");
        return GW_E_STATE;
    }
    _usedWrite = true;
    allowed = admitChunk(len);
    return allowed < len ? GW_E_STATE : GW_OK;
}

std::int32_t ResponseState::admitFile(std::uint64_t length, bool inCall) {
    if (!inCall || !_started || _usedWrite || _committed || _file) {
        lint("GW-L025", !inCall     ? "send_file outside call"
                        : !_started ? "send_file before start_response"
                        : _file     ? "send_file called twice"
                                    : "send_file after write");
        return GW_E_STATE;
    }
    if (_contentLength >= 0 && static_cast<std::uint64_t>(_contentLength) != length) {
        lint("GW-L025", "send_file of " + std::to_string(length) + " bytes with Content-Length " +
                            std::to_string(_contentLength));
        return GW_E_INVAL;
    }
    _file = true;
    _contentLength = static_cast<std::int64_t>(length);
    if (!bodyWithheld()) _sent = length;
    return GW_OK;
}

std::size_t ResponseState::admitChunk(std::size_t len) {
    std::size_t allowed = len;
    if (_contentLength >= 0) {
        const auto room = static_cast<std::uint64_t>(_contentLength) -
                          std::min<std::uint64_t>(_sent, _contentLength);
        if (len > room) {
            allowed = static_cast<std::size_t>(room);
            if (!_overran)
                lint("GW-L013",
                     "body longer than Content-Length " + std::to_string(_contentLength));
            _overran = true;
        }
    }
    _sent += allowed;
    return allowed;
}

std::int32_t ResponseState::checkNext(std::int32_t rc, gw_str chunk) {
    if (rc == GW_OK || rc == GW_BODY_END) {
        if (chunk.ptr == nullptr && chunk.len > 0) {
            lint("GW-L017", "next returned a chunk with ptr == NULL and len > 0");
            return GW_E_APP;
        }
        return rc;
    }
    if (rc > 0) {
        lint("GW-L016", "next returned " + std::to_string(rc));
        return GW_E_APP;
    }
    return rc;
}

bool ResponseState::finish() {
    if (_overran) return false;
    if (_contentLength >= 0 && !bodyWithheld() &&
        _sent < static_cast<std::uint64_t>(_contentLength)) {
        lint("GW-L012", "body of " + std::to_string(_sent) + " bytes shorter than Content-Length " +
                            std::to_string(_contentLength));
        return false;
    }
    return true;
}

ResponseState::Verdict ResponseState::afterCall(std::int32_t rc, bool bodyFilled, bool bodyRead,
                                                std::int32_t inputError) {
    using Kind = Verdict::Kind;
    Verdict verdict;
    verdict.code = rc < GW_E_UNSUPPORTED ? GW_E_APP : rc;  // unknown negatives
    if (rc != GW_OK && bodyFilled)
        lint("GW-L015", "body_out filled although call did not return GW_OK");
    if (rc == GW_OK) {
        if (_started) return verdict;  // Respond
        lint("GW-L001", "call returned GW_OK without starting a response");
        verdict.code = GW_E_APP;
    } else if (rc == GW_DECLINED) {
        if (_started || bodyRead)
            lint("GW-L014", "GW_DECLINED after starting a response or reading the body");
        if (!_committed) {
            verdict.kind = Kind::Decline;
            return verdict;
        }
        verdict.code = GW_E_APP;  // too late to fall through
    } else if (rc > 0) {
        lint("GW-L016", "call returned " + std::to_string(rc));
        verdict.code = GW_E_APP;
    }
    if (_committed) {
        verdict.kind = Kind::Abort;
        verdict.logError = inputError != GW_E_IO;
        return verdict;
    }
    verdict.kind = Kind::Fail;
    if (inputError != GW_OK) {  // the client caused it: answer per the input error
        verdict.status = inputError == GW_E_TOO_LARGE  ? 413
                         : inputError == GW_E_PROTOCOL ? 400
                         : inputError == GW_E_TIMEOUT  ? 408
                                                       : 0;  // GW_E_IO: the client is gone
        return verdict;
    }
    if (verdict.code == GW_E_TOO_LARGE) {
        verdict.status = 413;
        return verdict;
    }
    verdict.status = 500;
    verdict.logError = true;
    return verdict;
}

}  // namespace gateway
