#include "gateway/obs/JsonString.h"

#include <gtest/gtest.h>

#include <string>

namespace gateway {
namespace {

struct JsonCase {
    const char* name;
    std::string text;
    std::string json;  ///< without the surrounding quotes
};

std::ostream& operator<<(std::ostream& out, const JsonCase& c) {
    return out << c.name;
}

class JsonStringTable : public ::testing::TestWithParam<JsonCase> {};

TEST_P(JsonStringTable, Escapes) {
    std::string out = "x";  // appends
    appendJsonString(out, GetParam().text);
    EXPECT_EQ(out, "x\"" + GetParam().json + "\"");
}

const JsonCase kCases[] = {
    {"Empty", "", ""},
    {"Plain", "curl/8.0 (x86_64)", "curl/8.0 (x86_64)"},
    {"QuoteAndBackslash", "a\"b\\c", "a\\\"b\\\\c"},
    {"ShortEscapes", "\n\r\t", "\\n\\r\\t"},
    {"ControlBytes", std::string("\x00\x01\x1f", 3), "\\u0000\\u0001\\u001f"},
    {"Del", "\x7f", "\\u007f"},
    {"TwoByteUtf8", "caf\xc3\xa9", "caf\xc3\xa9"},
    {"ThreeByteUtf8", "\xe2\x82\xac", "\xe2\x82\xac"},
    {"FourByteUtf8", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
    {"LoneContinuation", "a\x80z", "a\\u0080z"},
    {"Latin1Byte", "\xff", "\\u00ff"},
    {"OverlongSlash", "\xc0\xaf", "\\u00c0\\u00af"},
    {"OverlongThreeByte", "\xe0\x80\xaf", "\\u00e0\\u0080\\u00af"},
    {"Surrogate", "\xed\xa0\x80", "\\u00ed\\u00a0\\u0080"},
    {"PastMaxCodePoint", "\xf4\x90\x80\x80", "\\u00f4\\u0090\\u0080\\u0080"},
    {"TruncatedAtEnd", "ok\xe2\x82", "ok\\u00e2\\u0082"},
    {"TruncatedBeforeAscii", "\xe2\x82z", "\\u00e2\\u0082z"},
};

INSTANTIATE_TEST_SUITE_P(JsonString, JsonStringTable, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace gateway
