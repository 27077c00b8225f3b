#include "gateway/app/SignalCommand.h"

#include <signal.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string_view>

namespace gateway {
namespace {

struct Action {
    std::string_view name;
    int signal;
};
constexpr Action kActions[] = {
    {"reload", SIGHUP}, {"reopen", SIGUSR1}, {"stop", SIGTERM}, {"quit", SIGQUIT}};

/// Whether `pid` is a gateway process (its executable's name), not a recycled pid.
bool isGateway(pid_t pid) {
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    return std::getline(comm, name) && name == "gateway";
}

}  // namespace

int sendSignalCommand(const Settings& settings, const std::string& action) {
    const Action* chosen = nullptr;
    for (const Action& candidate : kActions)
        if (candidate.name == action) chosen = &candidate;
    if (!chosen) {
        std::fprintf(stderr, "gateway: -s %s: expected reload, reopen, stop or quit\n",
                     action.c_str());
        return 2;
    }
    if (settings.pidFile.empty()) {
        std::fprintf(stderr, "gateway: -s %s needs --pidfile (or pidfile in the config file)\n",
                     action.c_str());
        return 2;
    }
    std::ifstream in(settings.pidFile);
    if (!in) {
        std::fprintf(stderr, "gateway: -s %s: cannot read %s: %s\n", action.c_str(),
                     settings.pidFile.c_str(), std::strerror(errno));
        return 1;
    }
    std::string text;
    std::getline(in, text);
    pid_t pid = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (error != std::errc() || end != text.data() + text.size() || pid <= 0) {
        std::fprintf(stderr, "gateway: -s %s: %s holds no pid\n", action.c_str(),
                     settings.pidFile.c_str());
        return 1;
    }
    if (!isGateway(pid) || ::kill(pid, chosen->signal) != 0) {
        std::fprintf(stderr, "gateway: -s %s: no running gateway has pid %d (from %s)\n",
                     action.c_str(), static_cast<int>(pid), settings.pidFile.c_str());
        return 1;
    }
    return 0;
}

}  // namespace gateway
