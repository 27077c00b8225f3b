#pragma once

#include <string>

namespace gateway {

/// Where the gateway's own log lines go (--error-log): "-" = stderr, "syslog" (facility daemon,
/// ident "gateway" with the pid), else a file appended to. Every line names the process that
/// wrote it: "2026-11-25 13:55:00.123 [41230] [Information] text" (syslog adds its own time and
/// "gateway[41230]:" to "[Information] text"). A line is one write(2), so the lines of the
/// master, its workers and their threads never interleave.
class ErrorLog {
public:
    /// Sends the root and "gateway" loggers at `level` to `target`. Throws std::runtime_error
    /// naming the file when it cannot be opened.
    static void install(const std::string& target, const std::string& level);
    /// After log rotation: opens the file anew (no-op for stderr and syslog). The new file takes
    /// the old descriptor's number (dup2), so a thread logging meanwhile writes to the old file
    /// or the new one, never to a closed descriptor. Each process (master, every worker) calls it
    /// for itself: the descriptor table is per process. A file that cannot be opened now is
    /// reported to the old one, which stays in use.
    static void reopen();
};

}  // namespace gateway
