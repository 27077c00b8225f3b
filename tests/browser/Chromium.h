#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/Subprocess.h"

namespace gateway::test {

/// Headless Chromium (Debian's `chromium`) run once per call, as this machine needs it: no sandbox
/// (root), no GPU, no QUIC, no background networking (the network beyond loopback is closed), and a
/// fresh --user-data-dir per run. Each run is bounded: after `timeout` the browser is SIGKILLed by
/// PID (Subprocess::run).
class Chromium {
public:
    /// $CHROMIUM if set, else /usr/bin/chromium, else `chromium` or `chromium-browser` in PATH.
    static std::optional<std::filesystem::path> find();

    explicit Chromium(std::filesystem::path binary,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20));

    /// `--dump-dom URL` with a virtual-time budget, so deferred scripts and load handlers run
    /// before the DOM is serialised. Result::out holds the DOM.
    Subprocess::Result dumpDom(const std::string& url) const;

    /// `--screenshot=PNG --window-size=WxH URL`.
    Subprocess::Result screenshot(const std::string& url, const std::filesystem::path& png,
                                  int width, int height) const;

    /// How a run ended and the tail of its stderr, for failure messages.
    static std::string describe(const Subprocess::Result& result);

private:
    Subprocess::Result run(std::vector<std::string> args) const;

    std::filesystem::path _binary;
    std::chrono::milliseconds _timeout;
};

}  // namespace gateway::test
