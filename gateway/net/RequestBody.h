#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "gateway/http/ChunkedDecoder.h"
#include "gateway/http/Request.h"

namespace gateway {

/// A request body read by the event loop before its handler runs (request buffering, as nginx
/// does for proxied requests): the loop feeds it whatever arrives, without blocking; it
/// de-chunks, enforces the size limit, and keeps the bytes in memory up to a limit (the
/// server's --body-buffer-size), beyond that in an anonymous temporary file. The handler's pool
/// thread then reads the stored bytes, so no pool thread ever waits for a slow client. With `store`
/// off the bytes are only framed and counted (a body nobody reads: its framing must still be
/// valid).
class RequestBody {
public:
    enum class Status : std::uint8_t { NeedMore, Done, Error };

    RequestBody() = default;
    ~RequestBody();
    RequestBody(const RequestBody&) = delete;
    RequestBody& operator=(const RequestBody&) = delete;

    /// Start a body framed as `request` says (Content-Length or chunked), at most `limit` bytes
    /// (a Content-Length over the limit is the caller's 413, before it starts), stored in memory
    /// up to `memoryLimit` bytes. `nowMs`: when it started (for the minimum rate).
    void start(const Request& request, std::uint64_t limit, bool store, std::size_t memoryLimit,
               std::int64_t nowMs = 0);
    std::int64_t startedMs() const { return _startedMs; }

    /// Consume body bytes from `input`; `used` says how many (fewer than offered only at Done:
    /// the rest is the next request).
    Status feed(std::string_view input, std::size_t& used);

    /// After Error: 400 (broken framing), 413 (over the limit) or 500 (no temporary file).
    int errorStatus() const { return _errorStatus; }
    /// After Error: what was wrong, for the log.
    const char* errorReason() const { return _errorReason; }
    bool done() const { return _status == Status::Done; }
    /// Decoded bytes received so far.
    std::uint64_t size() const { return _size; }
    /// Content-Length bytes still to come (0 for a chunked body, whose length is unknown).
    std::uint64_t lengthLeft() const { return _status == Status::NeedMore ? _remaining : 0; }

    /// Where the rest of a Content-Length body kept in memory goes, for reading it from the
    /// socket without a copy; empty for other bodies (feed() them). commit() what was read.
    std::span<char> space();
    Status commit(std::size_t bytes);

    /// Pool thread, after Done: copy up to `capacity` stored bytes; 0 at the end (at once when
    /// nothing was stored); -1 when the temporary file cannot be read.
    std::ptrdiff_t read(void* buffer, std::size_t capacity);

    /// Release memory and the temporary file.
    void clear();

private:
    Status fail(int status, const char* reason);
    bool append(std::string_view data);

    ChunkedDecoder _decoder;
    bool _chunked = false;
    bool _store = false;
    bool _counted = false;  ///< counted by Metrics::bodyStarted, not yet released
    Status _status = Status::Done;
    std::uint64_t _remaining = 0;  ///< Content-Length bytes still to come
    std::uint64_t _limit = 0;
    std::int64_t _startedMs = 0;
    std::uint64_t _size = 0;
    std::uint64_t _readOffset = 0;
    std::unique_ptr<char[]> _memory;  ///< _size bytes used while in memory
    std::size_t _memoryCapacity = 0;
    std::size_t _memoryLimit = 0;
    bool _inMemory = true;  ///< bytes go to _memory, else to _file
    int _file = -1;         ///< the temporary file, once the body outgrew the memory limit
    int _errorStatus = 0;
    const char* _errorReason = "";
};

}  // namespace gateway
