#include "gateway/static/FileCache.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "TempDocRoot.h"
#include "gateway/static/DocRootResolver.h"
#include "gateway/static/MimeTypes.h"

namespace gateway {
namespace {

using namespace std::chrono_literals;

class FileCacheTest : public testing::Test {
protected:
    void SetUp() override {
        docroot.write("small.txt", "small\n");
        docroot.write("big.bin", std::string(100000, 'b'));
        resolver = std::make_unique<DocRootResolver>(docroot.root());
    }

    FileCache::EntryPtr load(FileCache& cache, const std::string& relative) {
        DocRootResolver::Opened opened = resolver->open(relative);
        EXPECT_EQ(opened.status, DocRootResolver::Status::Ok) << relative;
        return cache.build(relative, opened.fd, opened.info);
    }

    test::TempDocRoot docroot;
    std::unique_ptr<DocRootResolver> resolver;
    MimeTypes mime{""};
};

TEST_F(FileCacheTest, SmallFilesLiveInMemoryLargeOnesKeepTheirDescriptor) {
    FileCache cache(*resolver, mime, 16, 0ms);
    auto small = load(cache, "small.txt");
    EXPECT_TRUE(small->inMemory);
    EXPECT_EQ(small->body, "small\n");
    EXPECT_EQ(small->fd, -1);
    auto big = load(cache, "big.bin");
    EXPECT_FALSE(big->inMemory);
    EXPECT_GE(big->fd, 0);
    EXPECT_EQ(big->size, 100000u);
    EXPECT_EQ(test::TempDocRoot::readFd(big->fd, 99990, 10), std::string(10, 'b'));
}

TEST_F(FileCacheTest, MemoryBudgetIsRespected) {
    FileCache cache(*resolver, mime, 16, 0ms, 64 * 1024, /*memoryBudget=*/8);
    auto first = load(cache, "small.txt");  // 6 bytes: fits
    EXPECT_TRUE(first->inMemory);
    cache.insert("/small.txt", first);
    EXPECT_EQ(cache.memoryBytes(), 6u);
    docroot.write("other.txt", "other\n");
    auto second = load(cache, "other.txt");  // 6 + 6 > 8: served from the descriptor
    EXPECT_FALSE(second->inMemory);
    EXPECT_GE(second->fd, 0);
}

TEST_F(FileCacheTest, HeaderBlockCarriesValidators) {
    FileCache cache(*resolver, mime, 16, 0ms);
    auto entry = load(cache, "small.txt");
    EXPECT_EQ(entry->etag.front(), '"');
    EXPECT_EQ(entry->etag.back(), '"');
    EXPECT_NE(entry->headers.find("Content-Type: text/plain; charset=utf-8\r\n"),
              std::string::npos);
    EXPECT_NE(entry->headers.find("ETag: " + entry->etag + "\r\n"), std::string::npos);
    EXPECT_NE(entry->headers.find("Last-Modified: " + entry->lastModified + "\r\n"),
              std::string::npos);
    EXPECT_NE(entry->headers.find("Accept-Ranges: bytes\r\n"), std::string::npos);
    EXPECT_EQ(entry->headers.find("Vary:"), std::string::npos);
    EXPECT_EQ(entry->notModifiedHeaders.find("Content-Type"), std::string::npos);
}

TEST_F(FileCacheTest, EtagChangesWhenTheFileChanges) {
    FileCache cache(*resolver, mime, 16, 0ms);
    auto before = load(cache, "small.txt");
    docroot.write("small.txt", "changed content\n");
    auto after = load(cache, "small.txt");
    EXPECT_NE(before->etag, after->etag);
}

TEST_F(FileCacheTest, GzipSiblingIsFoundOnceAndSharesTheMimeType) {
    docroot.write("small.txt.gz", "fake-gzip");
    FileCache cache(*resolver, mime, 16, 0ms);
    auto entry = load(cache, "small.txt");
    ASSERT_TRUE(entry->gzip);
    EXPECT_EQ(entry->gzip->body, "fake-gzip");
    EXPECT_NE(entry->gzip->etag, entry->etag);
    EXPECT_NE(entry->gzip->headers.find("Content-Type: text/plain; charset=utf-8\r\n"),
              std::string::npos);
    EXPECT_NE(entry->gzip->headers.find("Content-Encoding: gzip\r\n"), std::string::npos);
    EXPECT_NE(entry->gzip->headers.find("Vary: Accept-Encoding\r\n"), std::string::npos);
    EXPECT_NE(entry->headers.find("Vary: Accept-Encoding\r\n"), std::string::npos);
    EXPECT_EQ(entry->headers.find("Content-Encoding"), std::string::npos);
}

TEST_F(FileCacheTest, EvictsTheLeastRecentlyUsed) {
    docroot.write("c.txt", "c");
    FileCache cache(*resolver, mime, 2, 1h);
    cache.insert("/a", load(cache, "small.txt"));
    cache.insert("/b", load(cache, "big.bin"));
    EXPECT_TRUE(cache.find("/a"));  // /a is now the most recently used
    cache.insert("/c", load(cache, "c.txt"));
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_TRUE(cache.find("/a"));
    EXPECT_FALSE(cache.find("/b"));
    EXPECT_TRUE(cache.find("/c"));
}

TEST_F(FileCacheTest, EvictedEntryStaysUsableWhilePinned) {
    FileCache cache(*resolver, mime, 1, 1h);
    auto pinned = load(cache, "big.bin");
    cache.insert("/big.bin", pinned);
    cache.insert("/small.txt", load(cache, "small.txt"));
    EXPECT_FALSE(cache.find("/big.bin"));
    EXPECT_NE(::fcntl(pinned->fd, F_GETFD), -1);
    EXPECT_EQ(test::TempDocRoot::readFd(pinned->fd, 0, 3), "bbb");
}

TEST_F(FileCacheTest, ZeroCapacityCachesNothing) {
    FileCache cache(*resolver, mime, 0, 1h);
    cache.insert("/small.txt", load(cache, "small.txt"));
    EXPECT_EQ(cache.size(), 0u);
    EXPECT_FALSE(cache.find("/small.txt"));
}

TEST_F(FileCacheTest, RevalidatesOnEveryLookupWithZeroValidity) {
    FileCache cache(*resolver, mime, 16, 0ms);
    auto entry = load(cache, "small.txt");
    cache.insert("/small.txt", entry);
    EXPECT_EQ(cache.find("/small.txt"), entry);  // unchanged: same entry
    docroot.write("small.txt", "a different size\n");
    EXPECT_FALSE(cache.find("/small.txt"));
    EXPECT_EQ(cache.size(), 0u);
}

TEST_F(FileCacheTest, NoticesANewGzipSibling) {
    FileCache cache(*resolver, mime, 16, 0ms);
    cache.insert("/small.txt", load(cache, "small.txt"));
    docroot.write("small.txt.gz", "fake-gzip");
    EXPECT_FALSE(cache.find("/small.txt"));
}

TEST_F(FileCacheTest, NoticesAReplacedFileOfTheSameSize) {
    FileCache cache(*resolver, mime, 16, 0ms);
    auto entry = load(cache, "small.txt");
    cache.insert("/small.txt", entry);
    docroot.write("replacement", "SMALL\n");
    std::filesystem::rename(docroot.path("replacement"), docroot.path("small.txt"));
    EXPECT_FALSE(cache.find("/small.txt"));
}

TEST_F(FileCacheTest, TrustsEntriesWithinTheValidityPeriod) {
    FileCache cache(*resolver, mime, 16, 1h);
    auto entry = load(cache, "small.txt");
    cache.insert("/small.txt", entry);
    docroot.write("small.txt", "a different size\n");
    EXPECT_EQ(cache.find("/small.txt"), entry);
}

}  // namespace
}  // namespace gateway
