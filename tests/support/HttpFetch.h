#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/NameValueCollection.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gateway::test {

/// What an ordinary client (Poco::Net::HTTPClientSession) saw.
struct FetchResult {
    int status = 0;
    std::string reason;
    std::string version;
    Poco::Net::NameValueCollection headers;  ///< case-insensitive
    std::string body;
    std::uint16_t localPort = 0;  ///< the client's port: equal across requests = same connection

    /// The header's value, or "" when absent.
    std::string header(const std::string& name) const { return headers.get(name, ""); }
    bool has(const std::string& name) const { return headers.has(name); }
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// One HTTP/1.1 request on `session` (which keeps its connection between calls when the
/// server allows). Throws Poco exceptions on network errors.
FetchResult fetch(Poco::Net::HTTPClientSession& session, const std::string& method,
                  const std::string& path, const HeaderList& headers = {},
                  const std::string& body = "");

/// One request on a fresh session to 127.0.0.1:port.
FetchResult fetch(std::uint16_t port, const std::string& method, const std::string& path,
                  const HeaderList& headers = {}, const std::string& body = "");

/// A keep-alive session to host:port with a 5 s timeout.
std::unique_ptr<Poco::Net::HTTPClientSession> makeSession(std::uint16_t port,
                                                          const std::string& host = "127.0.0.1");

}  // namespace gateway::test
