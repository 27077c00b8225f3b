#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gateway::test {

/// Keep-alive load from several client threads, for tests that change the server under load
/// (reloads, deploys, killed workers): each thread sends GET `target` on one connection after
/// another, reconnecting when a response says "Connection: close", until stop() or the time
/// bound. A request counts as failed when it got no complete response or a status other than
/// the expected one. Bounded: at most `maxDuration`, and each request 5 s.
class LoadLoop {
public:
    LoadLoop(std::uint16_t port, std::string target, unsigned clients, int expectedStatus = 200,
             std::chrono::milliseconds maxDuration = std::chrono::seconds(60));
    ~LoadLoop();
    LoadLoop(const LoadLoop&) = delete;
    LoadLoop& operator=(const LoadLoop&) = delete;

    void stop();
    std::uint64_t succeeded() const { return _succeeded.load(); }
    std::uint64_t failed() const { return _failed.load(); }
    /// Waits (bounded) until `n` more requests than now succeeded; false on timeout.
    bool waitForProgress(std::uint64_t n,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    /// The first few failures, for the assertion message.
    std::string failures() const;

private:
    void run();

    std::uint16_t _port;
    std::string _target;
    int _expectedStatus;
    std::chrono::steady_clock::time_point _deadline;
    std::atomic<bool> _stop{false};
    std::atomic<std::uint64_t> _succeeded{0};
    std::atomic<std::uint64_t> _failed{0};
    mutable std::mutex _mutex;
    std::vector<std::string> _failures;
    std::vector<std::thread> _threads;
};

}  // namespace gateway::test
