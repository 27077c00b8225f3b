#include "gateway/obs/ErrorLog.h"

#include <fcntl.h>
#include <unistd.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/PatternFormatter.h>
#include <Poco/SyslogChannel.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace gateway {
namespace {

/// Writes each message as one line with a single write(2) to a descriptor (Poco's ConsoleChannel
/// and FileChannel write the text and the newline separately, and FileChannel cannot be
/// reopened safely while other threads log).
class LineChannel : public Poco::Channel {
public:
    explicit LineChannel(int fd) : _fd(fd) {}
    void log(const Poco::Message& message) override {
        std::string line = message.getText();
        line.push_back('\n');
        std::size_t done = 0;
        while (done < line.size()) {
            const ssize_t n = ::write(_fd, line.data() + done, line.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;  // nowhere to report a failing log
            done += static_cast<std::size_t>(n);
        }
    }

private:
    int _fd;
};

std::string gFilePath;  ///< "" unless the log is a file
int gFileFd = -1;

int openForAppending(const std::string& path) {
    return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

}  // namespace

void ErrorLog::install(const std::string& target, const std::string& level) {
    Poco::Channel::Ptr sink;
    std::string pattern = "%Y-%m-%d %H:%M:%S.%i [%P] [%p] %t";
    if (target == "-" || target.empty()) {
        sink = new LineChannel(STDERR_FILENO);
    } else if (target == "syslog") {
        sink = new Poco::SyslogChannel("gateway", Poco::SyslogChannel::SYSLOG_PID,
                                       Poco::SyslogChannel::SYSLOG_DAEMON);
        pattern = "[%p] %t";  // syslog stamps the time and "gateway[pid]:" itself
    } else {
        const int fd = openForAppending(target);
        if (fd < 0)
            throw std::runtime_error("cannot open error log " + target + ": " +
                                     std::strerror(errno));
        gFilePath = target;
        gFileFd = fd;
        sink = new LineChannel(fd);
    }
    Poco::Channel::Ptr channel =
        new Poco::FormattingChannel(new Poco::PatternFormatter(pattern), sink);
    for (Poco::Logger* logger : {&Poco::Logger::root(), &Poco::Logger::get("gateway")}) {
        logger->setChannel(channel);
        logger->setLevel(level);
    }
}

void ErrorLog::reopen() {
    if (gFileFd < 0) return;
    const int fd = openForAppending(gFilePath);
    if (fd < 0) {
        Poco::Logger::get("gateway").error("cannot reopen error log " + gFilePath + ": " +
                                           std::strerror(errno) + "; still writing the old one");
        return;
    }
    ::dup3(fd, gFileFd, O_CLOEXEC);
    ::close(fd);
}

}  // namespace gateway
