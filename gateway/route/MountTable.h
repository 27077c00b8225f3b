#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gateway {

class Handler;

/// Prefix → handler, longest prefix first, matched on segment boundaries: "/api" matches "/api"
/// and "/api/x", never "/apix". A prefix of "/" (or "") matches everything.
class MountTable {
public:
    struct Mount {
        std::string prefix;  ///< normalised: leading '/', no trailing '/' (root is "")
        Handler* handler;
    };

    /// Throws std::invalid_argument when `prefix` is already mounted.
    void add(std::string_view prefix, Handler& handler);

    /// Calls `visit(mount, pathInfo)` for every mount matching `path`, longest first, until it
    /// returns true. Returns whether any visit returned true.
    template <typename Visit>
    bool forEachMatch(std::string_view path, Visit&& visit) const {
        for (const Mount& mount : _mounts)
            if (matches(mount.prefix, path) && visit(mount, path.substr(mount.prefix.size())))
                return true;
        return false;
    }

    const std::vector<Mount>& mounts() const { return _mounts; }
    static bool matches(std::string_view prefix, std::string_view path);
    static std::string normalise(std::string_view prefix);

private:
    std::vector<Mount> _mounts;  ///< sorted by prefix length, longest first
};

}  // namespace gateway
