#include "gateway/static/ByteRange.h"

#include <limits>

#include "gateway/http/Request.h"

namespace gateway {

namespace {

/// Decimal digits from `text` at `i`; saturates at UINT64_MAX. False when there are none.
bool parseNumber(std::string_view text, std::size_t& i, std::uint64_t& value) {
    std::size_t start = i;
    value = 0;
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        std::uint64_t digit = static_cast<std::uint64_t>(text[i] - '0');
        value = value > (kMax - digit) / 10 ? kMax : value * 10 + digit;
        ++i;
    }
    return i > start;
}

}  // namespace

ByteRange ByteRange::parse(std::string_view header, std::uint64_t size) noexcept {
    ByteRange result;
    std::size_t equals = header.find('=');
    if (equals == std::string_view::npos) return result;
    std::string_view unit = header.substr(0, equals);
    while (!unit.empty() && isOws(unit.back())) unit.remove_suffix(1);
    if (!equalsIgnoreCase(unit, "bytes")) return result;
    std::string_view set = header.substr(equals + 1);

    // range-set = 1#range-spec: empty list elements are allowed, more than one spec is not served.
    std::string_view spec;
    std::size_t specs = 0;
    std::size_t i = 0;
    while (i <= set.size()) {
        std::size_t comma = set.find(',', i);
        if (comma == std::string_view::npos) comma = set.size();
        std::string_view element = set.substr(i, comma - i);
        element = trimOws(element);
        if (!element.empty()) {
            spec = element;
            ++specs;
        }
        i = comma + 1;
    }
    if (specs != 1) return result;

    std::size_t pos = 0;
    std::uint64_t first = 0, last = 0;
    if (spec[0] == '-') {  // suffix-range: the last n bytes
        pos = 1;
        if (!parseNumber(spec, pos, last) || pos != spec.size()) return result;
        if (last == 0 || size == 0) {
            result.kind = Kind::Unsatisfiable;
            return result;
        }
        result.kind = Kind::Satisfiable;
        result.length = last < size ? last : size;
        result.first = size - result.length;
        return result;
    }
    if (!parseNumber(spec, pos, first) || pos == spec.size() || spec[pos] != '-') return result;
    ++pos;
    bool hasLast = pos < spec.size();
    if (hasLast && (!parseNumber(spec, pos, last) || pos != spec.size())) return result;
    if (hasLast && last < first) return result;  // invalid: ignored, not unsatisfiable
    if (first >= size) {
        result.kind = Kind::Unsatisfiable;
        return result;
    }
    if (!hasLast || last >= size) last = size - 1;
    result.kind = Kind::Satisfiable;
    result.first = first;
    result.length = last - first + 1;
    return result;
}

}  // namespace gateway
