#include "gateway/apps/ConfigCheck.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/Logger.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "gateway/apps/AppRegistry.h"
#include "gateway/route/MountTable.h"

namespace gateway {
namespace {

using Clock = std::chrono::steady_clock;

std::string sizeText(std::uint64_t bytes) {
    const char units[] = {'g', 'm', 'k'};
    for (int i = 0; i < 3; ++i) {
        const std::uint64_t unit = 1ull << (10 * (3 - i));
        if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes / unit) + units[i];
    }
    return std::to_string(bytes);
}

std::string durationText(std::chrono::milliseconds duration) {
    const auto ms = duration.count();
    if (ms == 0) return "none";
    return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

std::string signalName(int sig) {
    const char* name = sigabbrev_np(sig);
    return name ? std::string("SIG") + name : "signal " + std::to_string(sig);
}

/// The child's report, one "kind<TAB>text" line per finding (text on one line).
class ReportPipe {
public:
    explicit ReportPipe(int fd) : _fd(fd) {}
    void send(std::string_view kind, std::string_view text = {}) {
        std::string line(kind);
        line.push_back('\t');
        for (char c : text)
            line.push_back(static_cast<unsigned char>(c) < 0x20 && c != '\t' ? ' ' : c);
        line.push_back('\n');
        std::size_t done = 0;
        while (done < line.size()) {
            const ssize_t n = ::write(_fd, line.data() + done, line.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;
            done += static_cast<std::size_t>(n);
        }
    }

private:
    int _fd;
};

std::string mountLine(const AppInstance& instance) {
    const auto& config = instance.config();
    std::string line = "  " + (config.mount.empty() ? std::string("/") : config.mount) + " → " +
                       instance.name() + " " + std::string(instance.app().version()) + " (" +
                       instance.app().path() + "), body limit " + sizeText(config.bodyLimit) +
                       ", timeout " + durationText(config.timeout);
    if (!config.requestBuffering) line += ", request body streamed";
    return line;
}

/// The child: what a worker does with its apps, reported instead of logged. Never returns.
[[noreturn]] void checkInChild(const Settings& settings, const PluginSet& plugins, int fd) {
    // A crash must end the child with its own signal, whatever handler the parent has.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(sig, SIG_DFL);
    // Nothing found here is an event of the running server: it goes to the pipe, not the log
    // (level 0 silences every logger of this process, plugins' api->log lines too).
    Poco::Logger::setLevel("", 0);
    // During a reload the running workers serve on the same cores: a throwaway check yields to
    // them (it gets done in their idle time, well within its timeout).
    ::setpriority(PRIO_PROCESS, 0, 10);
    ReportPipe report(fd);
    {
        const std::shared_ptr<const PluginSet> borrowed(&plugins, [](const PluginSet*) {});
        auto registry = std::make_unique<AppRegistry>(settings, borrowed);
        registry->onStep([&report](const std::string& file, std::string_view stage) {
            report.send("step", file + "\t" + std::string(stage));
        });
        MountTable table;
        try {
            registry->load();
            registry->mountInto(table);
        } catch (const std::exception& e) {
            report.send("problem", e.what());
        }
        for (const std::string& refusal : registry->refusals()) report.send("problem", refusal);
        for (const std::string& warning : registry->warnings()) report.send("warning", warning);
        for (const std::string& unused : registry->unusedSections()) report.send("problem", unused);
        for (const auto& host : registry->hosts())
            report.send("mount", mountLine(host->instance()));
        report.send("step", "\tfini");
        registry.reset();  // fini, as at a worker's exit
    }
    report.send("end");
    std::_Exit(0);
}

/// What came back from the child.
struct ChildReport {
    std::vector<std::string> problems, warnings, mounts;
    std::string stepFile, stepStage;  ///< the step under way when it ended
    bool ended = false;               ///< reached its end
    bool timedOut = false;
    int status = 0;
};

void parseLine(std::string_view line, ChildReport& report) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return;
    const std::string_view kind = line.substr(0, tab);
    const std::string text(line.substr(tab + 1));
    if (kind == "problem") report.problems.push_back(text);
    if (kind == "warning") report.warnings.push_back(text);
    if (kind == "mount") report.mounts.push_back(text);
    if (kind == "end") report.ended = true;
    if (kind == "step") {
        const std::size_t split = text.find('\t');
        report.stepFile = text.substr(0, split);
        report.stepStage = split == std::string::npos ? "" : text.substr(split + 1);
    }
}

/// Reads the child's report until it exits (a pidfd says when, so a grandchild holding the pipe
/// open cannot stall us) or the deadline passes; then reaps it.
ChildReport collect(pid_t child, int readFd, std::chrono::milliseconds timeout) {
    ChildReport report;
    std::string pending;
    auto drain = [&] {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::read(readFd, buffer, sizeof(buffer));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return n == 0;  // true: end of file; false: nothing more for now
            pending.append(buffer, static_cast<std::size_t>(n));
            std::size_t newline;
            while ((newline = pending.find('\n')) != std::string::npos) {
                parseLine(std::string_view(pending).substr(0, newline), report);
                pending.erase(0, newline + 1);
            }
        }
    };
#ifdef SYS_pidfd_open
    const int pidFd = static_cast<int>(::syscall(SYS_pidfd_open, child, 0));
#else
    const int pidFd = -1;
#endif
    const auto deadline = Clock::now() + timeout;
    bool done = false;
    while (!done) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            report.timedOut = true;
            break;
        }
        pollfd fds[2] = {{readFd, POLLIN, 0}, {pidFd, POLLIN, 0}};
        const int ready = ::poll(fds, pidFd >= 0 ? 2 : 1, static_cast<int>(left.count()) + 1);
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        if (fds[0].revents && drain()) done = true;
        if (pidFd >= 0 && fds[1].revents) {
            drain();  // what it wrote before it exited
            done = true;
        }
    }
    if (pidFd >= 0) ::close(pidFd);
    if (report.timedOut) ::kill(child, SIGKILL);
    while (::waitpid(child, &report.status, 0) < 0 && errno == EINTR) {
    }
    return report;
}

/// The problem a child that did not reach its end stands for.
std::string abortText(const ChildReport& report, std::chrono::milliseconds timeout) {
    std::string where;
    if (report.stepStage == "fini")
        where = "a plugin's fini";
    else if (!report.stepFile.empty())
        where = report.stepFile + " (in " + report.stepStage + ")";
    else
        where = "the config test";
    if (report.timedOut)
        return where + " did not finish within " + durationText(timeout) + ": killed";
    if (WIFSIGNALED(report.status)) {
        const std::string sig = signalName(WTERMSIG(report.status));
        if (report.stepStage == "fini") return "a plugin crashed in fini: " + sig;
        if (!report.stepFile.empty())
            return report.stepFile + " crashed in " + report.stepStage + ": " + sig;
        return "the config test crashed: " + sig;
    }
    return where + " ended the process (exit status " + std::to_string(WEXITSTATUS(report.status)) +
           ")";
}

std::string summaryText(const Settings& settings, const PluginSet& plugins,
                        const ChildReport& report, const std::vector<std::string>& warnings) {
    std::string text;
    auto line = [&text](const std::string& label, const std::string& value) {
        text += label;
        text.append(label.size() < 12 ? 12 - label.size() : 1, ' ');
        text += value + "\n";
    };
    line("config:",
         settings.configFile.empty() ? "none (defaults and flags)" : settings.configFile);
    line("listen:", settings.bind + ":" + std::to_string(settings.port));
    line("docroot:", settings.docroot + " (static files where no app is mounted)");
    line("apps:", settings.appsDir +
                      (plugins.missingFolder()
                           ? std::string(" (not found)")
                           : " (" + std::to_string(plugins.files().size()) + " plugin file(s))"));
    line("mounts:", report.mounts.empty() ? "none" : std::to_string(report.mounts.size()));
    for (const std::string& mount : report.mounts) text += mount + "\n";
    line("limits:", "request line " + sizeText(settings.maxRequestLine) + ", header " +
                        sizeText(settings.maxHeaderBytes) + " in " +
                        std::to_string(settings.maxHeaderCount) + " fields, body " +
                        sizeText(settings.maxBodyBytes) + ", " +
                        std::to_string(settings.maxConnections) + " connections per worker");
    line("timeouts:", "header " + durationText(settings.headerTimeout) + ", body " +
                          durationText(settings.bodyTimeout) + ", idle " +
                          durationText(settings.idleTimeout) + ", write " +
                          durationText(settings.writeTimeout) + ", shutdown grace " +
                          durationText(settings.shutdownGrace));
    line("processes:", (settings.workers > 0 ? std::to_string(settings.workers) + " worker(s)"
                                             : std::string("one process")) +
                           ", " + std::to_string(settings.threads) + " handler threads each");
    for (const std::string& warning : warnings) line("warning:", warning);
    return text;
}

}  // namespace

std::string missingAppsFolderWarning(const Settings& settings) {
    return "apps folder '" + settings.appsDir +
           "' not found: serving static files only (create it, or point --apps at your plugins)";
}

ConfigCheckResult checkConfig(const Settings& settings, const PluginSet& plugins,
                              std::chrono::milliseconds timeout) {
    ConfigCheckResult result;
    std::vector<std::string> warnings;
    if (plugins.missingFolder()) {
        if (settings.needApp)
            result.problems.push_back("apps folder '" + settings.appsDir +
                                      "' not found (need-app is on)");
        else
            warnings.push_back(missingAppsFolderWarning(settings));
    }
    ChildReport report;
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        result.problems.push_back(std::string("config test: pipe: ") + std::strerror(errno));
        return result;
    }
    std::fflush(nullptr);  // nothing buffered may be written twice
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(pipeFds[0]);
        checkInChild(settings, plugins, pipeFds[1]);
    }
    ::close(pipeFds[1]);
    if (child < 0) {
        ::close(pipeFds[0]);
        result.problems.push_back(std::string("config test: fork: ") + std::strerror(errno));
        return result;
    }
    ::fcntl(pipeFds[0], F_SETFL, O_NONBLOCK);  // drained without waiting (see collect)
    report = collect(child, pipeFds[0], timeout);
    ::close(pipeFds[0]);
    result.problems.insert(result.problems.end(), report.problems.begin(), report.problems.end());
    if (!report.ended) result.problems.push_back(abortText(report, timeout));
    warnings.insert(warnings.end(), report.warnings.begin(), report.warnings.end());
    result.summary = summaryText(settings, plugins, report, warnings);
    result.ok = result.problems.empty();
    return result;
}

}  // namespace gateway
