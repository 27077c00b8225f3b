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
#include <utility>

#include "gateway/apps/PluginSet.h"
#include "gateway/net/Listener.h"
#include "gateway/obs/ErrorLog.h"
#include "gateway/process/AppsWatcher.h"
#include "gateway/process/Worker.h"

#ifdef GATEWAY_SANITIZE_ADDRESS
#include <sanitizer/lsan_interface.h>
#endif

namespace gateway {
namespace {

constexpr int kWorkerStartFailed = 3;  ///< a worker's exit code when it could not start
constexpr int kExitRuntime = 1;        ///< the gateway gave up (workers keep dying)
constexpr int kExitConfig = 2;         ///< the gateway's exit code for configuration errors

/// Crash-loop guard: more respawns than this within the window and the master gives up.
constexpr std::int64_t kCrashWindowMs = 10000;
constexpr unsigned kMaxRespawnsPerWindow = 20;
/// Rollback: this many crashes of a new generation's workers within the window after it took
/// over, and the previous generation comes back.
constexpr unsigned kRollbackCrashes = 3;
constexpr std::int64_t kRollbackWindowMs = 60000;
/// A hot deploy waits until the apps folder was quiet this long.
constexpr std::int64_t kDeployQuietMs = 300;
/// A reload's new generation must serve within this (plugins' load and init included), else it
/// is abandoned as a failed config test would be.
constexpr std::int64_t kGenerationStartMs = 30000;
/// Draining workers get the grace period plus this, then SIGKILL.
constexpr std::int64_t kKillSlackMs = 2000;
constexpr std::int64_t kStuckCheckMs = 1000;

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

std::string workerName(pid_t pid, unsigned generation) {
    return "worker " + std::to_string(pid) + " (generation " + std::to_string(generation) + ")";
}

}  // namespace

Supervisor::Supervisor(const Settings& settings, ListenSocket& socket,
                       std::shared_ptr<const PluginSet> plugins, SettingsLoader reloadSettings)
    : _startSettings(settings),
      _startPlugins(std::move(plugins)),
      _socket(socket),
      _reloadSettings(std::move(reloadSettings)) {}

Supervisor::~Supervisor() {
    for (int fd : {_signalFd, _readyRead, _readyWrite})
        if (fd >= 0) ::close(fd);
}

int Supervisor::runSingleProcess(const std::function<void()>& onReady) {
    std::optional<Worker> worker;
    try {
        worker.emplace(_startSettings, _socket, _startPlugins);
    } catch (const std::exception& e) {  // e.g. two apps on one mount, an unwritable log
        std::fprintf(stderr, "gateway: %s\n", e.what());
        return kExitConfig;
    }
    worker->run([&] {
        onReady();
        notifyReady();
    });
    _notify.send("STOPPING=1");
    return 0;
}

int Supervisor::run(const std::function<void()>& onReady) {
    if (_startSettings.workers == 0) return runSingleProcess(onReady);
    _onReady = onReady;
    sigset_t signals;
    sigemptyset(&signals);
    for (int sig : {SIGTERM, SIGINT, SIGQUIT, SIGUSR1, SIGHUP, SIGCHLD, SIGTTIN, SIGTTOU})
        sigaddset(&signals, sig);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // read from the signalfd instead
    _signalFd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (_signalFd < 0) throw std::system_error(errno, std::generic_category(), "signalfd");
    // Each worker writes its pid here once it serves (4 bytes: one atomic pipe write).
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe");
    _readyRead = ready[0];
    _readyWrite = ready[1];

    Worker::prepareShared();
    _current = newGeneration(std::make_shared<const Settings>(_startSettings), _startPlugins);
    for (unsigned i = 0; i < _current->wanted; ++i) spawn(_current);
    watchApps();
    loop();
    return _exitCode;
}

void Supervisor::loop() {
    while (!(_stopping && _workers.empty())) {
        const std::int64_t now = WorkerSlots::monotonicMs();
        std::int64_t wait = _started ? kStuckCheckMs : 1000;
        for (const WorkerProcess& worker : _workers)
            if (worker.killAtMs)
                wait = std::min(wait, std::max<std::int64_t>(0, worker.killAtMs - now));
        if (_watcher && !_stopping) {
            const std::int64_t due = _watcher->msUntilDue(now);
            if (due >= 0) wait = std::min(wait, due);
        }
        pollfd fds[3] = {{_signalFd, POLLIN, 0},
                         {_readyRead, POLLIN, 0},
                         {_watcher ? _watcher->fd() : -1, POLLIN, 0}};
        if (::poll(fds, 3, static_cast<int>(wait)) < 0 && errno != EINTR)
            throw std::system_error(errno, std::generic_category(), "poll");
        if (fds[1].revents) onReadyPipe();
        if (fds[2].revents && _watcher) _watcher->onReadable(WorkerSlots::monotonicMs());
        if (fds[0].revents) {
            signalfd_siginfo info{};
            while (::read(_signalFd, &info, sizeof(info)) == sizeof(info))
                onSignal(static_cast<int>(info.ssi_signo));
        }
        onTimers();
    }
}

void Supervisor::onSignal(int sig) {
    switch (sig) {
        case SIGCHLD:
            reap();
            break;
        case SIGTERM:
        case SIGINT:
        case SIGQUIT:
            stop(sig);
            break;
        case SIGUSR1:  // log rotation: every process reopens its own descriptors
            ErrorLog::reopen();
            for (const WorkerProcess& worker : _workers) ::kill(worker.pid, SIGUSR1);
            break;
        case SIGHUP:
            reload("SIGHUP");
            break;
        case SIGTTIN:
        case SIGTTOU: {
            if (_stopping || !_started) break;
            Generation& generation = _next ? *_next : *_current;
            if (sig == SIGTTIN) {
                ++generation.wanted;
                spawn(_next ? _next : _current);
            } else if (generation.wanted > 1) {
                --generation.wanted;
                // The newest one goes: the others have the warmest caches.
                for (auto it = _workers.rbegin(); it != _workers.rend(); ++it)
                    if (it->generation.get() == &generation && !it->draining) {
                        drain(*it);
                        break;
                    }
            }
            logger().notice(std::string(sig == SIGTTIN ? "SIGTTIN" : "SIGTTOU") + ": " +
                            std::to_string(generation.wanted) + " worker(s)");
            break;
        }
        default:
            break;
    }
}

void Supervisor::onReadyPipe() {
    pid_t pids[64];
    for (;;) {
        const ssize_t n = ::read(_readyRead, pids, sizeof(pids));
        if (n <= 0) return;
        for (ssize_t i = 0; i < n / static_cast<ssize_t>(sizeof(pid_t)); ++i) onReady(pids[i]);
    }
}

void Supervisor::onReady(pid_t pid) {
    WorkerProcess* worker = find(pid);
    if (!worker || worker->ready) return;
    worker->ready = true;
    if (worker->replaces) {  // a stuck worker's replacement: now the stuck one may go
        if (WorkerProcess* stuck = find(worker->replaces)) drain(*stuck);
        worker->replaces = 0;
    }
    if (worker->generation == _next) {
        if (countOf(*_next, true) >= _next->wanted) promote();
    } else if (worker->generation == _current && !_started &&
               countOf(*_current, true) >= _current->wanted) {
        _started = true;
        _current->servingSinceMs = WorkerSlots::monotonicMs();
        _slots.setGeneration(_current->id);
        if (_onReady) _onReady();
        notifyReady();
        if (std::exchange(_reloadAgain, false)) reload("asked for while starting");
    }
}

void Supervisor::promote() {
    // The new generation serves: the others stop accepting, finish what they have and exit.
    for (WorkerProcess& worker : _workers)
        if (worker.generation != _next && !worker.draining) {
            drain(worker);
            _slots.countRestart(RestartCause::Reload);
        }
    _previous = _next->restored ? nullptr : _current;
    _current = std::move(_next);
    _current->servingSinceMs = WorkerSlots::monotonicMs();
    _slots.setGeneration(_current->id);
    logger().notice("generation " + std::to_string(_current->id) + " serving with " +
                    std::to_string(_current->wanted) + " worker(s)" +
                    (_previous ? "; generation " + std::to_string(_previous->id) + " draining"
                               : std::string()));
    notifyReady();
    if (std::exchange(_reloadAgain, false)) reload("a reload asked for meanwhile");
}

void Supervisor::abandonNext(const std::string& why) {
    logger().error("reload refused: " + why + "; generation " + std::to_string(_current->id) +
                   " keeps serving");
    for (WorkerProcess& worker : _workers)
        if (worker.generation == _next) {
            ::kill(worker.pid, SIGKILL);
            worker.draining = true;
        }
    _next.reset();
    _reloadAgain = false;
    notifyReady();  // the reload is over: the old generation still serves
}

void Supervisor::reap() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        const auto it = std::find_if(_workers.begin(), _workers.end(),
                                     [&](const WorkerProcess& w) { return w.pid == pid; });
        if (it == _workers.end()) continue;  // e.g. a config test's child, reaped by it
        WorkerProcess worker = std::move(*it);
        _workers.erase(it);
        // Read before the slot goes back, and that before a replacement may claim one (the
        // workers gauge counts claimed slots).
        const std::string serving = attribution(worker.slot);
        _slots.release(worker.slot);
        onExit(std::move(worker), status, serving);
    }
}

void Supervisor::onExit(WorkerProcess worker, int status, const std::string& serving) {
    const std::string name = workerName(worker.pid, worker.generation->id);
    // A crash: a signal we did not send, or a serving worker's exit with a failure status (a
    // plugin calling exit(), a sanitizer's report).
    const bool crashed = WIFSIGNALED(status) ? !(worker.draining && WTERMSIG(status) == SIGKILL)
                                             : worker.ready && WEXITSTATUS(status) != 0;
    std::string what = name + " " + describe(status);
    if (crashed) {
        _slots.countRestart(RestartCause::Crash);
        what += serving.empty() ? " (not in app code)" : " while serving " + serving;
    }
    if (worker.draining || _stopping) {
        // A crash is news even now (SIGTERM may be read before SIGCHLD).
        if (crashed) logger().error(what);
        return;
    }
    if (!worker.ready && WIFEXITED(status) && WEXITSTATUS(status) == kWorkerStartFailed) {
        if (!_started) {  // the first generation cannot start: a configuration problem
            logger().critical(what + ": the gateway cannot start");
            _exitCode = kExitConfig;
            stop(SIGTERM);
            return;
        }
        if (worker.generation == _next) {
            abandonNext(what + " (its log says why)");
            return;
        }
    }
    if (!_started) {
        logger().critical(what + " before it served: the gateway cannot start");
        _exitCode = WIFEXITED(status) ? kExitConfig : kExitRuntime;
        stop(SIGTERM);
        return;
    }
    if (worker.generation == _next) {  // a new generation that crashes before it serves
        abandonNext(what + (crashed ? "" : " before it served"));
        return;
    }
    Generation& generation = *worker.generation;
    if (generation.failed) {  // being rolled back: its workers are not replaced
        logger().error(what);
        return;
    }
    const std::int64_t now = WorkerSlots::monotonicMs();
    if (crashed && _previous && worker.generation == _current &&
        now - generation.servingSinceMs < kRollbackWindowMs &&
        ++generation.crashes >= kRollbackCrashes) {
        logger().error(what);
        rollBack(std::to_string(generation.crashes) + " worker crashes within " +
                 std::to_string((now - generation.servingSinceMs) / 1000 + 1) +
                 " s of taking over, the last " + what);
        return;
    }
    if (respawnBudgetExhausted()) {
        logger().critical(what + "; workers keep dying (" + std::to_string(kMaxRespawnsPerWindow) +
                          " within " + std::to_string(kCrashWindowMs / 1000) + " s): giving up");
        _exitCode = kExitRuntime;
        stop(SIGTERM);
        return;
    }
    logger().error(what + "; starting another");
    if (worker.generation == _current || worker.generation == _next) spawn(worker.generation);
}

bool Supervisor::respawnBudgetExhausted() {
    const std::int64_t now = WorkerSlots::monotonicMs();
    if (now - _windowStartMs > kCrashWindowMs) {
        _windowStartMs = now;
        _respawnsInWindow = 0;
    }
    return ++_respawnsInWindow > kMaxRespawnsPerWindow;
}

void Supervisor::onTimers() {
    const std::int64_t now = WorkerSlots::monotonicMs();
    for (WorkerProcess& worker : _workers)
        if (worker.killAtMs && now >= worker.killAtMs) {
            logger().warning(workerName(worker.pid, worker.generation->id) +
                             " still running past the grace period: killing it");
            ::kill(worker.pid, SIGKILL);
            worker.killAtMs = 0;
        }
    if (_stopping) return;
    if (_watcher) {
        const std::string changes = _watcher->takeDue(now);
        if (!changes.empty()) reload("apps folder changed: " + changes);
    }
    if (_next && now - _next->startedAtMs > kGenerationStartMs) {
        std::string where;
        for (const WorkerProcess& worker : _workers)
            if (worker.generation == _next && !worker.ready && where.empty())
                where = attribution(worker.slot);
        abandonNext("generation " + std::to_string(_next->id) + " did not serve within " +
                    std::to_string(kGenerationStartMs / 1000) + " s" +
                    (where.empty() ? std::string() : " (stuck in " + where + ")"));
    }
    if (_started && now >= _nextStuckCheckMs) {
        _nextStuckCheckMs = now + kStuckCheckMs;
        checkStuck();
    }
}

std::shared_ptr<Generation> Supervisor::newGeneration(std::shared_ptr<const Settings> settings,
                                                      std::shared_ptr<const PluginSet> plugins) {
    auto generation = std::make_shared<Generation>();
    generation->id = ++_generations;
    generation->wanted = std::max(1u, settings->workers);
    generation->settings = std::move(settings);
    generation->plugins = std::move(plugins);
    generation->startedAtMs = WorkerSlots::monotonicMs();
    return generation;
}

void Supervisor::spawn(const std::shared_ptr<Generation>& generation, pid_t replaces) {
    const int slot = _slots.claim(generation->id);
    if (slot < 0) {
        logger().error("no free worker slot: not starting another worker");
        return;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        logger().error(std::string("fork: ") + std::strerror(errno));
        _slots.release(slot);
        return;
    }
    if (pid == 0) {
        // The worker reads its own signals (Worker blocks them and uses a signalfd); SIGCHLD,
        // SIGTTIN and SIGTTOU are the master's business.
        sigset_t masters;
        sigemptyset(&masters);
        for (int sig : {SIGCHLD, SIGTTIN, SIGTTOU}) sigaddset(&masters, sig);
        pthread_sigmask(SIG_UNBLOCK, &masters, nullptr);
        for (int sig : {SIGTTIN, SIGTTOU}) ::signal(sig, SIG_IGN);
        ::close(_signalFd);
        ::close(_readyRead);
        _watcher.reset();
        WorkerSlots::attach(_slots, slot);
        _slots.slot(slot).pid.store(::getpid(), std::memory_order_relaxed);
        int code = 0;
        const int readyFd = _readyWrite;
        // A reload's generation is its own config test: any refused app ends it before it
        // serves. Respawns and rollbacks serve what loads, as a start does.
        const Worker::RefusedApps refused = generation == _next && !generation->restored
                                                ? Worker::RefusedApps::Fail
                                                : Worker::RefusedApps::Skip;
        try {
            Worker(*generation->settings, _socket, generation->plugins, refused).run([readyFd] {
                const pid_t self = ::getpid();
                [[maybe_unused]] const ssize_t n = ::write(readyFd, &self, sizeof(self));
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
    WorkerProcess worker;
    worker.pid = pid;
    worker.generation = generation;
    worker.slot = slot;
    worker.replaces = replaces;
    _workers.push_back(std::move(worker));
}

void Supervisor::drain(WorkerProcess& worker) {
    if (worker.draining) return;
    worker.draining = true;
    ::kill(worker.pid, SIGTERM);
    worker.killAtMs = WorkerSlots::monotonicMs() +
                      worker.generation->settings->shutdownGrace.count() + kKillSlackMs;
}

void Supervisor::stop(int sig) {
    if (!_stopping) _notify.send("STOPPING=1");
    if (sig == SIGQUIT) {
        _stopping = true;
        for (const WorkerProcess& worker : _workers) ::kill(worker.pid, SIGQUIT);
        return;
    }
    if (_stopping) return;
    _stopping = true;
    _socket.close();  // new clients are refused while the workers drain
    for (WorkerProcess& worker : _workers) drain(worker);
}

void Supervisor::reload(const std::string& reason) {
    if (_stopping) return;
    if (!_started || _next) {  // one reload at a time: this one follows the one under way
        _reloadAgain = true;
        logger().notice("reload (" + reason + ") will follow the one under way");
        return;
    }
    logger().notice("reloading (" + reason + ")");
    _notify.send("RELOADING=1\nMONOTONIC_USEC=" + SystemdNotify::monotonicUsec() +
                 "\nSTATUS=reloading (" + reason + ")");
    Settings settings;
    try {
        settings = _reloadSettings();
    } catch (const std::exception& e) {
        refuseReload(e.what());
        return;
    }
    const Settings& running = *_current->settings;
    const std::vector<std::string> fixed = Settings::restartRequired(running, settings);
    if (!fixed.empty()) {
        std::string names;
        for (const std::string& name : fixed) names += (names.empty() ? "" : ", ") + name;
        logger().warning("reload: " + names +
                         " changed, which needs a restart; keeping the "
                         "running value(s)");
        Settings::keepRestartOnly(running, settings);
    }
    std::shared_ptr<const PluginSet> plugins;
    try {
        plugins = PluginSet::snapshot(settings.appsDir);
    } catch (const std::exception& e) {
        refuseReload(e.what());
        return;
    }
    // No separate config test: the new workers load and init the plugins with the new config
    // and end before serving if any is refused (Worker::RefusedApps::Fail), crash or hang (see
    // onExit, onTimers); the running generation serves meanwhile and after. A test child would
    // do the same work once more, on the CPU the serving workers need.
    Poco::Logger::get("gateway").setLevel(settings.logLevel);
    _next = newGeneration(std::make_shared<const Settings>(std::move(settings)), plugins);
    for (unsigned i = 0; i < _next->wanted; ++i) spawn(_next);
    if (_next->settings->appsDir != _watchedDir) watchApps();
}

void Supervisor::refuseReload(const std::string& why) {
    logger().error("reload refused: " + why + "; generation " + std::to_string(_current->id) +
                   " keeps serving");
    notifyReady();
}

void Supervisor::notifyReady() {
    if (!_notify.active()) return;
    const Settings& settings = _current ? *_current->settings : _startSettings;
    const unsigned workers = _current ? _current->wanted : 0;
    _notify.send("READY=1\nMAINPID=" + std::to_string(::getpid()) + "\nSTATUS=serving on " +
                 settings.bind + ":" + std::to_string(_socket.port()) +
                 (workers ? " with " + std::to_string(workers) + " worker(s), generation " +
                                std::to_string(_current->id)
                          : std::string(" in one process")));
}

void Supervisor::rollBack(const std::string& why) {
    logger().error("generation " + std::to_string(_current->id) + " fails: " + why +
                   "; rolling back to the config and plugins of generation " +
                   std::to_string(_previous->id));
    _current->failed = true;
    if (_next) abandonNext("a rollback comes first");
    _next = newGeneration(_previous->settings, _previous->plugins);
    _next->wanted = _previous->wanted;
    _next->restored = true;
    _previous.reset();
    for (unsigned i = 0; i < _next->wanted; ++i) spawn(_next);
}

void Supervisor::checkStuck() {
    const unsigned share = _current->settings->stuckShare;
    if (share == 0) return;
    const std::int64_t now = WorkerSlots::monotonicMs();
    for (std::size_t i = 0; i < _workers.size(); ++i) {
        WorkerProcess& worker = _workers[i];
        if (!worker.ready || worker.draining || worker.replaced) continue;
        const unsigned threads = std::max(1u, worker.generation->settings->threads);
        unsigned stuck = 0;
        std::string where;
        for (const ActivityReport& report : WorkerSlots::inAppCode(_slots.slot(worker.slot))) {
            if (!report.deadlineMs || now < report.deadlineMs) continue;
            ++stuck;
            if (where.empty())
                where = report.describe() + ", " +
                        std::to_string((now - report.deadlineMs) / 1000) + " s past its deadline";
        }
        if (stuck == 0 || stuck * 100 < share * threads) continue;
        logger().error(workerName(worker.pid, worker.generation->id) + ": " +
                       std::to_string(stuck) + " of " + std::to_string(threads) +
                       " handler thread(s) stuck (" + where + "); replacing it");
        worker.replaced = true;
        _slots.countRestart(RestartCause::Stuck);
        const pid_t pid = worker.pid;
        spawn(worker.generation, pid);  // may reallocate _workers: `worker` is not used after
    }
}

void Supervisor::watchApps() {
    const Settings& settings = *(_next ? _next : _current)->settings;
    _watcher.reset();
    _watchedDir = settings.appsDir;
    if (!settings.watchApps) return;
    _watcher = std::make_unique<AppsWatcher>(settings.appsDir, kDeployQuietMs);
    if (_watcher->fd() < 0) _watcher.reset();
}

unsigned Supervisor::countOf(const Generation& generation, bool readyOnly) const {
    unsigned count = 0;
    for (const WorkerProcess& worker : _workers)
        if (worker.generation.get() == &generation && !worker.draining &&
            (!readyOnly || worker.ready))
            ++count;
    return count;
}

WorkerProcess* Supervisor::find(pid_t pid) {
    for (WorkerProcess& worker : _workers)
        if (worker.pid == pid) return &worker;
    return nullptr;
}

std::string Supervisor::attribution(int slot) const {
    std::string text;
    for (const ActivityReport& report : WorkerSlots::inAppCode(_slots.slot(slot))) {
        if (!text.empty()) text += "; ";
        text += report.describe();
    }
    return text;
}

}  // namespace gateway
