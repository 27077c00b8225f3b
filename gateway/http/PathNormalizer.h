#pragma once

#include <string>
#include <string_view>

#include "gateway/detail/http_lexer.hpp"

namespace gateway {

/// The one percent-decoder and dot-segment remover, for the docroot resolver and for PATH_INFO.
/// Its rules live in the SDK's detail header (detail::normalizePath), which the fake host in
/// gateway/testing.hpp uses too, so static files, apps and app tests agree on every path.
class PathNormalizer {
public:
    using Result = detail::PathResult;
    using Policy = detail::PathPolicy;

    /// PATH_INFO: must start with '/', empty segments kept.
    static constexpr Policy kPathInfo = detail::kPathInfoPolicy;
    /// A file below the docroot: "//" collapsed, dotfiles (but .well-known) and unsafe bytes
    /// refused.
    static constexpr Policy kFile = detail::kFilePolicy;

    /// Decodes and normalises `raw` into `out` ("" for "", else "/" + segments; a trailing '/'
    /// exactly when the path names a directory by its form). `out` is unspecified unless Ok.
    static Result normalize(std::string_view raw, std::string& out, const Policy& policy);

    /// BadEscape, Nul, NotRooted: the request is malformed (400), whatever the policy.
    static constexpr bool malformed(Result result) noexcept { return detail::isMalformed(result); }
};

}  // namespace gateway
