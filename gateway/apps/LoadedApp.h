#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/gateway.h"

namespace gateway {

/// A plugin that passed the load checks: the dlopen handle and a copy of its descriptor. Shared
/// (std::shared_ptr) by its instances and their in-flight requests; the last owner dlcloses it.
class LoadedApp {
public:
    /// Takes ownership of `handle` and of `copyFd` (the private copy's descriptor, kept open while
    /// loaded so its /proc/self/fd name is never reused by another load; -1 if none). Copies the
    /// first `descriptor.size` bytes of the descriptor.
    LoadedApp(std::string path, void* handle, int copyFd, const gw_app* descriptor);
    ~LoadedApp();
    LoadedApp(const LoadedApp&) = delete;
    LoadedApp& operator=(const LoadedApp&) = delete;

    /// The plugin file as found (not the private copy that was loaded).
    const std::string& path() const noexcept { return _path; }
    const gw_app& descriptor() const noexcept { return _descriptor; }
    std::string_view name() const noexcept { return _descriptor.name; }
    std::string_view version() const noexcept { return _descriptor.version; }
    std::uint32_t abiVersion() const noexcept { return _descriptor.abi_version; }
    bool threadSafe() const noexcept { return _descriptor.flags & GW_APP_THREAD_SAFE; }
    /// GW_APP_NON_BLOCKING counts only together with GW_APP_THREAD_SAFE.
    bool nonBlocking() const noexcept {
        return threadSafe() && (_descriptor.flags & GW_APP_NON_BLOCKING);
    }
    /// GW-L021 findings about the descriptor's flags ("" when none).
    std::string flagProblems() const;

private:
    std::string _path;
    void* _handle;
    int _copyFd;
    gw_app _descriptor{};
};

}  // namespace gateway
