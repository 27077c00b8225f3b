#include "tests/browser/HtmlElement.h"

#include <cctype>

namespace gateway::test {

namespace {

constexpr std::string_view kVoidElements[] = {"area",   "base",  "br",    "col",  "embed",
                                              "hr",     "img",   "input", "link", "meta",
                                              "source", "track", "wbr"};

bool isVoid(std::string_view tag) {
    for (std::string_view v : kVoidElements) {
        if (v == tag) return true;
    }
    return false;
}

bool isNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':';
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::string decodeEntities(std::string_view text) {
    static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
        {"&amp;", "&"}, {"&lt;", "<"},   {"&gt;", ">"},  {"&quot;", "\""},
        {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}};
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        bool replaced = false;
        if (text[i] == '&') {
            for (const auto& [entity, value] : kEntities) {
                if (text.substr(i, entity.size()) == entity) {
                    out += value;
                    i += entity.size();
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced) out += text[i++];
    }
    return out;
}

/// The end of the start tag beginning at `open` (the index of its '>'), honouring quoted values.
std::size_t startTagEnd(std::string_view html, std::size_t open) {
    char quote = 0;
    for (std::size_t i = open + 1; i < html.size(); ++i) {
        const char c = html[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return i;
        }
    }
    return std::string_view::npos;
}

/// Index of the next start tag named `tag` at or after `from`, else npos.
std::size_t findStartTag(std::string_view html, std::string_view tag, std::size_t from) {
    const std::string needle = "<" + std::string(tag);
    for (std::size_t pos = html.find(needle, from); pos != std::string_view::npos;
         pos = html.find(needle, pos + 1)) {
        const std::size_t after = pos + needle.size();
        if (after < html.size() && !isNameChar(html[after])) return pos;
    }
    return std::string_view::npos;
}

}  // namespace

std::optional<HtmlElement> HtmlElement::at(std::string_view html, std::size_t open) {
    std::size_t nameEnd = open + 1;
    while (nameEnd < html.size() && isNameChar(html[nameEnd])) ++nameEnd;
    const std::size_t close = startTagEnd(html, open);
    if (nameEnd == open + 1 || close == std::string_view::npos) return std::nullopt;

    HtmlElement element;
    element._tag = std::string(html.substr(open + 1, nameEnd - open - 1));
    element._startTag = std::string(html.substr(open, close - open + 1));
    if (!isVoid(element._tag)) {
        const std::string endTag = "</" + element._tag + ">";
        const std::size_t end = html.find(endTag, close + 1);
        if (end == std::string_view::npos) return std::nullopt;
        element._inner = std::string(html.substr(close + 1, end - close - 1));
    }
    return element;
}

std::optional<HtmlElement> HtmlElement::first(std::string_view html, std::string_view tag) {
    const std::size_t open = findStartTag(html, tag, 0);
    if (open == std::string_view::npos) return std::nullopt;
    return at(html, open);
}

std::vector<HtmlElement> HtmlElement::all(std::string_view html, std::string_view tag) {
    std::vector<HtmlElement> elements;
    for (std::size_t open = findStartTag(html, tag, 0); open != std::string_view::npos;
         open = findStartTag(html, tag, open + 1)) {
        if (auto element = at(html, open)) elements.push_back(std::move(*element));
    }
    return elements;
}

std::optional<HtmlElement> HtmlElement::byId(std::string_view html, std::string_view id) {
    for (std::size_t open = html.find('<'); open != std::string_view::npos;
         open = html.find('<', open + 1)) {
        if (open + 1 >= html.size() || !std::isalpha(static_cast<unsigned char>(html[open + 1]))) {
            continue;
        }
        auto element = at(html, open);
        if (element && element->attribute("id") == id) return element;
    }
    return std::nullopt;
}

std::optional<std::string> HtmlElement::attribute(std::string_view name) const {
    const std::string_view tag = _startTag;
    // Skip "<name", then walk name[=value] pairs up to the closing '>'.
    std::size_t i = 1 + _tag.size();
    while (i < tag.size()) {
        while (i < tag.size() && (isSpace(tag[i]) || tag[i] == '/')) ++i;
        if (i >= tag.size() || tag[i] == '>') break;
        const std::size_t nameStart = i;
        while (i < tag.size() && !isSpace(tag[i]) && tag[i] != '=' && tag[i] != '>' &&
               tag[i] != '/') {
            ++i;
        }
        const std::string_view attr = tag.substr(nameStart, i - nameStart);
        std::optional<std::string> value;
        while (i < tag.size() && isSpace(tag[i])) ++i;
        if (i < tag.size() && tag[i] == '=') {
            ++i;
            while (i < tag.size() && isSpace(tag[i])) ++i;
            std::size_t valueStart = i, valueEnd;
            if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
                const char quote = tag[i];
                valueStart = ++i;
                while (i < tag.size() && tag[i] != quote) ++i;
                valueEnd = i;
                if (i < tag.size()) ++i;
            } else {
                while (i < tag.size() && !isSpace(tag[i]) && tag[i] != '>') ++i;
                valueEnd = i;
            }
            value = decodeEntities(tag.substr(valueStart, valueEnd - valueStart));
        }
        if (attr.size() == name.size()) {
            bool same = true;
            for (std::size_t k = 0; k < attr.size(); ++k) {
                same &= std::tolower(static_cast<unsigned char>(attr[k])) ==
                        std::tolower(static_cast<unsigned char>(name[k]));
            }
            if (same) return value.value_or("");
        }
    }
    return std::nullopt;
}

std::string HtmlElement::text() const {
    std::string stripped;
    bool inTag = false;
    for (char c : _inner) {
        if (c == '<')
            inTag = true;
        else if (c == '>' && inTag)
            inTag = false;
        else if (!inTag)
            stripped += c;
    }
    const std::string decoded = decodeEntities(stripped);
    std::string out;
    bool space = false;
    for (char c : decoded) {
        if (isSpace(c)) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

}  // namespace gateway::test
