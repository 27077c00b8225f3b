#include "gateway/http/RequestParser.h"

#include <string>
#include <string_view>

#include "FuzzTargets.h"
#include "gateway/config/Settings.h"

namespace gateway::fuzz {

namespace {

const ParserLimits kDefaultLimits = parserLimitsOf(Settings{});

/// The observable result, copied out of the buffer.
struct Summary {
    RequestParser::Status status = RequestParser::Status::Incomplete;
    int errorStatus = 0;
    std::size_t consumed = 0;
    std::string method, target, path, query, host, fields;
    int versionMinor = 0;
    bool keepAlive = false, chunked = false, expectContinue = false;
    std::int64_t contentLength = 0;

    bool operator==(const Summary&) const = default;
};

bool inside(std::string_view view, std::string_view buffer) {
    return view.empty() || (view.data() >= buffer.data() &&
                            view.data() + view.size() <= buffer.data() + buffer.size());
}

Summary summarize(RequestParser::Status status, const RequestParser& parser, const Request& r,
                  std::string_view buffer, const ParserLimits& limits) {
    Summary s;
    s.status = status;
    if (status == RequestParser::Status::Error) {
        s.errorStatus = parser.errorStatus();
        GATEWAY_FUZZ_CHECK(s.errorStatus == 400 || s.errorStatus == 414 || s.errorStatus == 431 ||
                           s.errorStatus == 501 || s.errorStatus == 505);
    }
    if (status != RequestParser::Status::Complete) return s;
    s.consumed = parser.consumed();
    GATEWAY_FUZZ_CHECK(s.consumed <= buffer.size());
    GATEWAY_FUZZ_CHECK(s.consumed <= limits.maxHeaderBytes + 8);  // + skipped empty lines
    GATEWAY_FUZZ_CHECK(r.headerCount <= limits.maxHeaderCount);
    GATEWAY_FUZZ_CHECK(!r.method.empty() && !r.target.empty());
    GATEWAY_FUZZ_CHECK(r.versionMinor == 0 || r.versionMinor == 1);
    GATEWAY_FUZZ_CHECK(!r.chunked || r.contentLength == -1);
    GATEWAY_FUZZ_CHECK(r.contentLength >= -1);
    GATEWAY_FUZZ_CHECK(r.versionMinor == 0 || r.headerCount > 0);  // 1.1 needs Host
    const std::string_view head = buffer.substr(0, s.consumed);
    GATEWAY_FUZZ_CHECK(inside(r.method, head) && inside(r.target, head) && inside(r.query, head) &&
                       inside(r.host, head) && (inside(r.path, head) || r.path == "/"));
    s.method = r.method;
    s.target = r.target;
    s.path = r.path;
    s.query = r.query;
    s.host = r.host;
    for (std::size_t i = 0; i < r.headerCount; ++i) {
        const HeaderField& f = r.headers[i];
        GATEWAY_FUZZ_CHECK(!f.name.empty() && inside(f.name, head) && inside(f.value, head));
        for (char c : f.value) GATEWAY_FUZZ_CHECK(c != '\r' && c != '\n' && c != '\0');
        s.fields.append(f.name).append(":").append(f.value).append("\n");
    }
    s.versionMinor = r.versionMinor;
    s.keepAlive = r.keepAlive;
    s.chunked = r.chunked;
    s.expectContinue = r.expectContinue;
    s.contentLength = r.contentLength;
    return s;
}

}  // namespace

int requestParser(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte picks the limits (small ones reach the 414/431 paths) and a split point.
    const std::uint8_t control = data[0];
    const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
    ParserLimits limits = kDefaultLimits;
    if (control & 1) limits = ParserLimits{32, 128, 4};

    // Whole, straight from libFuzzer's exactly-sized buffer so ASan sees any read past the end.
    const std::string_view exact(reinterpret_cast<const char*>(data + 1), size - 1);
    RequestParser parser(limits);
    Request request;
    const Summary whole = summarize(parser.parse(exact, request), parser, request, exact, limits);

    {  // Split once, the second part in a fresh buffer.
        const std::size_t split = input.empty() ? 0 : (control >> 1) % input.size();
        RequestParser p(limits);
        Request r;
        const std::string first = input.substr(0, split);
        RequestParser::Status st = p.parse(first, r);
        Summary s;
        if (st != RequestParser::Status::Incomplete) {
            s = summarize(st, p, r, first, limits);
        } else {
            const std::string all = input;
            s = summarize(p.parse(all, r), p, r, all, limits);
        }
        GATEWAY_FUZZ_CHECK(s == whole);
    }
    {  // Byte by byte, in one growing buffer.
        RequestParser p(limits);
        Request r;
        std::string grown;
        grown.reserve(input.size());
        RequestParser::Status st = RequestParser::Status::Incomplete;
        for (std::size_t i = 0; i < input.size() && st == RequestParser::Status::Incomplete; ++i) {
            grown.push_back(input[i]);
            st = p.parse(grown, r);
        }
        GATEWAY_FUZZ_CHECK(summarize(st, p, r, grown, limits) == whole);
    }
    return 0;
}

}  // namespace gateway::fuzz

#ifdef GATEWAY_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return gateway::fuzz::requestParser(data, size);
}
#endif
