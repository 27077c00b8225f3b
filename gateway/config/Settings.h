#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace gateway {

/// Every run-time setting as a plain value, validated once at start-up. Filled from the CLI and the
/// config file by GatewayApplication; everything below only reads it.
struct Settings {
    // Where to listen and what to serve.
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8080;  ///< 0 = ephemeral; the bound port goes to readyFile
    std::string docroot = "docroot";
    std::string appsDir = "apps";

    // Processes and threads.
    /// Worker processes under a supervising master; 0 = everything in one process, no master.
    unsigned workers = std::max(1u, std::thread::hardware_concurrency());
    unsigned threads = 4;  ///< handler pool threads per worker (for blocking apps)

    // Logging.
    std::string accessLog;  ///< "" = off, "-" = stdout, else a file path
    std::string logLevel = "information";
    std::string readyFile;  ///< written (atomically) with the bound port once accepting

    // HTTP limits (ARCHITECTURE.md "HTTP rules").
    std::size_t maxRequestLine = 8 * 1024;
    std::size_t maxHeaderBytes = 32 * 1024;
    std::size_t maxHeaderCount = 100;
    std::uint64_t maxBodyBytes = 16 * 1024 * 1024;
    std::size_t maxConnections =
        16384;  ///< per worker; beyond it new connections wait in the backlog
    int backlog = 4096;

    // Timeouts.
    std::chrono::milliseconds headerTimeout{15000};  ///< request head must arrive within → 408
    std::chrono::milliseconds idleTimeout{60000};    ///< keep-alive idle → close
    std::chrono::milliseconds writeTimeout{60000};   ///< no write progress → close
    std::chrono::milliseconds bodyTimeout{15000};    ///< longest pause between body reads → 408
    /// Slowest average upload accepted once a body has been arriving for 10 s (bytes per second,
    /// like Apache's mod_reqtimeout MinRate) → 408; 0 = no minimum.
    std::uint64_t minBodyRate = 1024;
    /// Request bodies up to this size are buffered in memory, larger ones in a temporary file
    /// (nginx's client_body_buffer_size).
    std::size_t bodyBufferSize = 1024 * 1024;
    std::chrono::milliseconds shutdownGrace{10000};  ///< SIGTERM: in-flight work gets this long

    // Live operations.
    /// Refuse to start (exit 2) when a plugin is refused or the apps folder is missing, instead
    /// of serving what loads (gunicorn's and uWSGI's --need-app).
    bool needApp = false;
    /// The master watches the apps folder and reloads when a plugin is added, replaced or removed.
    bool watchApps = true;
    /// A worker whose handler threads are stuck past their app's deadline, this share of them
    /// (percent) or more, is replaced; 0 = never.
    unsigned stuckShare = 100;

    /// The config file these settings were read from ("" = none), for messages.
    std::string configFile;
    /// App sections of the config file: "[app.NAME]" → its keys (mount, body_limit, timeout,
    /// disabled, and free-form keys handed to the plugin's init).
    std::map<std::string, std::map<std::string, std::string>> appSections;

    // Static files.
    std::chrono::milliseconds fileCacheValidity{1000};  ///< re-stat cached files after this long
    std::size_t fileCacheEntries = 4096;

    /// Set one setting by its CLI/config-file name ("port", "header-timeout", ...) from text.
    /// Throws std::invalid_argument naming the setting and the accepted form.
    void set(std::string_view name, std::string_view value);
    /// Whether `name` is a setting (config-file keys are checked against this).
    static bool isKnown(std::string_view name);
    /// Cross-field checks; throws std::invalid_argument with a one-line message.
    void validate() const;
    /// The settings that differ between `running` and `next` and that a reload cannot change.
    static std::vector<std::string> restartRequired(const Settings& running, const Settings& next);
};

/// "512", "8k", "16m", "1g" (1024-based) → bytes. Throws std::invalid_argument.
std::uint64_t parseSize(std::string_view text);
/// "500ms", "15s", "2m", "1h"; a bare number is seconds. Throws std::invalid_argument.
std::chrono::milliseconds parseDuration(std::string_view text);
/// on/off, true/false, yes/no, 1/0 (any case; "" is off). Throws std::invalid_argument.
bool parseSwitch(std::string_view text);

}  // namespace gateway
