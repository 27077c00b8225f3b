#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "gateway/apps/LoadedApp.h"

namespace gateway {

/// A plugin refused at load or init; what() is the SPEC message, starting with the file name.
class AppLoadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Loads a plugin: copies the file privately (so replacing it in place never touches the mapped
/// code) unless it is a private copy already, dlopen(RTLD_NOW | RTLD_LOCAL)s the copy, and runs
/// the checks of SPEC section 1 in order.
class AppLoader {
public:
    /// Throws AppLoadError with the message of the first failed check.
    static std::shared_ptr<LoadedApp> load(const std::string& path);
    /// The same from a copy that is already private (a PluginSet's sealed memfd `privateFd`):
    /// dlopens it as it is, while messages and LoadedApp::path() name the original `path`.
    static std::shared_ptr<LoadedApp> loadCopy(const std::string& path, int privateFd);

    /// Size of gw_app in ABI 1.<minor> (0 for minors this host does not know).
    static std::uint32_t descriptorSize(std::uint32_t minor);
    /// "1.0" for a packed version.
    static std::string versionText(std::uint32_t version);
    /// Whether `name` is 1-64 characters of [A-Za-z0-9_-].
    static bool validName(const char* name);

private:
    /// dlopens `loadPath` (a private copy of `path`, whose descriptor `copyFd` the LoadedApp
    /// keeps; -1 if none) and runs the checks.
    static std::shared_ptr<LoadedApp> loadFrom(const std::string& path, const std::string& loadPath,
                                               int copyFd);
};

}  // namespace gateway
