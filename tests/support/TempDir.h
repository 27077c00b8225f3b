#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace gateway::test {

/// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction
/// (kept when the environment sets GATEWAY_KEEP_TMP, for post-mortems).
class TempDir {
public:
    explicit TempDir(std::string_view prefix = "gateway-it");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return _path; }

    /// Writes `content` to path()/rel (parent folders created) and returns the full path.
    std::filesystem::path write(const std::filesystem::path& rel, std::string_view content) const;

private:
    std::filesystem::path _path;
};

/// Whole-file helpers (throw std::runtime_error on I/O errors).
std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, std::string_view content);

/// Sets a file's mtime (and atime) without following symlinks.
void setModificationTime(const std::filesystem::path& path,
                         std::chrono::system_clock::time_point t);

}  // namespace gateway::test
