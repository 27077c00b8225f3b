#include "gateway/apps/AppLoader.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace gateway {
namespace {

/// Closes a descriptor (and removes a temp file) when the load is over: dlopen keeps the mapping.
class PrivateCopy {
public:
    explicit PrivateCopy(const std::string& path) {
        const int source = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (source < 0) throw AppLoadError(path + ": cannot load: " + std::strerror(errno));
        const std::string base = std::filesystem::path(path).filename().string();
        _fd = memfd_create(base.c_str(), MFD_CLOEXEC);
        if (_fd >= 0) {
            _loadPath = "/proc/self/fd/" + std::to_string(_fd);
        } else {  // no memfd: a private temp file
            const char* tmp = std::getenv("TMPDIR");
            std::string name = std::string(tmp && *tmp ? tmp : "/tmp") + "/gateway-app-XXXXXX";
            _fd = ::mkostemp(name.data(), O_CLOEXEC);
            if (_fd < 0) {
                const int error = errno;
                ::close(source);
                throw AppLoadError(path + ": cannot load: private copy: " + std::strerror(error));
            }
            _tempFile = _loadPath = name;
        }
        char buffer[64 * 1024];
        for (;;) {
            const ssize_t n = ::read(source, buffer, sizeof(buffer));
            if (n == 0) break;
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 || ::write(_fd, buffer, static_cast<std::size_t>(n)) != n) {
                const int error = errno;
                ::close(source);
                throw AppLoadError(path + ": cannot load: private copy: " + std::strerror(error));
            }
        }
        ::close(source);
    }
    ~PrivateCopy() {
        if (_fd >= 0) ::close(_fd);
        if (!_tempFile.empty()) ::unlink(_tempFile.c_str());
    }
    const std::string& loadPath() const { return _loadPath; }
    /// The memfd, for the LoadedApp to keep open (-1 for a temp file, which is removed).
    int release() {
        if (!_tempFile.empty()) return -1;
        const int fd = _fd;
        _fd = -1;
        return fd;
    }

private:
    int _fd = -1;
    std::string _loadPath;
    std::string _tempFile;
};

std::string hex(std::uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof(text), "0x%08X", value);
    return text;
}

}  // namespace

std::uint32_t AppLoader::descriptorSize(std::uint32_t minor) {
    switch (minor) {
        case 0:
        case 1:  // 1.1 grew gw_host_api only (send_file), not the descriptor
            return static_cast<std::uint32_t>(offsetof(gw_app, fini) + sizeof(gw_app::fini));
        default:
            return 0;
    }
}

std::string AppLoader::versionText(std::uint32_t version) {
    return std::to_string(GW_ABI_MAJOR(version)) + "." + std::to_string(GW_ABI_MINOR(version));
}

bool AppLoader::validName(const char* name) {
    if (!name) return false;
    std::size_t length = 0;
    for (; name[length] != '\0'; ++length) {
        const char c = name[length];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok || length >= 64) return false;
    }
    return length > 0;
}

std::shared_ptr<LoadedApp> AppLoader::load(const std::string& path) {
    PrivateCopy copy(path);
    const std::string loadPath = copy.loadPath();
    return loadFrom(path, loadPath, copy.release());
}

std::shared_ptr<LoadedApp> AppLoader::loadCopy(const std::string& path, int privateFd) {
    // A descriptor of its own: while the plugin is loaded, its /proc/self/fd name must not be
    // reused for another file (dlopen would hand back this library for that name), whatever
    // becomes of `privateFd`.
    const int fd = ::fcntl(privateFd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) throw AppLoadError(path + ": cannot load: " + std::strerror(errno));
    return loadFrom(path, "/proc/self/fd/" + std::to_string(fd), fd);
}

std::shared_ptr<LoadedApp> AppLoader::loadFrom(const std::string& path, const std::string& loadPath,
                                               int copyFd) {
    const std::string host = versionText(GW_ABI_VERSION);
    dlerror();
    void* handle = dlopen(loadPath.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        if (copyFd >= 0) ::close(copyFd);
        const char* error = dlerror();
        std::string message = error ? error : "unknown dlopen error";
        // dlerror names the private copy; name the file the user knows instead.
        const std::size_t at = message.find(loadPath);
        if (at != std::string::npos) message.replace(at, loadPath.size(), path);
        throw AppLoadError(path + ": cannot load: " + message);
    }
    // From here on a refusal must dlclose again.
    auto refuse = [&](const std::string& message) {
        dlclose(handle);
        if (copyFd >= 0) ::close(copyFd);
        throw AppLoadError(path + ": " + message);
    };
    auto entry = reinterpret_cast<gw_app_entry_fn>(dlsym(handle, GW_APP_ENTRY_SYMBOL));
    if (!entry) refuse("no symbol gw_app_entry: not a gateway plugin");
    const gw_app* app = entry(GW_ABI_VERSION);
    if (!app) refuse("gw_app_entry returned NULL: the plugin refuses host ABI " + host);
    if (app->magic != GW_APP_MAGIC)
        refuse("bad magic " + hex(app->magic) + " from gw_app_entry (expected " +
               hex(GW_APP_MAGIC) + "): not a gateway plugin");
    const std::string plugin = versionText(app->abi_version);
    if (GW_ABI_MAJOR(app->abi_version) != GW_ABI_VERSION_MAJOR)
        refuse("plugin ABI " + plugin + " (gw_app_entry) is incompatible with gateway ABI " + host +
               ": different major version");
    if (GW_ABI_MINOR(app->abi_version) > GW_ABI_VERSION_MINOR)
        refuse("plugin ABI " + plugin + " (gw_app_entry) is newer than gateway ABI " + host +
               ": upgrade the gateway or build against an older SDK");
    const std::uint32_t required = descriptorSize(GW_ABI_MINOR(app->abi_version));
    if (app->size < required)
        refuse("descriptor size " + std::to_string(app->size) + " is smaller than " +
               std::to_string(required) + " required by ABI " + plugin +
               " (gw_app_entry; gateway ABI " + host + ")");
    if (!app->call) refuse("descriptor has no call function (gw_app_entry)");
    if (!validName(app->name)) {
        std::string shown;
        if (app->name)
            for (const char* p = app->name; *p && shown.size() < 80; ++p)
                shown.push_back(static_cast<unsigned char>(*p) < 0x20 ? '?' : *p);
        refuse("invalid app name \"" + shown + "\" (gw_app_entry)");
    }
    if (!app->version) refuse("descriptor has no version (gw_app_entry)");
    return std::make_shared<LoadedApp>(path, handle, copyFd, app);
}

}  // namespace gateway
