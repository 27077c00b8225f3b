#pragma once

#include <ctime>
#include <string_view>

namespace gateway {

/// RFC 9110 §13.2.2: evaluating conditional requests, as pure decisions over header values and a
/// representation's validators (a strong ETag such as "\"1a-2b-3c\"" and its Last-Modified second).
class Preconditions {
public:
    enum class Outcome : unsigned char {
        Proceed,             ///< serve normally (possibly a Range)
        NotModified,         ///< 304
        PreconditionFailed,  ///< 412
    };

    /// The conditional header values of a request; empty = absent.
    struct Headers {
        std::string_view ifMatch;
        std::string_view ifNoneMatch;
        std::string_view ifModifiedSince;
        std::string_view ifUnmodifiedSince;
    };

    /// Steps 1–4: If-Match (strong), else If-Unmodified-Since; then If-None-Match (weak), else
    /// If-Modified-Since (GET/HEAD only). Invalid dates are ignored.
    static Outcome evaluate(const Headers& headers, std::string_view etag, std::time_t lastModified,
                            bool getOrHead);

    /// Step 5: whether a Range may be honoured given If-Range (absent → true). An entity-tag must
    /// match strongly, a date exactly; anything else means "send the whole representation".
    static bool ifRangeAllows(std::string_view ifRange, std::string_view etag,
                              std::time_t lastModified);

    /// Whether `etag` is in an entity-tag list ("*" matches anything). Strong comparison never
    /// matches a W/ tag; weak comparison ignores W/. A malformed list matches nothing from the
    /// first malformed element on.
    static bool listMatches(std::string_view list, std::string_view etag, bool strong);
};

}  // namespace gateway
