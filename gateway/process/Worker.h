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
    /// Loads its apps from `plugins` (the master's snapshot of the apps folder).
    Worker(const Settings& settings, ListenSocket& socket,
           std::shared_ptr<const PluginSet> plugins);
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
