#include "gateway/app/SignalCommand.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "gateway/process/PidFile.h"

namespace gateway {
namespace {

struct Action {
    std::string_view name;
    int signal;
};
constexpr Action kActions[] = {
    {"reload", SIGHUP}, {"reopen", SIGUSR1}, {"stop", SIGTERM}, {"quit", SIGQUIT}};

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
    const pid_t pid = PidFile::read(settings.pidFile);
    if (pid == 0) {
        if (::access(settings.pidFile.c_str(), R_OK) != 0)
            std::fprintf(stderr, "gateway: -s %s: cannot read %s: %s\n", action.c_str(),
                         settings.pidFile.c_str(), std::strerror(errno));
        else
            std::fprintf(stderr, "gateway: -s %s: %s holds no pid\n", action.c_str(),
                         settings.pidFile.c_str());
        return 1;
    }
    if (!PidFile::isGateway(pid) || ::kill(pid, chosen->signal) != 0) {
        std::fprintf(stderr, "gateway: -s %s: no running gateway has pid %d (from %s)\n",
                     action.c_str(), static_cast<int>(pid), settings.pidFile.c_str());
        return 1;
    }
    return 0;
}

}  // namespace gateway
