#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace gateway {

/// Watches the apps folder for the master (inotify; it never loads a plugin itself): a `*.so`
/// added, replaced (`cp` over it, `mv` onto it) or removed makes the folder "changed", and the
/// change is due once the folder has been quiet for the quiet period and no `*.so` is still being
/// written — so a half-copied file is never loaded.
class AppsWatcher {
public:
    /// Watches `dir`; a folder that does not exist is not watched (fd() is -1).
    AppsWatcher(const std::string& dir, std::int64_t quietMs);
    ~AppsWatcher();
    AppsWatcher(const AppsWatcher&) = delete;
    AppsWatcher& operator=(const AppsWatcher&) = delete;

    int fd() const noexcept { return _fd; }
    /// Reads the pending inotify events (call when fd() is readable).
    void onReadable(std::int64_t nowMs);
    /// Milliseconds until a change is due; -1 when nothing is pending.
    std::int64_t msUntilDue(std::int64_t nowMs) const;
    /// When a change is due: what changed ("hello.so replaced, old.so removed"), and the
    /// pending state is cleared. "" when nothing is due yet.
    std::string takeDue(std::int64_t nowMs);

private:
    void note(const std::string& name, const char* what, std::int64_t nowMs);

    int _fd = -1;
    std::int64_t _quietMs;
    std::int64_t _lastEventMs = 0;   ///< 0 = nothing pending
    std::set<std::string> _writing;  ///< *.so opened for writing and not yet closed
    std::string _changes;
};

}  // namespace gateway
