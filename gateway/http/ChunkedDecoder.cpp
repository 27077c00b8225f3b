#include "gateway/http/ChunkedDecoder.h"

#include <iterator>

#include "gateway/http/Lexer.h"

namespace gateway {

namespace {

// RFC 9112 §7.1:
//   chunked-body = *chunk last-chunk trailer-section CRLF
//   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//   chunk-ext    = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
// Line ends must be exactly CRLF here: a lone LF or CR in body framing is a smuggling vector.
enum State : int {
    kSizeStart,     // first hex digit of chunk-size
    kSizeDigits,    // more hex digits
    kBws,           // whitespace that must lead to ';'
    kExtNameStart,  // after ';' (and BWS)
    kExtName,
    kExtAfterName,   // BWS after a name: '=' or ';'
    kExtValueStart,  // after '=' (and BWS)
    kExtToken,
    kExtQuoted,
    kExtQuotedPair,
    kExtAfterQuoted,
    kSizeLf,  // CR of the size line seen
    kData,
    kDataCr,
    kDataLf,
    kTrailerStart,  // start of a trailer line, or the final CRLF
    kTrailerName,
    kTrailerValue,
    kTrailerLf,
    kEndLf,
    kDone,
    kError,
};

constexpr std::size_t kMaxSizeLine = 4 * 1024;       // size + extensions
constexpr std::size_t kMaxTrailerBytes = 16 * 1024;  // whole trailer section
constexpr unsigned kMaxSizeDigits = 16;              // 16 hex digits always fit in 64 bits

/// Chunk sizes above this are not a body size (the same bound as Content-Length's int64).
constexpr std::uint64_t kMaxChunkSize = static_cast<std::uint64_t>(INT64_MAX);

/// Fields that must never come as trailers (RFC 9110 §6.5.1): framing, routing and how the
/// content is to be processed, as a recipient that merged trailers into the header section would
/// read them. Lower case; at most 8 (a bit each in _trailerCandidates).
constexpr std::string_view kForbiddenTrailers[] = {
    "content-length", "transfer-encoding", "host",
    "content-type",   "content-encoding",  "content-range",
};
static_assert(std::size(kForbiddenTrailers) <= 8);
constexpr std::uint8_t kAllTrailerCandidates = (1u << std::size(kForbiddenTrailers)) - 1;

/// qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
inline bool isQdtext(char c) {
    return isFieldChar(c) && c != '"' && c != '\\';
}

}  // namespace

void ChunkedDecoder::reset(std::uint64_t maxBodySize) {
    *this = ChunkedDecoder(maxBodySize);
}

ChunkedDecoder::Status ChunkedDecoder::fail(int status, std::size_t at, std::size_t& consumed) {
    _state = kError;
    _errorStatus = status;
    consumed = at;
    return Status::Error;
}

// The name of the trailer field being read is matched against kForbiddenTrailers a byte at a
// time (it may arrive split across calls): one bit per name still possible.
void ChunkedDecoder::matchTrailerName(char c) {
    if (_trailerCandidates == 0) return;
    const char lower = toLowerAscii(c);
    for (std::size_t k = 0; k < std::size(kForbiddenTrailers); ++k) {
        const std::string_view name = kForbiddenTrailers[k];
        if (_trailerNameLength >= name.size() || name[_trailerNameLength] != lower)
            _trailerCandidates &= static_cast<std::uint8_t>(~(1u << k));
    }
    ++_trailerNameLength;
}

bool ChunkedDecoder::forbiddenTrailer() const {
    for (std::size_t k = 0; k < std::size(kForbiddenTrailers); ++k)
        if ((_trailerCandidates >> k & 1u) && kForbiddenTrailers[k].size() == _trailerNameLength)
            return true;
    return false;
}

ChunkedDecoder::Status ChunkedDecoder::next(std::string_view input, std::size_t& consumed,
                                            std::string_view& data) {
    consumed = 0;
    data = {};
    if (_state == kDone) return Status::Done;
    if (_state == kError) return Status::Error;

    const std::size_t n = input.size();
    std::size_t i = 0;
    while (i < n) {
        if (_state == kData) {
            const std::size_t left = n - i;
            const std::size_t take =
                _chunkRemaining < left ? static_cast<std::size_t>(_chunkRemaining) : left;
            data = input.substr(i, take);
            i += take;
            _chunkRemaining -= take;
            _total += take;
            if (_chunkRemaining == 0) _state = kDataCr;
            consumed = i;
            return Status::Data;
        }

        const char c = input[i++];
        if (_state <= kSizeLf && ++_lineLength > kMaxSizeLine) return fail(400, i, consumed);
        if (_state >= kTrailerStart && ++_trailerBytes > kMaxTrailerBytes)
            return fail(400, i, consumed);

        switch (_state) {
            case kSizeStart:
                _chunkRemaining = 0;
                _sizeDigits = 0;
                _state = kSizeDigits;
                [[fallthrough]];
            case kSizeDigits:
            case kExtToken:
            case kExtAfterQuoted:
                if (_state == kSizeDigits) {
                    const int h = hexValue(c);
                    if (h >= 0) {
                        if (++_sizeDigits > kMaxSizeDigits) return fail(400, i, consumed);
                        _chunkRemaining = (_chunkRemaining << 4) | static_cast<unsigned>(h);
                        // Digits only ever make the size larger: fail on the digit that breaks
                        // a bound, not after a size line that may never end.
                        if (_chunkRemaining > _maxBody - _total) return fail(413, i, consumed);
                        if (_chunkRemaining > kMaxChunkSize) return fail(400, i, consumed);
                        break;
                    }
                    if (_sizeDigits == 0) return fail(400, i, consumed);  // no digit at all
                } else if (_state == kExtToken && isTchar(c)) {
                    break;
                }
                if (c == ';')
                    _state = kExtNameStart;
                else if (isOws(c))
                    _state = kBws;
                else if (c == '\r')
                    _state = kSizeLf;
                else
                    return fail(400, i, consumed);
                break;
            case kBws:
                if (c == ';')
                    _state = kExtNameStart;
                else if (!isOws(c))
                    return fail(400, i, consumed);
                break;
            case kExtNameStart:
                if (isTchar(c))
                    _state = kExtName;
                else if (!isOws(c))
                    return fail(400, i, consumed);
                break;
            case kExtName:
                if (isTchar(c)) break;
                if (c == '=')
                    _state = kExtValueStart;
                else if (c == ';')
                    _state = kExtNameStart;
                else if (isOws(c))
                    _state = kExtAfterName;
                else if (c == '\r')
                    _state = kSizeLf;
                else
                    return fail(400, i, consumed);
                break;
            case kExtAfterName:
                if (c == '=')
                    _state = kExtValueStart;
                else if (c == ';')
                    _state = kExtNameStart;
                else if (!isOws(c))
                    return fail(400, i, consumed);
                break;
            case kExtValueStart:
                if (c == '"')
                    _state = kExtQuoted;
                else if (isTchar(c))
                    _state = kExtToken;
                else if (!isOws(c))
                    return fail(400, i, consumed);
                break;
            case kExtQuoted:
                if (c == '"')
                    _state = kExtAfterQuoted;
                else if (c == '\\')
                    _state = kExtQuotedPair;
                else if (!isQdtext(c))
                    return fail(400, i, consumed);
                break;
            case kExtQuotedPair:
                if (!isFieldChar(c)) return fail(400, i, consumed);
                _state = kExtQuoted;
                break;
            case kSizeLf:
                if (c != '\n') return fail(400, i, consumed);
                _state = _chunkRemaining == 0 ? kTrailerStart : kData;
                break;
            case kDataCr:
                if (c != '\r') return fail(400, i, consumed);
                _state = kDataLf;
                break;
            case kDataLf:
                if (c != '\n') return fail(400, i, consumed);
                _state = kSizeStart;
                _lineLength = 0;
                break;
            case kTrailerStart:
                if (c == '\r') {
                    _state = kEndLf;
                    break;
                }
                if (!isTchar(c)) return fail(400, i, consumed);  // obs-fold, bare LF, junk
                _state = kTrailerName;
                _trailerCandidates = kAllTrailerCandidates;
                _trailerNameLength = 0;
                [[fallthrough]];
            case kTrailerName:
                if (c == ':') {
                    if (forbiddenTrailer()) return fail(400, i, consumed);
                    _state = kTrailerValue;
                } else if (isTchar(c)) {
                    matchTrailerName(c);
                } else {
                    return fail(400, i, consumed);
                }
                break;
            case kTrailerValue:
                if (c == '\r')
                    _state = kTrailerLf;
                else if (!isFieldChar(c))
                    return fail(400, i, consumed);
                break;
            case kTrailerLf:
                if (c != '\n') return fail(400, i, consumed);
                _state = kTrailerStart;
                break;
            case kEndLf:
                if (c != '\n') return fail(400, i, consumed);
                _state = kDone;
                consumed = i;
                return Status::Done;
            default:
                return fail(400, i, consumed);
        }
    }
    consumed = n;
    return Status::NeedMore;
}

}  // namespace gateway
