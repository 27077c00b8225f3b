#include "gateway/apps/HeaderPolicy.h"

#include "gateway/http/Request.h"

namespace gateway {
namespace {

constexpr std::uint32_t kKnownFlags = GW_RESPONSE_REPLACE | GW_RESPONSE_CLOSE;

std::string_view view(gw_str s) noexcept {
    return {s.ptr ? s.ptr : "", s.ptr ? s.len : 0};
}

/// A header name as text fit for a log line (controls escaped, long names cut).
std::string shown(std::string_view name) {
    std::string out;
    for (char c : name.substr(0, 64)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) {
            static const char hex[] = "0123456789abcdef";
            out.append("\\x").push_back(hex[u >> 4]);
            out.push_back(hex[u & 15]);
        } else {
            out.push_back(c);
        }
    }
    if (name.size() > 64) out.append("...");
    return out;
}

HeaderPolicy::Verdict reject(std::string_view lint, std::string detail) {
    HeaderPolicy::Verdict verdict;
    verdict.code = GW_E_INVAL;
    verdict.lint = lint;
    verdict.detail = std::move(detail);
    return verdict;
}

}  // namespace

bool HeaderPolicy::isToken(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool alnum =
            (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
        if (alnum) continue;
        switch (c) {
            case '!':
            case '#':
            case '$':
            case '%':
            case '&':
            case '\'':
            case '*':
            case '+':
            case '-':
            case '.':
            case '^':
            case '_':
            case '`':
            case '|':
            case '~':
                continue;
            default:
                return false;
        }
    }
    return true;
}

bool HeaderPolicy::isCleanValue(std::string_view text) noexcept {
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7F) return false;
    }
    return true;
}

std::string_view HeaderPolicy::trim(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool HeaderPolicy::isHopByHop(std::string_view name) noexcept {
    for (std::string_view hop : {"Connection", "Keep-Alive", "Proxy-Connection",
                                 "Transfer-Encoding", "TE", "Trailer", "Upgrade"})
        if (equalsIgnoreCase(name, hop)) return true;
    return false;
}

bool HeaderPolicy::isHostOwned(std::string_view name) noexcept {
    return equalsIgnoreCase(name, "Date") || equalsIgnoreCase(name, "Server");
}

std::int64_t HeaderPolicy::parseContentLength(std::string_view value) noexcept {
    value = trim(value);
    if (value.empty() || value.size() > 18) return -1;
    std::int64_t result = 0;
    for (char c : value) {
        if (c < '0' || c > '9') return -1;
        result = result * 10 + (c - '0');
    }
    return result;
}

HeaderPolicy::Verdict HeaderPolicy::check(std::uint32_t status, gw_str reason,
                                          const gw_header* headers, std::size_t count,
                                          std::uint32_t flags) {
    if (flags & ~kKnownFlags) return reject("GW-L010", "unknown start_response flag bits");
    if (status < 200 || status > 599)
        return reject("GW-L004", "status " + std::to_string(status) + " outside 200-599");
    if ((reason.ptr == nullptr && reason.len > 0) || (headers == nullptr && count > 0))
        return reject("GW-L019", "start_response: NULL argument");
    if (!isCleanValue(view(reason)))
        return reject("GW-L004", "reason phrase contains control characters");

    Verdict verdict;
    for (std::size_t i = 0; i < count; ++i) {
        const gw_header& header = headers[i];
        if ((header.name.ptr == nullptr && header.name.len > 0) ||
            (header.value.ptr == nullptr && header.value.len > 0))
            return reject("GW-L019",
                          "start_response: header " + std::to_string(i) + " with a NULL string");
        const std::string_view name = view(header.name);
        const std::string_view value = view(header.value);
        if (!isToken(name))
            return reject("GW-L005", "header name \"" + shown(name) + "\" is not a token");
        if (!isCleanValue(value))
            return reject("GW-L006", "header " + shown(name) +
                                         ": value contains CR, LF, NUL or "
                                         "another control character");
        if (isHopByHop(name))
            return reject("GW-L007",
                          "hop-by-hop header " + shown(name) + " (the host owns framing)");
        if (isHostOwned(name)) return reject("GW-L008", "host-owned header " + shown(name));
        if (equalsIgnoreCase(name, "Content-Length")) {
            if (verdict.contentLength >= 0) return reject("GW-L009", "Content-Length given twice");
            verdict.contentLength = parseContentLength(value);
            if (verdict.contentLength < 0)
                return reject("GW-L009", "bad Content-Length \"" + shown(value) + "\"");
            if (status == 204) return reject("GW-L009", "Content-Length on a 204 response");
        }
    }
    return verdict;
}

void HeaderPolicy::appendLines(std::string& out, const gw_header* headers, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
        const std::string_view name = view(headers[i].name);
        if (equalsIgnoreCase(name, "Content-Length")) continue;
        out.append(name).append(": ").append(trim(view(headers[i].value))).append("\r\n");
    }
}

}  // namespace gateway
