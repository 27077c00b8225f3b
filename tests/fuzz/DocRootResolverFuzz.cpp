// The docroot resolver, through its public API only (normalize, open, stat), against a small real
// docroot made once per process. Properties: a normalised path has no empty, "." or ".." segment
// and no dotfile segment (but .well-known); normalising is idempotent; whatever open() accepts is
// a regular file or directory whose real path lies beneath the docroot and names no dotfile, in
// the openat2 mode and in the realpath fallback alike, and both modes agree.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "FuzzTargets.h"
#include "gateway/static/DocRootResolver.h"

namespace gateway::fuzz {

namespace {

namespace fs = std::filesystem;
using Status = DocRootResolver::Status;

/// The docroot, in a fresh directory under $TMPDIR, removed when the process exits:
///   root/index.html  root/a/b.txt  root/sub/page.html  root/.well-known/security.txt
///   root/.env  root/sub/.git/config                      dotfiles: never served
///   root/inside -> sub                                   a symlink that stays inside
///   root/escape -> ../outside  root/secret.txt -> ../outside/secret.txt   symlinks out
///   root/fifo                                            not a regular file: refused
///   outside/secret.txt                                   beside the docroot
class Sandbox {
public:
    Sandbox() {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/gateway-fuzz-XXXXXX";
        GATEWAY_FUZZ_CHECK(::mkdtemp(pattern.data()) != nullptr);
        _base = pattern;
        const fs::path root = _base / "root", outside = _base / "outside";
        for (const fs::path& dir :
             {root / "a", root / "sub" / ".git", root / ".well-known", outside})
            fs::create_directories(dir);
        for (const char* file : {"index.html", "a/b.txt", "sub/page.html",
                                 ".well-known/security.txt", ".env", "sub/.git/config"})
            std::ofstream(root / file) << file << '\n';
        std::ofstream(outside / "secret.txt") << "secret\n";
        fs::create_directory_symlink("sub", root / "inside");
        fs::create_directory_symlink("../outside", root / "escape");
        fs::create_symlink("../outside/secret.txt", root / "secret.txt");
        GATEWAY_FUZZ_CHECK(::mkfifo((root / "fifo").c_str(), 0600) == 0);

        _realRoot = fs::canonical(root).string();
        _native = std::make_unique<DocRootResolver>(root.string());
        _fallback = std::make_unique<DocRootResolver>(root.string(),
                                                      DocRootResolver::Mode::RealpathFallback);
    }
    ~Sandbox() {
        _native.reset();
        _fallback.reset();
        std::error_code ignored;
        fs::remove_all(_base, ignored);
    }
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    const DocRootResolver& native() const { return *_native; }
    const DocRootResolver& fallback() const { return *_fallback; }
    const std::string& realRoot() const { return _realRoot; }

private:
    fs::path _base;
    std::string _realRoot;
    std::unique_ptr<DocRootResolver> _native;  ///< openat2 where the kernel has it
    std::unique_ptr<DocRootResolver> _fallback;
};

const Sandbox& sandbox() {
    static const Sandbox instance;
    return instance;
}

bool isDotfile(std::string_view segment) {
    return !segment.empty() && segment[0] == '.' && segment != ".well-known";
}

/// No empty, ".", ".." or dotfile segment; no byte a served name never has.
void checkRelative(std::string_view relative) {
    std::size_t start = 0;
    while (start <= relative.size() && !relative.empty()) {
        std::size_t end = relative.find('/', start);
        if (end == std::string_view::npos) end = relative.size();
        const std::string_view segment = relative.substr(start, end - start);
        GATEWAY_FUZZ_CHECK(!segment.empty() && segment != "." && segment != "..");
        GATEWAY_FUZZ_CHECK(!isDotfile(segment));
        start = end + 1;
    }
    for (char c : relative) {
        const auto u = static_cast<unsigned char>(c);
        GATEWAY_FUZZ_CHECK(u >= 0x20 && u != 0x7f && c != '\\');
    }
}

/// The opened file's real path, through /proc: beneath the docroot, and no dotfile below it.
std::string checkContained(int fd, const std::string& realRoot) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char buffer[PATH_MAX];
    const ssize_t n = ::readlink(link, buffer, sizeof buffer - 1);
    GATEWAY_FUZZ_CHECK(n > 0);
    const std::string real(buffer, static_cast<std::size_t>(n));
    GATEWAY_FUZZ_CHECK(real.compare(0, realRoot.size(), realRoot) == 0);
    GATEWAY_FUZZ_CHECK(real.size() == realRoot.size() || real[realRoot.size()] == '/');
    const std::string below = real.substr(std::min(real.size(), realRoot.size() + 1));
    checkRelative(below);
    return below;
}

struct Opened {
    Status status;
    dev_t device = 0;
    ino_t inode = 0;
};

Opened openChecked(const DocRootResolver& resolver, const std::string& relative,
                   const std::string& realRoot) {
    DocRootResolver::Opened opened = resolver.open(relative);
    if (opened.status != Status::Ok) {
        GATEWAY_FUZZ_CHECK(opened.fd < 0);
        return {opened.status};
    }
    GATEWAY_FUZZ_CHECK(opened.fd >= 0);
    GATEWAY_FUZZ_CHECK(S_ISREG(opened.info.st_mode) || S_ISDIR(opened.info.st_mode));
    checkContained(opened.fd, realRoot);
    struct stat info {};
    GATEWAY_FUZZ_CHECK(::fstat(opened.fd, &info) == 0 && info.st_ino == opened.info.st_ino);
    ::close(opened.fd);
    struct stat byName {};
    GATEWAY_FUZZ_CHECK(resolver.stat(relative, byName) && byName.st_ino == info.st_ino);
    return {Status::Ok, info.st_dev, info.st_ino};
}

/// `relative` as a raw path again: '%' escaped, so decoding gives back the same bytes.
std::string reencode(std::string_view relative) {
    std::string raw = "/";
    for (char c : relative) {
        if (c == '%')
            raw.append("%25");
        else
            raw.push_back(c);
    }
    return raw;
}

}  // namespace

int docRootResolver(const std::uint8_t* data, std::size_t size) {
    const Sandbox& box = sandbox();
    const std::string_view raw(reinterpret_cast<const char*>(data), size);

    std::string relative;
    bool directorySyntax = false;
    if (DocRootResolver::normalize(raw, relative, directorySyntax) != Status::Ok) return 0;
    checkRelative(relative);

    std::string again;
    bool againDirectory = false;
    GATEWAY_FUZZ_CHECK(DocRootResolver::normalize(reencode(relative), again, againDirectory) ==
                       Status::Ok);
    GATEWAY_FUZZ_CHECK(again == relative);

    const Opened native = openChecked(box.native(), relative, box.realRoot());
    const Opened fallback = openChecked(box.fallback(), relative, box.realRoot());
    GATEWAY_FUZZ_CHECK((native.status == Status::Ok) == (fallback.status == Status::Ok));
    GATEWAY_FUZZ_CHECK(native.device == fallback.device && native.inode == fallback.inode);
    return 0;
}

}  // namespace gateway::fuzz

#ifdef GATEWAY_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return gateway::fuzz::docRootResolver(data, size);
}
#endif
