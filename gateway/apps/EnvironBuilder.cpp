#include "gateway/apps/EnvironBuilder.h"

#include "gateway/gateway.h"
#include "gateway/http/Lexer.h"

namespace gateway {
namespace {

constexpr std::string_view kAbiText = "1.1";
static_assert(GW_ABI_VERSION == GW_MAKE_ABI_VERSION(1, 1), "gateway.version text is \"1.1\"");

/// SERVER_NAME from a Host header: the host without its port, IPv6 literals without brackets.
std::string_view hostWithoutPort(std::string_view host) {
    if (!host.empty() && host.front() == '[') {
        const std::size_t close = host.find(']');
        return close == std::string_view::npos ? host : host.substr(1, close - 1);
    }
    const std::size_t colon = host.rfind(':');
    return colon == std::string_view::npos ? host : host.substr(0, colon);
}

}  // namespace

bool EnvironBuilder::cgiName(std::string_view header, std::string& out) {
    out.assign("HTTP_");
    for (char c : header) {
        if (c >= 'a' && c <= 'z')
            out.push_back(static_cast<char>(c - 'a' + 'A'));
        else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            out.push_back(c);
        else if (c == '-')
            out.push_back('_');
        else
            return false;
    }
    return !header.empty();
}

EnvironBuilder::Slot EnvironBuilder::stored(std::string_view text) {
    const Slot slot{nullptr, _storage.size(), text.size()};
    _storage.append(text);
    return slot;
}

EnvironBuilder::Slot EnvironBuilder::number(std::uint64_t value) {
    const std::size_t start = _storage.size();
    appendNumber(_storage, value);
    return {nullptr, start, _storage.size() - start};
}

std::string_view EnvironBuilder::resolve(const Slot& slot) const {
    if (slot.external) return {slot.external, slot.length};
    return {_storage.data() + slot.offset, slot.length};
}

void EnvironBuilder::build(const Request& request, const EnvironContext& context) {
    _storage.clear();
    _slots.clear();
    _entries.clear();

    add(external("REQUEST_METHOD"), external(request.method));
    add(external("SCRIPT_NAME"), external(context.scriptName));
    add(external("PATH_INFO"), external(context.pathInfo));
    add(external("QUERY_STRING"), external(request.query));
    add(external("REQUEST_URI"), external(request.target));
    if (const HeaderField* type = request.find("Content-Type"))
        add(external("CONTENT_TYPE"), external(type->value));
    if (!request.chunked && request.contentLength >= 0)
        add(external("CONTENT_LENGTH"), number(static_cast<std::uint64_t>(request.contentLength)));
    add(external("SERVER_NAME"),
        external(request.host.empty() ? context.localAddress : hostWithoutPort(request.host)));
    add(external("SERVER_PORT"), number(context.localPort));
    add(external("SERVER_PROTOCOL"),
        external(request.versionMinor == 0 ? std::string_view("HTTP/1.0") : "HTTP/1.1"));
    add(external("REMOTE_ADDR"), external(context.remoteAddress));
    add(external("REMOTE_PORT"), number(context.remotePort));

    for (std::size_t i = 0; i < request.headerCount; ++i) {
        const HeaderField& field = request.headers[i];
        if (equalsIgnoreCase(field.name, "Content-Type") ||
            equalsIgnoreCase(field.name, "Content-Length"))
            continue;
        if (!cgiName(field.name, _scratch)) continue;
        bool seen = false;  // repeats were joined at their first occurrence
        for (std::size_t j = 0; j < i && !seen; ++j)
            seen = equalsIgnoreCase(request.headers[j].name, field.name);
        if (seen) continue;
        const Slot name = stored(_scratch);
        std::size_t repeats = 0;
        for (std::size_t j = i + 1; j < request.headerCount; ++j)
            repeats += equalsIgnoreCase(request.headers[j].name, field.name);
        if (repeats == 0) {
            add(name, external(field.value));
            continue;
        }
        const std::size_t start = _storage.size();
        _storage.append(field.value);
        for (std::size_t j = i + 1; j < request.headerCount; ++j)
            if (equalsIgnoreCase(request.headers[j].name, field.name))
                _storage.append(", ").append(request.headers[j].value);
        add(name, Slot{nullptr, start, _storage.size() - start});
    }

    add(external("gateway.url_scheme"), external(context.urlScheme));
    add(external("gateway.version"), external(kAbiText));
    add(external("gateway.multithread"), external(context.multithread ? "1" : "0"));
    add(external("gateway.multiprocess"), external(context.multiprocess ? "1" : "0"));
    add(external("gateway.input_terminated"), external("1"));
    if (context.deadlineMs > 0)
        add(external("gateway.deadline"), number(static_cast<std::uint64_t>(context.deadlineMs)));
    if (const std::string_view id = request.id.view(); !id.empty())
        add(external("gateway.request_id"), external(id));
    add(external("gateway.body_limit"), number(context.bodyLimit));

    _entries.reserve(_slots.size());
    for (const auto& [name, value] : _slots) _entries.emplace_back(resolve(name), resolve(value));
}

const EnvironBuilder::Entry* EnvironBuilder::find(std::string_view name) const noexcept {
    for (const Entry& entry : _entries)
        if (entry.first == name) return &entry;
    return nullptr;
}

}  // namespace gateway
