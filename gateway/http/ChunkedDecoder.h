#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gateway {

/// Incremental decoder for a chunked request body (RFC 9112 §7.1): chunk extensions are parsed
/// and ignored, trailer fields are parsed and discarded (never exposed), except those that must
/// never be trailers (Content-Length, Transfer-Encoding, Host, ...: 400). Line ends are CRLF
/// only. A chunk size is rejected on the digit that puts it over the limit (413) or past 16 hex
/// digits or INT64_MAX (400). Zero-copy: data comes back as views into the input.
class ChunkedDecoder {
public:
    enum class Status {
        NeedMore,  ///< all of the input was consumed; feed more bytes
        Data,      ///< `data` holds body bytes (a view into the input)
        Done,      ///< the last chunk and trailers were consumed
        Error,     ///< malformed (400) or over the size limit (413): see errorStatus()
    };

    explicit ChunkedDecoder(std::uint64_t maxBodySize = UINT64_MAX) : _maxBody(maxBodySize) {}

    /// Consume from `input`, setting `consumed` to how many bytes were used. Call repeatedly with
    /// the remaining input until NeedMore, Done or Error.
    Status next(std::string_view input, std::size_t& consumed, std::string_view& data);

    std::uint64_t bodySize() const { return _total; }  ///< decoded bytes so far
    int errorStatus() const { return _errorStatus; }
    void reset(std::uint64_t maxBodySize = UINT64_MAX);

private:
    Status fail(int status, std::size_t at, std::size_t& consumed);
    void matchTrailerName(char c);
    bool forbiddenTrailer() const;

    // A byte-at-a-time state machine for the framing (size lines, CRLFs, trailers), so no input
    // byte is ever buffered or re-read; chunk data is handed out as views. States are in the .cpp.
    int _state = 0;
    std::uint64_t _chunkRemaining = 0;  ///< size being read, then data bytes left in the chunk
    std::uint64_t _total = 0;
    std::uint64_t _maxBody;
    std::size_t _lineLength = 0;    ///< bounds size lines (with extensions)
    std::size_t _trailerBytes = 0;  ///< bounds the trailer section
    int _errorStatus = 0;
    unsigned _sizeDigits = 0;
    std::uint8_t _trailerCandidates = 0;  ///< forbidden trailer names the current one may be
    std::uint8_t _trailerNameLength = 0;  ///< bytes matched (stops counting once none may be)
};

}  // namespace gateway
