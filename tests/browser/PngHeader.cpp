#include "tests/browser/PngHeader.h"

namespace gateway::test {

namespace {

constexpr std::string_view kSignature{"\x89PNG\r\n\x1a\n", 8};

std::uint32_t bigEndian32(std::string_view bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    }
    return value;
}

}  // namespace

std::optional<PngHeader> PngHeader::parse(std::string_view bytes) {
    // signature (8) + length (4) + "IHDR" (4) + 13 data bytes + CRC (4)
    if (bytes.size() < 33 || bytes.substr(0, 8) != kSignature) return std::nullopt;
    if (bigEndian32(bytes, 8) != 13 || bytes.substr(12, 4) != "IHDR") return std::nullopt;
    PngHeader header;
    header.width = bigEndian32(bytes, 16);
    header.height = bigEndian32(bytes, 20);
    header.bitDepth = static_cast<std::uint8_t>(bytes[24]);
    header.colourType = static_cast<std::uint8_t>(bytes[25]);
    return header;
}

}  // namespace gateway::test
