// url.hpp - the parts of a request URL an app reads: percent-decoding, query strings and
// application/x-www-form-urlencoded bodies as decoded multimaps (FormData), and the path below
// the mount split into segments (PathSegments). Pure functions over string_view: no host, no
// exceptions, header-only, C++17, standard library only.
//
//     #include "gateway/url.hpp"
//
//     #include <string>
//
//     // "?tag=a&tag=b+c&q=%C3%A9t%C3%A9" -> tag: "a", "b c"; q: "été"
//     std::string firstTag(std::string_view query) {
//         const std::optional<gateway::sdk::FormData> form = gateway::sdk::FormData::parse(query);
//         if (!form) return "malformed";  // a bad %-escape: Request::queryParams() answers 400
//         return std::string(form->get("tag", "none"));
//     }
//
// In call(), Request::queryParams(), Request::form() and Request::pathSegments() use these on
// the request's own QUERY_STRING, body and PATH_INFO.
#ifndef GATEWAY_URL_HPP
#define GATEWAY_URL_HPP

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/detail/http_lexer.hpp"

namespace gateway::sdk {

/// Appends `text` percent-decoded to `out`: each %XX (either case) becomes one byte; with
/// `plusAsSpace` (form encoding) '+' becomes ' '. Returns false on a '%' not followed by two
/// hex digits (`out` then holds a partial result). Decoded bytes are not checked: %00 gives a
/// NUL, and the result need not be UTF-8.
inline bool percentDecode(std::string_view text, std::string& out, bool plusAsSpace = false) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (text.size() - i < 3) return false;
            const int high = ::gateway::detail::hexValue(text[i + 1]);
            const int low = ::gateway::detail::hexValue(text[i + 2]);
            if (high < 0 || low < 0) return false;
            c = static_cast<char>(high * 16 + low);
            i += 2;
        } else if (c == '+' && plusAsSpace) {
            c = ' ';
        }
        out.push_back(c);
    }
    return true;
}

/// Decoded name/value pairs of a query string or an application/x-www-form-urlencoded body: a
/// multimap that keeps the order and repeated names. Parsed once into one buffer (two
/// allocations whatever the number of fields); the views it hands out live as long as it does.
class FormData {
public:
    /// One field. Structured bindings work: `for (auto [name, value] : form)`.
    struct Field {
        std::string_view name;
        std::string_view value;
    };

    /// Parses "a=1&b=x+y&b=%2F": fields split at '&', name and value at the first '=' (no
    /// '=' means an empty value), both decoded with '+' as a space, as browsers encode forms
    /// (for GET forms in the query too). Empty pieces ("a=1&&b=2") are skipped. nullopt when
    /// a %-escape is malformed ("%G1", a '%' near the end): the request is a 400.
    static std::optional<FormData> parse(std::string_view text) {
        FormData form;
        form._bytes.reserve(text.size());  // decoding never grows the text
        while (!text.empty()) {
            const std::size_t amp = text.find('&');
            const std::string_view piece = text.substr(0, amp);
            text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
            if (piece.empty()) continue;
            const std::size_t eq = piece.find('=');
            Span span{};
            span.nameAt = form._bytes.size();
            if (!percentDecode(piece.substr(0, eq), form._bytes, true)) return std::nullopt;
            span.valueAt = form._bytes.size();
            if (eq != std::string_view::npos &&
                !percentDecode(piece.substr(eq + 1), form._bytes, true))
                return std::nullopt;
            span.end = form._bytes.size();
            form._spans.push_back(span);
        }
        return form;
    }

    /// Number of fields, repeats included.
    std::size_t size() const noexcept { return _spans.size(); }
    bool empty() const noexcept { return _spans.empty(); }
    /// Field i (0 <= i < size()), in the order sent.
    Field operator[](std::size_t i) const noexcept {
        const Span& s = _spans[i];
        const std::string_view bytes(_bytes);
        return {bytes.substr(s.nameAt, s.valueAt - s.nameAt),
                bytes.substr(s.valueAt, s.end - s.valueAt)};
    }

    /// The first value of `name` (exact, case-sensitive), or nullopt.
    std::optional<std::string_view> get(std::string_view name) const noexcept {
        for (const Field field : *this)
            if (field.name == name) return field.value;
        return std::nullopt;
    }
    /// The first value of `name`, or `fallback`.
    std::string_view get(std::string_view name, std::string_view fallback) const noexcept {
        return get(name).value_or(fallback);
    }
    /// Every value of `name`, in order ("?tag=a&tag=b" -> {"a", "b"}).
    std::vector<std::string_view> all(std::string_view name) const {
        std::vector<std::string_view> values;
        for (const Field field : *this)
            if (field.name == name) values.push_back(field.value);
        return values;
    }
    bool contains(std::string_view name) const noexcept { return get(name).has_value(); }

    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Field;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = Field;

        iterator(const FormData* form, std::size_t i) noexcept : _form(form), _i(i) {}
        Field operator*() const noexcept { return (*_form)[_i]; }
        iterator& operator++() noexcept {
            ++_i;
            return *this;
        }
        iterator operator++(int) noexcept { return iterator(_form, _i++); }
        bool operator==(const iterator& other) const noexcept { return _i == other._i; }
        bool operator!=(const iterator& other) const noexcept { return _i != other._i; }

    private:
        const FormData* _form;
        std::size_t _i;
    };
    iterator begin() const noexcept { return iterator(this, 0); }
    iterator end() const noexcept { return iterator(this, _spans.size()); }

private:
    struct Span {  // name = _bytes[nameAt, valueAt), value = _bytes[valueAt, end)
        std::size_t nameAt, valueAt, end;
    };
    std::string _bytes;
    std::vector<Span> _spans;
};

/// The segments of a path, as views into it, without allocating: "/notes/42" -> "notes", "42".
/// A path ending in '/' has an empty last segment ("/notes/" -> "notes", ""; "/" -> ""), and
/// "" (PATH_INFO at the mount itself) has none. PATH_INFO is already percent-decoded by the
/// host (SPEC section 3), so segments need no decoding; a %2F in the request is a '/' here.
///     for (std::string_view segment : gateway::sdk::PathSegments(request.pathInfo())) ...
class PathSegments {
public:
    explicit PathSegments(std::string_view path) noexcept : _path(path) {}

    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = std::string_view;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = std::string_view;

        /// At the segment starting at index `start` of `path` (npos: the end).
        iterator(std::string_view path, std::size_t start) noexcept : _path(path), _start(start) {}
        std::string_view operator*() const noexcept {
            return _path.substr(_start, _path.find('/', _start) - _start);
        }
        iterator& operator++() noexcept {
            const std::size_t slash = _path.find('/', _start);
            _start = slash == std::string_view::npos ? slash : slash + 1;
            return *this;
        }
        iterator operator++(int) noexcept {
            iterator before = *this;
            ++*this;
            return before;
        }
        bool operator==(const iterator& other) const noexcept { return _start == other._start; }
        bool operator!=(const iterator& other) const noexcept { return _start != other._start; }
        /// The rest of the path from this segment on ("/a/b/c" at "b" -> "b/c").
        std::string_view rest() const noexcept { return _path.substr(_start); }

    private:
        std::string_view _path;
        std::size_t _start;
    };

    /// A path not starting with '/' reads as if it did ("a/b" -> "a", "b").
    iterator begin() const noexcept {
        if (_path.empty()) return end();
        return iterator(_path, _path.front() == '/' ? 1 : 0);
    }
    iterator end() const noexcept { return iterator(_path, std::string_view::npos); }

private:
    std::string_view _path;
};

}  // namespace gateway::sdk

#endif  // GATEWAY_URL_HPP
