#include "gateway/process/SystemdNotify.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <utility>

namespace gateway {

SystemdNotify::SystemdNotify(std::string_view address) {
    // '/' a path, '@' an abstract name (a leading NUL on the wire); "vsock:" & co. are not ours.
    if (address.size() < 2 || (address[0] != '/' && address[0] != '@') ||
        address.size() > sizeof(_address.sun_path))
        return;
    _address.sun_family = AF_UNIX;
    std::memcpy(_address.sun_path, address.data(), address.size());
    if (address[0] == '@') _address.sun_path[0] = '\0';
    // An abstract name is exactly its bytes; a path ends with a NUL.
    _addressLength = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.size() +
                                            (address[0] == '/' ? 1 : 0));
    if (_addressLength > sizeof(_address)) return;
    _fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

SystemdNotify SystemdNotify::fromEnvironment() {
    const char* address = std::getenv("NOTIFY_SOCKET");
    SystemdNotify notify(address ? address : "");
    ::unsetenv("NOTIFY_SOCKET");
    return notify;
}

SystemdNotify::~SystemdNotify() {
    if (_fd >= 0) ::close(_fd);
}

SystemdNotify::SystemdNotify(SystemdNotify&& other) noexcept
    : _fd(std::exchange(other._fd, -1)),
      _address(other._address),
      _addressLength(other._addressLength) {}

bool SystemdNotify::send(std::string_view message) const {
    if (_fd < 0) return false;
    const ssize_t sent = ::sendto(_fd, message.data(), message.size(), MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr*>(&_address), _addressLength);
    return sent == static_cast<ssize_t>(message.size());
}

std::string SystemdNotify::monotonicUsec() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return std::to_string(static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000);
}

}  // namespace gateway
