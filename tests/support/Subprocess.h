#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gateway::test {

/// A child process started with posix_spawn: stdin from /dev/null, stdout and stderr to files
/// (the same file when both paths are equal). Waits are bounded (pidfd + poll, no sleep loops);
/// the destructor SIGKILLs and reaps a child that is still running.
class Subprocess {
public:
    /// argv[0] is looked up in PATH when it has no '/'. Throws std::system_error if spawning fails.
    Subprocess(const std::vector<std::string>& argv, const std::filesystem::path& stdoutPath,
               const std::filesystem::path& stderrPath);
    ~Subprocess();
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;

    pid_t pid() const { return _pid; }
    /// Readable (POLLIN) once the child has exited; usable in a caller's own poll set.
    int exitFd() const { return _pidfd; }

    /// Sends `sig` to this child only (no-op once reaped).
    void signal(int sig) const;
    /// Waits up to `timeout` for the child to exit; returns the raw wait status, or nullopt.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    /// The raw wait status once the child has been reaped.
    std::optional<int> status() const { return _status; }
    /// SIGKILL + reap (if still running).
    void kill();

    /// "exit 2", "signal 9 (Killed)", ...
    static std::string describe(int rawStatus);

    struct Result {
        std::optional<int> status;  ///< raw wait status; nullopt = killed after the timeout
        std::string out;
        std::string err;
    };
    /// Runs argv to completion (killed after `timeout`), capturing stdout and stderr.
    static Result run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

private:
    pid_t _pid = -1;
    int _pidfd = -1;
    std::optional<int> _status;
};

/// True when `rawStatus` is a normal exit with `code`.
bool exitedWith(const std::optional<int>& rawStatus, int code);

}  // namespace gateway::test
