#include "gateway/http/RequestParser.h"

#include <cstdint>
#include <cstring>

#include "gateway/http/Lexer.h"

namespace gateway {

namespace {

constexpr unsigned kMaxLeadingEmptyLines = 4;  // RFC 9112 §2.2: ignore a few CRLF before a request

/// Calls f(element) for each comma-separated element of a field value, OWS trimmed. Empty
/// elements are passed on too; each caller decides what they mean. Stops when f returns false.
template <typename F>
bool forEachElement(std::string_view value, F&& f) {
    for (;;) {
        const std::size_t comma = value.find(',');
        if (!f(trimOws(value.substr(0, comma)))) return false;
        if (comma == std::string_view::npos) return true;
        value.remove_prefix(comma + 1);
    }
}

Method methodOf(std::string_view m) {
    switch (m.size()) {
        case 3:
            if (m == "GET") return Method::Get;
            if (m == "PUT") return Method::Put;
            break;
        case 4:
            if (m == "HEAD") return Method::Head;
            if (m == "POST") return Method::Post;
            break;
        case 5:
            if (m == "PATCH") return Method::Patch;
            if (m == "TRACE") return Method::Trace;
            break;
        case 6:
            if (m == "DELETE") return Method::Delete;
            break;
        case 7:
            if (m == "OPTIONS") return Method::Options;
            if (m == "CONNECT") return Method::Connect;
            break;
    }
    return Method::Other;
}

/// HTTP-version = "HTTP/" DIGIT "." DIGIT (case-sensitive). Returns 0 and sets `minor` for 1.x
/// (1.2+ are answered as 1.1, RFC 9110 §2.5), 505 for another major (also "HTTP/2", "HTTP/3"),
/// 400 for anything malformed.
int checkVersion(std::string_view v, int& minor) {
    if (v.size() < 6 || v.substr(0, 5) != "HTTP/") return 400;
    const std::string_view n = v.substr(5);
    if (n.size() == 3 && isDigit(n[0]) && n[1] == '.' && isDigit(n[2])) {
        if (n[0] != '1') return 505;
        minor = n[2] == '0' ? 0 : 1;
        return 0;
    }
    if (n.size() == 1 && n[0] >= '2' && n[0] <= '9') return 505;
    return 400;
}

/// Host field value / authority: uri-host [ ":" port ], no userinfo. Empty is allowed (RFC 9112
/// §3.2) for the Host field; callers that need a non-empty authority check that themselves.
bool validHost(std::string_view h) {
    return allOf(h, kHostChar);
}

}  // namespace

RequestParser::RequestParser(const ParserLimits& limits) : _limits(limits) {}

void RequestParser::reset() {
    const ParserLimits limits = _limits;
    *this = RequestParser(limits);
}

RequestParser::Status RequestParser::fail(int status, const char* reason) {
    _state = State::Error;
    _errorStatus = status;
    _errorReason = reason;
    return Status::Error;
}

// Phase one: find the end of the head with memchr, enforcing the limits as soon as the buffered
// bytes prove them broken. Every check depends only on bytes already seen and runs in stream
// order, so any split of the input gives the same result as feeding it whole.
RequestParser::Status RequestParser::parse(std::string_view data, Request& request) {
    if (_state == State::Complete) return Status::Complete;
    if (_state == State::Error) return Status::Error;

    const char* base = data.data();
    const std::size_t size = data.size();
    const std::size_t maxFields = _limits.maxHeaderCount < Request::kMaxHeaders
                                      ? _limits.maxHeaderCount
                                      : Request::kMaxHeaders;

    for (;;) {
        // A request starts with a method token (or an empty line): reject binary garbage such as
        // a TLS handshake at once instead of waiting for a line end that may never come.
        if (!_haveRequestLine && _lineStart < size) {
            const char c = base[_lineStart];
            if (!hasClass(c, kTchar) && c != '\r' && c != '\n')
                return fail(400, "invalid request line");
        }
        const void* found =
            _scanned < size ? std::memchr(base + _scanned, '\n', size - _scanned) : nullptr;
        if (found == nullptr) {
            _scanned = size;
            if (!_haveRequestLine) {
                std::size_t pending = size - _lineStart;
                if (pending != 0 && base[size - 1] == '\r') --pending;  // may be half a CRLF
                if (pending > _limits.maxRequestLine) return fail(414, "request line too long");
            }
            if (size - _headStart > _limits.maxHeaderBytes)
                return fail(431, "header section too large");
            return Status::Incomplete;
        }

        const std::size_t lf = static_cast<std::size_t>(static_cast<const char*>(found) - base);
        const std::size_t next = lf + 1;
        const bool crlf = lf > _lineStart && base[lf - 1] == '\r';
        const bool empty = lf - _lineStart == (crlf ? 1u : 0u);
        if (!_haveRequestLine) {
            if (empty) {
                if (++_emptyLines > kMaxLeadingEmptyLines)
                    return fail(400, "too many empty lines before the request line");
                _headStart = next;
            } else {
                const std::size_t length = lf - _lineStart - (crlf ? 1 : 0);
                if (length > _limits.maxRequestLine) return fail(414, "request line too long");
                _haveRequestLine = true;
            }
        } else if (!empty && ++_fieldLines > maxFields) {
            return fail(431, "too many header fields");
        }
        if (next - _headStart > _limits.maxHeaderBytes)
            return fail(431, "header section too large");
        // After the limits, which a byte-by-byte feeding would have hit before this LF arrived.
        // Phase two then only ever sees CRLF line ends (isCrlf), and rejects any bare CR.
        if (!crlf) return fail(400, "bare LF");
        _lineStart = _scanned = next;
        if (_haveRequestLine && empty) {
            _consumed = next;
            return parseHead(data, request);
        }
    }
}

// Phase two, once per request: the whole head [_headStart, _consumed) is buffered and ends with
// an empty line, so every scan below stops at the final LF at the latest.
RequestParser::Status RequestParser::parseHead(std::string_view data, Request& request) {
    request.headerCount = 0;
    request.keepAlive = false;
    request.chunked = false;
    request.expectContinue = false;
    request.contentLength = -1;
    request.host = {};
    request.query = {};
    request.versionMinor = 1;

    const char* p = data.data() + _headStart;
    if (parseRequestLine(p, request) == Status::Error) return Status::Error;
    if (parseFields(p, request) == Status::Error) return Status::Error;
    _state = State::Complete;
    return Status::Complete;
}

RequestParser::Status RequestParser::parseRequestLine(const char*& p, Request& request) {
    const char* start = p;
    while (hasClass(*p, kTchar)) ++p;
    if (p == start || *p != ' ') return fail(400, "invalid method");
    request.method = std::string_view(start, static_cast<std::size_t>(p - start));
    request.methodId = methodOf(request.method);

    start = ++p;
    while (hasClass(*p, kTargetChar)) ++p;
    if (p == start || *p != ' ') return fail(400, "invalid request-target");
    request.target = std::string_view(start, static_cast<std::size_t>(p - start));

    start = ++p;
    while (hasClass(*p, kTchar) || *p == '/') ++p;  // "HTTP/1.1": letters, digits, '/', '.'
    const std::string_view version(start, static_cast<std::size_t>(p - start));
    if (!isCrlf(p)) return fail(400, "invalid HTTP version");
    p += 2;
    // Version before target form: "PRI * HTTP/2.0" (the HTTP/2 preface) gets 505, not 400.
    switch (checkVersion(version, request.versionMinor)) {
        case 0:
            break;
        case 505:
            return fail(505, "HTTP version not supported");
        default:
            return fail(400, "invalid HTTP version");
    }
    return parseTarget(request);
}

RequestParser::Status RequestParser::parseTarget(Request& request) {
    const std::string_view target = request.target;
    if (request.methodId == Method::Connect) {
        // authority-form: uri-host ":" port, nothing else.
        const std::size_t colon = target.rfind(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == target.size() ||
            !validHost(target))
            return fail(400, "CONNECT needs an authority-form target");
        for (char c : target.substr(colon + 1))
            if (!isDigit(c)) return fail(400, "CONNECT needs an authority-form target");
        request.path = {};
        return Status::Complete;
    }
    std::string_view rest = target;
    if (target.front() == '*') {
        if (target.size() != 1 || request.methodId != Method::Options)
            return fail(400, "asterisk-form is only for OPTIONS");
        request.path = target;
        return Status::Complete;
    }
    if (target.front() != '/') {
        // absolute-form: scheme "://" authority path-abempty [ "?" query ]. The authority
        // replaces the Host field (RFC 9112 §3.2.2).
        std::size_t i = 0;
        for (; i < target.size(); ++i) {
            const char c = target[i];
            const bool alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
            if (!alpha && (i == 0 || !(isDigit(c) || c == '+' || c == '-' || c == '.'))) break;
        }
        if (i == 0 || target.substr(i, 3) != "://") return fail(400, "invalid request-target");
        rest = target.substr(i + 3);
        const std::size_t end = rest.find_first_of("/?");
        const std::string_view authority = rest.substr(0, end);
        if (authority.empty() || !validHost(authority))
            return fail(400, "invalid authority in request-target");
        request.host = authority;
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    }
    const std::size_t q = rest.find('?');
    request.path = rest.substr(0, q);
    if (q != std::string_view::npos) request.query = rest.substr(q + 1);
    if (request.path.empty()) request.path = "/";  // absolute-form with an empty path
    return Status::Complete;
}

RequestParser::Status RequestParser::parseFields(const char* p, Request& request) {
    const bool absoluteForm = !request.host.empty();
    std::size_t hostCount = 0;
    bool close = false, keepAliveToken = false;
    bool haveLength = false, haveCoding = false;
    bool lastIsChunked = false, unknownCoding = false, badCoding = false;
    unsigned chunkedCount = 0;
    std::int64_t length = -1;

    for (;;) {
        if (*p == '\r') {
            if (!isCrlf(p)) return fail(400, "bare CR");
            break;
        }
        if (isOws(*p)) return fail(400, "obsolete line folding");

        const char* start = p;
        while (hasClass(*p, kTchar)) ++p;
        if (*p != ':') {
            if (p != start && isOws(*p)) return fail(400, "whitespace before colon");
            return fail(400, "invalid header name");
        }
        const std::string_view name(start, static_cast<std::size_t>(p - start));
        if (name.empty()) return fail(400, "empty header name");
        ++p;
        while (isOws(*p)) ++p;
        start = p;
        while (hasClass(*p, kFieldChar)) ++p;
        const char* end = p;
        while (end > start && isOws(end[-1])) --end;
        if (!isCrlf(p))
            return fail(400, *p == '\r' ? "bare CR" : "invalid character in header value");
        p += 2;
        const std::string_view value(start, static_cast<std::size_t>(end - start));
        request.headers[request.headerCount++] = HeaderField{name, value};

        // Fields that decide framing and connection handling, picked by length first.
        switch (name.size()) {
            case 4:
                if (equalsIgnoreCase(name, "host")) {
                    if (++hostCount > 1) return fail(400, "more than one Host");
                    if (!validHost(value)) return fail(400, "invalid Host");
                    if (!absoluteForm) request.host = value;
                }
                break;
            case 6:
                if (equalsIgnoreCase(name, "expect") && equalsIgnoreCase(value, "100-continue"))
                    request.expectContinue = true;
                break;
            case 10:
                if (equalsIgnoreCase(name, "connection")) {
                    forEachElement(value, [&](std::string_view token) {
                        if (equalsIgnoreCase(token, "close"))
                            close = true;
                        else if (equalsIgnoreCase(token, "keep-alive"))
                            keepAliveToken = true;
                        return true;
                    });
                }
                break;
            case 14:
                if (equalsIgnoreCase(name, "content-length")) {
                    const bool ok = forEachElement(value, [&](std::string_view element) {
                        std::int64_t n;
                        if (!parseDecimal(element, n) || (haveLength && n != length)) return false;
                        haveLength = true;
                        length = n;
                        return true;
                    });
                    if (!ok) return fail(400, "invalid or conflicting Content-Length");
                }
                break;
            case 17:
                if (equalsIgnoreCase(name, "transfer-encoding")) {
                    haveCoding = true;
                    forEachElement(value, [&](std::string_view coding) {
                        const std::string_view token = coding.substr(0, coding.find(';'));
                        const std::string_view bare = trimOws(token);
                        if (bare.empty() || !allOf(bare, kTchar)) {
                            badCoding = true;
                            return false;
                        }
                        // Parameters make it a coding we do not implement, even on "chunked".
                        lastIsChunked =
                            token.size() == coding.size() && equalsIgnoreCase(bare, "chunked");
                        if (lastIsChunked)
                            ++chunkedCount;
                        else
                            unknownCoding = true;
                        return true;
                    });
                }
                break;
        }
    }

    if (request.versionMinor == 1 && hostCount == 0) return fail(400, "missing Host");
    if (haveCoding) {
        if (request.versionMinor == 0) return fail(400, "Transfer-Encoding on HTTP/1.0");
        if (haveLength) return fail(400, "Content-Length with Transfer-Encoding");
        if (badCoding) return fail(400, "invalid Transfer-Encoding");
        if (chunkedCount > 1) return fail(400, "chunked applied more than once");
        if (chunkedCount == 1 && !lastIsChunked)
            return fail(400, "chunked is not the final coding");
        if (unknownCoding) return fail(501, "unsupported transfer coding");
        request.chunked = true;
    } else {
        request.contentLength = length;
    }
    request.keepAlive = request.versionMinor == 1 ? !close : keepAliveToken && !close;
    if (request.versionMinor == 0) request.expectContinue = false;  // RFC 9110 §10.1.1
    return Status::Complete;
}

}  // namespace gateway
