// stream: GET /stream?n=N&delay_ms=D -> N lines "chunk 0\n" .. "chunk N-1\n", each produced
// after a D ms pause and sent as its own HTTP chunk (no Content-Length, chunked on HTTP/1.1).
// Defaults n=10, delay_ms=0; limits from the config, max_lines = 100000 (an INTEGER) and
// max_delay = 10s (a DURATION); a value past them, or not a number, is a 400.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "gateway/app.hpp"

namespace sdk = gateway::sdk;

namespace {

/// Query parameter `key` as a whole number from 0 to `max`, `fallback` when absent; else a 400.
std::int64_t number(const sdk::FormData& query, std::string_view key, std::int64_t fallback,
                    std::int64_t max) {
    const std::optional<std::string_view> text = query.get(key);
    if (!text) return fallback;
    std::int64_t value = -1;  // stays -1 when nothing parses ("", "abc")
    const char* end = text->data() + text->size();
    if (std::from_chars(text->data(), end, value).ptr != end || value < 0 || value > max)
        throw sdk::Error(
            400, std::string(key) + " must be a number from 0 to " + std::to_string(max) + "\n");
    return value;
}

}  // namespace

class Stream {
public:
    explicit Stream(const sdk::Config& config)
        : _maxLines(config.integer("max_lines", 100000, 0)),
          _maxDelay(config.duration("max_delay", std::chrono::seconds(10))) {}

    sdk::Response call(sdk::Request& request) {
        const sdk::FormData query = request.queryParams();  // a malformed %-escape is a 400
        const std::int64_t n = number(query, "n", 10, _maxLines);
        const std::chrono::milliseconds delay(number(query, "delay_ms", 0, _maxDelay.count()));
        return sdk::Response(200)
            .header("Content-Type", "text/plain; charset=utf-8")
            .header("Cache-Control", "no-cache")
            .body(sdk::Body::generate(
                [i = std::int64_t{0}, n, delay]() mutable -> std::optional<std::string> {
                    if (i >= n) return std::nullopt;
                    if (delay.count() > 0) std::this_thread::sleep_for(delay);
                    return "chunk " + std::to_string(i++) + "\n";
                }));
    }

private:
    const std::int64_t _maxLines;
    const std::chrono::milliseconds _maxDelay;
};

// Thread-safe, but it sleeps: not GW_APP_NON_BLOCKING, so it runs on the handler pool.
GATEWAY_APP(Stream, "stream", "1.0.0", GW_APP_THREAD_SAFE, "Streams numbered lines as chunks")
