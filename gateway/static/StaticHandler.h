#pragma once

#include <memory>
#include <string>

#include "gateway/config/Settings.h"
#include "gateway/route/Handler.h"

namespace gateway {

class DocRootResolver;
class FileCache;
struct FileEntry;

/// Serves files from the docroot (ARCHITECTURE.md "Static files"): GET/HEAD, index.html,
/// /dir → 301 /dir/, MIME, ETag/Last-Modified + RFC 9110 §13.2.2 preconditions, single Range,
/// precompressed .gz siblings, 404/405. Never a 200 for anything outside the docroot.
///
/// Choices: a directory without index.html is 404 (no listing, and nothing tells a client that the
/// directory exists); refused paths (escapes, dotfiles, symlinks out, special files) are 404; a
/// malformed percent-encoding or an encoded NUL is 400; a permission error is 403. The 404 body is
/// docroot/404.html when present. Range is honoured for GET only (RFC 9110 §14.2), and applies to
/// the representation actually sent (the .gz one when chosen).
///
/// Throws std::runtime_error from the constructor when the docroot cannot be opened.
class StaticHandler : public Handler {
public:
    explicit StaticHandler(const Settings& settings);
    ~StaticHandler() override;

    HandlerResult handle(const Request& request, std::string_view pathInfo,
                         Response& response) override;

private:
    using EntryPtr = std::shared_ptr<const FileEntry>;

    /// Resolves `pathInfo` on a cache miss: fills `response` and returns nullptr for 301 / errors.
    EntryPtr resolve(const Request& request, std::string_view pathInfo, Response& response);
    void serve(const Request& request, EntryPtr entry, Response& response);
    void error(int status, Response& response);

    std::unique_ptr<DocRootResolver> _resolver;
    std::unique_ptr<FileCache> _cache;
    std::string _errorPage;  ///< the built-in error page, reused (loop thread only)
};

}  // namespace gateway
