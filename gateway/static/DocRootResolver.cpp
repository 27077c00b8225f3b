#include "gateway/static/DocRootResolver.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <stdexcept>

#include "gateway/http/PathNormalizer.h"

namespace gateway {

namespace {

constexpr int kOpenFlags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;

int openat2Call(int dirFd, const char* path) noexcept {
    struct open_how how {};
    how.flags = kOpenFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    return static_cast<int>(::syscall(SYS_openat2, dirFd, path, &how, sizeof how));
}

const char* pathOrDot(const std::string& relative) noexcept {
    return relative.empty() ? "." : relative.c_str();
}

DocRootResolver::Status statusFor(int error) noexcept {
    using Status = DocRootResolver::Status;
    switch (error) {
        case ENOENT:
        case ENOTDIR:
        case ENAMETOOLONG:
            return Status::NotFound;
        case EXDEV:  // RESOLVE_BENEATH: the path (or a symlink in it) leaves the docroot
        case ELOOP:
            return Status::Refused;
        case EACCES:
        case EPERM:
            return Status::Forbidden;
        default:
            return Status::Error;
    }
}

}  // namespace

DocRootResolver::DocRootResolver(const std::string& docroot, Mode mode) {
    _dirFd = ::open(docroot.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (_dirFd < 0) throw std::runtime_error("cannot open docroot '" + docroot + "'");
    char buffer[PATH_MAX];
    if (!::realpath(docroot.c_str(), buffer)) {
        ::close(_dirFd);
        throw std::runtime_error("cannot resolve docroot '" + docroot + "'");
    }
    _realRoot = buffer;
    if (mode == Mode::Auto) {
        int fd = openat2Call(_dirFd, ".");
        _openat2 = fd >= 0 || (errno != ENOSYS && errno != EPERM);
        if (fd >= 0) ::close(fd);
    } else {
        _openat2 = mode == Mode::Openat2;
    }
}

DocRootResolver::~DocRootResolver() {
    if (_dirFd >= 0) ::close(_dirFd);
}

DocRootResolver::Status DocRootResolver::normalize(std::string_view rawPath, std::string& relative,
                                                   bool& directorySyntax) {
    using Result = PathNormalizer::Result;
    const Result result = PathNormalizer::normalize(rawPath, relative, PathNormalizer::kFile);
    if (result != Result::Ok)
        return PathNormalizer::malformed(result) ? Status::BadRequest : Status::Refused;
    // "/a/b/" → "a/b" and a directory by its form; "" (an empty path) is the docroot itself.
    directorySyntax = !relative.empty() && relative.back() == '/';
    if (directorySyntax) relative.pop_back();
    if (!relative.empty()) relative.erase(0, 1);
    return Status::Ok;
}

int DocRootResolver::openRaw(const std::string& relative, int& error) const {
    int fd = _openat2 ? openat2Call(_dirFd, pathOrDot(relative))
                      : ::openat(_dirFd, pathOrDot(relative), kOpenFlags);
    error = fd < 0 ? errno : 0;
    return fd;
}

bool DocRootResolver::contained(int fd, const std::string& relative) const {
    char link[64];
    char buffer[PATH_MAX];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = ::readlink(link, buffer, sizeof buffer - 1);
    std::string real;
    if (n > 0) {
        real.assign(buffer, static_cast<std::size_t>(n));
    } else {
        std::string full = _realRoot + "/" + relative;
        if (!::realpath(full.c_str(), buffer)) return false;
        real = buffer;
    }
    if (real.compare(0, _realRoot.size(), _realRoot) != 0) return false;
    return real.size() == _realRoot.size() || real[_realRoot.size()] == '/' || _realRoot == "/";
}

DocRootResolver::Opened DocRootResolver::open(const std::string& relative) const {
    Opened result;
    int error = 0;
    int fd = openRaw(relative, error);
    if (fd < 0) {
        result.status = statusFor(error);
        result.error = error;
        return result;
    }
    if (!_openat2 && !contained(fd, relative)) {
        ::close(fd);
        result.status = Status::Refused;
        return result;
    }
    if (::fstat(fd, &result.info) != 0) {
        ::close(fd);
        result.status = Status::Error;
        return result;
    }
    if (!S_ISREG(result.info.st_mode) && !S_ISDIR(result.info.st_mode)) {
        ::close(fd);
        result.status = Status::Refused;  // FIFOs, sockets, devices
        return result;
    }
    result.status = Status::Ok;
    result.fd = fd;
    return result;
}

bool DocRootResolver::stat(const std::string& relative, struct stat& info) const {
    return ::fstatat(_dirFd, pathOrDot(relative), &info, 0) == 0;
}

}  // namespace gateway
