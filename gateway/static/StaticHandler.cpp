#include "gateway/static/StaticHandler.h"

#include <unistd.h>

#include <cstring>

#include <Poco/Logger.h>

#include "gateway/http/Lexer.h"
#include "gateway/http/ResponseWriter.h"
#include "gateway/static/AcceptEncoding.h"
#include "gateway/static/ByteRange.h"
#include "gateway/static/DocRootResolver.h"
#include "gateway/static/FileCache.h"
#include "gateway/static/MimeTypes.h"
#include "gateway/static/Preconditions.h"

namespace gateway {

namespace {

/// Cache key of docroot/404.html: starts with NUL, which no request path can contain.
constexpr std::string_view kNotFoundPageKey{"\0/404.html", 10};

int statusFor(DocRootResolver::Status status) {
    switch (status) {
        case DocRootResolver::Status::Ok:
            return 200;
        case DocRootResolver::Status::BadRequest:
            return 400;
        case DocRootResolver::Status::Forbidden:
            return 403;
        case DocRootResolver::Status::Refused:
        case DocRootResolver::Status::NotFound:
            return 404;
        case DocRootResolver::Status::Error:
            break;
    }
    return 500;
}

/// The request headers static serving looks at, gathered in one pass.
struct StaticHeaders {
    Preconditions::Headers conditions;
    std::string_view range;
    std::string_view ifRange;
    std::string_view acceptEncoding;

    explicit StaticHeaders(const Request& request) {
        for (std::size_t i = 0; i < request.headerCount; ++i) {
            std::string_view name = request.headers[i].name;
            std::string_view value = request.headers[i].value;
            std::string_view* slot = nullptr;
            switch (name.size()) {
                case 5:
                    slot = equalsIgnoreCase(name, "Range") ? &range : nullptr;
                    break;
                case 8:
                    if (equalsIgnoreCase(name, "If-Range"))
                        slot = &ifRange;
                    else if (equalsIgnoreCase(name, "If-Match"))
                        slot = &conditions.ifMatch;
                    break;
                case 13:
                    if (equalsIgnoreCase(name, "If-None-Match")) slot = &conditions.ifNoneMatch;
                    break;
                case 15:
                    if (equalsIgnoreCase(name, "Accept-Encoding")) slot = &acceptEncoding;
                    break;
                case 17:
                    if (equalsIgnoreCase(name, "If-Modified-Since"))
                        slot = &conditions.ifModifiedSince;
                    break;
                case 19:
                    if (equalsIgnoreCase(name, "If-Unmodified-Since"))
                        slot = &conditions.ifUnmodifiedSince;
                    break;
                default:
                    break;
            }
            if (slot && slot->empty()) *slot = value;
        }
    }
};

/// Percent-encodes a normalised relative path for a Location header (keeps '/' and pchar).
void appendEncodedPath(std::string& out, std::string_view path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (unsigned char c : path) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::strchr("-._~!$&'()*+,;=:@/", c) != nullptr;
        if (keep && c != 0) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
}

void setBody(const std::shared_ptr<const FileEntry>& file, std::uint64_t first,
             std::uint64_t length, Response& response) {
    if (file->inMemory)
        response.setMemoryBody(std::string_view(file->body).substr(first, length), file);
    else
        response.setFileBody(file->fd, first, length, file);
}

}  // namespace

StaticHandler::StaticHandler(const Settings& settings)
    : _resolver(std::make_unique<DocRootResolver>(settings.docroot)),
      _cache(std::make_unique<FileCache>(*_resolver, MimeTypes::system(), settings.fileCacheEntries,
                                         settings.fileCacheValidity)) {}

StaticHandler::~StaticHandler() = default;

HandlerResult StaticHandler::handle(const Request& request, std::string_view pathInfo,
                                    Response& response) {
    if (request.methodId != Method::Get && request.methodId != Method::Head) {
        response.header("Allow", "GET, HEAD");
        error(405, response);
        return HandlerResult::Done;
    }
    EntryPtr entry = _cache->find(pathInfo);
    if (!entry) {
        entry = resolve(request, pathInfo, response);
        if (!entry) return HandlerResult::Done;
        _cache->insert(pathInfo, entry);
    }
    serve(request, std::move(entry), response);
    return HandlerResult::Done;
}

StaticHandler::EntryPtr StaticHandler::resolve(const Request& request, std::string_view pathInfo,
                                               Response& response) {
    std::string relative;
    bool directorySyntax = false;
    DocRootResolver::Status status =
        DocRootResolver::normalize(pathInfo, relative, directorySyntax);
    if (status != DocRootResolver::Status::Ok) {
        error(statusFor(status), response);
        return nullptr;
    }
    DocRootResolver::Opened opened = _resolver->open(relative);
    if (opened.status == DocRootResolver::Status::Ok && S_ISDIR(opened.info.st_mode)) {
        ::close(opened.fd);
        if (!directorySyntax) {
            // Built from the normalised path, so "//host" can never become an open redirect.
            std::string location;
            if (request.path.size() >= pathInfo.size() &&
                request.path.substr(request.path.size() - pathInfo.size()) == pathInfo)
                location = request.path.substr(0, request.path.size() - pathInfo.size());
            location += '/';
            if (!relative.empty()) {
                appendEncodedPath(location, relative);
                location += '/';
            }
            if (!request.query.empty()) location.append("?").append(request.query);
            response.status = 301;
            response.header("Location", location);
            response.header("Content-Type", "text/html; charset=utf-8");
            response.setMemoryBody(
                "<!DOCTYPE html>\n<html><head><title>301 Moved Permanently</title></head>\n"
                "<body><h1>301 Moved Permanently</h1></body></html>\n");
            return nullptr;
        }
        relative += relative.empty() ? "index.html" : "/index.html";
        opened = _resolver->open(relative);
        if (opened.status == DocRootResolver::Status::Ok && !S_ISREG(opened.info.st_mode)) {
            ::close(opened.fd);
            opened.status = DocRootResolver::Status::NotFound;  // no directory listing
        } else if (opened.status == DocRootResolver::Status::Forbidden) {
            opened.status = DocRootResolver::Status::NotFound;
        }
    } else if (opened.status == DocRootResolver::Status::Ok && directorySyntax) {
        ::close(opened.fd);  // "/file.html/": a file is not a directory
        opened.status = DocRootResolver::Status::NotFound;
    }
    if (opened.status != DocRootResolver::Status::Ok) {
        if (opened.status == DocRootResolver::Status::Error)
            Poco::Logger::get("gateway.static")
                .error("cannot open '%s' beneath the docroot: %s", relative,
                       std::string(std::strerror(opened.error)));
        error(statusFor(opened.status), response);
        return nullptr;
    }
    return _cache->build(relative, opened.fd, opened.info);
}

void StaticHandler::serve(const Request& request, EntryPtr entry, Response& response) {
    StaticHeaders headers(request);
    if (entry->gzip && AcceptEncoding::allowsGzip(headers.acceptEncoding)) entry = entry->gzip;
    const FileEntry& file = *entry;

    switch (Preconditions::evaluate(headers.conditions, file.etag, file.mtime, true)) {
        case Preconditions::Outcome::NotModified:
            response.status = 304;
            response.rawHeaders(file.notModifiedHeaders);
            return;
        case Preconditions::Outcome::PreconditionFailed:
            error(412, response);
            return;
        case Preconditions::Outcome::Proceed:
            break;
    }

    ByteRange range;
    if (request.methodId == Method::Get && !headers.range.empty() &&
        Preconditions::ifRangeAllows(headers.ifRange, file.etag, file.mtime))
        range = ByteRange::parse(headers.range, file.size);
    if (range.kind == ByteRange::Kind::Unsatisfiable) {
        response.headers.append("Content-Range: bytes */");
        appendNumber(response.headers, file.size);
        response.headers.append("\r\n");
        error(416, response);
        return;
    }
    response.rawHeaders(file.headers);
    if (range.kind == ByteRange::Kind::Ignore) {
        response.status = 200;
        setBody(entry, 0, file.size, response);
        return;
    }
    response.status = 206;
    response.headers.append("Content-Range: bytes ");
    appendNumber(response.headers, range.first);
    response.headers.push_back('-');
    appendNumber(response.headers, range.last());
    response.headers.push_back('/');
    appendNumber(response.headers, file.size);
    response.headers.append("\r\n");
    setBody(entry, range.first, range.length, response);
}

void StaticHandler::error(int status, Response& response) {
    response.status = status;
    if (status == 404) {
        EntryPtr page = _cache->find(kNotFoundPageKey);
        if (!page) {
            DocRootResolver::Opened opened = _resolver->open("404.html");
            if (opened.status == DocRootResolver::Status::Ok) {
                if (S_ISREG(opened.info.st_mode)) {
                    page = _cache->build("404.html", opened.fd, opened.info);
                    _cache->insert(kNotFoundPageKey, page);
                } else {
                    ::close(opened.fd);
                }
            }
        }
        if (page) {
            response.header("Content-Type", page->contentType);
            setBody(page, 0, page->size, response);
            return;
        }
    }
    response.header("Content-Type", "text/html; charset=utf-8");
    _errorPage.clear();
    ResponseWriter::appendErrorPage(_errorPage, status);
    response.setMemoryBody(_errorPage);  // no pin: the connection copies what it cannot send
}

}  // namespace gateway
