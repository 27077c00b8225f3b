#include "tests/support/Subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "tests/support/TempDir.h"

extern char** environ;

namespace gateway::test {

namespace {

int pidfdOpen(pid_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

}  // namespace

Subprocess::Subprocess(const std::vector<std::string>& argv,
                       const std::filesystem::path& stdoutPath,
                       const std::filesystem::path& stderrPath) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdoutPath.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    if (stderrPath == stdoutPath) {
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    } else {
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderrPath.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    }

    // The child starts with default dispositions and an empty mask, whatever the test runner did.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    const bool searchPath = argv.at(0).find('/') == std::string::npos;
    const int rc = searchPath ? posix_spawnp(&_pid, args[0], &actions, &attr, args.data(), environ)
                              : posix_spawn(&_pid, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw std::system_error(rc, std::generic_category(), "posix_spawn " + argv[0]);

    _pidfd = pidfdOpen(_pid);
    if (_pidfd < 0) {
        const int err = errno;
        kill();
        throw std::system_error(err, std::generic_category(), "pidfd_open");
    }
}

Subprocess::~Subprocess() {
    kill();
    if (_pidfd >= 0) ::close(_pidfd);
}

void Subprocess::signal(int sig) const {
    if (!_status && _pid > 0) ::kill(_pid, sig);
}

std::optional<int> Subprocess::wait(std::chrono::milliseconds timeout) {
    if (_status) return _status;
    pollfd p{_pidfd, POLLIN, 0};
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        const int n = ::poll(&p, 1, static_cast<int>(std::max<long>(0, left.count())));
        if (n > 0) break;
        if (n == 0) return std::nullopt;
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll pidfd");
    }
    int raw = 0;
    while (::waitpid(_pid, &raw, 0) < 0) {
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
    }
    _status = raw;
    return _status;
}

void Subprocess::kill() {
    if (_status || _pid <= 0) return;
    ::kill(_pid, SIGKILL);
    int raw = 0;
    while (::waitpid(_pid, &raw, 0) < 0 && errno == EINTR) {
    }
    _status = raw;
}

std::string Subprocess::describe(int raw) {
    if (WIFEXITED(raw)) return "exit " + std::to_string(WEXITSTATUS(raw));
    if (WIFSIGNALED(raw)) {
        return "signal " + std::to_string(WTERMSIG(raw)) + " (" + strsignal(WTERMSIG(raw)) + ")";
    }
    return "wait status " + std::to_string(raw);
}

Subprocess::Result Subprocess::run(const std::vector<std::string>& argv,
                                   std::chrono::milliseconds timeout) {
    TempDir dir("gateway-run");
    const auto out = dir.path() / "stdout";
    const auto err = dir.path() / "stderr";
    Result result;
    {
        Subprocess child(argv, out, err);
        result.status = child.wait(timeout);
    }
    result.out = readFile(out);
    result.err = readFile(err);
    return result;
}

bool exitedWith(const std::optional<int>& raw, int code) {
    return raw && WIFEXITED(*raw) && WEXITSTATUS(*raw) == code;
}

}  // namespace gateway::test
