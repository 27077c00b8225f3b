// stream: GET /stream?n=N&delay_ms=D -> N lines "chunk 0\n" .. "chunk N-1\n", each produced
// after a D ms pause and sent as its own HTTP chunk (no Content-Length, chunked on HTTP/1.1).
// Defaults n=10, delay_ms=0; limits n <= 100000, delay_ms <= 10000 (else 400).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "gateway/app.hpp"

namespace {

/// The decimal value of `key` in a raw query string, `fallback` if absent; throws 400 when it
/// is not a number or above `max`.
long queryNumber(std::string_view query, std::string_view key, long fallback, long max) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        if (pair.substr(0, eq) != key) continue;
        const std::string_view text = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
        long value = 0;
        if (text.empty() || text.size() > 9) value = -1;
        for (char c : text) {
            if (c < '0' || c > '9') value = -1;
            if (value >= 0) value = value * 10 + (c - '0');
        }
        if (value < 0 || value > max)
            throw gateway::sdk::Error(400, std::string(key) + " must be a number from 0 to " +
                                               std::to_string(max) + "\n");
        return value;
    }
    return fallback;
}

}  // namespace

class Stream {
public:
    explicit Stream(const gateway::sdk::Config&) {}

    gateway::sdk::Body call(gateway::sdk::Request& request) {
        const long n = queryNumber(request.query(), "n", 10, 100000);
        const auto delay =
            std::chrono::milliseconds(queryNumber(request.query(), "delay_ms", 0, 10000));
        request.startResponse(
            200, {{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-cache"}});
        return gateway::sdk::Body::generate(
            [i = 0L, n, delay]() mutable -> std::optional<std::string> {
                if (i >= n) return std::nullopt;
                if (delay.count() > 0) std::this_thread::sleep_for(delay);
                return "chunk " + std::to_string(i++) + "\n";
            });
    }
};

// Thread-safe, but it sleeps: not GW_APP_NON_BLOCKING, so it runs on the handler pool.
GATEWAY_APP(Stream, "stream", "1.0.0", GW_APP_THREAD_SAFE)
