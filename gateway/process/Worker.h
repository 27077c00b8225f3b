#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "gateway/config/Settings.h"

namespace gateway {

class ListenSocket;
class PluginSet;

/// One worker: wires an event loop, the listener, connections, the router and its handlers, and
/// serves until told to stop. SIGTERM/SIGINT stop accepting and let in-flight responses finish
/// (up to the shutdown grace period); SIGQUIT stops at once; SIGUSR1 reopens the access log.
class Worker {
public:
    /// What a worker does with an app that is refused (a plugin that does not load, an init that
    /// fails, a bad key in its section, a missing apps folder under need-app). Skip: log it and
    /// serve the rest (a start, a respawn). Fail: throw before serving, so that a reload's new
    /// generation ends instead of taking over with a hole in it (the running one keeps serving).
    enum class RefusedApps { Skip, Fail };

    /// Loads its apps from `plugins` (the master's snapshot of the apps folder).
    Worker(const Settings& settings, ListenSocket& socket, std::shared_ptr<const PluginSet> plugins,
           RefusedApps refused = RefusedApps::Skip);
    ~Worker();

    /// Blocks until shutdown. `onReady` runs once the listener is accepting.
    void run(const std::function<void()>& onReady);

    /// Signals the worker handles; block them in every thread before starting it.
    static void blockSignals();
    /// Builds what every worker only reads (the MIME table), so that workers forked later
    /// inherit it instead of each building it: the master calls this once before forking.
    static void prepareShared();

private:
    class Parts;
    std::unique_ptr<Parts> _parts;
};

}  // namespace gateway
