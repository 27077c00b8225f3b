#pragma once

#include <cstdint>

#include "gateway/http/ChunkedDecoder.h"
#include "gateway/http/Request.h"

namespace gateway {

/// The part of the current request's body still unread on the socket: what a streaming pool
/// job reads, and what the event loop drains (or gives up on) after the response. One record
/// for both, so the keep-alive decision after a response reads the same state either way.
struct UnreadBody {
    bool chunked = false;
    bool chunkedDone = false;
    std::uint64_t bytes = 0;  ///< Content-Length bytes not yet read
    ChunkedDecoder decoder;   ///< state of a chunked body

    /// The body of `request` is all still to come; a chunked one may decode to `limit` bytes.
    void expect(const Request& request, std::uint64_t limit) {
        chunked = request.chunked;
        chunkedDone = false;
        bytes = request.chunked ? 0 : static_cast<std::uint64_t>(request.contentLength);
        if (chunked) decoder.reset(limit);
    }
    /// Bytes of the body may still arrive.
    bool pending() const { return chunked ? !chunkedDone : bytes > 0; }
    void reset() {
        chunked = chunkedDone = false;
        bytes = 0;
    }
};

/// Apache mod_reqtimeout's MinRate, the one rule for the loop and the pool: once a body has been
/// arriving for kMinRateGraceMs, its average rate must stay at or above `minRate` bytes per
/// second (0 = no minimum).
constexpr std::int64_t kMinRateGraceMs = 10000;
constexpr bool belowMinimumRate(std::uint64_t bytes, std::int64_t elapsedMs,
                                std::uint64_t minRate) {
    return minRate > 0 && elapsedMs > kMinRateGraceMs &&
           bytes * 1000 < minRate * static_cast<std::uint64_t>(elapsedMs);
}

}  // namespace gateway
