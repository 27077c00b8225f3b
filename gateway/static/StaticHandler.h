#pragma once

#include <memory>

#include "gateway/config/Settings.h"
#include "gateway/route/Handler.h"

namespace gateway {

class FileCache;

/// Serves files from the docroot (ARCHITECTURE.md "Static files"): GET/HEAD, index.html,
/// /dir → 301 /dir/, MIME, ETag/Last-Modified + RFC 9110 §13.2.2 preconditions, single Range,
/// precompressed .gz siblings, 404/405. Never a 200 for anything outside the docroot.
class StaticHandler : public Handler {
public:
    explicit StaticHandler(const Settings& settings);
    ~StaticHandler() override;

    HandlerResult handle(const Request& request, std::string_view pathInfo,
                         Response& response) override;

private:
    std::unique_ptr<FileCache> _cache;
    // (helper may add members)
};

}  // namespace gateway
