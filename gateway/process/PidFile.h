#pragma once

#include <sys/types.h>

#include <string>

namespace gateway {

/// The master's pid file (`--pidfile`): claimed at start, written atomically (a temporary file
/// renamed over the name, so a reader never sees half a pid), removed at exit if it still names
/// this process. A file naming a live gateway refuses the start; one naming a dead process, or a
/// process that is not a gateway (the pid was recycled), is stale and replaced.
class PidFile {
public:
    /// Claims `path` for this process; throws std::runtime_error with a one-line message when a
    /// live gateway holds it or it cannot be written.
    explicit PidFile(std::string path);
    /// Removes the file, unless it names another process now (then it is not ours to remove).
    ~PidFile();
    PidFile(const PidFile&) = delete;
    PidFile& operator=(const PidFile&) = delete;

    /// The pid `path` holds, 0 when it cannot be read or holds no pid.
    static pid_t read(const std::string& path);
    /// Whether `pid` is a running process with this process's name (/proc/PID/comm): a gateway,
    /// not a recycled pid.
    static bool isGateway(pid_t pid);

private:
    std::string _path;
};

}  // namespace gateway
