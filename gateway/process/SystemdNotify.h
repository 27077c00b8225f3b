#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <string>
#include <string_view>

namespace gateway {

/// systemd's readiness protocol (sd_notify(3), without libsystemd): "KEY=value" lines in one
/// datagram to the AF_UNIX socket in $NOTIFY_SOCKET (a path, or '@' for an abstract name). Does
/// nothing when there is no such socket, so the gateway runs the same outside systemd.
class SystemdNotify {
public:
    /// The socket `address` names; inactive when it is empty or not an AF_UNIX address.
    explicit SystemdNotify(std::string_view address);
    /// From $NOTIFY_SOCKET, which is then unset, so that workers and plugins do not inherit it.
    static SystemdNotify fromEnvironment();
    ~SystemdNotify();
    SystemdNotify(SystemdNotify&& other) noexcept;
    SystemdNotify(const SystemdNotify&) = delete;
    SystemdNotify& operator=(const SystemdNotify&) = delete;
    SystemdNotify& operator=(SystemdNotify&&) = delete;

    bool active() const { return _fd >= 0; }
    /// Sends `message` (e.g. "READY=1\nSTATUS=serving"); false when inactive or it failed.
    bool send(std::string_view message) const;

    /// The CLOCK_MONOTONIC time in µs, which RELOADING=1 carries as MONOTONIC_USEC.
    static std::string monotonicUsec();

private:
    int _fd = -1;
    sockaddr_un _address{};
    socklen_t _addressLength = 0;
};

}  // namespace gateway
