#include "gateway/process/AppsWatcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

namespace gateway {
namespace {

/// A writer that never closes its file (a stalled copy) is waited for this long at most; the
/// config test then refuses whatever half a file it finds.
constexpr std::int64_t kMaxWriteMs = 30000;

bool isPlugin(std::string_view name) {
    return name.size() > 3 && name.ends_with(".so") && name.front() != '.';
}

}  // namespace

AppsWatcher::AppsWatcher(const std::string& dir, std::int64_t quietMs) : _quietMs(quietMs) {
    _fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (_fd < 0) {
        Poco::Logger::get("gateway").warning(std::string("apps folder not watched: inotify: ") +
                                             std::strerror(errno));
        return;
    }
    const std::uint32_t mask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO |
                               IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR;
    if (inotify_add_watch(_fd, dir.c_str(), mask) < 0) {
        ::close(_fd);
        _fd = -1;
    }
}

AppsWatcher::~AppsWatcher() {
    if (_fd >= 0) ::close(_fd);
}

void AppsWatcher::note(const std::string& name, const char* what, std::int64_t nowMs) {
    _lastEventMs = nowMs;
    const std::string entry = name + " " + what;
    if (_changes.find(entry) != std::string::npos) return;
    if (!_changes.empty()) _changes += ", ";
    _changes += entry;
}

void AppsWatcher::onReadable(std::int64_t nowMs) {
    alignas(inotify_event) char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(_fd, buffer, sizeof(buffer));
        if (n <= 0) return;  // EAGAIN: all read
        for (ssize_t at = 0; at < n;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            const std::string name = event->len ? event->name : "";
            if (!isPlugin(name)) continue;
            if (event->mask & (IN_CREATE | IN_MODIFY)) {
                _writing.insert(name);
                _lastEventMs = nowMs;
            }
            if (event->mask & IN_CLOSE_WRITE) {
                _writing.erase(name);
                note(name, "written", nowMs);
            }
            if (event->mask & IN_MOVED_TO) note(name, "moved in", nowMs);
            if (event->mask & (IN_DELETE | IN_MOVED_FROM)) {
                _writing.erase(name);
                note(name, "removed", nowMs);
            }
        }
    }
}

std::int64_t AppsWatcher::msUntilDue(std::int64_t nowMs) const {
    if (!_lastEventMs) return -1;
    const std::int64_t wait = _writing.empty() ? _quietMs : kMaxWriteMs;
    return std::max<std::int64_t>(0, _lastEventMs + wait - nowMs);
}

std::string AppsWatcher::takeDue(std::int64_t nowMs) {
    if (!_lastEventMs || msUntilDue(nowMs) > 0 || _changes.empty()) {
        if (_lastEventMs && msUntilDue(nowMs) == 0 && _changes.empty()) _lastEventMs = 0;
        return "";
    }
    _lastEventMs = 0;
    _writing.clear();
    return std::exchange(_changes, {});
}

}  // namespace gateway
