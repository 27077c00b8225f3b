#include "tests/integration/AppsFixture.h"

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "tests/support/TempDir.h"

namespace gateway::test {

std::string sha256Hex(const std::string& bytes) {
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(bytes);
    return Poco::DigestEngine::digestToHex(sha.digest());
}

std::optional<std::string> EchoResult::env(const std::string& name) const {
    if (!environ->has(name)) return std::nullopt;
    return environ->getValue<std::string>(name);
}

EchoResult parseEcho(const std::string& json) {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    EchoResult r;
    r.environ = root->getObject("environ");
    if (!r.environ) throw std::runtime_error("no environ object in: " + json);
    r.bodyLength = root->getValue<std::uint64_t>("body_length");
    r.bodySha256 = root->getValue<std::string>("body_sha256");
    return r;
}

std::uint64_t peakRssKiB(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
    return 0;
}

void ByteGenerator::fill(std::string& buffer) {
    for (std::size_t i = 0; i < buffer.size(); i += 8) {
        _x ^= _x << 13;
        _x ^= _x >> 7;
        _x ^= _x << 17;
        for (std::size_t b = 0; b < 8 && i + b < buffer.size(); ++b)
            buffer[i + b] = static_cast<char>(_x >> (8 * b));
    }
}

std::string chunked(const std::string& body, std::size_t piece) {
    std::string out;
    char size[32];
    for (std::size_t at = 0; at < body.size(); at += piece) {
        const std::string part = body.substr(at, piece);
        std::snprintf(size, sizeof size, "%zx\r\n", part.size());
        out += size + part + "\r\n";
    }
    return out + "0\r\n\r\n";
}

::testing::AssertionResult AppsExamples::startApps(const std::string& config,
                                                   std::vector<std::string> args) {
    args.insert(args.end(), {"--apps", GATEWAY_APPS_DIR});
    if (!config.empty()) {
        writeFile(root() / "gateway.ini", config);
        args.insert(args.end(), {"--config", (root() / "gateway.ini").string()});
    }
    return startGateway(args);
}

RawResponse AppsExamples::raw(const std::string& bytes, bool head, RawClient::Ms timeout) {
    RawClient client(port());
    client.send(bytes);
    return client.readResponse(head, timeout);
}

}  // namespace gateway::test
