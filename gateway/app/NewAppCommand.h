#pragma once

#include <ostream>
#include <span>
#include <string>

namespace gateway {

/// `gateway new-app NAME [--lang cpp|c] [DIR]`: writes a new out-of-tree app project into DIR
/// (default ./NAME) from the SDK's templates (sdk/templates, embedded at build time): a
/// CMakeLists.txt with find_package(GatewaySDK) and gateway_add_app(), the app in C++ (default)
/// or C, its unit test through gateway/testing.hpp (run by ctest), a README. `args` are the words
/// after "new-app". Returns the exit code: 0 written, 1 DIR is not an empty folder or a write
/// failed, 2 a usage error (a NAME that is not an app name, an unknown language or option);
/// problems go to `err` as "gateway: ..." lines.
int newAppCommand(std::span<const std::string> args, std::ostream& out, std::ostream& err);

/// The usage line of newAppCommand, for --help too.
inline constexpr const char* kNewAppUsage = "gateway new-app NAME [--lang cpp|c] [DIR]";

}  // namespace gateway
