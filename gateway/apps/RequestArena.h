#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace gateway {

/// Request-scope memory for api->alloc(): bump allocation from blocks that are kept across
/// requests (reset() rewinds, it does not free), up to a per-request cap.
class RequestArena {
public:
    explicit RequestArena(std::size_t cap = 64 * 1024 * 1024) : _cap(cap) {}

    /// `n` bytes aligned for any type, or nullptr (n == 0, over the cap, out of memory).
    void* allocate(std::size_t n) noexcept;
    /// Forgets every allocation; keeps the first block for the next request.
    void reset() noexcept;
    std::size_t used() const noexcept { return _used; }

private:
    struct Block {
        std::unique_ptr<unsigned char[]> data;
        std::size_t size;
    };
    static constexpr std::size_t kBlockSize = 16 * 1024;

    std::vector<Block> _blocks;
    std::size_t _current = 0;  ///< index of the block being filled
    std::size_t _offset = 0;   ///< bytes used in it
    std::size_t _used = 0;     ///< bytes handed out this request
    std::size_t _cap;
};

}  // namespace gateway
