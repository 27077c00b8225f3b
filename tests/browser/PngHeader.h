#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gateway::test {

/// The image header of a PNG file: the 8-byte signature followed by an IHDR chunk first
/// (PNG spec §5.2, §11.2.2). Only the header is read; the picture itself is not decoded.
struct PngHeader {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uint8_t bitDepth = 0;
    std::uint8_t colourType = 0;

    /// Parses the start of a PNG file; nullopt when the signature or IHDR chunk is missing.
    static std::optional<PngHeader> parse(std::string_view bytes);
};

}  // namespace gateway::test
