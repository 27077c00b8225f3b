#include "gateway/apps/PluginCheck.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "gateway/apps/AppInstance.h"
#include "gateway/apps/AppLoader.h"
#include "gateway/apps/AppRegistry.h"

namespace gateway {
namespace {

constexpr int kChildTimeoutMs = 10000;

std::string flagsText(std::uint32_t flags) {
    std::string text;
    auto add = [&](const char* name) { text.append(text.empty() ? "" : " | ").append(name); };
    if (flags & GW_APP_THREAD_SAFE) add("GW_APP_THREAD_SAFE");
    if (flags & GW_APP_NON_BLOCKING) add("GW_APP_NON_BLOCKING");
    if (flags & ~(GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING)) add("unknown bits");
    return text.empty() ? "0" : text;
}

/// The child: load, report, init, fini, then look for undefined references that neither the
/// plugin nor its own libraries provide (it would rely on symbols of the process loading it).
/// Writes lines to `out`; exit status 0 = loads.
int loadInChild(const std::string& path, const ElfSymbols& symbols, const Settings& settings,
                std::ostream& out) {
    std::shared_ptr<LoadedApp> app;
    try {
        app = AppLoader::load(path);
    } catch (const AppLoadError& e) {
        out << "problem:  " << e.what() << "\n";
        return 1;
    }
    const std::vector<AppRegistry::AppConfig> configs = AppRegistry::configsFor(settings, *app);
    std::string configProblem;
    std::string mounts;  // "/a, /b (config F [app.X]); /c (config F [app.Y])"
    for (const AppRegistry::AppConfig& configured : configs) {
        if (configProblem.empty()) configProblem = configured.error;
        std::string list;
        for (const std::string& mount : configured.mounts)
            list.append(list.empty() ? "" : ", ").append(mount.empty() ? "/" : mount);
        if (configured.mounts.empty()) list = "none: disabled by the config";
        if (!configured.section.empty())
            list += " (config " + settings.configFile + " [app." + configured.section + "])";
        mounts.append(mounts.empty() ? "" : "; ").append(list);
    }
    const AppRegistry::AppConfig& configured = configs.front();
    out << "name:     " << app->name() << "\n"
        << "version:  " << app->version() << "\n"
        << "ABI:      " << AppLoader::versionText(app->abiVersion()) << " (gateway "
        << AppLoader::versionText(GW_ABI_VERSION) << ")\n";
    if (configProblem.empty()) out << "mount:    " << mounts << "\n";
    out << "flags:    " << flagsText(app->descriptor().flags) << "\n";
    if (app->descriptor().description) out << "about:    " << app->descriptor().description << "\n";
    if (const std::string problems = app->flagProblems(); !problems.empty())
        out << "warning:  GW-L021 " << problems << "\n";
    if (!configProblem.empty()) {
        out << "problem:  " << configProblem << "\n";
        return 1;
    }
    out.flush();
    // init as the first mount would run it (with the section's keys), even when disabled.
    AppInstance::Config config = configured.base;
    config.mount =
        configured.mounts.empty() ? "/" + std::string(app->name()) : configured.mounts[0];
    try {
        AppInstance instance(app, config);
        std::string lint;
        try {
            instance.init(&lint);
        } catch (...) {
            if (!lint.empty()) out << "warning:  GW-L022 " << lint << "\n";
            throw;
        }
    } catch (const AppLoadError& e) {
        out << "problem:  " << e.what() << "\n";
        return 1;
    }
    if (!symbols.undefined.empty()) {
        if (void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL)) {
            for (const auto& name : symbols.undefined)
                if (!dlsym(handle, name.c_str()))
                    out << "problem:  undefined symbol " << name
                        << " that its libraries do not provide (link with -Wl,--no-undefined)\n";
            dlclose(handle);
        }
    }
    return 0;
}

std::string signalName(int sig) {
    const char* name = sigabbrev_np(sig);
    return name ? std::string("SIG") + name : "signal " + std::to_string(sig);
}

}  // namespace

ElfSymbols readElfSymbols(const std::string& path) {
    ElfSymbols result;
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        result.error = std::string("cannot read: ") + std::strerror(errno);
        return result;
    }
    const std::string data((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    if (data.size() < sizeof(Elf64_Ehdr) || std::memcmp(data.data(), ELFMAG, SELFMAG) != 0 ||
        data[EI_CLASS] != ELFCLASS64) {
        result.error = "not an ELF64 file";
        return result;
    }
    Elf64_Ehdr header;
    std::memcpy(&header, data.data(), sizeof(header));
    auto section = [&](std::size_t index, Elf64_Shdr& out) {
        const std::uint64_t offset = header.e_shoff + index * sizeof(Elf64_Shdr);
        if (index >= header.e_shnum || offset + sizeof(Elf64_Shdr) > data.size()) return false;
        std::memcpy(&out, data.data() + offset, sizeof(out));
        return out.sh_offset + out.sh_size <= data.size();
    };
    for (std::size_t i = 0; i < header.e_shnum; ++i) {
        Elf64_Shdr symbols, strings;
        if (!section(i, symbols) || symbols.sh_type != SHT_DYNSYM) continue;
        if (!section(symbols.sh_link, strings)) break;
        const std::size_t count = symbols.sh_size / sizeof(Elf64_Sym);
        for (std::size_t k = 1; k < count; ++k) {
            Elf64_Sym symbol;
            std::memcpy(&symbol, data.data() + symbols.sh_offset + k * sizeof(Elf64_Sym),
                        sizeof(symbol));
            if (symbol.st_name >= strings.sh_size) continue;
            const char* start = data.data() + strings.sh_offset + symbol.st_name;
            const std::string name(start, strnlen(start, strings.sh_size - symbol.st_name));
            const unsigned bind = ELF64_ST_BIND(symbol.st_info);
            if (name.empty()) continue;
            if (bind == STB_GNU_UNIQUE) result.unique.push_back(name);
            if (symbol.st_shndx == SHN_UNDEF) {
                if (bind == STB_GLOBAL) result.undefined.push_back(name);
            } else if ((bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE) &&
                       ELF64_ST_VISIBILITY(symbol.st_other) == STV_DEFAULT &&
                       ELF64_ST_TYPE(symbol.st_info) != STT_NOTYPE) {
                result.exported.push_back(name);
            }
        }
        return result;
    }
    result.error = "no dynamic symbol table";
    return result;
}

int checkPlugin(const std::string& path, const Settings& settings, std::ostream& out) {
    out << "file:     " << path << "\n";
    int pipeFds[2];
    if (pipe2(pipeFds, O_CLOEXEC) != 0) {
        out << "problem:  pipe: " << std::strerror(errno) << "\n";
        return 1;
    }
    const ElfSymbols symbols = readElfSymbols(path);
    out.flush();
    std::cout.flush();
    const pid_t child = fork();
    if (child < 0) {
        out << "problem:  fork: " << std::strerror(errno) << "\n";
        return 1;
    }
    if (child == 0) {
        // A crash must end the child with its own signal, whatever handler the parent has
        // (Poco's, a sanitizer's), so the report can name it.
        for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(sig, SIG_DFL);
        ::close(pipeFds[0]);
        int status = 1;
        {
            // Stream line by line so that a crash keeps what was already found.
            struct PipeBuf : std::stringbuf {
                explicit PipeBuf(int fd) : fd(fd) {}
                int sync() override {
                    const std::string text = str();
                    std::size_t done = 0;
                    while (done < text.size()) {
                        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
                        if (n <= 0 && errno != EINTR) break;
                        if (n > 0) done += static_cast<std::size_t>(n);
                    }
                    str("");
                    return 0;
                }
                int fd;
            } buffer(pipeFds[1]);
            std::ostream stream(&buffer);
            status = loadInChild(path, symbols, settings, stream);
            stream.flush();
        }
        _exit(status);
    }
    ::close(pipeFds[1]);
    std::string report;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(kChildTimeoutMs);
    bool timedOut = false;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            break;
        }
        pollfd fd{pipeFds[0], POLLIN, 0};
        const int ready = poll(&fd, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            timedOut = ready == 0;
            break;
        }
        char buffer[4096];
        const ssize_t n = ::read(pipeFds[0], buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        report.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(pipeFds[0]);
    if (timedOut) kill(child, SIGKILL);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    out << report;
    bool loads = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (timedOut)
        out << "problem:  loading did not finish within " << kChildTimeoutMs / 1000
            << " s (gw_app_entry or init hangs)\n";
    else if (WIFSIGNALED(status))
        out << "problem:  the plugin crashed the loading process with "
            << signalName(WTERMSIG(status)) << "\n";

    bool clean = report.find("problem:") == std::string::npos;
    if (symbols.error.empty()) {
        out << "exports: ";
        for (const auto& name : symbols.exported) out << " " << name;
        out << "\n";
        if (symbols.exported.size() > 1 ||
            (symbols.exported.size() == 1 && symbols.exported[0] != GW_APP_ENTRY_SYMBOL))
            out << "warning:  exports more than gw_app_entry (build with -fvisibility=hidden)\n";
        for (const auto& name : symbols.unique) {
            out << "problem:  STB_GNU_UNIQUE symbol " << name
                << " (dlclose cannot unload it; build C++ with -fno-gnu-unique)\n";
            clean = false;
        }
    } else if (loads) {
        out << "warning:  " << symbols.error << "\n";
    }
    const bool ok = loads && clean;
    out << "result:   " << (ok ? "ok: it would load" : "refused") << "\n";
    return ok ? 0 : 1;
}

}  // namespace gateway
