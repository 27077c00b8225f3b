#include "tests/support/RawResponse.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace gateway::test {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// De-chunks from `data`; returns bytes consumed or 0 when incomplete.
std::size_t parseChunked(std::string_view data, std::string& body) {
    std::size_t pos = 0;
    body.clear();
    for (;;) {
        const std::size_t eol = data.find("\r\n", pos);
        if (eol == std::string_view::npos) return 0;
        std::string_view line = data.substr(pos, eol - pos);
        line = line.substr(0, line.find(';'));
        char* end = nullptr;
        const std::string sizeText(trim(line));
        const unsigned long long size = std::strtoull(sizeText.c_str(), &end, 16);
        if (sizeText.empty() || *end != '\0') throw std::runtime_error("bad chunk size line");
        pos = eol + 2;
        if (size == 0) {  // trailers until an empty line
            for (;;) {
                const std::size_t tEol = data.find("\r\n", pos);
                if (tEol == std::string_view::npos) return 0;
                const bool last = tEol == pos;
                pos = tEol + 2;
                if (last) return pos;
            }
        }
        if (data.size() < pos + size + 2) return 0;
        body.append(data.substr(pos, size));
        if (data.substr(pos + size, 2) != "\r\n") throw std::runtime_error("chunk without CRLF");
        pos += size + 2;
    }
}

}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::optional<std::string> RawResponse::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (equalsIgnoreCase(k, name)) return v;
    }
    return std::nullopt;
}

std::size_t RawResponse::headerCount(std::string_view name) const {
    return std::count_if(headers.begin(), headers.end(),
                         [&](const auto& h) { return equalsIgnoreCase(h.first, name); });
}

bool RawResponse::hasToken(std::string_view name, std::string_view token) const {
    for (const auto& [k, v] : headers) {
        if (!equalsIgnoreCase(k, name)) continue;
        std::string_view rest = v;
        while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            if (equalsIgnoreCase(trim(rest.substr(0, comma)), token)) return true;
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return false;
}

std::size_t RawResponse::parse(std::string_view data, bool headRequest, bool eof,
                               RawResponse& out) {
    const std::size_t headEnd = data.find("\r\n\r\n");
    if (headEnd == std::string_view::npos) {
        if (data.size() >= 5 && data.substr(0, 5) != "HTTP/") {
            throw std::runtime_error("not an HTTP response: " + std::string(data.substr(0, 40)));
        }
        return 0;
    }
    RawResponse r;
    r.head = std::string(data.substr(0, headEnd + 4));
    std::string_view head = data.substr(0, headEnd);
    const std::size_t lineEnd = std::min(head.find("\r\n"), head.size());
    const std::string_view statusLine = head.substr(0, lineEnd);
    const std::size_t sp1 = statusLine.find(' ');
    if (statusLine.substr(0, 5) != "HTTP/" || sp1 == std::string_view::npos) {
        throw std::runtime_error("bad status line: " + std::string(statusLine));
    }
    r.version = std::string(statusLine.substr(0, sp1));
    const std::string_view rest = statusLine.substr(sp1 + 1);
    r.status = std::atoi(std::string(rest.substr(0, 3)).c_str());
    r.reason = rest.size() > 4 ? std::string(rest.substr(4)) : "";
    if (r.status < 100 || r.status > 999) throw std::runtime_error("bad status code");

    std::size_t pos = lineEnd + 2;
    while (pos < head.size()) {
        const std::size_t eol = std::min(head.find("\r\n", pos), head.size());
        const std::string_view line = head.substr(pos, eol - pos);
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            throw std::runtime_error("header line without colon: " + std::string(line));
        }
        r.headers.emplace_back(std::string(line.substr(0, colon)),
                               std::string(trim(line.substr(colon + 1))));
        pos = eol + 2;
    }

    std::size_t consumed = headEnd + 4;
    const std::string_view rest2 = data.substr(consumed);
    const bool noBody = headRequest || r.status < 200 || r.status == 204 || r.status == 304;
    if (!noBody) {
        if (r.hasToken("Transfer-Encoding", "chunked")) {
            const std::size_t n = parseChunked(rest2, r.body);
            if (n == 0) return 0;
            consumed += n;
        } else if (auto cl = r.header("Content-Length")) {
            const std::size_t length = std::strtoull(cl->c_str(), nullptr, 10);
            if (rest2.size() < length) return 0;
            r.body = std::string(rest2.substr(0, length));
            consumed += length;
        } else {
            if (!eof) return 0;
            r.body = std::string(rest2);
            consumed = data.size();
        }
    }
    out = std::move(r);
    return consumed;
}

}  // namespace gateway::test
