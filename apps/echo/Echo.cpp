// echo: any method, any path below /echo -> 200 application/json
//   {"environ": {every environ entry}, "body_length": N, "body_sha256": "hex"}
// The body is streamed through SHA-256 and never held whole, so a 100 MiB upload costs 64 KiB.
// Past the mount's body_limit, read() throws BodyTooLarge; uncaught, the host answers 413.
// SHA-256 comes from OpenSSL (Poco::Crypto), several times faster than a portable one.
// The app holds OpenSSL initialised from init to fini: each DigestEngine holds Poco's
// reference-counted OpenSSLInitializer too, and when the count fell to zero on one pool thread
// while another raised it again, Poco freed its OpenSSL locks under the other thread's feet
// (workers died in pthread_mutex_destroy; found by bench/soak).
#include <Poco/Crypto/DigestEngine.h>
#include <Poco/Crypto/OpenSSLInitializer.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "gateway/app.hpp"

namespace sdk = gateway::sdk;

class Echo {
public:
    explicit Echo(const sdk::Config&) {}

    sdk::Response call(sdk::Request& request) {
        Poco::Crypto::DigestEngine sha("SHA256");
        std::vector<char> buffer(64 * 1024);
        std::uint64_t length = 0;
        while (const std::size_t n = request.read(buffer.data(), buffer.size())) {
            sha.update(buffer.data(), static_cast<unsigned>(n));
            length += n;
        }
        nlohmann::ordered_json environ = nlohmann::ordered_json::object();  // in the host's order
        for (const auto& [name, value] : request.environ())
            environ[std::string(name)] = std::string(value);
        const nlohmann::ordered_json result = {
            {"environ", environ},
            {"body_length", length},
            {"body_sha256", Poco::DigestEngine::digestToHex(sha.digest())}};
        // PATH_INFO is percent-decoded and need not be UTF-8: replace such bytes, don't throw.
        return sdk::Response::json(
            result.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    }

private:
    Poco::Crypto::OpenSSLInitializer _openSsl;
};

// Reads the request body, which may block: thread-safe but not GW_APP_NON_BLOCKING.
GATEWAY_APP(Echo, "echo", "1.0.0", GW_APP_THREAD_SAFE, "Echoes the environ and a body digest")
