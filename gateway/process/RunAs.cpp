#include "gateway/process/RunAs.h"

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

namespace gateway {
namespace {

std::optional<unsigned> number(std::string_view text) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

/// The passwd entry of a name or uid; nullopt when there is none.
std::optional<passwd> lookUpUser(std::string_view user, std::vector<char>& buffer) {
    buffer.resize(16384);
    passwd entry{};
    passwd* found = nullptr;
    const std::optional<unsigned> id = number(user);
    const std::string name(user);
    const int error = id ? ::getpwuid_r(*id, &entry, buffer.data(), buffer.size(), &found)
                         : ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (error != 0 || !found) return std::nullopt;
    return entry;
}

std::optional<gid_t> lookUpGroup(std::string_view group) {
    if (const std::optional<unsigned> id = number(group)) return static_cast<gid_t>(*id);
    std::vector<char> buffer(16384);
    struct group entry {};
    struct group* found = nullptr;
    const std::string name(group);
    if (::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found)
        return std::nullopt;
    return entry.gr_gid;
}

std::runtime_error failed(const RunAs& runAs, const std::string& what) {
    return std::runtime_error("--user " + runAs.spec + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

RunAs RunAs::resolve(std::string_view spec) {
    RunAs runAs;
    runAs.spec = spec;
    const std::size_t colon = spec.find(':');
    const std::string_view user = spec.substr(0, colon);
    if (user.empty() || (colon != std::string_view::npos && colon + 1 == spec.size()))
        throw std::invalid_argument("--user '" + runAs.spec + "': expected USER or USER:GROUP");
    std::vector<char> buffer;
    const std::optional<passwd> entry = lookUpUser(user, buffer);
    if (colon != std::string_view::npos) {
        const std::string_view group = spec.substr(colon + 1);
        const std::optional<gid_t> gid = lookUpGroup(group);
        if (!gid)
            throw std::invalid_argument("--user " + runAs.spec + ": no group '" +
                                        std::string(group) + "' on this system");
        runAs.gid = *gid;
        runAs.groupGiven = true;
    }
    if (entry) {
        runAs.userName = entry->pw_name;
        runAs.uid = entry->pw_uid;
        if (!runAs.groupGiven) runAs.gid = entry->pw_gid;
    } else if (const std::optional<unsigned> uid = number(user); uid && runAs.groupGiven) {
        runAs.uid = *uid;  // a bare uid with its group: no supplementary groups to look up
    } else {
        throw std::invalid_argument("--user " + runAs.spec + ": no user '" + std::string(user) +
                                    "' on this system" +
                                    (uid ? " (a uid without a passwd entry needs :GROUP)" : ""));
    }
    return runAs;
}

bool RunAs::apply() const {
    if (uid == 0)
        throw std::runtime_error("--user " + spec +
                                 " is root: refusing to keep running as root when asked to "
                                 "drop privileges");
    if (::geteuid() != 0) {
        if (uid == ::geteuid() && (!groupGiven || gid == ::getegid())) return false;
        throw std::runtime_error("--user " + spec +
                                 ": switching to another user needs root (this "
                                 "runs as uid " +
                                 std::to_string(::geteuid()) + ")");
    }
    // Groups first: once the uid is not root any more, they cannot be changed.
    if (!userName.empty() ? ::initgroups(userName.c_str(), gid) != 0 : ::setgroups(1, &gid) != 0)
        throw failed(*this, "setting the supplementary groups");
    if (::setresgid(gid, gid, gid) != 0) throw failed(*this, "setresgid");
    if (::setresuid(uid, uid, uid) != 0) throw failed(*this, "setresuid");
    uid_t real, effective, saved;
    gid_t realGroup, effectiveGroup, savedGroup;
    ::getresuid(&real, &effective, &saved);
    ::getresgid(&realGroup, &effectiveGroup, &savedGroup);
    if (real != uid || effective != uid || saved != uid || realGroup != gid ||
        effectiveGroup != gid || savedGroup != gid || ::setuid(0) == 0)
        throw std::runtime_error("--user " + spec +
                                 ": the switch did not hold (root could be regained): refusing "
                                 "to run");
    // A uid change makes the process undumpable: keep core dumps of crashes (in a plugin, say),
    // as nginx does; the process has no privileges left to leak.
    ::prctl(PR_SET_DUMPABLE, 1);
    return true;
}

}  // namespace gateway
