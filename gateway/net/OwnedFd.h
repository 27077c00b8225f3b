#pragma once

#include <unistd.h>

#include <utility>

namespace gateway {

/// A descriptor closed on scope exit unless released. Also a body's pin (Response::pin): the
/// file an app handed over with send_file stays open exactly as long as it is being sent.
struct OwnedFd {
    int fd = -1;

    explicit OwnedFd(int descriptor) noexcept : fd(descriptor) {}
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    ~OwnedFd() {
        if (fd >= 0) ::close(fd);
    }
    int release() noexcept { return std::exchange(fd, -1); }
};

}  // namespace gateway
