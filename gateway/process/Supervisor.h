#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/config/Settings.h"
#include "gateway/obs/WorkerSlots.h"
#include "gateway/process/Generation.h"
#include "gateway/process/SystemdNotify.h"

namespace gateway {

class AppsWatcher;
class ListenSocket;

/// The master process. It forks `--workers` worker processes that share the listening socket and
/// restarts any that dies, so a crashing plugin costs one worker, never the gateway; and it rolls
/// generations of workers: SIGHUP or a change in the apps folder starts a new generation with the
/// re-read config and a new snapshot of the plugins, and once all of it is ready, the old one
/// drains; a new generation that refuses an app, crashes or hangs before it serves is abandoned
/// and the old one keeps serving. A new generation whose workers keep crashing is rolled
/// back to the previous one. Signals and exit codes: README "Signals and exit codes".
/// With `--workers 0` everything runs in this process, without any of that.
class Supervisor {
public:
    /// Re-reads the config file and flags (for a reload); throws std::invalid_argument.
    using SettingsLoader = std::function<Settings()>;

    /// `plugins`: the snapshot of the apps folder the first generation loads.
    Supervisor(const Settings& settings, ListenSocket& socket,
               std::shared_ptr<const PluginSet> plugins, SettingsLoader reloadSettings);
    ~Supervisor();

    /// Serves until shutdown; `onReady` runs once the first generation serves. Returns the exit
    /// code.
    int run(const std::function<void()>& onReady);

private:
    int runSingleProcess(const std::function<void()>& onReady);
    void loop();
    void onSignal(int sig);
    void onReadyPipe();
    void onReady(pid_t pid);
    void reap();
    /// `serving`: what it was doing in app code when it ended (attribution()).
    void onExit(WorkerProcess worker, int status, const std::string& serving);
    void onTimers();

    std::shared_ptr<Generation> newGeneration(std::shared_ptr<const Settings> settings,
                                              std::shared_ptr<const PluginSet> plugins);
    void spawn(const std::shared_ptr<Generation>& generation, pid_t replaces = 0);
    void promote();
    void abandonNext(const std::string& why);
    void reload(const std::string& reason);
    void refuseReload(const std::string& why);
    /// systemd (Type=notify): READY=1 with a STATUS= line, once a generation serves.
    void notifyReady();
    void rollBack(const std::string& why);
    void drain(WorkerProcess& worker);
    void stop(int sig);
    void checkStuck();
    void watchApps();
    unsigned countOf(const Generation& generation, bool readyOnly) const;
    WorkerProcess* find(pid_t pid);
    /// "app x at /m: GET /t" of a worker's threads in app code, or "" when none.
    std::string attribution(int slot) const;
    /// Crash-loop guard: true when the workers keep dying (then the master gives up).
    bool respawnBudgetExhausted();

    Settings _startSettings;
    std::shared_ptr<const PluginSet> _startPlugins;
    ListenSocket& _socket;
    SettingsLoader _reloadSettings;
    WorkerSlots _slots;
    SystemdNotify _notify = SystemdNotify::fromEnvironment();
    std::vector<WorkerProcess> _workers;
    std::shared_ptr<Generation> _current;   ///< serving (or, at start-up, starting)
    std::shared_ptr<Generation> _next;      ///< started by a reload, not serving yet
    std::shared_ptr<Generation> _previous;  ///< the one before _current: the rollback target
    unsigned _generations = 0;
    std::unique_ptr<AppsWatcher> _watcher;
    std::string _watchedDir;
    std::function<void()> _onReady;
    int _signalFd = -1;
    int _readyRead = -1, _readyWrite = -1;
    bool _started = false;  ///< the first generation served
    bool _stopping = false;
    bool _reloadAgain = false;  ///< a reload was asked for while one was starting
    int _exitCode = 0;
    std::int64_t _nextStuckCheckMs = 0;
    std::int64_t _windowStartMs = 0;  ///< crash-loop guard: respawns counted per window
    unsigned _respawnsInWindow = 0;
};

}  // namespace gateway
