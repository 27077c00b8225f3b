#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "gateway/config/Settings.h"

namespace gateway {

class ListenSocket;
class PluginSet;

/// The master process: forks `--workers` worker processes that share the listening socket, and
/// restarts any that dies, so a crashing plugin costs one worker, never the gateway.
/// SIGTERM/SIGINT: workers drain and the master waits for them; SIGQUIT: everything stops now;
/// SIGUSR1 is passed on (reopen logs). With 0 or 1 workers everything runs in this process.
class Supervisor {
public:
    /// Every worker loads its apps from `plugins`.
    Supervisor(const Settings& settings, ListenSocket& socket,
               std::shared_ptr<const PluginSet> plugins);

    /// Serves until shutdown; `onReady` runs once the socket is served. Returns the exit code.
    int run(const std::function<void()>& onReady);

private:
    void spawn();
    bool awaitReady(int readyFd, int signalFd);
    void reap();
    void signalWorkers(int sig);

    const Settings& _settings;
    ListenSocket& _socket;
    std::shared_ptr<const PluginSet> _plugins;
    std::vector<pid_t> _workers;
    bool _stopping = false;
    bool _startFailed = false;  ///< a worker could not start (its apps config): exit 2
    int _readyFd = -1;  ///< write end of the start-up pipe, while spawning the first workers
    std::int64_t _windowStartMs = 0;  ///< crash-loop guard: respawns counted per window
    unsigned _respawnsInWindow = 0;
};

}  // namespace gateway
