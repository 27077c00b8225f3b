#pragma once

// What the integration tests of the example apps share: a fixture that starts the gateway on
// the built plugins (apps/), echo's JSON answer, and deterministic request bodies.

#include <Poco/JSON/Object.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"

#ifndef GATEWAY_APPS_DIR
#error "GATEWAY_APPS_DIR must name the folder of the example app plugins"
#endif

namespace gateway::test {

std::string sha256Hex(const std::string& bytes);

/// echo's answer: {"environ": {...}, "body_length": N, "body_sha256": "hex"}.
struct EchoResult {
    Poco::JSON::Object::Ptr environ;
    std::uint64_t bodyLength = 0;
    std::string bodySha256;

    std::optional<std::string> env(const std::string& name) const;
};
EchoResult parseEcho(const std::string& json);

/// Peak resident set size (VmHWM) of a process, in KiB; 0 when unreadable.
std::uint64_t peakRssKiB(pid_t pid);

/// Deterministic bytes produced piece by piece (xorshift64), so a large upload never exists
/// whole in memory.
class ByteGenerator {
public:
    void fill(std::string& buffer);

private:
    std::uint64_t _x = 0x9E3779B97F4A7C15ull;
};

/// `body` as a chunked body in pieces of `piece` bytes, with the last chunk.
std::string chunked(const std::string& body, std::size_t piece);

class AppsExamples : public GatewayFixture {
protected:
    /// Starts the gateway on the built example apps, with a config file holding `config` when
    /// it is not empty.
    ::testing::AssertionResult startApps(const std::string& config = "",
                                         std::vector<std::string> args = {});
    /// One raw request on a fresh connection, one response.
    RawResponse raw(const std::string& bytes, bool head = false,
                    RawClient::Ms timeout = RawClient::kDefaultTimeout);
};

}  // namespace gateway::test
