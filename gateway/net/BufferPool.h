#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace gateway {

/// Fixed-size read buffers handed to connections only while they hold unparsed bytes, so an idle
/// keep-alive connection owns no buffer at all (what keeps 10,000 idle connections cheap).
class BufferPool {
public:
    BufferPool(std::size_t bufferSize, std::size_t maxIdle)
        : _bufferSize(bufferSize), _maxIdle(maxIdle) {}

    std::size_t bufferSize() const { return _bufferSize; }

    std::unique_ptr<char[]> acquire() {
        if (_idle.empty()) return std::make_unique_for_overwrite<char[]>(_bufferSize);
        std::unique_ptr<char[]> buffer = std::move(_idle.back());
        _idle.pop_back();
        return buffer;
    }

    void release(std::unique_ptr<char[]> buffer) {
        if (_idle.size() < _maxIdle) _idle.push_back(std::move(buffer));
    }

private:
    std::size_t _bufferSize;
    std::size_t _maxIdle;
    std::vector<std::unique_ptr<char[]>> _idle;
};

}  // namespace gateway
