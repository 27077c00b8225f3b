#include "gateway/static/AcceptEncoding.h"

#include "gateway/http/Request.h"

namespace gateway {

namespace {

/// False only for a q parameter whose value is zero ("q=0", "q=0.", "q=0.000").
bool weightNonZero(std::string_view params) {
    while (!params.empty()) {
        std::size_t semicolon = params.find(';');
        std::string_view param = trimOws(params.substr(0, semicolon));
        params =
            semicolon == std::string_view::npos ? std::string_view{} : params.substr(semicolon + 1);
        std::size_t equals = param.find('=');
        if (equals == std::string_view::npos) continue;
        if (!equalsIgnoreCase(trimOws(param.substr(0, equals)), "q")) continue;
        std::string_view q = trimOws(param.substr(equals + 1));
        if (q.empty()) return true;
        if (q[0] != '0') return true;  // "1", "1.0", or junk: be generous
        for (std::size_t i = 1; i < q.size(); ++i)
            if (q[i] != '.' && q[i] != '0') return true;
        return false;
    }
    return true;
}

}  // namespace

bool AcceptEncoding::allowsGzip(std::string_view value) noexcept {
    bool star = false;
    while (!value.empty()) {
        std::size_t comma = value.find(',');
        std::string_view element = value.substr(0, comma);
        value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
        std::size_t semicolon = element.find(';');
        std::string_view coding = trimOws(element.substr(0, semicolon));
        std::string_view params = semicolon == std::string_view::npos
                                      ? std::string_view{}
                                      : element.substr(semicolon + 1);
        if (equalsIgnoreCase(coding, "gzip") || equalsIgnoreCase(coding, "x-gzip"))
            return weightNonZero(params);
        if (coding == "*") star = weightNonZero(params);
    }
    return star;
}

}  // namespace gateway
