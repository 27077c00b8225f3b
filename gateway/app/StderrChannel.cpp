#include "gateway/app/StderrChannel.h"

#include <unistd.h>

#include <Poco/Message.h>

#include <cerrno>
#include <string>

namespace gateway {

void StderrChannel::log(const Poco::Message& message) {
    std::string line = message.getText();
    line.push_back('\n');
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // nowhere to report a failing log
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace gateway
