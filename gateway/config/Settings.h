#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gateway {

/// Every run-time setting as a plain value, validated once at start-up. Filled from the CLI and the
/// config file by GatewayApplication; everything below only reads it. Each setting's name, default,
/// help and whether a reload may change it live in one table (SettingsTable.cpp): the defaults
/// reach the fields below through Settings(), never through initialisers here.
struct Settings {
    /// Every setting at its default.
    Settings();

    // Where to listen and what to serve.
    std::string bind;
    std::uint16_t port{};  ///< 0 = ephemeral; the bound port goes to readyFile
    std::string docroot;
    std::string appsDir;

    // Processes and threads.
    /// Worker processes under a supervising master; 0 = everything in one process, no master.
    unsigned workers{};
    unsigned threads{};  ///< handler pool threads per worker (for blocking apps)

    // Logging.
    std::string accessLog;  ///< "" = off, "-" = stdout, else a file path
    std::string logLevel;
    std::string readyFile;  ///< written (atomically) with the bound port once accepting

    // HTTP limits (ARCHITECTURE.md "HTTP rules").
    std::size_t maxRequestLine{};
    std::size_t maxHeaderBytes{};
    std::size_t maxHeaderCount{};
    std::uint64_t maxBodyBytes{};
    std::size_t maxConnections{};  ///< per worker; beyond it new connections wait in the backlog
    int backlog = 4096;            ///< the listen() queue; not a setting

    // Timeouts.
    std::chrono::milliseconds headerTimeout{};  ///< request head must arrive within → 408
    std::chrono::milliseconds idleTimeout{};    ///< keep-alive idle → close
    std::chrono::milliseconds writeTimeout{};   ///< no write progress → close
    std::chrono::milliseconds bodyTimeout{};    ///< longest pause between body reads → 408
    /// Slowest average upload accepted once a body has been arriving for 10 s (bytes per second,
    /// like Apache's mod_reqtimeout MinRate) → 408; 0 = no minimum.
    std::uint64_t minBodyRate{};
    /// Request bodies up to this size are buffered in memory, larger ones in a temporary file
    /// (nginx's client_body_buffer_size).
    std::size_t bodyBufferSize{};
    std::chrono::milliseconds shutdownGrace{};  ///< SIGTERM: in-flight work gets this long

    // Live operations.
    /// Refuse to start (exit 2) when a plugin is refused or the apps folder is missing, instead
    /// of serving what loads (gunicorn's and uWSGI's --need-app).
    bool needApp{};
    /// The master watches the apps folder and reloads when a plugin is added, replaced or removed.
    bool watchApps{};
    /// A worker whose handler threads are stuck past their app's deadline, this share of them
    /// (percent) or more, is replaced; 0 = never.
    unsigned stuckShare{};

    // Operations (issue "operator kit"): see the settings table for each one's meaning.
    std::string metricsPath;      ///< "" = no metrics endpoint
    std::string metricsAllow;     ///< CIDR ranges besides loopback allowed to read the metrics
    std::string healthPath;       ///< "" = no health endpoint
    std::string accessLogFormat;  ///< "combined" or "json"
    std::string errorLog;         ///< "-" = stderr, "syslog", else a file path
    std::string trustedProxies;   ///< CIDR ranges whose X-Forwarded-* headers are believed
    std::string user;             ///< USER[:GROUP] to drop to after binding; "" = stay
    std::string pidFile;          ///< "" = none

    /// The config file these settings were read from ("" = none), for messages.
    std::string configFile;
    /// One "[app.NAME]" section: (key, value) in file order (mount, body_limit, timeout,
    /// disabled, and free-form keys handed to the plugin's init, which is promised that order).
    using AppSection = std::vector<std::pair<std::string, std::string>>;
    /// App sections of the config file by NAME. A reload may change them.
    std::map<std::string, AppSection> appSections;

    // Static files.
    std::chrono::milliseconds fileCacheValidity{};  ///< re-stat cached files after this long
    std::size_t fileCacheEntries{};

    /// Set one setting by its CLI/config-file name ("port", "header-timeout", ...) from text.
    /// Throws std::invalid_argument naming the setting and the accepted form.
    void set(std::string_view name, std::string_view value);
    /// Whether `name` is a setting (config-file keys are checked against this).
    static bool isKnown(std::string_view name);
    /// Cross-field checks; throws std::invalid_argument with a one-line message.
    void validate() const;
    /// The names of the settings that differ between `running` and `next` and that a reload
    /// cannot change (bind, port, ready-file), in table order; empty = `next` can be reloaded.
    static std::vector<std::string> restartRequired(const Settings& running, const Settings& next);
    /// Gives `next` the running values of every setting a reload cannot change.
    static void keepRestartOnly(const Settings& running, Settings& next);
};

/// "512", "8k", "16m", "1g" (1024-based) → bytes. Throws std::invalid_argument.
std::uint64_t parseSize(std::string_view text);
/// "500ms", "15s", "2m", "1h"; a bare number is seconds. Throws std::invalid_argument.
std::chrono::milliseconds parseDuration(std::string_view text);
/// on/off, true/false, yes/no, 1/0 (any case; "" is off). Throws std::invalid_argument.
bool parseSwitch(std::string_view text);
/// A whole number from `low` to `high`. Throws std::invalid_argument.
std::uint64_t parseNumber(std::string_view text, std::uint64_t low, std::uint64_t high);

}  // namespace gateway
