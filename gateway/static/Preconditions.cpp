#include "gateway/static/Preconditions.h"

#include "gateway/conditional.hpp"
#include "gateway/http.h"
#include "gateway/http/DateCache.h"
#include "gateway/http/Request.h"

namespace gateway {

// The rules live in the SDK (gateway/http.h), shared with plugins; these calls allocate nothing.
using sdk::detail::cStr;

bool Preconditions::listMatches(std::string_view list, std::string_view etag, bool strong) {
    return gw_etag_matches(cStr(list), cStr(etag), strong ? 1 : 0) != 0;
}

Preconditions::Outcome Preconditions::evaluate(const Headers& headers, std::string_view etag,
                                               std::time_t lastModified, bool getOrHead) {
    switch (gw_http_preconditions(cStr(headers.ifMatch), cStr(headers.ifNoneMatch),
                                  cStr(headers.ifModifiedSince), cStr(headers.ifUnmodifiedSince),
                                  getOrHead ? 1 : 0, cStr(etag), 1,
                                  static_cast<std::int64_t>(lastModified))) {
        case GW_PRECONDITION_NOT_MODIFIED:
            return Outcome::NotModified;
        case GW_PRECONDITION_FAILED:
            return Outcome::PreconditionFailed;
        default:
            return Outcome::Proceed;
    }
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
