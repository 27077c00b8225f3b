#include "gateway/apps/PluginSet.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "gateway/net/OwnedFd.h"

namespace gateway {
namespace {

[[noreturn]] void cannotRead(const std::string& path, const char* what, int error) {
    throw std::runtime_error(path + ": cannot read plugin: " + what + ": " + std::strerror(error));
}

/// The whole of `path` in a memfd that nobody can change any more (not even through a shared
/// writable mapping): what a worker maps is exactly what was read here.
int sealedCopy(const std::string& path) {
    OwnedFd source{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (source.fd < 0) cannotRead(path, "open", errno);
    const std::string name = std::filesystem::path(path).filename().string();
    OwnedFd copy{memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING)};
    if (copy.fd < 0) cannotRead(path, "memfd_create", errno);
    for (;;) {
        const ssize_t n = ::sendfile(copy.fd, source.fd, nullptr, 1 << 20);
        if (n == 0) break;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) cannotRead(path, "copy", errno);
    }
    if (::fcntl(copy.fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) !=
        0)
        cannotRead(path, "seal", errno);
    return copy.release();
}

}  // namespace

std::shared_ptr<const PluginSet> PluginSet::snapshot(const std::string& dir) {
    auto set = std::make_shared<PluginSet>();
    set->_dir = dir;
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
        set->_missingFolder = true;
        return set;
    }
    std::vector<std::string> paths;
    std::filesystem::directory_iterator entries(dir, error);
    if (error) throw std::runtime_error(dir + ": cannot list apps folder: " + error.message());
    for (const auto& entry : entries)
        if (entry.path().extension() == ".so" && entry.is_regular_file(error))
            paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
    set->_files.reserve(paths.size());
    for (auto& path : paths) {
        const int fd = sealedCopy(path);
        set->_files.push_back({std::move(path), fd});
    }
    return set;
}

PluginSet::~PluginSet() {
    for (const File& file : _files) ::close(file.fd);
}

}  // namespace gateway
