#include "gateway/app/GatewayApplication.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <optional>
#include <span>
#include <stdexcept>

#include "gateway/app/NewAppCommand.h"
#include "gateway/app/SignalCommand.h"
#include "gateway/apps/ConfigCheck.h"
#include "gateway/apps/PluginCheck.h"
#include "gateway/apps/PluginSet.h"
#include "gateway/config/KeyOrder.h"
#include "gateway/config/SettingsTable.h"
#include "gateway/net/Listener.h"
#include "gateway/obs/ErrorLog.h"
#include "gateway/process/PidFile.h"
#include "gateway/process/RunAs.h"
#include "gateway/process/Supervisor.h"
#include "gateway/process/Worker.h"

namespace gateway {
namespace {

// Exit codes (README): 0 ok, 1 runtime failure (e.g. port in use), 2 usage or configuration.
constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;
/// How long the config test may take to load and init every plugin.
constexpr std::chrono::milliseconds kConfigCheckTimeout{10000};

/// The fault signals' dispositions as the process started, read before main() and so before
/// Poco's Application replaces them: SIG_DFL, or a sanitizer's handler, which must stay in place
/// to report a crash in a worker.
class StartupFaultHandlers {
public:
    StartupFaultHandlers() {
        for (std::size_t i = 0; i < kSignals.size(); ++i)
            ::sigaction(kSignals[i], nullptr, &_actions[i]);
    }
    void restore() const {
        for (std::size_t i = 0; i < kSignals.size(); ++i)
            ::sigaction(kSignals[i], &_actions[i], nullptr);
    }

private:
    static constexpr std::array<int, 5> kSignals = {SIGILL, SIGBUS, SIGSEGV, SIGSYS, SIGFPE};
    std::array<struct sigaction, kSignals.size()> _actions{};
};
const StartupFaultHandlers startupFaultHandlers;

/// Lift the soft open-file limit to the hard one: each connection is a descriptor.
void raiseFileLimit(std::size_t wanted, Poco::Logger& logger) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur < wanted)
        logger.warning("open-file limit is " + std::to_string(limit.rlim_cur) + " (hard " +
                       std::to_string(limit.rlim_max) + "), below the " + std::to_string(wanted) +
                       " that --max-connections needs; connections beyond it wait in the backlog");
}

/// "[app.NAME]" sections (or "app.NAME.key = value" lines): per-app settings, kept as text, each
/// section in file order (`order`: Poco hands keys out sorted).
void readAppSections(const Poco::Util::AbstractConfiguration& file, const KeyOrder& order,
                     Settings& settings) {
    Poco::Util::AbstractConfiguration::Keys names;
    file.keys("app", names);
    for (const std::string& name : names) {
        const std::string prefix = "app." + name + ".";
        Poco::Util::AbstractConfiguration::Keys keys;
        file.keys("app." + name, keys);
        std::stable_sort(keys.begin(), keys.end(), [&](const std::string& a, const std::string& b) {
            return order.position(prefix + a) < order.position(prefix + b);
        });
        auto& section = settings.appSections[name];
        for (const std::string& key : keys)
            section.emplace_back(key, file.getRawString(prefix + key, ""));
    }
}

void writeReadyFile(const std::string& path, std::uint16_t port) {
    // Write then rename, so a watcher never reads a half-written file.
    const std::string temporary = path + ".tmp";
    {
        Poco::FileOutputStream out(temporary);
        out << port << '\n';
    }
    Poco::File(temporary).renameTo(path);
}

}  // namespace

GatewayApplication::GatewayApplication() {
    setUnixOptions(true);
    // Poco's Application turns SIGSEGV & co. into exceptions, which end in abort(): a crash
    // (in a plugin, say) must stay a crash with its own signal, for the supervisor and for cores.
    startupFaultHandlers.restore();
}

/// The flags that are not settings (those come from settingsTable()).
struct GatewayApplication::CliFlag {
    const char* name;
    const char* shortName;  ///< "" = none
    const char* argument;   ///< nullptr: a flag without value
    const char* help;
    void (*apply)(GatewayApplication& app, const std::string& value);
};

std::span<const GatewayApplication::CliFlag> GatewayApplication::cliFlags() {
    static const CliFlag flags[] = {
        {"config", "", "FILE",
         "config file (.ini or .properties) with the same keys as these flags",
         [](GatewayApplication& app, const std::string& file) { app._configFile = file; }},
        {"check-config", "t", nullptr,
         "test the configuration and plugins as a start would, print what would be served, exit",
         [](GatewayApplication& app, const std::string&) { app._checkConfigRequested = true; }},
        {"signal", "s", "ACTION",
         "send reload, reopen, stop or quit to the running gateway named by --pidfile, exit",
         [](GatewayApplication& app, const std::string& action) { app._signalAction = action; }},
        {"help", "", nullptr, "show this help and exit",
         [](GatewayApplication& app, const std::string&) {
             app._helpRequested = true;
             app.stopOptionsProcessing();
         }},
        {"version", "", nullptr, "show the version and exit",
         [](GatewayApplication& app, const std::string&) {
             app._versionRequested = true;
             app.stopOptionsProcessing();
         }},
    };
    return flags;
}

void GatewayApplication::defineOptions(Poco::Util::OptionSet& options) {
    // Not ServerApplication::defineOptions: gateway runs in the foreground under a supervisor
    // of the user's choosing (systemd, a container), so --daemon & co. are not offered.
    for (const SettingSpec& setting : settingsTable()) {
        const std::string name(setting.name);
        options.addOption(Poco::Util::Option(name, "", helpText(setting))
                              .required(false)
                              .repeatable(false)
                              .argument(std::string(setting.placeholder)));
    }
    for (const CliFlag& flag : cliFlags()) {
        Poco::Util::Option option(flag.name, flag.shortName, flag.help);
        option.required(false).repeatable(false);
        if (flag.argument) option.argument(flag.argument);
        options.addOption(option);
    }
}

void GatewayApplication::handleOption(const std::string& name, const std::string& value) {
    for (const CliFlag& flag : cliFlags()) {
        if (name == flag.name) {
            flag.apply(*this, value);
            return;
        }
    }
    _flags.emplace_back(name, value);  // a setting: applied after the config file, so it wins
}

Settings GatewayApplication::loadSettings() const {
    Settings settings;
    settings.configFile = _configFile;
    if (!_configFile.empty()) {
        if (!Poco::File(_configFile).exists())
            throw std::invalid_argument("config file '" + _configFile + "' does not exist");
        Poco::AutoPtr<Poco::Util::AbstractConfiguration> file;
        const std::string extension = Poco::Path(_configFile).getExtension();
        if (extension == "ini")
            file = new Poco::Util::IniFileConfiguration(_configFile);
        else
            file = new Poco::Util::PropertyFileConfiguration(_configFile);
        Poco::Util::AbstractConfiguration::Keys keys;
        file->keys(keys);
        for (const std::string& key : keys) {
            if (key == "app" && !file->hasProperty(key)) {
                Poco::FileInputStream in(_configFile);
                const std::string text{std::istreambuf_iterator<char>(in), {}};
                readAppSections(*file, KeyOrder(text, extension == "ini"), settings);
                continue;
            }
            if (!Settings::isKnown(key) || !file->hasProperty(key))
                throw std::invalid_argument("unknown setting '" + key + "' in " + _configFile);
            try {
                settings.set(key, file->getRawString(key));
            } catch (const std::invalid_argument& e) {
                throw std::invalid_argument(_configFile + ": " + e.what());
            }
        }
    }
    for (const auto& [name, value] : _flags) settings.set(name, value);
    settings.validate();
    return settings;
}

void GatewayApplication::checkDocroot(const Settings& settings) {
    if (!Poco::File(settings.docroot).exists() || !Poco::File(settings.docroot).isDirectory())
        throw std::invalid_argument("docroot '" + settings.docroot + "' is not a directory");
}

int GatewayApplication::main(const std::vector<std::string>& args) {
    if (_helpRequested) {
        Poco::Util::HelpFormatter help(options());
        help.setUnixStyle(true);
        help.setCommand("gateway");
        help.setUsage(std::string("[OPTIONS]\n") +
                      "gateway check FILE.so [--config FILE]      inspect a plugin\n" +
                      kNewAppUsage + "  write a new app project");
        help.setHeader("A fast HTTP/1.1 server for static files and app plugins.");
        help.setFooter(
            "SIZE: 512, 8k, 16m, 1g. DURATION: 500ms, 15s, 2m (a bare number is seconds).");
        help.format(std::cout);
        return EXIT_OK;
    }
    if (_versionRequested) {
        std::cout << "gateway " GATEWAY_VERSION "\n";
        return EXIT_OK;
    }
    const bool pluginCheck = args.size() == 2 && args[0] == "check";
    if (!args.empty() && !pluginCheck) {
        std::fprintf(stderr, "gateway: unexpected argument '%s' (see --help)\n", args[0].c_str());
        return kExitUsage;
    }
    Settings settings;
    try {
        settings = loadSettings();
        if (!pluginCheck && _signalAction.empty()) {
            checkDocroot(settings);
            if (!settings.user.empty()) RunAs::resolve(settings.user);  // -t too: a typo is found
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gateway: %s\n", e.what());
        return kExitUsage;
    }
    if (pluginCheck) return checkPlugin(args[1], settings, std::cout);
    if (_checkConfigRequested) return testConfig(settings);
    if (!_signalAction.empty()) return sendSignalCommand(settings, _signalAction);
    try {
        ErrorLog::install(settings.errorLog, settings.logLevel);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gateway: %s\n", e.what());
        return kExitUsage;
    }
    try {
        return serve(settings);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gateway: %s\n", e.what());
        return kExitRuntime;
    }
}

int GatewayApplication::testConfig(const Settings& settings) {
    std::shared_ptr<const PluginSet> plugins;
    try {
        plugins = PluginSet::snapshot(settings.appsDir);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gateway: %s\n", e.what());
        return kExitUsage;
    }
    const ConfigCheckResult result = checkConfig(settings, *plugins, kConfigCheckTimeout);
    std::cout << result.summary << std::flush;
    for (const std::string& problem : result.problems)
        std::fprintf(stderr, "gateway: %s\n", problem.c_str());
    if (!result.ok) {
        std::fprintf(stderr, "gateway: the configuration has %zu problem(s)\n",
                     result.problems.size());
        return kExitUsage;
    }
    std::cout << "the configuration is ok\n";
    return EXIT_OK;
}

int GatewayApplication::serve(const Settings& settings) {
    Poco::Logger& logger = Poco::Logger::get("gateway");
    std::optional<RunAs> runAs;
    if (!settings.user.empty()) runAs = RunAs::resolve(settings.user);  // checked by main()
    // Claimed first: a second gateway on the same pid file stops here, before touching the port.
    std::optional<PidFile> pidFile;
    if (!settings.pidFile.empty()) pidFile.emplace(settings.pidFile);
    raiseFileLimit(settings.maxConnections + 64, logger);
    Worker::blockSignals();

    ListenSocket socket(settings.bind, settings.port, settings.backlog);
    // Bound (so that port 80 works) and the error log open: now the privileges go, before any
    // plugin is read or loaded. The workers' access logs are opened after this, as USER.
    try {
        if (runAs && runAs->apply())
            logger.notice("running as --user " + runAs->spec + " (uid " +
                          std::to_string(runAs->uid) + ", gid " + std::to_string(runAs->gid) + ")");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gateway: %s\n", e.what());
        return kExitUsage;
    }
    // The plugins of this generation: every worker loads these bytes, whatever later happens to
    // the files.
    const std::shared_ptr<const PluginSet> plugins = PluginSet::snapshot(settings.appsDir);
    if (settings.needApp) {
        const ConfigCheckResult result = checkConfig(settings, *plugins, kConfigCheckTimeout);
        if (!result.ok) {
            for (const std::string& problem : result.problems)
                std::fprintf(stderr, "gateway: %s\n", problem.c_str());
            std::fprintf(stderr,
                         "gateway: not starting: need-app is on and the config test found %zu "
                         "problem(s)\n",
                         result.problems.size());
            return kExitUsage;
        }
    }
    // After the bind, so that a port in use stays the only line of a failed start.
    if (plugins->missingFolder() && !settings.needApp)
        logger.warning(missingAppsFolderWarning(settings));
    Supervisor supervisor(settings, socket, plugins, [this] {
        Settings reloaded = loadSettings();
        checkDocroot(reloaded);
        return reloaded;
    });
    const int code = supervisor.run([&] {
        logger.information("gateway " GATEWAY_VERSION " serving " + settings.docroot + " on " +
                           settings.bind + ":" + std::to_string(socket.port()) + " with " +
                           (settings.workers > 0 ? std::to_string(settings.workers) + " worker(s)"
                                                 : std::string("one process")));
        if (!settings.readyFile.empty()) writeReadyFile(settings.readyFile, socket.port());
    });
    logger.information("stopped");
    return code;
}

}  // namespace gateway
