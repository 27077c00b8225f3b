#include "gateway/http/Lexer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

using namespace std::string_literals;

namespace gateway {
namespace {

// ---- character classes, every byte against the RFC's wording ---------------------------------

bool rfcTchar(unsigned c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

TEST(Lexer, TcharIsExactlyRfc9110Token) {
    for (unsigned c = 0; c < 256; ++c)
        EXPECT_EQ(isTchar(static_cast<char>(c)), rfcTchar(c)) << "byte " << c;
}

TEST(Lexer, FieldCharIsHtabSpVcharObsText) {
    for (unsigned c = 0; c < 256; ++c) {
        const bool expected = c == '\t' || (c >= 0x20 && c <= 0x7E) || c >= 0x80;
        EXPECT_EQ(isFieldChar(static_cast<char>(c)), expected) << "byte " << c;
    }
}

TEST(Lexer, HexValueOfEveryByte) {
    for (unsigned c = 0; c < 256; ++c) {
        int expected = -1;
        if (c >= '0' && c <= '9') expected = static_cast<int>(c - '0');
        if (c >= 'a' && c <= 'f') expected = static_cast<int>(c - 'a' + 10);
        if (c >= 'A' && c <= 'F') expected = static_cast<int>(c - 'A' + 10);
        EXPECT_EQ(hexValue(static_cast<char>(c)), expected) << "byte " << c;
    }
}

TEST(Lexer, ToLowerAsciiFoldsOnlyAsciiLetters) {
    for (unsigned c = 0; c < 256; ++c) {
        const char expected =
            c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c);
        EXPECT_EQ(toLowerAscii(static_cast<char>(c)), expected) << "byte " << c;
    }
}

// ---- strings ----------------------------------------------------------------------------------

struct TextCase {
    const char* name;
    std::string text;
    bool token;
    bool fieldValue;
    std::string trimmed;
};

void PrintTo(const TextCase& c, std::ostream* os) {
    *os << c.name;
}

class LexerText : public testing::TestWithParam<TextCase> {};

TEST_P(LexerText, Classifies) {
    const TextCase& c = GetParam();
    EXPECT_EQ(isToken(c.text), c.token);
    EXPECT_EQ(isFieldValue(c.text), c.fieldValue);
    EXPECT_EQ(trimOws(c.text), c.trimmed);
}

const TextCase kTexts[] = {
    {"Empty", "", false, true, ""},
    {"Token", "Content-Type", true, true, "Content-Type"},
    {"AllTokenSymbols", "!#$%&'*+-.^_`|~", true, true, "!#$%&'*+-.^_`|~"},
    {"Separator", "a:b", false, true, "a:b"},
    {"Space", "a b", false, true, "a b"},
    {"OwsAround", " \t a \t ", false, true, "a"},
    {"OnlyOws", " \t", false, true, ""},
    {"InnerTabKept", "a\tb", false, true, "a\tb"},
    {"ObsText", "caf\xC3\xA9", false, true, "caf\xC3\xA9"},
    {"Cr", "a\rb", false, false, "a\rb"},
    {"Lf", "a\n", false, false, "a\n"},
    {"Nul", "a\0b"s, false, false, "a\0b"s},
    {"Del", "a\x7f", false, false, "a\x7f"},
    {"Esc", "\x1b[31m", false, false, "\x1b[31m"},
};

INSTANTIATE_TEST_SUITE_P(Lexer, LexerText, testing::ValuesIn(kTexts),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Lexer, EqualsIgnoreCaseFoldsAsciiOnly) {
    EXPECT_TRUE(equalsIgnoreCase("Content-Length", "content-LENGTH"));
    EXPECT_FALSE(equalsIgnoreCase("Host", "Hos"));
    EXPECT_FALSE(equalsIgnoreCase("Host", "Hosu"));
    EXPECT_FALSE(equalsIgnoreCase("\xC3\xA9", "\xC3\x89"));  // é / É: not ASCII
    EXPECT_FALSE(equalsIgnoreCase("@", "`"));                // 0x40 / 0x60 differ by 0x20 too
    EXPECT_TRUE(equalsIgnoreCase("", ""));
}

TEST(Lexer, CrlfIsTheOnlyLineEnd) {
    EXPECT_TRUE(isCrlf("\r\n"));
    EXPECT_FALSE(isCrlf("\n\r"));
    EXPECT_FALSE(isCrlf("\r\r"));
    EXPECT_FALSE(isCrlf("\nx"));
}

// ---- numbers ----------------------------------------------------------------------------------

struct DecimalCase {
    const char* name;
    std::string text;
    bool ok;
    std::int64_t value;
};

void PrintTo(const DecimalCase& c, std::ostream* os) {
    *os << c.name;
}

class LexerDecimal : public testing::TestWithParam<DecimalCase> {};

TEST_P(LexerDecimal, Parses) {
    const DecimalCase& c = GetParam();
    std::int64_t value = -7;
    ASSERT_EQ(parseDecimal(c.text, value), c.ok);
    if (c.ok) {
        EXPECT_EQ(value, c.value);
    }
}

const DecimalCase kDecimals[] = {
    {"Zero", "0", true, 0},
    {"LeadingZeros", "007", true, 7},
    {"Int64Max", "9223372036854775807", true, INT64_MAX},
    {"Int64MaxPlusOne", "9223372036854775808", false, 0},
    {"Uint64Overflow", "18446744073709551616", false, 0},
    {"Empty", "", false, 0},
    {"Minus", "-1", false, 0},
    {"Plus", "+1", false, 0},
    {"Space", " 1", false, 0},
    {"Hex", "0x1", false, 0},
    {"Fraction", "1.0", false, 0},
};

INSTANTIATE_TEST_SUITE_P(Lexer, LexerDecimal, testing::ValuesIn(kDecimals),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Lexer, AppendNumberInAnyBase) {
    std::string out = "x";
    appendNumber(out, std::uint64_t{0});
    out += '|';
    appendNumber(out, UINT64_MAX);
    out += '|';
    appendNumber(out, std::int64_t{-42});
    out += '|';
    appendNumber(out, 0xBEEFu, 16);
    EXPECT_EQ(out, "x0|18446744073709551615|-42|beef");
}

// ---- log text ---------------------------------------------------------------------------------

TEST(Lexer, AppendEscapedMakesAnyTextOneSafeLogLine) {
    std::string out;
    appendEscaped(out, "a\r\nb\0\x7f\t\"\\\xC3\xA9"s);
    EXPECT_EQ(out, "a\\x0D\\x0Ab\\x00\\x7F\\x09\"\\\xC3\xA9");
    out.clear();
    appendEscaped(out, "say \"hi\" \\", true);
    EXPECT_EQ(out, "say \\x22hi\\x22 \\x5C");
}

}  // namespace
}  // namespace gateway
