#include "gateway/apps/LoadedApp.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace gateway {

LoadedApp::LoadedApp(std::string path, void* handle, int copyFd, const gw_app* descriptor)
    : _path(std::move(path)), _handle(handle), _copyFd(copyFd) {
    std::memcpy(&_descriptor, descriptor, std::min<std::size_t>(descriptor->size, sizeof(gw_app)));
}

LoadedApp::~LoadedApp() {
    if (_handle) dlclose(_handle);
    if (_copyFd >= 0) ::close(_copyFd);
}

std::string LoadedApp::flagProblems() const {
    const std::uint32_t flags = _descriptor.flags;
    std::string problems;
    if (flags & ~(GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING))
        problems = "unknown descriptor flag bits";
    if ((flags & GW_APP_NON_BLOCKING) && !(flags & GW_APP_THREAD_SAFE))
        problems.append(problems.empty() ? "" : "; ")
            .append("GW_APP_NON_BLOCKING without GW_APP_THREAD_SAFE is ignored");
    return problems;
}

}  // namespace gateway
