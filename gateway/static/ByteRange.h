#pragma once

#include <cstdint>
#include <string_view>

namespace gateway {

/// A Range header (RFC 9110 §14) reduced to what a single-part server does with it.
struct ByteRange {
    enum class Kind : unsigned char {
        Ignore,         ///< absent, invalid syntax, another unit, or several ranges → 200
        Satisfiable,    ///< one range inside the representation → 206
        Unsatisfiable,  ///< one range entirely past the end → 416 with "bytes */size"
    };

    Kind kind = Kind::Ignore;
    std::uint64_t first = 0;   ///< first byte offset (Satisfiable)
    std::uint64_t length = 0;  ///< number of bytes (Satisfiable, never 0)

    std::uint64_t last() const noexcept { return first + length - 1; }

    /// Parses "bytes=a-b", "bytes=a-" or "bytes=-n" against a representation of `size` bytes.
    /// Several ranges are answered with the whole representation (allowed by §14.2).
    static ByteRange parse(std::string_view header, std::uint64_t size) noexcept;
};

}  // namespace gateway
