#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>

#include "gateway/config/Settings.h"

namespace gateway {

class PluginSet;

/// A set of workers with one config and one plugin snapshot: SIGHUP and hot deploys start a new
/// one, and a rollback starts a copy of the previous one (its snapshot is still held).
struct Generation {
    unsigned id = 0;
    std::shared_ptr<const Settings> settings;
    std::shared_ptr<const PluginSet> plugins;
    unsigned wanted = 0;              ///< workers it should have (TTIN/TTOU change it)
    std::int64_t startedAtMs = 0;     ///< when its first worker was forked
    std::int64_t servingSinceMs = 0;  ///< 0 while starting
    unsigned crashes = 0;             ///< crash deaths while it may still be rolled back
    bool failed = false;              ///< being rolled back: its dead are not replaced
    bool restored = false;            ///< a rollback's copy of an earlier generation
};

/// One worker process as the master sees it.
struct WorkerProcess {
    pid_t pid = 0;
    std::shared_ptr<Generation> generation;
    int slot = -1;
    bool ready = false;
    bool draining = false;      ///< told to stop (SIGTERM); no longer counted as serving
    std::int64_t killAtMs = 0;  ///< draining: SIGKILL at this time
    pid_t replaces = 0;         ///< a stuck worker this one takes over from once ready
    bool replaced = false;      ///< stuck: a replacement is starting
};

}  // namespace gateway
