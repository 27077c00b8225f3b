#include "gateway/apps/RequestArena.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>

namespace gateway {
namespace {

constexpr std::size_t kAlign = alignof(std::max_align_t);

std::size_t alignUp(std::size_t n) {
    return (n + kAlign - 1) & ~(kAlign - 1);
}

}  // namespace

void* RequestArena::allocate(std::size_t n) noexcept {
    if (n == 0 || n > _cap || _used + n > _cap) return nullptr;
    const std::size_t size = alignUp(n);
    while (_current < _blocks.size()) {
        Block& block = _blocks[_current];
        if (block.size - _offset >= size) {
            void* result = block.data.get() + _offset;
            _offset += size;
            _used += n;
            return result;
        }
        ++_current;
        _offset = 0;
    }
    const std::size_t blockSize = std::max(size, kBlockSize);
    // operator new[] for unsigned char is aligned to __STDCPP_DEFAULT_NEW_ALIGNMENT__ (16).
    static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ >= kAlign);
    std::unique_ptr<unsigned char[]> data(new (std::nothrow) unsigned char[blockSize]);
    if (!data) return nullptr;
    try {
        _blocks.push_back({std::move(data), blockSize});
    } catch (...) {
        return nullptr;
    }
    _current = _blocks.size() - 1;
    _offset = size;
    _used += n;
    return _blocks.back().data.get();
}

void RequestArena::reset() noexcept {
    if (_blocks.size() > 1) {
        // Keep one block (the first); big one-off blocks go back to the system.
        _blocks.resize(1);
    }
    _current = 0;
    _offset = 0;
    _used = 0;
}

}  // namespace gateway
