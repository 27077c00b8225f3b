#pragma once

#include <memory>
#include <string>
#include <vector>

namespace gateway {

/// The plugin files of one generation, copied once by the master into sealed memfds. Workers are
/// forked from the master and so inherit the descriptors: a respawned worker, or a rollback to
/// this generation, loads the same bytes even when the apps folder has changed since. This is
/// the one place that lists the apps folder.
class PluginSet {
public:
    struct File {
        std::string path;  ///< the original file, for messages
        int fd;            ///< its sealed private copy
    };

    /// Copies every regular dir/*.so (sorted by name) into a memfd sealed against any change.
    /// A missing folder gives an empty set with missingFolder() true. Throws std::runtime_error
    /// naming a file that cannot be read.
    static std::shared_ptr<const PluginSet> snapshot(const std::string& dir);

    /// An empty set (no apps folder given).
    PluginSet() = default;
    ~PluginSet();
    PluginSet(const PluginSet&) = delete;
    PluginSet& operator=(const PluginSet&) = delete;

    const std::vector<File>& files() const noexcept { return _files; }
    bool missingFolder() const noexcept { return _missingFolder; }
    /// The folder it was taken from.
    const std::string& dir() const noexcept { return _dir; }

private:
    std::vector<File> _files;
    std::string _dir;
    bool _missingFolder = false;
};

}  // namespace gateway
