#include "gateway/static/DocRootResolver.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <stdexcept>

#include "gateway/http/Lexer.h"

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
    relative.clear();
    directorySyntax = false;
    // Segments are decoded straight into `relative`, each followed by '/' while in progress; the
    // current one starts at `segmentStart`. A decoded '/' (%2F) separates segments like a literal
    // one, so "..%2f" is a ".." segment, never a file name.
    std::size_t segmentStart = 0;
    bool sawSeparator = false;
    auto finishSegment = [&]() -> Status {
        std::string_view segment(relative.data() + segmentStart, relative.size() - segmentStart);
        if (segment.empty() || segment == ".") {
            relative.resize(segmentStart);
            directorySyntax = sawSeparator;
        } else if (segment == "..") {
            if (segmentStart == 0) return Status::Refused;  // would climb above the docroot
            std::size_t slash = relative.rfind('/', segmentStart - 2);
            relative.resize(slash == std::string::npos ? 0 : slash + 1);
            directorySyntax = true;
        } else if (segment[0] == '.' && segment != ".well-known") {
            return Status::Refused;  // dotfiles and dot-directories: .git, .env, .htpasswd
        } else {
            relative.push_back('/');
            directorySyntax = false;
        }
        segmentStart = relative.size();
        return Status::Ok;
    };

    for (std::size_t i = 0; i < rawPath.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(rawPath[i]);
        if (c == '%') {
            if (i + 2 >= rawPath.size()) return Status::BadRequest;
            int high = hexValue(rawPath[i + 1]), low = hexValue(rawPath[i + 2]);
            if (high < 0 || low < 0) return Status::BadRequest;
            c = static_cast<unsigned char>(high * 16 + low);
            i += 2;
        }
        if (c == 0) return Status::BadRequest;
        // Backslash (a separator elsewhere), control bytes and bytes that never start valid UTF-8
        // (0xC0/0xC1 only begin overlong forms such as %c0%ae for '.') are never in a served name.
        if (c == '\\' || c < 0x20 || c == 0x7f || c == 0xc0 || c == 0xc1 || c >= 0xf5)
            return Status::Refused;
        if (c == '/') {
            sawSeparator = true;
            if (Status s = finishSegment(); s != Status::Ok) return s;
            continue;
        }
        relative.push_back(static_cast<char>(c));
    }
    if (Status s = finishSegment(); s != Status::Ok) return s;
    if (!relative.empty()) relative.pop_back();  // the last kept segment's '/'
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
