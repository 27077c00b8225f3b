#include "gateway/http/ChunkedDecoder.h"

#include <string>
#include <string_view>
#include <vector>

#include "FuzzTargets.h"

namespace gateway::fuzz {

namespace {

struct Decoded {
    ChunkedDecoder::Status status = ChunkedDecoder::Status::NeedMore;
    int errorStatus = 0;
    std::string body;
    std::size_t consumed = 0;

    bool operator==(const Decoded&) const = default;
};

/// Feeds `input` in pieces of at most `step` bytes (0: whole) and checks every call's contract.
Decoded decode(std::string_view input, std::size_t step, std::uint64_t maxBody) {
    ChunkedDecoder decoder(maxBody);
    Decoded d;
    std::size_t offset = 0;
    while (offset < input.size()) {
        const std::size_t n =
            step == 0 ? input.size() - offset : std::min(step, input.size() - offset);
        std::string_view piece = input.substr(offset, n);
        offset += n;
        for (;;) {
            std::size_t used = 0;
            std::string_view data;
            const ChunkedDecoder::Status s = decoder.next(piece, used, data);
            GATEWAY_FUZZ_CHECK(used <= piece.size());
            if (s == ChunkedDecoder::Status::Data) {
                GATEWAY_FUZZ_CHECK(!data.empty() && used > 0);
                GATEWAY_FUZZ_CHECK(data.data() >= piece.data() &&
                                   data.data() + data.size() <= piece.data() + used);
                d.body.append(data);
                d.consumed += used;
                GATEWAY_FUZZ_CHECK(decoder.bodySize() == d.body.size());
                GATEWAY_FUZZ_CHECK(d.body.size() <= maxBody);
                piece.remove_prefix(used);
                continue;
            }
            if (s == ChunkedDecoder::Status::NeedMore) {
                GATEWAY_FUZZ_CHECK(used == piece.size());
                d.consumed += used;
                break;
            }
            d.status = s;
            if (s == ChunkedDecoder::Status::Error) {
                d.errorStatus = decoder.errorStatus();
                GATEWAY_FUZZ_CHECK(d.errorStatus == 400 || d.errorStatus == 413);
                d.consumed = 0;
            } else {
                d.consumed += used;
            }
            return d;
        }
    }
    return d;
}

}  // namespace

int chunkedDecoder(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte picks the body limit and where to split the rest.
    const std::uint8_t control = data[0];
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::uint64_t maxBody = (control & 1) ? 64 : UINT64_MAX;
    const std::size_t step = (control >> 1) % 16 + 1;

    const Decoded whole = decode(input, 0, maxBody);
    GATEWAY_FUZZ_CHECK(decode(input, step, maxBody) == whole);
    GATEWAY_FUZZ_CHECK(decode(input, 1, maxBody) == whole);
    return 0;
}

}  // namespace gateway::fuzz

#ifdef GATEWAY_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return gateway::fuzz::chunkedDecoder(data, size);
}
#endif
