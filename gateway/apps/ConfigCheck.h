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
    /// The problems that need not stop a reload: an [app.NAME] section whose plugin is gone is
    /// what removing a plugin from the apps folder looks like. Also in `problems` (-t fails).
    std::vector<std::string> unusedSections;
    /// What would be served: mounts → app, version, plugin file, body limit, timeout; the global
    /// limits; worker and thread counts; warnings.
    std::string summary;
};

/// The config test (`gateway -t`, `--need-app`, and a reload before it starts a generation):
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
