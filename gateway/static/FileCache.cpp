#include "gateway/static/FileCache.h"

#include <unistd.h>

#include <cerrno>

#include "gateway/http/DateCache.h"
#include "gateway/http/Lexer.h"
#include "gateway/static/DocRootResolver.h"
#include "gateway/static/MimeTypes.h"

namespace gateway {

namespace {

std::int64_t mtimeNanoseconds(const struct stat& info) noexcept {
    return static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
}

void appendHeader(std::string& out, std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
}

/// Reads the whole file; false on an error or when it changed size underneath.
bool readAll(int fd, std::uint64_t size, std::string& body) {
    body.resize(size);
    std::uint64_t done = 0;
    while (done < size) {
        ssize_t n = ::pread(fd, body.data() + done, size - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::uint64_t>(n);
    }
    return true;
}

}  // namespace

FileEntry::~FileEntry() {
    if (fd >= 0) ::close(fd);
}

bool FileEntry::sameFile(const struct stat& info) const noexcept {
    return S_ISREG(info.st_mode) && info.st_dev == device && info.st_ino == inode &&
           static_cast<std::uint64_t>(info.st_size) == size && mtimeNanoseconds(info) == mtimeNs;
}

FileCache::FileCache(const DocRootResolver& resolver, const MimeTypes& mimeTypes,
                     std::size_t capacity, std::chrono::milliseconds validity,
                     std::uint64_t smallFileLimit, std::uint64_t memoryBudget)
    : _resolver(resolver),
      _mimeTypes(mimeTypes),
      _capacity(capacity),
      _validity(validity),
      _smallFileLimit(smallFileLimit),
      _memoryBudget(memoryBudget) {
    _index.reserve(capacity);
}

FileCache::~FileCache() = default;

std::uint64_t FileCache::bodyBytes(const FileEntry& entry) noexcept {
    return entry.body.size() + (entry.gzip ? entry.gzip->body.size() : 0);
}

FileCache::EntryPtr FileCache::find(std::string_view key) {
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _index.find(key);
    if (it == _index.end()) return nullptr;
    List::iterator node = it->second;
    auto now = std::chrono::steady_clock::now();
    if (_validity.count() == 0 || now - node->checkedAt >= _validity) {
        if (!stillValid(*node->entry)) {
            erase(node);
            return nullptr;
        }
        node->checkedAt = now;
    }
    if (node != _lru.begin()) _lru.splice(_lru.begin(), _lru, node);
    return node->entry;
}

bool FileCache::stillValid(const FileEntry& entry) const {
    struct stat info;
    if (!_resolver.stat(entry.relative, info) || !entry.sameFile(info)) return false;
    bool gzipNow = _resolver.stat(entry.gzipRelative, info) && S_ISREG(info.st_mode);
    if (!entry.gzip) return !gzipNow;
    return gzipNow && entry.gzip->sameFile(info);
}

void FileCache::erase(List::iterator node) {
    _memoryBytes -= bodyBytes(*node->entry);
    _index.erase(std::string_view(node->key));
    _lru.erase(node);
}

void FileCache::insert(std::string_view key, EntryPtr entry) {
    if (_capacity == 0 || !entry) return;
    std::lock_guard<std::mutex> lock(_mutex);
    if (auto it = _index.find(key); it != _index.end()) erase(it->second);
    _lru.push_front(Node{std::string(key), std::move(entry), std::chrono::steady_clock::now()});
    _index.emplace(std::string_view(_lru.front().key), _lru.begin());
    _memoryBytes += bodyBytes(*_lru.front().entry);
    while (_lru.size() > _capacity) erase(std::prev(_lru.end()));
}

std::size_t FileCache::size() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _lru.size();
}

std::uint64_t FileCache::memoryBytes() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _memoryBytes;
}

FileCache::EntryPtr FileCache::build(const std::string& relative, int fd, const struct stat& info) {
    std::string_view contentType = _mimeTypes.lookup(relative);
    std::string gzipRelative = relative + ".gz";
    EntryPtr gzip;
    DocRootResolver::Opened sibling = _resolver.open(gzipRelative);
    if (sibling.status == DocRootResolver::Status::Ok) {
        if (S_ISREG(sibling.info.st_mode))
            gzip = buildOne(gzipRelative, sibling.fd, sibling.info, contentType, true, true);
        else
            ::close(sibling.fd);
    }
    std::shared_ptr<FileEntry> entry =
        buildOne(relative, fd, info, contentType, false, gzip != nullptr);
    entry->gzipRelative = std::move(gzipRelative);
    entry->gzip = std::move(gzip);
    return entry;
}

std::shared_ptr<FileEntry> FileCache::buildOne(const std::string& relative, int fd,
                                               const struct stat& info,
                                               std::string_view contentType, bool gzipped,
                                               bool vary) {
    auto entry = std::make_shared<FileEntry>();
    entry->relative = relative;
    entry->fd = fd;
    entry->size = static_cast<std::uint64_t>(info.st_size);
    entry->device = info.st_dev;
    entry->inode = info.st_ino;
    entry->mtimeNs = mtimeNanoseconds(info);
    entry->mtime = info.st_mtim.tv_sec;
    entry->contentType = contentType;

    entry->etag = "\"";
    appendNumber(entry->etag, static_cast<std::uint64_t>(info.st_ino), 16);
    entry->etag += '-';
    appendNumber(entry->etag, entry->size, 16);
    entry->etag += '-';
    appendNumber(entry->etag, static_cast<std::uint64_t>(entry->mtimeNs), 16);
    entry->etag += '"';
    entry->lastModified = formatHttpDate(entry->mtime);

    appendHeader(entry->headers, "Content-Type", entry->contentType);
    if (gzipped) appendHeader(entry->headers, "Content-Encoding", "gzip");
    appendHeader(entry->headers, "ETag", entry->etag);
    appendHeader(entry->headers, "Last-Modified", entry->lastModified);
    appendHeader(entry->headers, "Accept-Ranges", "bytes");
    appendHeader(entry->notModifiedHeaders, "ETag", entry->etag);
    appendHeader(entry->notModifiedHeaders, "Last-Modified", entry->lastModified);
    if (vary) {
        appendHeader(entry->headers, "Vary", "Accept-Encoding");
        appendHeader(entry->notModifiedHeaders, "Vary", "Accept-Encoding");
    }

    bool small = entry->size <= _smallFileLimit;
    bool fits;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        fits = _memoryBytes + entry->size <= _memoryBudget;
    }
    if (small && fits && readAll(fd, entry->size, entry->body)) {
        entry->inMemory = true;
        ::close(entry->fd);
        entry->fd = -1;
    } else {
        entry->body.clear();
        entry->body.shrink_to_fit();
    }
    return entry;
}

}  // namespace gateway
