#include "tests/support/GatewayFixture.h"

#include <cstdio>
#include <random>

#include "tests/support/Subprocess.h"

namespace gateway::test {

GatewayFixture::GatewayFixture() {
    std::filesystem::create_directories(docroot());
    std::random_device random;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%08x%08x", random(), random());
    _secret = std::string("TOP-SECRET-") + hex + "\n";
    _tmp.write("secret", _secret);
}

std::chrono::system_clock::time_point GatewayFixture::fixedMtime() {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1704164645));
}

std::filesystem::path GatewayFixture::writeDoc(const std::filesystem::path& rel,
                                               std::string_view content) {
    const std::filesystem::path full = _tmp.write(std::filesystem::path("www") / rel, content);
    setModificationTime(full, fixedMtime());
    return full;
}

::testing::AssertionResult GatewayFixture::startGateway(std::vector<std::string> extraArgs) {
    GatewayProcess::Options options;
    options.docroot = docroot();
    options.args = std::move(extraArgs);
    return startGatewayWith(std::move(options));
}

::testing::AssertionResult GatewayFixture::startGatewayWith(GatewayProcess::Options options) {
    if (options.workDir.empty()) options.workDir = root();
    _gateway = std::make_unique<GatewayProcess>(std::move(options));
    return _gateway->start();
}

std::optional<int> GatewayFixture::stopGateway() {
    if (!_gateway || !_gateway->started()) return std::nullopt;
    return _gateway->stop();
}

void GatewayFixture::TearDown() {
    if (!_gateway) return;
    if (_gateway->started()) {
        const auto status = _gateway->stop();
        EXPECT_TRUE(exitedWith(status, 0))
            << "gateway did not exit 0 on SIGTERM: "
            << (status ? Subprocess::describe(*status) : "still running after 10 s, killed");
    }
    EXPECT_TRUE(_gateway->checkNoAlerts());
    if (HasFailure()) {
        std::fprintf(stderr, "--- gateway log (tail) of %s ---\n%s", root().c_str(),
                     _gateway->logTail().c_str());
    }
}

std::string patternBytes(std::size_t n, unsigned seed) {
    std::string out(n, '\0');
    std::uint32_t x = 2463534242u ^ seed;
    for (std::size_t i = 0; i < n; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = static_cast<char>(x & 0xff);
    }
    return out;
}

}  // namespace gateway::test
