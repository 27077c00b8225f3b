#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/Subprocess.h"

namespace gateway::test {

/// The real `gateway` binary, started on an ephemeral port: `--port 0 --ready-file <workDir>/ready
/// --docroot <docroot>` plus extra arguments, stdout+stderr to <workDir>/gateway.log. start() waits
/// (inotify, bounded) for the ready file; stop() sends SIGTERM and waits (bounded), then SIGKILL.
class GatewayProcess {
public:
    struct Options {
        std::filesystem::path workDir;                 ///< ready file and log go here
        std::optional<std::filesystem::path> docroot;  ///< passed as --docroot when set
        bool ephemeralPort = true;                     ///< pass --port 0
        std::vector<std::string> args;                 ///< extra arguments, appended last
        std::chrono::milliseconds readyTimeout{10000};
    };

    explicit GatewayProcess(Options options);
    ~GatewayProcess();
    GatewayProcess(const GatewayProcess&) = delete;
    GatewayProcess& operator=(const GatewayProcess&) = delete;

    /// Spawns the binary and waits for the ready file. On failure the message carries the log.
    ::testing::AssertionResult start();

    std::uint16_t port() const { return _port; }
    pid_t pid() const { return _process ? _process->pid() : -1; }
    bool started() const { return _process != nullptr; }
    const std::vector<std::string>& argv() const { return _argv; }

    void signal(int sig) const;
    /// Waits up to `timeout` for the process to exit; raw wait status or nullopt if still running.
    std::optional<int> waitExit(std::chrono::milliseconds timeout);
    /// SIGTERM, wait up to `timeout`, then SIGKILL. Returns the raw status; nullopt if it had to
    /// be killed.
    std::optional<int> stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    std::filesystem::path logPath() const { return _options.workDir / "gateway.log"; }
    std::string log() const;
    /// The last `lines` lines of the log, for failure messages.
    std::string logTail(std::size_t lines = 40) const;

    /// Waits (bounded, polling the log) until `text` occurs at least `occurrences` times in it.
    bool waitForLog(std::string_view text, std::size_t occurrences = 1,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    /// How often `text` occurs in the log now.
    std::size_t logCount(std::string_view text) const;
    /// The gateway's child processes now (its workers, under a master), from /proc.
    std::vector<pid_t> children() const;

    /// Declares that alert lines containing `substring` are expected in this test (e.g.
    /// "lint GW-L002" for a plugin that breaks the SPEC on purpose).
    void expectAlert(std::string substring) { _expectedAlerts.push_back(std::move(substring)); }
    /// Fails on log lines with [Error], [Critical] or [Fatal], and on lint findings
    /// ("lint GW-Lnnn", logged at [Warning]), that were not declared expected; and on any
    /// sanitizer report (ASan, LSan, UBSan, TSan) from the master or a worker, which no test can
    /// declare expected.
    ::testing::AssertionResult checkNoAlerts() const;

    /// The binary under test: $GATEWAY_BINARY if set, else the path CMake compiled in.
    static std::string binary();

private:
    Options _options;
    std::vector<std::string> _argv;
    std::unique_ptr<Subprocess> _process;
    std::uint16_t _port = 0;
    std::vector<std::string> _expectedAlerts;
};

}  // namespace gateway::test
