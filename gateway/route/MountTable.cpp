#include "gateway/route/MountTable.h"

#include <algorithm>
#include <stdexcept>

namespace gateway {

std::string MountTable::normalise(std::string_view prefix) {
    std::string result(prefix);
    if (result.empty() || result.front() != '/') result.insert(result.begin(), '/');
    while (!result.empty() && result.back() == '/') result.pop_back();
    return result;
}

bool MountTable::matches(std::string_view prefix, std::string_view path) {
    return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

void MountTable::add(std::string_view prefix, Handler& handler) {
    std::string normalised = normalise(prefix);
    for (const Mount& mount : _mounts)
        if (mount.prefix == normalised)
            throw std::invalid_argument("mount " + (normalised.empty() ? "/" : normalised) +
                                        " is taken twice");
    _mounts.push_back({std::move(normalised), &handler});
    std::stable_sort(_mounts.begin(), _mounts.end(), [](const Mount& a, const Mount& b) {
        return a.prefix.size() > b.prefix.size();
    });
}

}  // namespace gateway
