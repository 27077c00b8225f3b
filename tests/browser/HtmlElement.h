#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gateway::test {

/// One element cut out of serialised HTML (Chromium's --dump-dom), enough to assert what a page
/// shows: its start tag's attributes and its visible text. Not a parser: an element's end is the
/// first matching end tag, so it suits elements that do not nest inside their own kind (title,
/// h1, p, form, pre, ...). Void elements (input, img) have an empty inner().
class HtmlElement {
public:
    /// The first element named `tag` (lower case, as Chromium serialises), else nullopt.
    static std::optional<HtmlElement> first(std::string_view html, std::string_view tag);
    /// Every element named `tag`, in document order.
    static std::vector<HtmlElement> all(std::string_view html, std::string_view tag);
    /// The first element of any kind whose id attribute is `id`.
    static std::optional<HtmlElement> byId(std::string_view html, std::string_view id);

    const std::string& tag() const { return _tag; }
    const std::string& startTag() const { return _startTag; }
    const std::string& inner() const { return _inner; }

    /// The attribute's value (entities decoded; "" for a bare attribute like `hidden`).
    std::optional<std::string> attribute(std::string_view name) const;
    bool hasAttribute(std::string_view name) const { return attribute(name).has_value(); }

    /// The inner HTML without tags, entities decoded, whitespace runs collapsed, trimmed.
    std::string text() const;

private:
    /// The element whose start tag begins at `open` (html[open] == '<').
    static std::optional<HtmlElement> at(std::string_view html, std::size_t open);

    std::string _tag;
    std::string _startTag;
    std::string _inner;
};

}  // namespace gateway::test
