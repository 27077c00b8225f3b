#include "gateway/process/Supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>

#include "gateway/net/EventLoop.h"
#include "gateway/net/Listener.h"
#include "gateway/process/Worker.h"

#ifdef GATEWAY_SANITIZE_ADDRESS
#include <sanitizer/lsan_interface.h>
#endif

namespace gateway {
namespace {

constexpr std::int64_t kCrashWindowMs = 10000;
constexpr int kWorkerStartFailed = 3;  ///< a worker's exit code when it could not start
constexpr int kExitConfig = 2;         ///< the gateway's exit code for configuration errors
constexpr unsigned kMaxRespawnsPerWindow = 20;

Poco::Logger& logger() {
    return Poco::Logger::get("gateway");
}

std::string describe(int status) {
    if (WIFSIGNALED(status)) {
        const char* name = sigabbrev_np(WTERMSIG(status));
        return std::string("killed by SIG") + (name ? name : std::to_string(WTERMSIG(status)));
    }
    return "exited with status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

Supervisor::Supervisor(const Settings& settings, ListenSocket& socket,
                       std::shared_ptr<const PluginSet> plugins)
    : _settings(settings), _socket(socket), _plugins(std::move(plugins)) {}

int Supervisor::run(const std::function<void()>& onReady) {
    if (_settings.workers <= 1) {  // one process: nothing to supervise
        std::optional<Worker> worker;
        try {
            worker.emplace(_settings, _socket, _plugins);
        } catch (const std::exception& e) {  // e.g. two apps on one mount, an unwritable log
            std::fprintf(stderr, "gateway: %s\n", e.what());
            return kExitConfig;
        }
        worker->run(onReady);
        return 0;
    }
    sigset_t signals;
    sigemptyset(&signals);
    for (int sig : {SIGTERM, SIGINT, SIGQUIT, SIGUSR1, SIGHUP, SIGCHLD}) sigaddset(&signals, sig);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // read from the signalfd instead
    const int signalFd = signalfd(-1, &signals, SFD_CLOEXEC);
    if (signalFd < 0) throw std::system_error(errno, std::generic_category(), "signalfd");

    // Ready once every worker has loaded its apps and serves: each writes a byte to this pipe.
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe");
    _readyFd = ready[1];
    for (unsigned i = 0; i < _settings.workers; ++i) spawn();
    ::close(ready[1]);
    _readyFd = -1;
    if (!awaitReady(ready[0], signalFd)) {
        ::close(ready[0]);
        ::close(signalFd);
        return _startFailed ? kExitConfig : 1;
    }
    ::close(ready[0]);
    if (onReady) onReady();

    std::int64_t killAtMs = 0;
    while (!_workers.empty()) {
        signalfd_siginfo info{};
        if (killAtMs) {  // draining: bound the wait, then stop stragglers for good
            pollfd p{signalFd, POLLIN, 0};
            const std::int64_t left = killAtMs - EventLoop::nowMs();
            if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) == 0) {
                signalWorkers(SIGKILL);
                killAtMs = 0;
                continue;
            }
        }
        if (::read(signalFd, &info, sizeof(info)) != sizeof(info)) {
            if (errno == EINTR) continue;
            break;
        }
        switch (info.ssi_signo) {
            case SIGCHLD:
                reap();
                break;
            case SIGTERM:
            case SIGINT:
                if (_stopping) break;
                _stopping = true;
                _socket.close();  // new clients are refused while the workers drain
                signalWorkers(SIGTERM);
                killAtMs = EventLoop::nowMs() + _settings.shutdownGrace.count() + 2000;
                break;
            case SIGQUIT:
                _stopping = true;
                signalWorkers(SIGQUIT);
                break;
            case SIGUSR1:
                signalWorkers(SIGUSR1);
                break;
            default:
                logger().notice("SIGHUP: reloading is not implemented yet; restart to reload");
                break;
        }
    }
    ::close(signalFd);
    return 0;
}

void Supervisor::spawn() {
    const pid_t pid = fork();
    if (pid < 0) {
        logger().error(std::string("fork: ") + std::strerror(errno));
        return;
    }
    if (pid == 0) {
        // The worker reads its own signals (Worker blocks them and uses a signalfd); SIGCHLD is
        // the master's business.
        sigset_t chld;
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        pthread_sigmask(SIG_UNBLOCK, &chld, nullptr);
        int code = 0;
        const int readyFd = _readyFd;
        try {
            Worker(_settings, _socket, _plugins).run([readyFd] {
                [[maybe_unused]] const ssize_t n = ::write(readyFd, "r", 1);
                ::close(readyFd);
            });
        } catch (const std::exception& e) {
            logger().critical(std::string("worker could not start: ") + e.what());
            code = kWorkerStartFailed;
        }
#ifdef GATEWAY_SANITIZE_ADDRESS
        // LeakSanitizer checks in exit(), which _Exit skips: a worker's leaks count too.
        __lsan_do_leak_check();
#endif
        std::_Exit(code);  // not the master's exit path: no static destructors, no atexit
    }
    _workers.push_back(pid);
}

bool Supervisor::awaitReady(int readyFd, int signalFd) {
    unsigned readyWorkers = 0;
    while (readyWorkers < _settings.workers) {
        pollfd fds[2] = {{readyFd, POLLIN, 0}, {signalFd, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        if (fds[0].revents) {
            char bytes[64];
            const ssize_t n = ::read(readyFd, bytes, sizeof(bytes));
            if (n > 0) readyWorkers += static_cast<unsigned>(n);
        }
        if (fds[1].revents) {
            signalfd_siginfo info{};
            if (::read(signalFd, &info, sizeof(info)) != sizeof(info)) continue;
            if (info.ssi_signo == SIGUSR1 || info.ssi_signo == SIGHUP) continue;
            // A worker that dies before it serves (bad apps config, ...) fails the start-up;
            // so does a stop request meanwhile.
            _stopping = true;
            signalWorkers(SIGTERM);
            while (!_workers.empty()) {
                int status = 0;
                const pid_t pid = ::waitpid(-1, &status, 0);
                if (pid < 0 && errno != EINTR) break;
                if (WIFEXITED(status) && WEXITSTATUS(status) == kWorkerStartFailed)
                    _startFailed = true;
                std::erase(_workers, pid);
            }
            return false;
        }
    }
    return true;
}

void Supervisor::reap() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        std::erase(_workers, pid);
        const bool crashed = WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL;
        if (_stopping) {  // a crash is news even now (SIGTERM may be read before SIGCHLD)
            if (crashed) logger().error("worker " + std::to_string(pid) + " " + describe(status));
            continue;
        }
        logger().error("worker " + std::to_string(pid) + " " + describe(status) +
                       "; starting another");
        const std::int64_t now = EventLoop::nowMs();
        if (now - _windowStartMs > kCrashWindowMs) {
            _windowStartMs = now;
            _respawnsInWindow = 0;
        }
        if (++_respawnsInWindow > kMaxRespawnsPerWindow) {
            logger().critical("workers keep dying: giving up");
            _stopping = true;
            _socket.close();
            signalWorkers(SIGTERM);
            continue;
        }
        spawn();
    }
}

void Supervisor::signalWorkers(int sig) {
    for (pid_t pid : _workers) ::kill(pid, sig);
}

}  // namespace gateway
