#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gateway/apps/PluginSet.h"
#include "gateway/config/Settings.h"

namespace gateway {

struct ConfigCheckResult {
    bool ok = false;
    /// One line each, naming the file and the key or plugin.
    std::vector<std::string> problems;
    /// What would be served: mounts → app, version, plugin file, body limit, timeout; the global
    /// limits; worker and thread counts; warnings.
    std::string summary;
};

/// The config test (`gateway -t`, and `--need-app` before the first generation starts):
/// loads and inits every plugin of `plugins` with the [app.NAME] sections of `settings` in a
/// forked child, the way a worker would (AppRegistry, mounted into a MountTable), and reports
/// back through a pipe. A crash in the child is reported by signal, naming the plugin being
/// loaded or initialised ("apps/x.so crashed in init: SIGSEGV"); a child that takes longer than
/// `timeout` is killed and reported naming the plugin. Safe to call from the master: the child
/// logs nothing (what it finds comes back as problems) and ends with _Exit; it is reaped here.
ConfigCheckResult checkConfig(const Settings& settings, const PluginSet& plugins,
                              std::chrono::milliseconds timeout);

/// The one wording of "no apps folder" when need-app is off: normal for a static-only site.
std::string missingAppsFolderWarning(const Settings& settings);

}  // namespace gateway
