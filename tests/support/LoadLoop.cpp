#include "tests/support/LoadLoop.h"

#include <memory>
#include <stdexcept>

#include "tests/support/RawClient.h"

namespace gateway::test {

LoadLoop::LoadLoop(std::uint16_t port, std::string target, unsigned clients, int expectedStatus,
                   std::chrono::milliseconds maxDuration)
    : _port(port),
      _target(std::move(target)),
      _expectedStatus(expectedStatus),
      _deadline(std::chrono::steady_clock::now() + maxDuration) {
    for (unsigned i = 0; i < clients; ++i) _threads.emplace_back([this] { run(); });
}

LoadLoop::~LoadLoop() {
    stop();
}

void LoadLoop::stop() {
    _stop = true;
    for (std::thread& thread : _threads)
        if (thread.joinable()) thread.join();
}

void LoadLoop::run() {
    const std::string request = httpRequest("GET", _target);
    std::unique_ptr<RawClient> client;
    while (!_stop && std::chrono::steady_clock::now() < _deadline) {
        try {
            if (!client) client = std::make_unique<RawClient>(_port);
            client->send(request, std::chrono::seconds(5));
            const RawResponse response = client->readResponse(false, std::chrono::seconds(5));
            if (response.status != _expectedStatus)
                throw std::runtime_error("status " + std::to_string(response.status));
            ++_succeeded;
            if (response.hasToken("Connection", "close")) client.reset();
        } catch (const std::exception& e) {
            ++_failed;
            client.reset();
            std::lock_guard lock(_mutex);
            if (_failures.size() < 5) _failures.push_back(e.what());
        }
    }
}

bool LoadLoop::waitForProgress(std::uint64_t n, std::chrono::milliseconds timeout) const {
    const std::uint64_t goal = succeeded() + n;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (succeeded() < goal) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling a counter
    }
    return true;
}

std::string LoadLoop::failures() const {
    std::lock_guard lock(_mutex);
    std::string text;
    for (const std::string& failure : _failures) text += failure + "\n";
    return text;
}

}  // namespace gateway::test
