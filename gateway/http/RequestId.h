#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gateway {

/// A request's id, for the access log, the app's environ (gateway.request_id) and the app's log
/// lines: the client's X-Request-Id when valid(), else one the worker generated. A value that
/// copies with its Request: a client id is a view into the connection's buffer like every other
/// header value, a generated one is held inside.
class RequestId {
public:
    static constexpr std::size_t kMaxLength = 200;
    static constexpr std::size_t kGeneratedLength = 32;

    /// A client's id is kept when it has 1 to 200 characters, each of A-Z a-z 0-9 and - . _ ~ :
    /// + / = (UUIDs, base64, W3C trace ids fit; nothing that could break a log line does).
    static bool valid(std::string_view text) noexcept;

    /// The id; empty before assign() (e.g. for a request that could not be parsed).
    std::string_view view() const noexcept {
        return _client.empty() ? std::string_view(_generated, _generatedLength) : _client;
    }
    /// Whether the id is the client's X-Request-Id.
    bool fromClient() const noexcept { return !_client.empty(); }

private:
    friend class RequestIdGenerator;
    std::string_view _client;
    char _generated[kGeneratedLength] = {};
    std::uint8_t _generatedLength = 0;
};

/// Makes the ids of one worker without a syscall per request: 32 lower-case hex digits, a random
/// 64-bit prefix drawn when the generator is made (in the worker, after the fork) followed by a
/// counter. Unique across the workers and generations of a server as long as the prefixes are.
class RequestIdGenerator {
public:
    RequestIdGenerator();  ///< a random prefix
    explicit RequestIdGenerator(std::uint64_t prefix);

    /// `id` becomes `clientValue` (the X-Request-Id header) when valid, else the next id.
    void assign(RequestId& id, std::string_view clientValue) noexcept;

private:
    char _prefix[16];
    std::uint64_t _counter = 0;
};

}  // namespace gateway
