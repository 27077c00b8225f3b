#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace gateway {

/// `--user USER[:GROUP]`: whom the gateway runs as once its port is bound. USER and GROUP are
/// names or numeric ids; without GROUP, USER's primary group.
struct RunAs {
    std::string spec;      ///< as given, for messages
    std::string userName;  ///< the passwd name (for its supplementary groups); "" = none
    uid_t uid = 0;
    gid_t gid = 0;
    bool groupGiven = false;

    /// Parses and resolves `spec`; throws std::invalid_argument naming what is wrong or unknown.
    static RunAs resolve(std::string_view spec);

    /// Becomes uid:gid with USER's supplementary groups (initgroups), for good: root cannot be
    /// regained. Not root: fine when this already is USER (and GROUP), else an error. Throws
    /// std::runtime_error when the switch fails or would leave the process root (USER is root).
    /// Returns whether anything changed.
    bool apply() const;
};

}  // namespace gateway
