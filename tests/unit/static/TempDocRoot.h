#pragma once

// Test helper for tests/unit/static: a throw-away docroot with a secret file placed next to it.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace gateway::test {

/// <tmp>/gw-static-XXXXXX/{secret, docroot/...}; removed again on destruction.
class TempDocRoot {
public:
    static constexpr const char* kSecret = "TOP SECRET: outside the docroot\n";

    TempDocRoot() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "gw-static-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        _base = pattern;
        _root = _base / "docroot";
        std::filesystem::create_directory(_root);
        writeRaw(_base / "secret", kSecret);
    }
    ~TempDocRoot() {
        std::error_code ignored;
        std::filesystem::remove_all(_base, ignored);
    }
    TempDocRoot(const TempDocRoot&) = delete;
    TempDocRoot& operator=(const TempDocRoot&) = delete;

    std::string root() const { return _root.string(); }
    std::string base() const { return _base.string(); }
    std::filesystem::path path(const std::string& relative) const { return _root / relative; }

    /// Writes docroot/<relative>, creating parent directories.
    void write(const std::string& relative, const std::string& content) const {
        std::filesystem::create_directories(path(relative).parent_path());
        writeRaw(path(relative), content);
    }
    void mkdir(const std::string& relative) const {
        std::filesystem::create_directories(path(relative));
    }
    void symlink(const std::string& target, const std::string& relative) const {
        std::filesystem::create_directories(path(relative).parent_path());
        std::filesystem::create_symlink(target, path(relative));
    }
    void setMtime(const std::string& relative, std::time_t seconds) const {
        struct timespec times[2] = {{seconds, 0}, {seconds, 0}};
        ::utimensat(AT_FDCWD, path(relative).c_str(), times, 0);
    }

    static void writeRaw(const std::filesystem::path& file, const std::string& content) {
        int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) throw std::runtime_error("cannot write " + file.string());
        std::size_t done = 0;
        while (done < content.size()) {
            ssize_t n = ::write(fd, content.data() + done, content.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
    }

    static std::string readFd(int fd, std::uint64_t offset, std::uint64_t length) {
        std::string out(length, '\0');
        std::uint64_t done = 0;
        while (done < length) {
            ssize_t n =
                ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
            if (n <= 0) break;
            done += static_cast<std::uint64_t>(n);
        }
        out.resize(done);
        return out;
    }

private:
    std::filesystem::path _base;
    std::filesystem::path _root;
};

}  // namespace gateway::test
