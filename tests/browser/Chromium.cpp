#include "tests/browser/Chromium.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "tests/support/TempDir.h"

namespace gateway::test {

namespace {

/// Lets deferred scripts, load handlers and subresources finish before the DOM or picture is taken.
constexpr const char* kVirtualTimeBudget = "--virtual-time-budget=2000";

bool isExecutable(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

std::optional<std::filesystem::path> inPath(const std::string& name) {
    const char* path = std::getenv("PATH");
    if (!path) return std::nullopt;
    std::istringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
        if (dir.empty()) continue;
        const std::filesystem::path candidate = std::filesystem::path(dir) / name;
        if (isExecutable(candidate)) return candidate;
    }
    return std::nullopt;
}

std::string lastLines(const std::string& text, std::size_t count) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
    std::string out;
    for (std::size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i) {
        out += "    " + lines[i] + "\n";
    }
    return out;
}

}  // namespace

std::optional<std::filesystem::path> Chromium::find() {
    if (const char* env = std::getenv("CHROMIUM"); env && *env) {
        if (isExecutable(env)) return std::filesystem::path(env);
        return std::nullopt;
    }
    if (isExecutable("/usr/bin/chromium")) return std::filesystem::path("/usr/bin/chromium");
    if (auto found = inPath("chromium")) return found;
    return inPath("chromium-browser");
}

Chromium::Chromium(std::filesystem::path binary, std::chrono::milliseconds timeout)
    : _binary(std::move(binary)), _timeout(timeout) {}

Subprocess::Result Chromium::dumpDom(const std::string& url) const {
    return run({kVirtualTimeBudget, "--dump-dom", url});
}

Subprocess::Result Chromium::screenshot(const std::string& url, const std::filesystem::path& png,
                                        int width, int height) const {
    return run({kVirtualTimeBudget, "--hide-scrollbars",
                "--window-size=" + std::to_string(width) + "," + std::to_string(height),
                "--screenshot=" + png.string(), url});
}

Subprocess::Result Chromium::run(std::vector<std::string> args) const {
    TempDir profile("gateway-chromium");
    std::vector<std::string> argv = {_binary.string(),
                                     "--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--disable-quic",
                                     "--no-first-run",
                                     "--disable-background-networking",
                                     "--disable-component-update",
                                     "--disable-sync",
                                     "--user-data-dir=" + profile.path().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return Subprocess::run(argv, _timeout);
}

std::string Chromium::describe(const Subprocess::Result& result) {
    std::string text = result.status ? "chromium " + Subprocess::describe(*result.status)
                                     : std::string("chromium killed after its timeout");
    return text + "; stderr (tail):\n" + lastLines(result.err, 15);
}

}  // namespace gateway::test
