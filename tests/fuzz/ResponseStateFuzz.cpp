// The app response state machine driven by random operation sequences: each step's first byte
// picks an operation, the next bytes its arguments. A shadow model holds what ResponseState.h
// promises, and the two are compared after every step. Properties: a response is never both sent
// and replaceable (after the first body byte or the commit, start_response fails and changes
// nothing); body byte counts add up and never pass the app's Content-Length; the verdicts follow
// the SPEC outcome table; every rejection leaves a lint finding.

#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "FuzzInput.h"
#include "FuzzTargets.h"
#include "gateway/apps/HeaderPolicy.h"
#include "gateway/apps/ResponseState.h"
#include "gateway/http/Lexer.h"
#include "gateway/http/Request.h"

namespace gateway::fuzz {

namespace {

/// What the header promises, kept by hand.
struct Model {
    bool head = false, started = false, committed = false, usedWrite = false;
    bool close = false, overran = false;
    int status = 0;
    std::int64_t contentLength = -1;
    std::uint64_t sent = 0;
    std::string reason, lines;
    std::size_t findings = 0;

    bool withheld() const { return head || status == 204 || status == 304; }
    /// The first body byte or the head went out: the response can no longer change.
    bool sealed() const { return committed || usedWrite || sent > 0; }
    /// admitChunk's rule: clip to what the Content-Length leaves.
    std::size_t admit(std::size_t len) {
        std::size_t allowed = len;
        if (contentLength >= 0) {
            const std::uint64_t limit = static_cast<std::uint64_t>(contentLength);
            const std::uint64_t room = limit - std::min(sent, limit);
            if (len > room) {
                allowed = static_cast<std::size_t>(room);
                findings += !overran;  // GW-L013, once
                overran = true;
            }
        }
        sent += allowed;
        return allowed;
    }
};

void compare(const ResponseState& state, const Model& model) {
    GATEWAY_FUZZ_CHECK(state.started() == model.started);
    GATEWAY_FUZZ_CHECK(state.committed() == model.committed);
    GATEWAY_FUZZ_CHECK(state.usedWrite() == model.usedWrite);
    GATEWAY_FUZZ_CHECK(state.closeRequested() == model.close);
    GATEWAY_FUZZ_CHECK(state.overran() == model.overran);
    GATEWAY_FUZZ_CHECK(state.status() == model.status);
    GATEWAY_FUZZ_CHECK(state.contentLength() == model.contentLength);
    GATEWAY_FUZZ_CHECK(state.bodyBytes() == model.sent);
    GATEWAY_FUZZ_CHECK(state.reason() == model.reason);
    GATEWAY_FUZZ_CHECK(state.headerLines() == model.lines);
    GATEWAY_FUZZ_CHECK(state.bodyWithheld() == model.withheld());
    GATEWAY_FUZZ_CHECK(state.findings().size() == model.findings);

    GATEWAY_FUZZ_CHECK(!model.committed || model.started);
    GATEWAY_FUZZ_CHECK(model.contentLength < 0 ||
                       model.sent <= static_cast<std::uint64_t>(model.contentLength));
    GATEWAY_FUZZ_CHECK(!model.started || (model.status >= 200 && model.status <= 599));
    for (const ResponseState::Finding& finding : state.findings()) {
        const std::string_view code = finding.code;
        GATEWAY_FUZZ_CHECK(code.size() == 7 && code.substr(0, 4) == "GW-L" &&
                           code.find_first_not_of("0123456789", 4) == std::string_view::npos);
        GATEWAY_FUZZ_CHECK(!finding.detail.empty());
    }
}

/// Header lines as stored: "Name: value\r\n" each, no CR or LF elsewhere, no Content-Length
/// except a 304's (it describes the GET representation; the connection writes none for a 304).
void checkLines(std::string_view lines, bool mayKeepLength) {
    while (!lines.empty()) {
        const std::size_t end = lines.find("\r\n");
        GATEWAY_FUZZ_CHECK(end != std::string_view::npos);
        const std::string_view line = lines.substr(0, end);
        GATEWAY_FUZZ_CHECK(line.find_first_of("\r\n") == std::string_view::npos);
        const std::size_t colon = line.find(": ");
        GATEWAY_FUZZ_CHECK(colon != std::string_view::npos && colon > 0);
        GATEWAY_FUZZ_CHECK(isToken(line.substr(0, colon)));
        GATEWAY_FUZZ_CHECK(mayKeepLength ||
                           !equalsIgnoreCase(line.substr(0, colon), "Content-Length"));
        lines.remove_prefix(end + 2);
    }
}

gw_str str(std::string_view text) {
    return {text.data(), text.size()};
}

/// A start_response() call's arguments, from the input: mostly plausible, sometimes hostile.
struct StartCall {
    std::uint32_t status = 200;
    gw_str reason{};
    std::vector<gw_header> headers;
    bool nullHeaders = false;
    std::uint32_t flags = 0;
    bool fromBody = false;

    explicit StartCall(FuzzInput& in) {
        static constexpr std::uint32_t kStatuses[] = {200, 201, 204, 304, 404, 500, 599, 199, 600};
        static constexpr std::string_view kNames[] = {"Content-Type",
                                                      "Content-Length",
                                                      "content-length",
                                                      "X-Trace",
                                                      "Set-Cookie",
                                                      "Connection",
                                                      "Transfer-Encoding",
                                                      "Date",
                                                      "Server",
                                                      "Bad Name",
                                                      ""};
        static constexpr std::string_view kValues[] = {
            "text/plain", "0",      "5",         " 12 ",   "18446744073709551616", "-1", "1x",
            "",           "a\r\nb", "tab\there", "del\x7f"};
        static constexpr std::uint32_t kFlags[] = {0, GW_RESPONSE_REPLACE, GW_RESPONSE_CLOSE,
                                                   GW_RESPONSE_REPLACE | GW_RESPONSE_CLOSE, 0x4};
        const std::uint8_t choice = in.byte();
        status = (choice & 0x80) ? in.u16() : kStatuses[choice % std::size(kStatuses)];
        switch (in.pick(4)) {
            case 0:
                reason = {nullptr, 0};
                break;
            case 1:
                reason = str("OK");
                break;
            case 2:
                reason = str(in.text(32));
                break;
            default:
                reason = {nullptr, 3};
                break;
        }
        const std::size_t count = in.pick(5);
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint8_t pick = in.byte();
            gw_header header;
            header.name = (pick & 0x80) ? str(in.text(16)) : str(kNames[pick % std::size(kNames)]);
            const std::uint8_t value = in.byte();
            header.value =
                (value & 0x80) ? str(in.text(32)) : str(kValues[value % std::size(kValues)]);
            if (value == 0x7f) header.value = {nullptr, 1};
            headers.push_back(header);
        }
        nullHeaders = count > 0 && (choice & 0x40) && (choice & 0x20);
        flags = kFlags[in.pick(std::size(kFlags))];
        fromBody = (choice & 0x60) == 0x40;
    }
    const gw_header* array() const { return nullHeaders ? nullptr : headers.data(); }
};

std::size_t length(FuzzInput& in) {
    switch (in.pick(4)) {
        case 0:
            return 0;
        case 1:
            return in.byte();
        case 2:
            return in.u16();
        default:
            return SIZE_MAX - in.byte();
    }
}

std::int32_t code(FuzzInput& in) {
    static constexpr std::int32_t kCodes[] = {
        GW_OK,      GW_DECLINED,   GW_BODY_END,      GW_NOT_FOUND,   GW_E_INVAL,
        GW_E_NOMEM, GW_E_IO,       GW_E_STATE,       GW_E_TOO_LARGE, GW_E_TIMEOUT,
        GW_E_APP,   GW_E_PROTOCOL, GW_E_UNSUPPORTED, -100,           42};
    return kCodes[in.pick(std::size(kCodes))];
}

void startResponse(FuzzInput& in, ResponseState& state, Model& model) {
    const StartCall call(in);
    const std::int32_t rc = state.startResponse(call.status, call.reason, call.array(),
                                                call.headers.size(), call.flags, call.fromBody);
    if (model.sealed() || call.fromBody || (model.started && !(call.flags & GW_RESPONSE_REPLACE))) {
        GATEWAY_FUZZ_CHECK(rc == GW_E_STATE);
        ++model.findings;
        return;
    }
    const HeaderPolicy::Verdict verdict = HeaderPolicy::check(
        call.status, call.reason, call.array(), call.headers.size(), call.flags);
    GATEWAY_FUZZ_CHECK(rc == verdict.code);
    if (rc != GW_OK) {
        GATEWAY_FUZZ_CHECK(rc == GW_E_INVAL && !state.lastRejection().empty());
        ++model.findings;
        return;
    }
    model.started = true;
    model.status = static_cast<int>(call.status);
    model.contentLength = verdict.contentLength;
    model.close = call.flags & GW_RESPONSE_CLOSE;
    model.reason.assign(call.reason.ptr ? call.reason.ptr : "",
                        call.reason.ptr ? call.reason.len : 0);
    model.lines.clear();
    HeaderPolicy::appendLines(model.lines, call.array(), call.headers.size(), call.status == 304);
    checkLines(state.headerLines(), call.status == 304);
}

void admitWrite(FuzzInput& in, ResponseState& state, Model& model) {
    const std::size_t len = length(in);
    const bool inCall = in.pick(4) != 0;  // mostly from inside call()
    std::size_t allowed = 1;
    const std::int32_t rc = state.admitWrite(len, inCall, allowed);
    if (!inCall || !model.started) {
        GATEWAY_FUZZ_CHECK(rc == GW_E_STATE && allowed == 0);
        ++model.findings;
        return;
    }
    model.usedWrite = true;
    GATEWAY_FUZZ_CHECK(allowed == model.admit(len));
    GATEWAY_FUZZ_CHECK(allowed <= len && rc == (allowed < len ? GW_E_STATE : GW_OK));
}

void checkNext(FuzzInput& in, ResponseState& state, Model& model) {
    const std::int32_t rc = code(in);
    static constexpr char kBytes[] = "abc";
    const gw_str chunk = in.pick(3) == 0   ? gw_str{nullptr, 3}
                         : in.pick(2) == 0 ? gw_str{nullptr, 0}
                                           : gw_str{kBytes, 3};
    const std::int32_t got = state.checkNext(rc, chunk);
    if ((rc == GW_OK || rc == GW_BODY_END) && !(chunk.ptr == nullptr && chunk.len > 0)) {
        GATEWAY_FUZZ_CHECK(got == rc);
    } else if (rc < 0) {
        GATEWAY_FUZZ_CHECK(got == rc);
    } else {
        GATEWAY_FUZZ_CHECK(got == GW_E_APP);
        ++model.findings;
    }
}

void finish(ResponseState& state, Model& model) {
    const bool short_ = model.contentLength >= 0 && !model.withheld() &&
                        model.sent < static_cast<std::uint64_t>(model.contentLength);
    GATEWAY_FUZZ_CHECK(state.finish() == !(model.overran || short_));
    model.findings += !model.overran && short_;  // GW-L012
}

void afterCall(FuzzInput& in, ResponseState& state, Model& model) {
    using Kind = ResponseState::Verdict::Kind;
    static constexpr std::int32_t kInputErrors[] = {GW_OK, GW_E_IO, GW_E_TOO_LARGE, GW_E_PROTOCOL,
                                                    GW_E_TIMEOUT};
    const std::int32_t rc = code(in);
    const bool bodyFilled = in.flag(), bodyRead = in.flag();
    const std::int32_t inputError = kInputErrors[in.pick(std::size(kInputErrors))];
    const ResponseState::Verdict verdict = state.afterCall(rc, bodyFilled, bodyRead, inputError);

    model.findings += rc != GW_OK && bodyFilled;                         // GW-L015
    model.findings += rc == GW_OK && !model.started;                     // GW-L001
    model.findings += rc == GW_DECLINED && (model.started || bodyRead);  // GW-L014
    model.findings += rc > 0 && rc != GW_DECLINED;                       // GW-L016
    if (rc == GW_OK && model.started) {
        GATEWAY_FUZZ_CHECK(verdict.kind == Kind::Respond && verdict.code == GW_OK);
        return;
    }
    if (rc == GW_DECLINED && !model.committed) {
        GATEWAY_FUZZ_CHECK(verdict.kind == Kind::Decline && verdict.code == GW_DECLINED);
        return;
    }
    // Fail or Abort: an effective error code the SPEC knows.
    GATEWAY_FUZZ_CHECK(verdict.code < 0 && verdict.code >= GW_E_UNSUPPORTED);
    if (model.committed) {
        GATEWAY_FUZZ_CHECK(verdict.kind == Kind::Abort && verdict.status == 0);
        GATEWAY_FUZZ_CHECK(verdict.logError == (inputError != GW_E_IO));
        return;
    }
    GATEWAY_FUZZ_CHECK(verdict.kind == Kind::Fail);
    int status = 500;
    if (inputError != GW_OK)
        status = inputError == GW_E_TOO_LARGE  ? 413
                 : inputError == GW_E_PROTOCOL ? 400
                 : inputError == GW_E_TIMEOUT  ? 408
                                               : 0;
    else if (verdict.code == GW_E_TOO_LARGE)
        status = 413;
    GATEWAY_FUZZ_CHECK(verdict.status == status);
    GATEWAY_FUZZ_CHECK(verdict.logError == (status == 500));
}

}  // namespace

int responseState(const std::uint8_t* data, std::size_t size) {
    FuzzInput in(data, size);
    ResponseState state;
    Model model;
    state.reset(false);
    for (int step = 0; step < 256 && !in.empty(); ++step) {
        switch (in.pick(8)) {
            case 0: {
                const bool head = in.flag();
                state.reset(head);
                model = Model{};
                model.head = head;
                GATEWAY_FUZZ_CHECK(state.lastRejection().empty());
                break;
            }
            case 1:
                startResponse(in, state, model);
                break;
            case 2:
                admitWrite(in, state, model);
                break;
            case 3: {
                const std::size_t len = length(in);
                const std::size_t allowed = state.admitChunk(len);
                GATEWAY_FUZZ_CHECK(allowed == model.admit(len) && allowed <= len);
                break;
            }
            case 4:
                checkNext(in, state, model);
                break;
            case 5:  // the host commits the head only of a started response
                if (model.started) {
                    state.commit();
                    model.committed = true;
                }
                break;
            case 6:
                finish(state, model);
                break;
            default:
                afterCall(in, state, model);
                break;
        }
        compare(state, model);
    }
    return 0;
}

}  // namespace gateway::fuzz

#ifdef GATEWAY_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return gateway::fuzz::responseState(data, size);
}
#endif
