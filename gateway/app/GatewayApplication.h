#pragma once

#include <Poco/Util/ServerApplication.h>

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "gateway/config/Settings.h"

namespace gateway {

/// The command line: options and the optional config file → Settings, logging set-up, then the
/// server. Flags win over the config file; both use the same names ("--port" / "port = ...").
class GatewayApplication : public Poco::Util::ServerApplication {
public:
    GatewayApplication();

    /// Parse the command line; throws (Poco::Exception / std::exception) with a one-line message.
    void parse(int argc, char** argv) { init(argc, argv); }
    /// Run what parse() set up; returns the process exit code.
    int start() { return run(); }

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    struct CliFlag;
    static std::span<const CliFlag> cliFlags();

    /// Flags over the config file; throws std::invalid_argument naming the file and key.
    Settings loadSettings() const;
    /// Throws std::invalid_argument unless the docroot is a directory (needed to serve).
    static void checkDocroot(const Settings& settings);
    /// -t: the config test; prints what would be served, returns 0 or 2.
    int testConfig(const Settings& settings);
    int serve(const Settings& settings);

    std::vector<std::pair<std::string, std::string>> _flags;
    std::string _configFile;
    bool _helpRequested = false;
    bool _versionRequested = false;
    bool _checkConfigRequested = false;
    std::string _signalAction;  ///< -s ACTION  ///< -t / --check-config
};

}  // namespace gateway
