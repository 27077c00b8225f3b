#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/GatewayProcess.h"
#include "tests/support/TempDir.h"

namespace gateway::test {

/// Base fixture for integration tests. Each test gets a fresh temp dir holding
///   www/      the docroot (files written with writeDoc())
///   secret    a file NEXT TO the docroot, whose bytes must never be served
///   gateway.log, ready
/// TearDown stops a running gateway with SIGTERM, expects exit 0 and no unexpected alerts (error
/// lines and lint findings, see GatewayProcess::checkNoAlerts), and prints the log tail when the
/// test failed.
class GatewayFixture : public ::testing::Test {
protected:
    GatewayFixture();
    void TearDown() override;

    const std::filesystem::path& root() const { return _tmp.path(); }
    std::filesystem::path docroot() const { return root() / "www"; }
    std::filesystem::path secretPath() const { return root() / "secret"; }
    const std::string& secret() const { return _secret; }

    /// Writes docroot()/rel with the fixed modification time kFixedMtimeHttp.
    std::filesystem::path writeDoc(const std::filesystem::path& rel, std::string_view content);

    /// Starts the gateway on `--port 0 --docroot www` plus `extraArgs`.
    ::testing::AssertionResult startGateway(std::vector<std::string> extraArgs = {});
    /// Starts it with explicit options (workDir is filled in when empty).
    ::testing::AssertionResult startGatewayWith(GatewayProcess::Options options);

    GatewayProcess& gateway() { return *_gateway; }
    std::uint16_t port() const { return _gateway->port(); }

    /// SIGTERM + bounded wait; returns the raw wait status (nullopt = had to SIGKILL).
    std::optional<int> stopGateway();

    /// The mtime writeDoc() gives every file, and its HTTP-date.
    static std::chrono::system_clock::time_point fixedMtime();
    static constexpr const char* kFixedMtimeHttp = "Tue, 02 Jan 2024 03:04:05 GMT";

private:
    TempDir _tmp;
    std::string _secret;
    std::unique_ptr<GatewayProcess> _gateway;
};

/// `n` bytes of a deterministic, non-repeating-looking pattern (for Range and download checks).
std::string patternBytes(std::size_t n, unsigned seed = 1);

}  // namespace gateway::test
