#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/gateway.h"

namespace gateway {

/// One request's response as the app drives it: start_response() (validated by HeaderPolicy and
/// copied), write(), the pulled body, and what the host does with call()'s result (SPEC sections
/// 5-7). Pure: it sends nothing, it tells the host what to send and records lint findings.
/// Reused per request: reset() keeps the buffers' capacity.
class ResponseState {
public:
    struct Finding {
        std::string_view code;  ///< "GW-L002"
        std::string detail;
    };

    /// What the host does after call() returned.
    struct Verdict {
        enum class Kind : std::uint8_t {
            Respond,  ///< send the started response and pull the body
            Decline,  ///< fall through to the next mount / static files
            Fail,     ///< before the first byte: send `status` (0 = send nothing, close)
            Abort,    ///< after the first byte: close the connection
        };
        Kind kind = Kind::Respond;
        int status = 0;             ///< Fail: 500, 413, 400, 408, 504; 0 = client gone
        bool logError = false;      ///< an ERROR line is due (else INFO/DEBUG)
        std::int32_t code = GW_OK;  ///< the effective error code (unknown negatives: GW_E_APP)
    };

    /// `headRequest`: the client asked with HEAD (no body bytes go out).
    void reset(bool headRequest);

    // --- start_response / write -----------------------------------------------------------
    /// GW_E_STATE when `fromBody` (called from next()/close()), after the first body byte was
    /// admitted or the head committed, or when started already and GW_RESPONSE_REPLACE is not set.
    std::int32_t startResponse(std::uint32_t status, gw_str reason, const gw_header* headers,
                               std::size_t count, std::uint32_t flags, bool fromBody);
    /// Admits `len` body bytes from write(): GW_OK with `allowed` (clipped to the app's
    /// Content-Length; fewer means the excess is dropped and the connection must close), or
    /// GW_E_STATE (outside call(), before start_response()).
    std::int32_t admitWrite(std::size_t len, bool inCall, std::size_t& allowed);
    /// Admits send_file()'s `length` bytes as the whole body (ABI 1.1): GW_E_STATE outside
    /// call(), before start_response(), after write() or a file; GW_E_INVAL when the app's
    /// Content-Length differs. On GW_OK the Content-Length is `length` and the body is complete.
    std::int32_t admitFile(std::uint64_t length, bool inCall);
    /// send_file() queued a file: it is the body (next() is not pulled).
    bool fileQueued() const noexcept { return _file; }
    /// Admits a chunk from next(): how many bytes of `len` may go out (Content-Length clipping).
    std::size_t admitChunk(std::size_t len);
    /// Checks next()'s result and chunk. Returns the effective code: GW_OK, GW_BODY_END, or a
    /// negative error (invalid codes and NULL chunks become GW_E_APP with a finding).
    std::int32_t checkNext(std::int32_t rc, gw_str chunk);
    /// The head is committed to the connection (first byte).
    void commit() { _committed = true; }
    /// The body is complete: checks the sent length against the app's Content-Length.
    /// Returns false when the connection must close (short or long body).
    bool finish();

    // --- call() outcome -----------------------------------------------------------------------
    /// Classifies call()'s result per the SPEC outcome table. `bodyFilled`: body_out was set;
    /// `bodyRead`: read_body() was used; `inputError`: a sticky read_body() error (GW_OK if none).
    Verdict afterCall(std::int32_t rc, bool bodyFilled, bool bodyRead, std::int32_t inputError);

    // --- the response as started --------------------------------------------------------------
    bool started() const noexcept { return _started; }
    bool committed() const noexcept { return _committed; }
    bool usedWrite() const noexcept { return _usedWrite; }
    int status() const noexcept { return _status; }
    std::string_view reason() const noexcept { return _reason; }
    std::string_view headerLines() const noexcept { return _lines; }
    std::int64_t contentLength() const noexcept { return _contentLength; }
    bool closeRequested() const noexcept { return _close; }
    /// HEAD, 204 and 304: no body bytes are sent and next() is not called.
    bool bodyWithheld() const noexcept { return _head || _status == 204 || _status == 304; }
    std::uint64_t bodyBytes() const noexcept { return _sent; }
    /// The excess of a body longer than its Content-Length was dropped.
    bool overran() const noexcept { return _overran; }

    const std::vector<Finding>& findings() const noexcept { return _findings; }
    void lint(std::string_view code, std::string detail);
    /// A detail message for an error log from the last rejected start_response(), if any.
    const std::string& lastRejection() const noexcept { return _lastRejection; }

private:
    bool _head = false;
    bool _started = false;
    bool _committed = false;
    bool _usedWrite = false;
    bool _close = false;
    bool _overran = false;
    bool _file = false;
    int _status = 0;
    std::int64_t _contentLength = -1;
    std::uint64_t _sent = 0;
    std::string _reason;
    std::string _lines;
    std::string _lastRejection;
    std::vector<Finding> _findings;
};

}  // namespace gateway
