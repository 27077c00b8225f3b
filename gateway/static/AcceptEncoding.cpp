#include "gateway/static/AcceptEncoding.h"

#include "gateway/http/Request.h"

namespace gateway {

namespace {

bool isOws(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && isOws(text.front())) text.remove_prefix(1);
    while (!text.empty() && isOws(text.back())) text.remove_suffix(1);
    return text;
}

/// False only for a q parameter whose value is zero ("q=0", "q=0.", "q=0.000").
bool weightNonZero(std::string_view params) {
    while (!params.empty()) {
        std::size_t semicolon = params.find(';');
        std::string_view param = trim(params.substr(0, semicolon));
        params =
            semicolon == std::string_view::npos ? std::string_view{} : params.substr(semicolon + 1);
        std::size_t equals = param.find('=');
        if (equals == std::string_view::npos) continue;
        if (!equalsIgnoreCase(trim(param.substr(0, equals)), "q")) continue;
        std::string_view q = trim(param.substr(equals + 1));
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
        std::string_view coding = trim(element.substr(0, semicolon));
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
