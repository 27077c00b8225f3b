// A request head followed by a chunked body, as a connection receives it: the parser finds the
// head, the ChunkedDecoder frames the body that follows, and whatever comes after the body is the
// next (pipelined) request. Properties: decoded size == the sum of the Data views; nothing is
// consumed past the input; every way of splitting the bytes into reads gives the same result
// (including the offset of an error); a body encoded from chunk sizes alone decodes back exactly,
// whatever its data looks like, and the request after it is found.

#include <iterator>
#include <string>
#include <string_view>

#include "FuzzInput.h"
#include "FuzzTargets.h"
#include "gateway/config/Settings.h"
#include "gateway/http/ChunkedDecoder.h"
#include "gateway/http/RequestParser.h"

namespace gateway::fuzz {

namespace {

constexpr std::uint64_t kSmallBody = 64;
constexpr std::uint64_t kLargeBody = 1 << 20;
const ParserLimits kDefaultLimits = parserLimitsOf(Settings{});

/// Everything observable about one request on the wire; offsets are from the start of the input.
struct Outcome {
    RequestParser::Status head = RequestParser::Status::Incomplete;
    int headError = 0;
    std::size_t headSize = 0;
    bool chunked = false;
    ChunkedDecoder::Status body = ChunkedDecoder::Status::NeedMore;
    int bodyError = 0;
    std::size_t bodyEnd = 0;  ///< Done: first byte after the body; Error: just past the bad byte
    std::string decoded;

    bool operator==(const Outcome&) const = default;
};

bool within(std::string_view part, std::string_view whole) {
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

/// Runs the decoder over `buffer` from `pos` until it needs more bytes or stops. Returns true when
/// it stopped (Done or Error), with `out` filled in.
bool decodeBuffered(ChunkedDecoder& decoder, std::string_view buffer, std::size_t& pos,
                    std::uint64_t maxBody, Outcome& out) {
    for (;;) {
        const std::string_view available = buffer.substr(pos);
        std::size_t used = 0;
        std::string_view data;
        const ChunkedDecoder::Status status = decoder.next(available, used, data);
        GATEWAY_FUZZ_CHECK(used <= available.size());
        pos += used;
        switch (status) {
            case ChunkedDecoder::Status::Data:
                GATEWAY_FUZZ_CHECK(!data.empty() && within(data, available.substr(0, used)));
                out.decoded.append(data);
                GATEWAY_FUZZ_CHECK(decoder.bodySize() == out.decoded.size());
                GATEWAY_FUZZ_CHECK(decoder.bodySize() <= maxBody);
                continue;
            case ChunkedDecoder::Status::NeedMore:
                GATEWAY_FUZZ_CHECK(used == available.size() && data.empty());
                return false;
            case ChunkedDecoder::Status::Done:
            case ChunkedDecoder::Status::Error:
                GATEWAY_FUZZ_CHECK(data.empty());
                out.body = status;
                out.bodyEnd = pos;
                if (status == ChunkedDecoder::Status::Error) {
                    out.bodyError = decoder.errorStatus();
                    GATEWAY_FUZZ_CHECK(out.bodyError == 400 || out.bodyError == 413);
                }
                {  // A stopped decoder stays stopped and consumes nothing more.
                    std::size_t again = 1;
                    std::string_view none;
                    GATEWAY_FUZZ_CHECK(decoder.next(buffer.substr(pos), again, none) == status &&
                                       again == 0 && none.empty());
                }
                return true;
        }
    }
}

/// Receives `input` in reads: `first` bytes, then `step` bytes at a time (0: the rest at once).
/// Like the connection, the buffer grows and the parser is handed all of it each time; the decoder
/// sees each byte once. A single read works on `input` itself, so ASan sees any read past its end.
Outcome receive(std::string_view input, std::size_t first, std::size_t step,
                std::uint64_t maxBody) {
    Outcome out;
    RequestParser parser(kDefaultLimits);
    Request request;
    ChunkedDecoder decoder(maxBody);
    std::string grown;
    std::string_view buffer;
    bool headDone = false;
    std::size_t pos = 0;  // the decoder's position in the buffer
    std::size_t offset = 0;
    while (offset < input.size()) {
        std::size_t n = offset == 0 ? first : step;
        if (n == 0 || n > input.size() - offset) n = input.size() - offset;
        if (offset == 0 && n == input.size()) {
            buffer = input;
        } else {
            grown.append(input.substr(offset, n));
            buffer = grown;
        }
        offset += n;
        if (!headDone) {
            const RequestParser::Status status = parser.parse(buffer, request);
            if (status == RequestParser::Status::Incomplete) continue;
            out.head = status;
            if (status == RequestParser::Status::Error) {
                out.headError = parser.errorStatus();
                return out;
            }
            headDone = true;
            out.headSize = parser.consumed();
            GATEWAY_FUZZ_CHECK(out.headSize <= buffer.size());
            out.chunked = request.chunked;
            if (!request.chunked) return out;
            pos = out.headSize;
        }
        if (decodeBuffered(decoder, buffer, pos, maxBody, out)) return out;
    }
    return out;
}

/// Checks that every way of reading `input` agrees, and returns the outcome.
Outcome receiveAllWays(std::string_view input, std::uint8_t control, std::uint64_t maxBody) {
    const Outcome whole = receive(input, input.size(), 0, maxBody);
    const std::size_t cut = input.empty() ? 0 : control % input.size();
    GATEWAY_FUZZ_CHECK(receive(input, cut, 0, maxBody) == whole);
    GATEWAY_FUZZ_CHECK(receive(input, cut, control % 7 + 2, maxBody) == whole);
    GATEWAY_FUZZ_CHECK(receive(input, 1, 1, maxBody) == whole);

    GATEWAY_FUZZ_CHECK(whole.bodyEnd <= input.size());
    if (whole.body == ChunkedDecoder::Status::Done)  // at least "0\r\n\r\n" of framing
        GATEWAY_FUZZ_CHECK(whole.bodyEnd >= whole.headSize + whole.decoded.size() + 5);
    return whole;
}

void appendHex(std::string& out, std::size_t value, bool upper, unsigned zeros) {
    out.append(zeros, '0');
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string hex;
    do {
        hex.insert(hex.begin(), digits[value % 16]);
        value /= 16;
    } while (value != 0);
    out.append(hex);
}

/// Builds a valid chunked request from the input's choices (chunk data is arbitrary bytes, which
/// may look like framing or a request) and checks it decodes to exactly that data.
void encoded(FuzzInput& in, std::uint8_t control) {
    static constexpr std::string_view kExtensions[] = {"", ";a", ";a=b", ";name=\"q \\\" x\"",
                                                       ";a=1;b"};
    static constexpr std::string_view kTrailers[] = {"", "X-Checksum: abc\r\n",
                                                     "A: 1\r\nB-c: two words\r\n"};
    std::string wire = "POST /upload HTTP/1.1\r\nHost: fuzz\r\nTransfer-Encoding: chunked\r\n\r\n";
    std::string expected;
    while (!in.empty()) {
        const std::uint8_t style = in.byte();
        const std::string_view data = in.take(style % 64 + 1);
        if (data.empty()) break;  // size 0 would be the last chunk
        appendHex(wire, data.size(), style & 64, (style >> 7) * 2);
        wire.append(kExtensions[in.pick(std::size(kExtensions))]).append("\r\n");
        wire.append(data).append("\r\n");
        expected.append(data);
    }
    wire.append("0").append(kExtensions[control % std::size(kExtensions)]).append("\r\n");
    wire.append(kTrailers[control % std::size(kTrailers)]).append("\r\n");
    const std::size_t end = wire.size();
    wire.append("GET /next HTTP/1.1\r\nHost: fuzz\r\n\r\n");

    const std::uint64_t maxBody = (control & 2) ? kSmallBody : kLargeBody;
    const Outcome got = receiveAllWays(wire, control, maxBody);
    GATEWAY_FUZZ_CHECK(got.head == RequestParser::Status::Complete && got.chunked);
    if (expected.size() > maxBody) {
        GATEWAY_FUZZ_CHECK(got.body == ChunkedDecoder::Status::Error && got.bodyError == 413);
        return;
    }
    GATEWAY_FUZZ_CHECK(got.body == ChunkedDecoder::Status::Done);
    GATEWAY_FUZZ_CHECK(got.decoded == expected);
    GATEWAY_FUZZ_CHECK(got.bodyEnd == end);

    RequestParser next(kDefaultLimits);
    Request request;
    GATEWAY_FUZZ_CHECK(next.parse(std::string_view(wire).substr(end), request) ==
                       RequestParser::Status::Complete);
    GATEWAY_FUZZ_CHECK(request.target == "/next");
}

}  // namespace

int requestChunked(const std::uint8_t* data, std::size_t size) {
    // The first byte: bit 0 picks raw bytes or an encoded body, the rest picks limits and splits.
    FuzzInput in(data, size);
    const std::uint8_t control = in.byte();
    if (control & 1) {
        encoded(in, static_cast<std::uint8_t>(control >> 1));
        return 0;
    }
    const std::string_view raw = in.rest();
    const Outcome whole =
        receiveAllWays(raw, control >> 2, (control & 2) ? kSmallBody : kLargeBody);
    if (whole.body == ChunkedDecoder::Status::Done) {  // what follows is the next request
        RequestParser next(kDefaultLimits);
        Request request;
        next.parse(raw.substr(whole.bodyEnd), request);
    }
    return 0;
}

}  // namespace gateway::fuzz

#ifdef GATEWAY_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return gateway::fuzz::requestChunked(data, size);
}
#endif
