#include "gateway/apps/HeaderPolicy.h"

#include "gateway/http/Lexer.h"

namespace gateway {
namespace {

constexpr std::uint32_t kKnownFlags = GW_RESPONSE_REPLACE | GW_RESPONSE_CLOSE;

std::string_view view(gw_str s) noexcept {
    return {s.ptr ? s.ptr : "", s.ptr ? s.len : 0};
}

/// A header name as text fit for a log line (controls escaped, long names cut).
std::string shown(std::string_view name) {
    std::string out;
    appendEscaped(out, name.substr(0, 64));
    if (name.size() > 64) out.append("...");
    return out;
}

/// The app's Content-Length: one decimal number (after trimming) fitting in int64; -1 when not.
std::int64_t parseContentLength(std::string_view value) noexcept {
    std::int64_t length = -1;
    return parseDecimal(trimOws(value), length) ? length : -1;
}

HeaderPolicy::Verdict reject(std::string_view lint, std::string detail) {
    HeaderPolicy::Verdict verdict;
    verdict.code = GW_E_INVAL;
    verdict.lint = lint;
    verdict.detail = std::move(detail);
    return verdict;
}

}  // namespace

bool HeaderPolicy::isHopByHop(std::string_view name) noexcept {
    for (std::string_view hop : {"Connection", "Keep-Alive", "Proxy-Connection",
                                 "Transfer-Encoding", "TE", "Trailer", "Upgrade"})
        if (equalsIgnoreCase(name, hop)) return true;
    return false;
}

bool HeaderPolicy::isHostOwned(std::string_view name) noexcept {
    return equalsIgnoreCase(name, "Date") || equalsIgnoreCase(name, "Server");
}

HeaderPolicy::Verdict HeaderPolicy::check(std::uint32_t status, gw_str reason,
                                          const gw_header* headers, std::size_t count,
                                          std::uint32_t flags) {
    if (flags & ~kKnownFlags) return reject("GW-L010", "unknown start_response flag bits");
    if (status < 200 || status > 599)
        return reject("GW-L004", "status " + std::to_string(status) + " outside 200-599");
    if ((reason.ptr == nullptr && reason.len > 0) || (headers == nullptr && count > 0))
        return reject("GW-L019", "start_response: NULL argument");
    if (!isFieldValue(view(reason)))
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
        if (!isFieldValue(value))
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

void HeaderPolicy::appendLines(std::string& out, const gw_header* headers, std::size_t count,
                               bool keepLength) {
    for (std::size_t i = 0; i < count; ++i) {
        const std::string_view name = view(headers[i].name);
        if (!keepLength && equalsIgnoreCase(name, "Content-Length")) continue;
        out.append(name).append(": ").append(trimOws(view(headers[i].value))).append("\r\n");
    }
}

}  // namespace gateway
