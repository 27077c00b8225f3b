#include "gateway/static/Preconditions.h"

#include "gateway/http/DateCache.h"
#include "gateway/http/Request.h"

namespace gateway {

bool Preconditions::listMatches(std::string_view list, std::string_view etag, bool strong) {
    list = trimOws(list);
    if (list == "*") return true;
    std::size_t i = 0;
    const std::size_t n = list.size();
    while (i < n) {
        while (i < n && (isOws(list[i]) || list[i] == ',')) ++i;
        if (i == n) break;
        bool weak = false;
        if (list.compare(i, 2, "W/") == 0) {
            weak = true;
            i += 2;
        }
        if (i == n || list[i] != '"') return false;
        std::size_t close = list.find('"', i + 1);
        if (close == std::string_view::npos) return false;
        if (list.substr(i, close - i + 1) == etag && !(strong && weak)) return true;
        i = close + 1;
        while (i < n && isOws(list[i])) ++i;
        if (i < n && list[i] != ',') return false;
    }
    return false;
}

Preconditions::Outcome Preconditions::evaluate(const Headers& headers, std::string_view etag,
                                               std::time_t lastModified, bool getOrHead) {
    // 1. If-Match, else 2. If-Unmodified-Since.
    if (!headers.ifMatch.empty()) {
        if (!listMatches(headers.ifMatch, etag, true)) return Outcome::PreconditionFailed;
    } else if (!headers.ifUnmodifiedSince.empty()) {
        std::optional<std::time_t> date = parseHttpDate(trimOws(headers.ifUnmodifiedSince));
        if (date && lastModified > *date) return Outcome::PreconditionFailed;
    }
    // 3. If-None-Match, else 4. If-Modified-Since.
    if (!headers.ifNoneMatch.empty()) {
        if (listMatches(headers.ifNoneMatch, etag, false))
            return getOrHead ? Outcome::NotModified : Outcome::PreconditionFailed;
    } else if (getOrHead && !headers.ifModifiedSince.empty()) {
        std::optional<std::time_t> date = parseHttpDate(trimOws(headers.ifModifiedSince));
        if (date && lastModified <= *date) return Outcome::NotModified;
    }
    return Outcome::Proceed;
}

bool Preconditions::ifRangeAllows(std::string_view ifRange, std::string_view etag,
                                  std::time_t lastModified) {
    ifRange = trimOws(ifRange);
    if (ifRange.empty()) return true;
    if (ifRange.front() == '"' || ifRange.substr(0, 2) == "W/") {
        // Exactly one strong entity-tag, compared strongly.
        return ifRange.front() == '"' && ifRange == etag;
    }
    std::optional<std::time_t> date = parseHttpDate(ifRange);
    return date && *date == lastModified;
}

}  // namespace gateway
