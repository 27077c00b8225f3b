#include "gateway/http/ChunkedDecoder.h"

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
            case kSizeStart: {
                const int h = hexValue(c);
                if (h < 0) return fail(400, i, consumed);
                _chunkRemaining = static_cast<unsigned>(h);
                _sizeDigits = 1;
                _state = kSizeDigits;
                break;
            }
            case kSizeDigits:
            case kExtToken:
            case kExtAfterQuoted:
                if (_state == kSizeDigits) {
                    const int h = hexValue(c);
                    if (h >= 0) {
                        if (++_sizeDigits > kMaxSizeDigits) return fail(400, i, consumed);
                        _chunkRemaining = (_chunkRemaining << 4) | static_cast<unsigned>(h);
                        break;
                    }
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
                if (_chunkRemaining == 0) {
                    _state = kTrailerStart;
                } else if (_chunkRemaining > _maxBody - _total) {
                    return fail(413, i, consumed);
                } else {
                    _state = kData;
                }
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
                if (c == '\r')
                    _state = kEndLf;
                else if (isTchar(c))
                    _state = kTrailerName;
                else
                    return fail(400, i, consumed);  // obs-fold, bare LF, junk
                break;
            case kTrailerName:
                if (c == ':')
                    _state = kTrailerValue;
                else if (!isTchar(c))
                    return fail(400, i, consumed);
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
