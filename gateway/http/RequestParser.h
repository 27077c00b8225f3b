#pragma once

#include <cstddef>
#include <string_view>

#include "gateway/http/Request.h"

namespace gateway {

/// Limits the parser enforces; their defaults are the settings' (gateway/config/SettingsTable.cpp).
struct ParserLimits {
    std::size_t maxRequestLine;  ///< longer → 414
    std::size_t maxHeaderBytes;  ///< whole header section larger → 431
    std::size_t maxHeaderCount;  ///< more fields → 431
};

/// The limits out of anything that has them under these names: Settings. (http/ and config/ are
/// one layer, so http/ names no Settings; the caller instantiates this with its own.)
template <typename WithLimits>
ParserLimits parserLimitsOf(const WithLimits& source) {
    return {source.maxRequestLine, source.maxHeaderBytes, source.maxHeaderCount};
}

/// Incremental, zero-copy HTTP/1.1 request-head parser (RFC 9112), strict where ambiguity could
/// smuggle a request. Feed it the connection's unconsumed bytes, from the start of the request,
/// each time more arrive; it remembers how far it already scanned, so byte-by-byte input costs
/// O(n) overall. On Complete, `request` holds views into `data` and consumed() is the size of the
/// head (request line + fields + empty line); the body, if any, follows. Lines end with CRLF
/// only: a bare LF fails (400) as soon as it arrives; a bare CR (never part of any token, target
/// or value) when the head is complete, so no extra pass over the bytes is needed for it.
class RequestParser {
public:
    enum class Status { Incomplete, Complete, Error };

    explicit RequestParser(const ParserLimits& limits);

    Status parse(std::string_view data, Request& request);

    std::size_t consumed() const { return _consumed; }
    /// On Error: the status to answer with (400, 414, 431, 501, 505).
    int errorStatus() const { return _errorStatus; }
    /// On Error: a short static description for the log, e.g. "Content-Length with
    /// Transfer-Encoding".
    const char* errorReason() const { return _errorReason; }

    /// Forget progress; call before parsing the next request on the connection.
    void reset();

private:
    enum class State : unsigned char { Head, Complete, Error };

    Status fail(int status, const char* reason);
    /// Second phase, run once the whole head is buffered: grammar, fields, framing.
    Status parseHead(std::string_view data, Request& request);
    Status parseRequestLine(const char*& p, Request& request);
    Status parseTarget(Request& request);
    Status parseFields(const char* p, Request& request);

    // Offsets only, never pointers: the caller may hand over a moved (grown) buffer each time.
    ParserLimits _limits;
    std::size_t _scanned = 0;     ///< bytes already searched for a line end
    std::size_t _lineStart = 0;   ///< start of the line being scanned
    std::size_t _headStart = 0;   ///< start of the request line (after skipped empty lines)
    std::size_t _fieldLines = 0;  ///< complete field lines seen so far
    std::size_t _consumed = 0;
    unsigned _emptyLines = 0;  ///< empty lines skipped before the request line
    bool _haveRequestLine = false;
    State _state = State::Head;
    int _errorStatus = 0;
    const char* _errorReason = "";
};

}  // namespace gateway
