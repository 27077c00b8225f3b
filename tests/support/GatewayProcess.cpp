#include "tests/support/GatewayProcess.h"

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include "tests/support/TempDir.h"

#ifndef GATEWAY_BINARY
#define GATEWAY_BINARY "gateway"
#endif

namespace gateway::test {

namespace {

/// The port from a complete ready file ("<port>\n"), else nullopt.
std::optional<std::uint16_t> readPort(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    std::string text;
    try {
        text = readFile(path);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (text.empty() || text.back() != '\n') return std::nullopt;
    const unsigned long value = std::strtoul(text.c_str(), nullptr, 10);
    if (value == 0 || value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

}  // namespace

GatewayProcess::GatewayProcess(Options options) : _options(std::move(options)) {}

GatewayProcess::~GatewayProcess() {
    if (_process) stop(std::chrono::seconds(5));
}

std::string GatewayProcess::binary() {
    const char* env = std::getenv("GATEWAY_BINARY");
    return env && *env ? env : GATEWAY_BINARY;
}

::testing::AssertionResult GatewayProcess::start() {
    const auto readyPath = _options.workDir / "ready";
    std::error_code ignored;
    std::filesystem::remove(readyPath, ignored);

    _argv = {binary()};
    if (_options.ephemeralPort) _argv.insert(_argv.end(), {"--port", "0"});
    _argv.insert(_argv.end(), {"--ready-file", readyPath.string()});
    if (_options.docroot) _argv.insert(_argv.end(), {"--docroot", _options.docroot->string()});
    _argv.insert(_argv.end(), _options.args.begin(), _options.args.end());

    std::string command;
    for (const auto& a : _argv) command += (command.empty() ? "" : " ") + a;

    // Watch before spawning, so the rename cannot slip between spawn and watch.
    const int in = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (in < 0) return ::testing::AssertionFailure() << "inotify_init1: " << std::strerror(errno);
    if (::inotify_add_watch(in, _options.workDir.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
        ::close(in);
        return ::testing::AssertionFailure() << "inotify_add_watch: " << std::strerror(errno);
    }
    try {
        _process = std::make_unique<Subprocess>(_argv, logPath(), logPath());
    } catch (const std::exception& e) {
        ::close(in);
        return ::testing::AssertionFailure() << "cannot start " << command << ": " << e.what();
    }

    const auto deadline = std::chrono::steady_clock::now() + _options.readyTimeout;
    std::array<char, 4096> events;
    for (;;) {
        if (auto port = readPort(readyPath)) {
            ::close(in);
            _port = *port;
            return ::testing::AssertionSuccess();
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd fds[2] = {{in, POLLIN, 0}, {_process->exitFd(), POLLIN, 0}};
        const int n = ::poll(fds, 2, static_cast<int>(left.count()));
        if (n < 0 && errno != EINTR) break;
        if (fds[0].revents & POLLIN) {
            while (::read(in, events.data(), events.size()) > 0) {
            }
        }
        if (fds[1].revents & POLLIN) {
            if (auto port = readPort(readyPath)) {  // wrote the file and exited at once
                ::close(in);
                _port = *port;
                return ::testing::AssertionSuccess();
            }
            ::close(in);
            const auto status = _process->wait(std::chrono::seconds(1));
            _process.reset();
            return ::testing::AssertionFailure() << "gateway exited before it was ready ("
                                                 << (status ? Subprocess::describe(*status) : "?")
                                                 << ")\n  command: " << command << "\n  log:\n"
                                                 << log();
        }
    }
    ::close(in);
    _process->kill();
    _process.reset();
    return ::testing::AssertionFailure() << "no ready file after " << _options.readyTimeout.count()
                                         << " ms\n  command: " << command << "\n  log:\n"
                                         << log();
}

void GatewayProcess::signal(int sig) const {
    if (_process) _process->signal(sig);
}

std::optional<int> GatewayProcess::waitExit(std::chrono::milliseconds timeout) {
    if (!_process) return std::nullopt;
    return _process->wait(timeout);
}

std::optional<int> GatewayProcess::stop(std::chrono::milliseconds timeout) {
    if (!_process) return std::nullopt;
    _process->signal(SIGTERM);
    std::optional<int> status = _process->wait(timeout);
    if (!status) _process->kill();
    _process.reset();
    return status;
}

std::string GatewayProcess::log() const {
    try {
        return readFile(logPath());
    } catch (const std::exception&) {
        return "";
    }
}

std::string GatewayProcess::logTail(std::size_t lines) const {
    std::istringstream in(log());
    std::deque<std::string> tail;
    for (std::string line; std::getline(in, line);) {
        tail.push_back(std::move(line));
        if (tail.size() > lines) tail.pop_front();
    }
    std::string out;
    for (const auto& l : tail) out += "    " + l + "\n";
    return out;
}

::testing::AssertionResult GatewayProcess::checkNoAlerts() const {
    std::istringstream in(log());
    std::string unexpected;
    for (std::string line; std::getline(in, line);) {
        // A worker's sanitizer report does not fail the request that triggered it (the master
        // respawns the worker), so the log is where it shows: every report has a line such as
        // "ERROR: AddressSanitizer: ..." or "SUMMARY: UndefinedBehaviorSanitizer: ...".
        if (line.find("Sanitizer:") != std::string::npos) {
            unexpected += "    " + line + "\n";
            continue;
        }
        // Lint findings (SPEC violations by an app, logged at [Warning]) fail a test as well.
        const bool alert = line.find("[Error]") != std::string::npos ||
                           line.find("[Critical]") != std::string::npos ||
                           line.find("[Fatal]") != std::string::npos ||
                           line.find("lint GW-L") != std::string::npos;
        if (!alert) continue;
        bool expected = false;
        for (const auto& s : _expectedAlerts) expected |= line.find(s) != std::string::npos;
        if (!expected) unexpected += "    " + line + "\n";
    }
    if (unexpected.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "unexpected alerts in the gateway log:\n" << unexpected;
}

std::size_t GatewayProcess::logCount(std::string_view text) const {
    const std::string content = log();
    std::size_t count = 0;
    for (std::size_t at = content.find(text); at != std::string::npos;
         at = content.find(text, at + text.size()))
        ++count;
    return count;
}

bool GatewayProcess::waitForLog(std::string_view text, std::size_t occurrences,
                                std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (logCount(text) < occurrences) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling a file
    }
    return true;
}

std::vector<pid_t> GatewayProcess::children() const {
    std::vector<pid_t> pids;
    if (pid() <= 0) return pids;
    std::ifstream in("/proc/" + std::to_string(pid()) + "/task/" + std::to_string(pid()) +
                     "/children");
    for (pid_t child; in >> child;) pids.push_back(child);
    return pids;
}

}  // namespace gateway::test
