#include "gateway/http/ResponseWriter.h"

#include "gateway/http/Lexer.h"
#include "gateway/http/StatusCodes.h"

#ifndef GATEWAY_VERSION
#define GATEWAY_VERSION "0.0.0"
#endif

namespace gateway {
namespace {

constexpr std::string_view kServer = "gateway/" GATEWAY_VERSION;

void appendStatusLine(std::string& out, int status, std::string_view reason = {}) {
    out.append("HTTP/1.1 ");
    appendNumber(out, static_cast<std::uint64_t>(status));
    out.push_back(' ');
    out.append(reason.empty() ? reasonPhrase(status) : reason);
    out.append("\r\n");
}

void appendCommon(std::string& out, std::string_view date) {
    out.append("Date: ").append(date).append("\r\nServer: ").append(kServer).append("\r\n");
}

bool carriesNoContentLength(int status) {
    return status < 200 || status == 204 || status == 304;
}

}  // namespace

void ResponseWriter::writeHead(std::string& out, const Response& response, std::string_view date,
                               bool keepAlive, bool http10KeepAlive, Framing framing) {
    appendStatusLine(out, response.status, response.reason);
    appendCommon(out, date);
    out.append(response.headers);
    if (!carriesNoContentLength(response.status)) {
        if (framing == Framing::Length && !response.omitLength) {
            out.append("Content-Length: ");
            appendNumber(out, response.length);
            out.append("\r\n");
        } else if (framing == Framing::Chunked) {
            out.append("Transfer-Encoding: chunked\r\n");
        }
    }
    if (!keepAlive)
        out.append("Connection: close\r\n");
    else if (http10KeepAlive)
        out.append("Connection: keep-alive\r\n");
    out.append("\r\n");
}

void ResponseWriter::appendErrorPage(std::string& out, int status) {
    auto title = [&] {
        appendNumber(out, static_cast<std::uint64_t>(status));
        out.push_back(' ');
        out.append(reasonPhrase(status));
    };
    out.append("<!DOCTYPE html>\n<html><head><title>");
    title();
    out.append("</title></head>\n<body><h1>");
    title();
    out.append("</h1><hr><p>gateway</p></body></html>\n");
}

void ResponseWriter::writeError(std::string& out, int status, std::string_view date,
                                bool withBody) {
    thread_local std::string page;  // reused: no allocation once warm
    page.clear();
    appendErrorPage(page, status);
    appendStatusLine(out, status);
    appendCommon(out, date);
    out.append("Content-Type: text/html; charset=utf-8\r\nContent-Length: ");
    appendNumber(out, page.size());
    out.append("\r\nConnection: close\r\n\r\n");
    if (withBody) out.append(page);
}

std::string_view ResponseWriter::continueLine() {
    return "HTTP/1.1 100 Continue\r\n\r\n";
}

std::string_view ResponseWriter::serverName() {
    return kServer;
}

}  // namespace gateway
