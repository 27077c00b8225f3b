#include "tests/support/HttpFetch.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

namespace gateway::test {

std::unique_ptr<Poco::Net::HTTPClientSession> makeSession(std::uint16_t port,
                                                          const std::string& host) {
    auto session = std::make_unique<Poco::Net::HTTPClientSession>(host, port);
    session->setKeepAlive(true);
    session->setTimeout(Poco::Timespan(5, 0));
    return session;
}

FetchResult fetch(Poco::Net::HTTPClientSession& session, const std::string& method,
                  const std::string& path, const HeaderList& headers, const std::string& body) {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.add(name, value);
    if (!body.empty() || method == "POST" || method == "PUT") {
        request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    std::ostream& out = session.sendRequest(request);
    out << body;

    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    FetchResult result;
    result.status = static_cast<int>(response.getStatus());
    result.reason = response.getReason();
    result.version = response.getVersion();
    for (const auto& [name, value] : response) result.headers.add(name, value);
    Poco::StreamCopier::copyToString(in, result.body);
    if (session.connected()) result.localPort = session.socket().address().port();
    return result;
}

FetchResult fetch(std::uint16_t port, const std::string& method, const std::string& path,
                  const HeaderList& headers, const std::string& body) {
    auto session = makeSession(port);
    session->setKeepAlive(false);
    return fetch(*session, method, path, headers, body);
}

}  // namespace gateway::test
