#include "gateway/http/ForwardedClient.h"

#include "gateway/http/Lexer.h"

namespace gateway {
namespace {

/// The right-most comma-separated entry of `list`, removed from it (OWS trimmed).
std::string_view popLast(std::string_view& list) {
    const std::size_t comma = list.rfind(',');
    const std::string_view last = comma == std::string_view::npos ? list : list.substr(comma + 1);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
    return trimOws(last);
}

std::string_view clientAddress(const Request& request, const CidrList& trusted) {
    std::string_view leftmost;
    for (std::size_t i = request.headerCount; i-- > 0;) {
        if (!equalsIgnoreCase(request.headers[i].name, "X-Forwarded-For")) continue;
        std::string_view list = request.headers[i].value;
        while (!list.empty()) {
            const std::string_view entry = popLast(list);
            if (entry.empty()) continue;
            CidrList::Address address;
            if (!CidrList::parseAddress(entry, address)) return {};
            if (!trusted.contains(address)) return entry;
            leftmost = entry;
        }
    }
    return leftmost;
}

std::string_view forwardedScheme(const Request& request) {
    for (std::size_t i = request.headerCount; i-- > 0;) {
        if (!equalsIgnoreCase(request.headers[i].name, "X-Forwarded-Proto")) continue;
        std::string_view list = request.headers[i].value;
        const std::string_view last = popLast(list);
        if (equalsIgnoreCase(last, "https")) return "https";
        if (equalsIgnoreCase(last, "http")) return "http";
        return {};
    }
    return {};
}

}  // namespace

ForwardedClient ForwardedClient::of(const Request& request, const CidrList& trusted) noexcept {
    return {clientAddress(request, trusted), forwardedScheme(request)};
}

}  // namespace gateway
