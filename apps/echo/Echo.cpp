// echo: any method, any path below /echo -> 200 application/json
//   {"environ": {every environ entry}, "body_length": N, "body_sha256": "hex"}
// The body is streamed through SHA-256 and never held whole, so a 100 MiB upload costs 64 KiB.
// SHA-256 comes from OpenSSL (Poco::Crypto), several times faster than a portable one.
// The app holds OpenSSL initialised from init to fini: each DigestEngine holds Poco's
// reference-counted OpenSSLInitializer too, and when the count fell to zero on one pool thread
// while another raised it again, Poco freed its OpenSSL locks under the other thread's feet
// (workers died in pthread_mutex_destroy; found by bench/soak).
#include <Poco/Crypto/DigestEngine.h>
#include <Poco/Crypto/OpenSSLInitializer.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/app.hpp"

class Echo {
public:
    explicit Echo(const gateway::sdk::Config&) {}

    gateway::sdk::Body call(gateway::sdk::Request& request) {
        Poco::Crypto::DigestEngine sha("SHA256");
        std::vector<char> buffer(64 * 1024);
        std::uint64_t length = 0;
        for (;;) {
            const std::size_t n = request.read(buffer.data(), buffer.size());
            if (n == 0) break;
            sha.update(buffer.data(), static_cast<unsigned>(n));
            length += n;
        }

        Poco::JSON::Object::Ptr environ = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& [name, value] : request.environ())
            environ->set(std::string(name), std::string(value));
        Poco::JSON::Object result(Poco::JSON_PRESERVE_KEY_ORDER);
        result.set("environ", environ);
        result.set("body_length", static_cast<Poco::UInt64>(length));
        result.set("body_sha256", Poco::DigestEngine::digestToHex(sha.digest()));
        std::ostringstream json;
        result.stringify(json);

        request.startResponse(200, {{"Content-Type", "application/json"}});
        return gateway::sdk::Body::fromString(json.str());
    }

private:
    Poco::Crypto::OpenSSLInitializer _openSsl;
};

// Reads the request body, which may block: thread-safe but not GW_APP_NON_BLOCKING.
GATEWAY_APP(Echo, "echo", "1.0.0", GW_APP_THREAD_SAFE)
