#pragma once

#include <string>

#include "gateway/config/Settings.h"

namespace gateway {

/// `gateway -s reload|reopen|stop|quit` (nginx's -s): sends SIGHUP, SIGUSR1, SIGTERM or SIGQUIT
/// to the running master whose pid is in the --pidfile of these settings. Returns the exit code:
/// 0 sent, 1 no running gateway holds the pid file, 2 an unknown action or no --pidfile set;
/// problems go to stderr as one "gateway: ..." line.
int sendSignalCommand(const Settings& settings, const std::string& action);

}  // namespace gateway
