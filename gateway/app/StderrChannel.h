#pragma once

#include <Poco/Channel.h>

namespace gateway {

/// Writes each log message to stderr as one line with a single write(2), so lines from several
/// worker processes (and their access logs, when sent to the same file) never interleave.
/// Poco's ConsoleChannel writes the text and the newline separately.
class StderrChannel : public Poco::Channel {
public:
    void log(const Poco::Message& message) override;
};

}  // namespace gateway
