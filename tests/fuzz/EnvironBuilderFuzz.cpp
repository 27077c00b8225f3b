// The environ builder fed with whatever request heads the parser accepts, under a few mounts.
// Properties: every name is unique; HTTP_* names hold only [A-Z0-9_] and stand for exactly the
// headers whose names are [A-Za-z0-9-] (repeats joined with ", "); no value holds CR, LF or NUL
// (PATH_INFO: no NUL; the SPEC lets it carry any other decoded byte); the fixed names carry the
// request's own views; PATH_INFO agrees with a plain reference decoder (percent-decoding, then
// RFC 3986 dot-segment removal keeping empty segments); building twice gives the same environ.

#include <cctype>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "FuzzInput.h"
#include "FuzzTargets.h"
#include "gateway/apps/EnvironBuilder.h"
#include "gateway/config/Settings.h"
#include "gateway/http/PathNormalizer.h"
#include "gateway/http/RequestParser.h"

namespace gateway::fuzz {

namespace {

const ParserLimits kDefaultLimits = parserLimitsOf(Settings{});

enum class PathStatus { Ok, Malformed, Climbs };

/// PATH_INFO's policy refuses nothing but climbing; everything else is malformed or Ok.
PathStatus classify(PathNormalizer::Result result) {
    if (result == PathNormalizer::Result::Ok) return PathStatus::Ok;
    if (result == PathNormalizer::Result::Climbs) return PathStatus::Climbs;
    return PathStatus::Malformed;
}

/// The SPEC's PATH_INFO rule written the obvious way: decode everything, then walk the segments
/// with a stack.
PathStatus referenceDecode(std::string_view raw, std::string& out) {
    std::string decoded;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '%') {
            decoded.push_back(raw[i]);
            continue;
        }
        const std::string_view hex = raw.substr(i + 1, 2);
        if (hex.size() < 2 || !std::isxdigit(static_cast<unsigned char>(hex[0])) ||
            !std::isxdigit(static_cast<unsigned char>(hex[1])))
            return PathStatus::Malformed;
        decoded.push_back(static_cast<char>(std::stoi(std::string(hex), nullptr, 16)));
        i += 2;
    }
    if (decoded.find('\0') != std::string::npos) return PathStatus::Malformed;
    out.clear();
    if (decoded.empty()) return PathStatus::Ok;
    if (decoded[0] != '/') return PathStatus::Malformed;

    std::vector<std::string_view> stack;
    bool trailingSlash = false;
    std::string_view rest = std::string_view(decoded).substr(1);
    for (;;) {
        const std::size_t slash = rest.find('/');
        const std::string_view segment = rest.substr(0, slash);
        const bool last = slash == std::string_view::npos;
        if (segment == "." || segment == "..") {
            if (segment == "..") {
                if (stack.empty()) return PathStatus::Climbs;
                stack.pop_back();
            }
            trailingSlash = last;
        } else {
            stack.push_back(segment);
            trailingSlash = false;
        }
        if (last) break;
        rest.remove_prefix(slash + 1);
    }
    for (std::string_view segment : stack) out.append("/").append(segment);
    if (trailingSlash || stack.empty()) out.push_back('/');
    return PathStatus::Ok;
}

bool hasControl(std::string_view value, bool pathInfo) {
    for (char c : value)
        if (c == '\0' || (!pathInfo && (c == '\r' || c == '\n'))) return true;
    return false;
}

bool isCgiHeaderName(std::string_view name) {
    if (name.size() <= 5 || name.substr(0, 5) != "HTTP_") return false;
    for (char c : name.substr(5))
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

/// What HTTP_* entries the request's headers call for: CGI name and joined value, in order.
std::vector<std::pair<std::string, std::string>> expectedHeaders(const Request& request) {
    std::vector<std::pair<std::string, std::string>> expected;
    for (std::size_t i = 0; i < request.headerCount; ++i) {
        const HeaderField& field = request.headers[i];
        if (equalsIgnoreCase(field.name, "Content-Type") ||
            equalsIgnoreCase(field.name, "Content-Length"))
            continue;
        std::string name = "HTTP_";
        bool valid = true;
        for (char c : field.name) {
            if (c == '-')
                name.push_back('_');
            else if (std::isalnum(static_cast<unsigned char>(c)))
                name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
            else
                valid = false;
        }
        if (!valid) continue;
        bool joined = false;
        for (auto& [seen, value] : expected) {
            if (seen == name) {
                value.append(", ").append(field.value);
                joined = true;
            }
        }
        if (!joined) expected.emplace_back(name, std::string(field.value));
    }
    return expected;
}

std::vector<std::pair<std::string, std::string>> copy(const EnvironBuilder& builder) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [name, value] : builder.entries()) out.emplace_back(name, value);
    return out;
}

void checkEnviron(const EnvironBuilder& builder, const Request& request,
                  const EnvironContext& context) {
    const auto& entries = builder.entries();
    std::vector<std::pair<std::string, std::string>> headers;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& [name, value] = entries[i];
        GATEWAY_FUZZ_CHECK(!name.empty());
        GATEWAY_FUZZ_CHECK(!hasControl(value, name == "PATH_INFO"));
        for (std::size_t j = 0; j < i; ++j) GATEWAY_FUZZ_CHECK(entries[j].first != name);
        GATEWAY_FUZZ_CHECK(builder.find(name) == &entries[i]);
        if (name.substr(0, 5) == "HTTP_") {
            GATEWAY_FUZZ_CHECK(isCgiHeaderName(name));
            headers.emplace_back(name, value);
        }
    }
    GATEWAY_FUZZ_CHECK(headers == expectedHeaders(request));

    auto value = [&](std::string_view name) {
        const EnvironBuilder::Entry* entry = builder.find(name);
        GATEWAY_FUZZ_CHECK(entry != nullptr);
        return entry->second;
    };
    GATEWAY_FUZZ_CHECK(value("REQUEST_METHOD") == request.method);
    GATEWAY_FUZZ_CHECK(value("SCRIPT_NAME") == context.scriptName);
    GATEWAY_FUZZ_CHECK(value("PATH_INFO") == context.pathInfo);
    GATEWAY_FUZZ_CHECK(value("QUERY_STRING") == request.query);
    GATEWAY_FUZZ_CHECK(value("REQUEST_URI") == request.target);
    GATEWAY_FUZZ_CHECK(value("SERVER_PORT") == std::to_string(context.localPort));
    GATEWAY_FUZZ_CHECK(value("REMOTE_PORT") == std::to_string(context.remotePort));
    GATEWAY_FUZZ_CHECK(value("SERVER_PROTOCOL") ==
                       (request.versionMinor == 0 ? "HTTP/1.0" : "HTTP/1.1"));
    if (request.host.empty()) GATEWAY_FUZZ_CHECK(value("SERVER_NAME") == context.localAddress);

    const EnvironBuilder::Entry* length = builder.find("CONTENT_LENGTH");
    GATEWAY_FUZZ_CHECK((length != nullptr) == (!request.chunked && request.contentLength >= 0));
    if (length) GATEWAY_FUZZ_CHECK(length->second == std::to_string(request.contentLength));
    const EnvironBuilder::Entry* type = builder.find("CONTENT_TYPE");
    GATEWAY_FUZZ_CHECK((type != nullptr) == (request.find("Content-Type") != nullptr));
    GATEWAY_FUZZ_CHECK(builder.find("HTTP_CONTENT_TYPE") == nullptr &&
                       builder.find("HTTP_CONTENT_LENGTH") == nullptr);
    GATEWAY_FUZZ_CHECK((builder.find("gateway.deadline") != nullptr) == (context.deadlineMs > 0));
}

}  // namespace

int environBuilder(const std::uint8_t* data, std::size_t size) {
    // Choices first (mount, connection, flags), then the request bytes.
    static constexpr std::string_view kMounts[] = {"", "/echo", "/a/b", "/%7e"};
    FuzzInput in(data, size);
    const std::string_view mount = kMounts[in.pick(std::size(kMounts))];
    const std::uint8_t flags = in.byte();
    EnvironContext context;
    context.remotePort = in.u16();
    context.localPort = in.u16();
    context.remoteAddress = (flags & 1) ? "::1" : "127.0.0.1";
    context.localAddress = (flags & 2) ? "::" : "0.0.0.0";
    context.urlScheme = (flags & 4) ? "https" : "http";
    context.multithread = flags & 8;
    context.multiprocess = flags & 16;
    context.deadlineMs = (flags & 32) ? 1700000000000 + in.u16() : 0;

    const std::string_view wire = in.rest();
    RequestParser parser(kDefaultLimits);
    Request request;
    if (parser.parse(wire, request) != RequestParser::Status::Complete) return 0;

    // Route as the mount table does: on the raw path, at a segment boundary; else the root.
    std::string_view script = mount, rawPathInfo = request.path;
    if (request.path.substr(0, mount.size()) == mount &&
        (request.path.size() == mount.size() || request.path[mount.size()] == '/'))
        rawPathInfo.remove_prefix(mount.size());
    else
        script = "";
    context.scriptName = script;

    std::string pathInfo, reference;
    const PathStatus status =
        classify(PathNormalizer::normalize(rawPathInfo, pathInfo, PathNormalizer::kPathInfo));
    GATEWAY_FUZZ_CHECK(status == referenceDecode(rawPathInfo, reference));
    if (status != PathStatus::Ok) return 0;
    GATEWAY_FUZZ_CHECK(pathInfo == reference);
    GATEWAY_FUZZ_CHECK(pathInfo.empty() || pathInfo[0] == '/');
    context.pathInfo = pathInfo;

    EnvironBuilder builder;
    builder.build(request, context);
    checkEnviron(builder, request, context);
    const auto first = copy(builder);
    builder.build(request, context);  // reused storage gives the same environ
    GATEWAY_FUZZ_CHECK(copy(builder) == first);
    return 0;
}

}  // namespace gateway::fuzz

#ifdef GATEWAY_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return gateway::fuzz::environBuilder(data, size);
}
#endif
