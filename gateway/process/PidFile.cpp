#include "gateway/process/PidFile.h"

#include <signal.h>
#include <unistd.h>

#include <Poco/Logger.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

namespace gateway {
namespace {

std::string commOf(const std::string& pid) {
    std::ifstream comm("/proc/" + pid + "/comm");
    std::string name;
    std::getline(comm, name);
    return name;
}

std::runtime_error failure(const std::string& what, const std::string& path) {
    return std::runtime_error("pidfile " + path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

PidFile::PidFile(std::string path) : _path(std::move(path)) {
    const pid_t self = ::getpid();
    const pid_t holder = read(_path);
    if (holder > 0 && holder != self && isGateway(holder))
        throw std::runtime_error("pidfile " + _path + " names gateway " + std::to_string(holder) +
                                 ", which is running: not starting a second one (stop it "
                                 "first, or give this one another --pidfile)");
    // Our own name for the temporary file, so that two starting gateways never share one.
    const std::string temporary = _path + "." + std::to_string(self) + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << self << '\n';
        out.flush();
        if (!out) {
            const auto error = failure("cannot write " + temporary, _path);
            ::unlink(temporary.c_str());
            throw error;
        }
    }
    if (::rename(temporary.c_str(), _path.c_str()) != 0) {
        const auto error = failure("cannot rename " + temporary + " to it", _path);
        ::unlink(temporary.c_str());
        throw error;
    }
    if (holder > 0 && holder != self)
        Poco::Logger::get("gateway").notice("pidfile " + _path + ": replaced a stale one (pid " +
                                            std::to_string(holder) + " is no gateway)");
}

PidFile::~PidFile() {
    if (read(_path) != ::getpid()) return;
    if (::unlink(_path.c_str()) != 0)
        // E.g. after --user, in a folder only root may write to: the next start replaces it.
        Poco::Logger::get("gateway").information("pidfile " + _path +
                                                 " left in place: " + std::strerror(errno));
}

pid_t PidFile::read(const std::string& path) {
    std::ifstream in(path);
    std::string text;
    if (!std::getline(in, text)) return 0;
    pid_t pid = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (error != std::errc() || end != text.data() + text.size() || pid <= 0) return 0;
    return pid;
}

bool PidFile::isGateway(pid_t pid) {
    if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH)) return false;
    static const std::string self = commOf("self");
    const std::string name = commOf(std::to_string(pid));
    return !name.empty() && name == self;
}

}  // namespace gateway
