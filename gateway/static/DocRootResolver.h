#pragma once

#include <sys/stat.h>

#include <string>
#include <string_view>

namespace gateway {

/// Maps a raw (percent-encoded) request path to a file beneath the docroot, safely.
///
/// normalize() is pure (PathNormalizer with its file policy): it percent-decodes once, collapses
/// "//" and "/./", resolves ".." inside the path and refuses anything that would climb above the
/// docroot, a NUL, a malformed escape, a backslash, control bytes, overlong UTF-8 lead bytes and
/// dotfile segments (.git, .env; ".well-known" is allowed). open() then opens the normalised path
/// relative to a docroot directory descriptor with openat2(RESOLVE_BENEATH |
/// RESOLVE_NO_MAGICLINKS), so symlinks may not leave the docroot either. Where openat2 is
/// unavailable (ENOSYS, or EPERM from an old seccomp filter) it falls back to openat + a check of
/// the opened file's real path against the docroot's.
class DocRootResolver {
public:
    enum class Status : unsigned char {
        Ok,
        BadRequest,  ///< malformed percent-encoding or NUL → 400
        Refused,     ///< escape, dotfile, symlink out, special file → 404
        NotFound,    ///< does not exist → 404
        Forbidden,   ///< permission denied by the file system → 403
        Error,       ///< server-side failure (EMFILE, EIO, ...) → 500
    };
    enum class Mode : unsigned char { Auto, Openat2, RealpathFallback };

    /// Opens the docroot; throws std::runtime_error naming it when it is not an openable directory.
    explicit DocRootResolver(const std::string& docroot, Mode mode = Mode::Auto);
    ~DocRootResolver();
    DocRootResolver(const DocRootResolver&) = delete;
    DocRootResolver& operator=(const DocRootResolver&) = delete;

    /// Decodes and normalises `rawPath` into `relative` ("" = the docroot itself, otherwise
    /// segments joined by '/', no leading or trailing slash). `directorySyntax` tells whether the
    /// path names a directory by its form ("/", "/a/", "/a/."). `relative` is left unspecified
    /// unless Ok.
    static Status normalize(std::string_view rawPath, std::string& relative, bool& directorySyntax);

    struct Opened {
        Status status = Status::NotFound;
        int fd = -1;    ///< owned by the caller when status is Ok
        int error = 0;  ///< errno behind a NotFound/Refused/Forbidden/Error from the open
        struct stat info {};
    };
    /// Opens a normalised `relative` path beneath the docroot (read-only, close-on-exec,
    /// non-blocking so a FIFO cannot stall the loop). Only regular files and directories are Ok.
    Opened open(const std::string& relative) const;

    /// stat() of a normalised path (follows symlinks; no containment check: used only to compare
    /// against a cached entry's identity, which was checked when it was opened).
    bool stat(const std::string& relative, struct stat& info) const;

    bool usesOpenat2() const noexcept { return _openat2; }
    const std::string& docroot() const noexcept { return _realRoot; }

private:
    int openRaw(const std::string& relative, int& error) const;
    bool contained(int fd, const std::string& relative) const;

    int _dirFd = -1;
    bool _openat2 = false;
    std::string _realRoot;  ///< realpath of the docroot, for the fallback check
};

}  // namespace gateway
