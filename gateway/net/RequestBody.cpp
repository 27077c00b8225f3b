#include "gateway/net/RequestBody.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "gateway/obs/Metrics.h"

namespace gateway {
namespace {

/// An unnamed file that disappears with its descriptor: O_TMPFILE in $TMPDIR (or /tmp), so a
/// large upload lands on disk rather than in memory; memfd where O_TMPFILE is not supported.
int openTemporaryFile() {
    const char* dir = std::getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    const int fd = ::open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    return ::memfd_create("gateway-request-body", MFD_CLOEXEC);
}

bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

RequestBody::~RequestBody() {
    clear();
}

void RequestBody::start(const Request& request, std::uint64_t limit, bool store,
                        std::size_t memoryLimit, std::int64_t nowMs) {
    clear();
    _chunked = request.chunked;
    _store = store;
    _limit = limit;
    _memoryLimit = memoryLimit;
    _startedMs = nowMs;
    _size = 0;
    _readOffset = 0;
    _errorStatus = 0;
    _errorReason = "";
    _remaining = request.chunked ? 0 : static_cast<std::uint64_t>(request.contentLength);
    if (_chunked) _decoder.reset(limit);
    // A Content-Length body that fits gets one allocation of its size; one that does not goes
    // to the file from its first byte.
    _inMemory = _chunked || _remaining <= memoryLimit;
    _counted = _store;  // a buffered body counts in the metrics until clear()
    if (_counted) Metrics::bodyStarted();
    if (store && !_chunked && _inMemory && _remaining > 0) {
        _memoryCapacity = static_cast<std::size_t>(_remaining);
        _memory = std::make_unique_for_overwrite<char[]>(_memoryCapacity);
    }
    _status = Status::NeedMore;
    if (!_chunked && _remaining == 0) _status = Status::Done;
}

RequestBody::Status RequestBody::fail(int status, const char* reason) {
    _errorStatus = status;
    _errorReason = reason;
    return _status = Status::Error;
}

RequestBody::Status RequestBody::feed(std::string_view input, std::size_t& used) {
    used = 0;
    if (_status != Status::NeedMore) return _status;
    if (!_chunked) {
        const std::size_t take =
            static_cast<std::size_t>(std::min<std::uint64_t>(_remaining, input.size()));
        if (!append(input.substr(0, take))) return _status;
        used = take;
        _remaining -= take;
        if (_remaining == 0) _status = Status::Done;
        return _status;
    }
    while (used < input.size()) {
        std::size_t step = 0;
        std::string_view data;
        const auto status = _decoder.next(input.substr(used), step, data);
        used += step;
        switch (status) {
            case ChunkedDecoder::Status::Data:
                if (!append(data)) return _status;
                break;
            case ChunkedDecoder::Status::Done:
                return _status = Status::Done;
            case ChunkedDecoder::Status::NeedMore:
                return _status;
            case ChunkedDecoder::Status::Error:
                return _decoder.errorStatus() == 413
                           ? fail(413, "request body larger than the limit")
                           : fail(400, "malformed chunked request body");
        }
    }
    return _status;
}

std::span<char> RequestBody::space() {
    if (_status != Status::NeedMore || _chunked || !_store || !_inMemory) return {};
    return {_memory.get() + _size, static_cast<std::size_t>(_remaining)};
}

RequestBody::Status RequestBody::commit(std::size_t bytes) {
    _size += bytes;
    Metrics::bodyStored(bytes);  // space() is offered only for stored bodies
    _remaining -= bytes;
    if (_remaining == 0) _status = Status::Done;
    return _status;
}

bool RequestBody::append(std::string_view data) {
    const std::uint64_t stored = _size;
    _size += data.size();
    if (!_store || data.empty()) return true;
    Metrics::bodyStored(data.size());
    if (_inMemory && _size <= _memoryLimit) {
        if (_size > _memoryCapacity) {  // a chunked body: grow by doubling, up to the limit
            const std::size_t grown = std::min<std::size_t>(
                std::max<std::size_t>({_memoryCapacity * 2, _size, 16 * 1024}), _memoryLimit);
            auto bigger = std::make_unique_for_overwrite<char[]>(grown);
            if (stored > 0) std::memcpy(bigger.get(), _memory.get(), stored);
            _memory = std::move(bigger);
            _memoryCapacity = grown;
        }
        std::memcpy(_memory.get() + stored, data.data(), data.size());
        return true;
    }
    if (_file < 0) {
        _file = openTemporaryFile();
        if (_file < 0 || !writeAll(_file, _memory.get(), stored)) {
            fail(500, "cannot create a temporary file for the request body");
            return false;
        }
        _memory.reset();
        _memoryCapacity = 0;
        _inMemory = false;
    }
    if (!writeAll(_file, data.data(), data.size())) {
        fail(500, "cannot write the request body to its temporary file");
        return false;
    }
    return true;
}

std::ptrdiff_t RequestBody::read(void* buffer, std::size_t capacity) {
    const std::uint64_t left = _store ? _size - _readOffset : 0;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, left));
    if (want == 0) return 0;
    if (_file < 0) {
        std::memcpy(buffer, _memory.get() + _readOffset, want);
        _readOffset += want;
        return static_cast<std::ptrdiff_t>(want);
    }
    for (;;) {
        const ssize_t n = ::pread(_file, buffer, want, static_cast<off_t>(_readOffset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        _readOffset += static_cast<std::uint64_t>(n);
        return n;
    }
}

void RequestBody::clear() {
    if (std::exchange(_counted, false)) Metrics::bodyReleased(_size);
    if (_file >= 0) ::close(_file);
    _file = -1;
    _memory.reset();
    _memoryCapacity = 0;
    _size = _readOffset = 0;
    _status = Status::Done;
}

}  // namespace gateway
