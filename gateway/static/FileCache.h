#pragma once

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gateway {

class DocRootResolver;
class MimeTypes;

/// One representation of a file, ready to send: validators, a prebuilt header block and either the
/// whole body in memory (small files: one writev with the headers) or an open descriptor
/// (sendfile). Immutable once built; shared so an in-flight response pins it (Response::pin).
struct FileEntry {
    std::string relative;      ///< path beneath the docroot, for revalidation
    std::string gzipRelative;  ///< relative + ".gz" (only on an identity entry)
    int fd = -1;               ///< open descriptor when !inMemory; closed with the entry
    bool inMemory = false;
    std::string body;  ///< the whole content when inMemory

    std::uint64_t size = 0;
    dev_t device = 0;
    ino_t inode = 0;
    std::int64_t mtimeNs = 0;
    std::time_t mtime = 0;  ///< Last-Modified, in seconds

    std::string etag;          ///< strong: "\"<hex inode>-<hex size>-<hex mtime ns>\""
    std::string lastModified;  ///< IMF-fixdate
    std::string contentType;
    /// Content-Type, [Content-Encoding,] ETag, Last-Modified, Accept-Ranges, [Vary]: for 200/206.
    std::string headers;
    /// ETag, Last-Modified, [Vary]: for 304.
    std::string notModifiedHeaders;

    std::shared_ptr<const FileEntry> gzip;  ///< the precompressed sibling, if any

    FileEntry() = default;
    FileEntry(const FileEntry&) = delete;
    FileEntry& operator=(const FileEntry&) = delete;
    ~FileEntry();

    /// Same file and same content version as `info` describes.
    bool sameFile(const struct stat& info) const noexcept;
};

/// Open-file cache keyed by request path: bounded (least recently used entries are dropped, their
/// descriptors closed once no response pins them) and revalidated by a stat of the file (and of its
/// .gz sibling) when an entry is older than `validity` (0 = on every lookup). Thread-safe.
class FileCache {
public:
    using EntryPtr = std::shared_ptr<const FileEntry>;

    static constexpr std::uint64_t kSmallFileLimit = 64 * 1024;       ///< kept in memory up to this
    static constexpr std::uint64_t kMemoryBudget = 64 * 1024 * 1024;  ///< all in-memory bodies

    FileCache(const DocRootResolver& resolver, const MimeTypes& mimeTypes, std::size_t capacity,
              std::chrono::milliseconds validity, std::uint64_t smallFileLimit = kSmallFileLimit,
              std::uint64_t memoryBudget = kMemoryBudget);
    ~FileCache();

    /// The entry for `key`, or nullptr on a miss or when revalidation found the file changed (the
    /// stale entry is dropped). A hit is one hash lookup, plus stats when the entry is due.
    EntryPtr find(std::string_view key);

    /// Builds the entry for a regular file opened beneath the docroot as `relative` (takes
    /// ownership of `fd`), including its .gz sibling. The MIME type comes from `relative`.
    EntryPtr build(const std::string& relative, int fd, const struct stat& info);

    /// Caches `entry` under `key` (replacing any), evicting the least recently used beyond
    /// capacity.
    void insert(std::string_view key, EntryPtr entry);

    std::size_t size() const;
    std::uint64_t memoryBytes() const;

private:
    struct Node {
        std::string key;
        EntryPtr entry;
        std::chrono::steady_clock::time_point checkedAt;
    };
    using List = std::list<Node>;

    std::shared_ptr<FileEntry> buildOne(const std::string& relative, int fd,
                                        const struct stat& info, std::string_view contentType,
                                        bool gzipped, bool vary);
    bool stillValid(const FileEntry& entry) const;
    void erase(List::iterator node);
    static std::uint64_t bodyBytes(const FileEntry& entry) noexcept;

    const DocRootResolver& _resolver;
    const MimeTypes& _mimeTypes;
    const std::size_t _capacity;
    const std::chrono::milliseconds _validity;
    const std::uint64_t _smallFileLimit;
    const std::uint64_t _memoryBudget;

    mutable std::mutex _mutex;
    List _lru;                                                    ///< most recently used first
    std::unordered_map<std::string_view, List::iterator> _index;  ///< views into Node::key
    std::uint64_t _memoryBytes = 0;
};

}  // namespace gateway
