// The browser tests' own helpers, without a browser: cutting elements out of serialised HTML and
// reading a PNG header.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "tests/browser/HtmlElement.h"
#include "tests/browser/PngHeader.h"

using gateway::test::HtmlElement;
using gateway::test::PngHeader;

namespace {

struct TextCase {
    const char* name;
    const char* html;
    const char* tag;
    std::optional<std::string> text;  ///< nullopt: no such element
};

const TextCase kTextCases[] = {
    {"Plain", "<h1>Gateway</h1>", "h1", "Gateway"},
    {"NestedTagsStripped", "<p>You are <code>here</code>, <b>now</b></p>", "p",
     "You are here, now"},
    {"EntitiesDecoded", "<p>a &amp; b &lt;c&gt; &quot;d&quot;</p>", "p", "a & b <c> \"d\""},
    {"WhitespaceCollapsed", "<nav>\n  <a>Home</a>\n  <a>More</a>\n</nav>", "nav", "Home More"},
    {"FirstOfSeveral", "<p>one</p><p>two</p>", "p", "one"},
    {"PrefixIsNotTheTag", "<pre>x</pre><p>y</p>", "p", "y"},
    {"Missing", "<p>y</p>", "h1", std::nullopt},
    {"Unclosed", "<p>y", "p", std::nullopt},
    {"VoidElementHasNoText", "<input name=\"a\">text", "input", ""},
    {"Utf8Kept", "<title>Not found — Gateway</title>", "title", "Not found — Gateway"},
};

class HtmlElementText : public ::testing::TestWithParam<TextCase> {};

TEST_P(HtmlElementText, Text) {
    const auto element = HtmlElement::first(GetParam().html, GetParam().tag);
    ASSERT_EQ(element.has_value(), GetParam().text.has_value());
    if (element) {
        EXPECT_EQ(element->text(), *GetParam().text);
    }
}

INSTANTIATE_TEST_SUITE_P(HtmlElement, HtmlElementText, ::testing::ValuesIn(kTextCases),
                         [](const auto& info) { return std::string(info.param.name); });

struct AttributeCase {
    const char* name;
    const char* startTag;
    const char* attribute;
    std::optional<std::string> value;
};

const AttributeCase kAttributeCases[] = {
    {"DoubleQuoted", "<p id=\"timing\" class=\"x\">", "id", "timing"},
    {"SingleQuoted", "<p id='timing'>", "id", "timing"},
    {"Unquoted", "<p id=timing>", "id", "timing"},
    {"Bare", "<p class=\"timing\" hidden>", "hidden", ""},
    {"BareBeforeOthers", "<p hidden id=\"t\">", "id", "t"},
    {"Absent", "<p class=\"timing\">", "hidden", std::nullopt},
    {"NameIsNotAValue", "<p class=\"hidden\">", "hidden", std::nullopt},
    {"PrefixIsNotTheName", "<input type-x=\"a\" type=\"file\">", "type", "file"},
    {"CaseInsensitiveName", "<form METHOD=\"post\">", "method", "post"},
    {"GreaterThanInValue", "<a title=\"a>b\" href=\"/\">", "href", "/"},
    {"EntityInValue", "<a href=\"/s?a=1&amp;b=2\">", "href", "/s?a=1&b=2"},
};

class HtmlElementAttribute : public ::testing::TestWithParam<AttributeCase> {};

TEST_P(HtmlElementAttribute, Value) {
    const std::string html = std::string(GetParam().startTag) + "</p></form></a>";
    const std::string tag =
        std::string(GetParam().startTag)
            .substr(1, std::string(GetParam().startTag).find_first_of(" >") - 1);
    const auto element = HtmlElement::first(html, tag);
    ASSERT_TRUE(element) << html;
    EXPECT_EQ(element->attribute(GetParam().attribute), GetParam().value);
}

INSTANTIATE_TEST_SUITE_P(HtmlElement, HtmlElementAttribute, ::testing::ValuesIn(kAttributeCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HtmlElement, ByIdFindsAnyTag) {
    const auto element = HtmlElement::byId("<div><p class=\"a\" id=\"t\">x</p></div>", "t");
    ASSERT_TRUE(element);
    EXPECT_EQ(element->tag(), "p");
    EXPECT_EQ(element->text(), "x");
    EXPECT_FALSE(HtmlElement::byId("<p id=\"tt\">x</p>", "t"));
}

TEST(HtmlElement, AllInDocumentOrder) {
    const auto forms = HtmlElement::all("<form a=1>x</form><p></p><form a=2>y</form>", "form");
    ASSERT_EQ(forms.size(), 2u);
    EXPECT_EQ(forms[0].attribute("a"), "1");
    EXPECT_EQ(forms[1].text(), "y");
}

std::string pngStart(std::uint32_t width, std::uint32_t height, const char* chunk = "IHDR") {
    std::string bytes("\x89PNG\r\n\x1a\n", 8);
    auto put32 = [&](std::uint32_t v) {
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes += static_cast<char>((v >> shift) & 0xff);
    };
    put32(13);
    bytes += chunk;
    put32(width);
    put32(height);
    bytes += std::string("\x08\x02\x00\x00\x00", 5);
    put32(0);  // CRC, not checked
    return bytes;
}

TEST(PngHeader, ReadsWidthAndHeight) {
    const auto header = PngHeader::parse(pngStart(1024, 768));
    ASSERT_TRUE(header);
    EXPECT_EQ(header->width, 1024u);
    EXPECT_EQ(header->height, 768u);
    EXPECT_EQ(header->bitDepth, 8);
    EXPECT_EQ(header->colourType, 2);
}

TEST(PngHeader, RefusesWhatIsNotAPng) {
    std::string badSignature = pngStart(1, 1);
    badSignature[1] = 'J';
    EXPECT_FALSE(PngHeader::parse(badSignature));
    EXPECT_FALSE(PngHeader::parse(pngStart(1, 1, "IDAT")));
    EXPECT_FALSE(PngHeader::parse(pngStart(1, 1).substr(0, 32)));
    EXPECT_FALSE(PngHeader::parse(""));
}

}  // namespace
