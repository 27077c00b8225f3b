// The SDK's pure request helpers, by tables of inputs and expected outputs, well-formed and
// malformed: url.hpp (percent-decoding, FormData, PathSegments), headers.hpp (Cookies,
// MediaType, negotiate), conditional.hpp (entity-tags, HTTP dates, RFC 9110 §13.2.2 order) and
// json.hpp (escaping, checked against nlohmann-json's parser).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/conditional.hpp"
#include "gateway/headers.hpp"
#include "gateway/json.hpp"
#include "gateway/url.hpp"

namespace sdk = gateway::sdk;
using Pairs = std::vector<std::pair<std::string, std::string>>;

namespace {

// ---- url.hpp ---------------------------------------------------------------------------------

struct DecodeCase {
    std::string text;
    bool plusAsSpace;
    std::optional<std::string> expected;  // nullopt: malformed
};

TEST(PercentDecode, Table) {
    const DecodeCase cases[] = {
        {"plain", false, "plain"},
        {"a%20b", false, "a b"},
        {"a+b", false, "a+b"},
        {"a+b", true, "a b"},
        {"%2f%2F", false, "//"},
        {"%e2%82%AC", false, "\xE2\x82\xAC"},
        {"%00", false, std::string(1, '\0')},
        {"%2B", true, "+"},
        {"", false, ""},
        {"%", false, std::nullopt},
        {"a%2", false, std::nullopt},
        {"%G0", false, std::nullopt},
        {"%0g", false, std::nullopt},
        {"%%", false, std::nullopt},
    };
    for (const DecodeCase& c : cases) {
        std::string out;
        const bool ok = sdk::percentDecode(c.text, out, c.plusAsSpace);
        EXPECT_EQ(ok, c.expected.has_value()) << c.text;
        if (ok && c.expected) {
            EXPECT_EQ(out, *c.expected) << c.text;
        }
    }
}

Pairs fields(const sdk::FormData& form) {
    Pairs out;
    for (auto [name, value] : form) out.emplace_back(name, value);
    return out;
}

TEST(FormData, ParsesTable) {
    const std::pair<std::string, Pairs> cases[] = {
        {"", {}},
        {"a=1&b=2", {{"a", "1"}, {"b", "2"}}},
        {"tag=a&tag=b+c", {{"tag", "a"}, {"tag", "b c"}}},
        {"a&b=", {{"a", ""}, {"b", ""}}},
        {"a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},
        {"=x", {{"", "x"}}},
        {"a=b=c", {{"a", "b=c"}}},
        {"k%3D=v%26", {{"k=", "v&"}}},
        {"q=%C3%A9t%C3%A9", {{"q", "\xC3\xA9t\xC3\xA9"}}},
        {"sp=%20+%2B", {{"sp", "  +"}}},
    };
    for (const auto& [text, expected] : cases) {
        const std::optional<sdk::FormData> form = sdk::FormData::parse(text);
        ASSERT_TRUE(form) << text;
        EXPECT_EQ(fields(*form), expected) << text;
        EXPECT_EQ(form->size(), expected.size()) << text;
    }
}

TEST(FormData, MalformedEscapesAreRefused) {
    for (const char* text : {"a=%zz", "a%=1", "a=1&b=%", "a=%4", "%G1=x"})
        EXPECT_FALSE(sdk::FormData::parse(text)) << text;
}

TEST(FormData, LookupKeepsOrderAndRepeats) {
    const sdk::FormData form = *sdk::FormData::parse("tag=a&x=1&tag=b&empty=");
    EXPECT_EQ(form.get("tag"), "a");
    EXPECT_EQ(form.get("x", "0"), "1");
    EXPECT_EQ(form.get("missing", "fallback"), "fallback");
    EXPECT_FALSE(form.get("missing"));
    EXPECT_TRUE(form.contains("empty"));
    EXPECT_EQ(form.get("empty"), "");
    EXPECT_EQ(form.all("tag"), (std::vector<std::string_view>{"a", "b"}));
    EXPECT_TRUE(form.all("missing").empty());
    EXPECT_EQ(form[2].name, "tag");
    EXPECT_EQ(form[2].value, "b");
}

TEST(FormData, CopiesOwnTheirBytes) {
    std::optional<sdk::FormData> original = sdk::FormData::parse("a=%41&b=2");
    const sdk::FormData copy = *original;
    original.reset();
    EXPECT_EQ(fields(copy), (Pairs{{"a", "A"}, {"b", "2"}}));
}

TEST(PathSegments, Table) {
    const std::pair<std::string, std::vector<std::string>> cases[] = {
        {"", {}},
        {"/", {""}},
        {"/a", {"a"}},
        {"/notes/42", {"notes", "42"}},
        {"/a/b/", {"a", "b", ""}},
        {"//a", {"", "a"}},
        {"/a//b", {"a", "", "b"}},
        {"a/b", {"a", "b"}},
        {"/a b/%2F", {"a b", "%2F"}},  // PATH_INFO is decoded already: nothing more here
    };
    for (const auto& [path, expected] : cases) {
        std::vector<std::string> got;
        for (std::string_view segment : sdk::PathSegments(path)) got.emplace_back(segment);
        EXPECT_EQ(got, expected) << path;
    }
}

TEST(PathSegments, RestIsThePathFromASegmentOn) {
    const sdk::PathSegments segments("/files/a/b.txt");
    auto at = segments.begin();
    ++at;
    EXPECT_EQ(*at, "a");
    EXPECT_EQ(at.rest(), "a/b.txt");
}

// ---- headers.hpp -----------------------------------------------------------------------------

TEST(Cookies, Table) {
    const std::pair<std::string, Pairs> cases[] = {
        {"", {}},
        {"a=1", {{"a", "1"}}},
        {"a=1; b=2", {{"a", "1"}, {"b", "2"}}},
        {"a=1;b=2", {{"a", "1"}, {"b", "2"}}},
        {"  a = 1 ;", {{"a", "1"}}},
        {"id=\"quoted\"", {{"id", "quoted"}}},
        {"flag; b=2", {{"b", "2"}}},
        {"=x; c=3", {{"c", "3"}}},
        {"t=a=b", {{"t", "a=b"}}},
        {"e=", {{"e", ""}}},
        {"a=1; a=2", {{"a", "1"}, {"a", "2"}}},
    };
    for (const auto& [header, expected] : cases) {
        Pairs got;
        for (auto [name, value] : sdk::Cookies(header)) got.emplace_back(name, value);
        EXPECT_EQ(got, expected) << header;
    }
    const sdk::Cookies cookies("session=abc; theme=dark; session=later");
    EXPECT_EQ(cookies.get("session"), "abc");
    EXPECT_EQ(cookies.get("theme"), "dark");
    EXPECT_FALSE(cookies.get("Theme"));
}

struct MediaCase {
    std::string text;
    std::string type, subtype;
    Pairs parameters;  // looked up with parameter()
};

TEST(MediaType, ParsesTable) {
    const MediaCase cases[] = {
        {"text/html", "text", "html", {}},
        {"Application/JSON; charset=UTF-8", "Application", "JSON", {{"Charset", "UTF-8"}}},
        {"text/plain; charset=\"utf-8\"", "text", "plain", {{"charset", "utf-8"}}},
        {"text/plain;format=flowed;charset=us-ascii",
         "text",
         "plain",
         {{"format", "flowed"}, {"charset", "us-ascii"}}},
        {"text/plain ; charset=x", "text", "plain", {{"charset", "x"}}},
        {"multipart/form-data; boundary=\"a\\\"b;c\"",
         "multipart",
         "form-data",
         {{"boundary", "a\"b;c"}}},
        {"text/html;;a=1", "text", "html", {{"a", "1"}}},
        {"  text/html  ", "text", "html", {}},
    };
    for (const MediaCase& c : cases) {
        const std::optional<sdk::MediaType> media = sdk::MediaType::parse(c.text);
        ASSERT_TRUE(media) << c.text;
        EXPECT_EQ(media->type, c.type) << c.text;
        EXPECT_EQ(media->subtype, c.subtype) << c.text;
        for (const auto& [name, value] : c.parameters)
            EXPECT_EQ(media->parameter(name), value) << c.text << " " << name;
        EXPECT_FALSE(media->parameter("absent")) << c.text;
    }
}

TEST(MediaType, MalformedTable) {
    for (const char* text :
         {"", "text", "text/", "/html", "text /html", "te xt/html", "text/html garbage",
          "text/html; charset", "text/html; charset=", "text/html; charset=\"open", "text/html; =x",
          "text/html, text/plain", "text/html; a=b c"})
        EXPECT_FALSE(sdk::MediaType::parse(text)) << text;
}

TEST(MediaType, IsComparesTypeAndSubtypeCaseInsensitively) {
    const sdk::MediaType json = *sdk::MediaType::parse("Application/JSON; charset=utf-8");
    EXPECT_TRUE(json.is("application/json"));
    EXPECT_TRUE(json.is("APPLICATION/json"));
    EXPECT_FALSE(json.is("application/jsonx"));
    EXPECT_FALSE(json.is("application"));
    EXPECT_FALSE(json.is("text/json"));
}

struct NegotiateCase {
    std::string accept;
    std::vector<std::string_view> offered;
    std::optional<std::string> expected;
};

TEST(Negotiate, Table) {
    const std::string_view json = "application/json", html = "text/html";
    const NegotiateCase cases[] = {
        {"", {json, html}, "application/json"},
        {"application/json", {html, json}, "application/json"},
        {"text/html;q=0.9, application/json", {html, json}, "application/json"},
        {"text/*;q=0.5, application/json;q=0.4", {json, html}, "text/html"},
        {"*/*", {json, html}, "application/json"},
        {"*/*", {html, json}, "text/html"},
        {"application/*", {html, json}, "application/json"},
        {"image/png", {json, html}, std::nullopt},
        {"application/json;q=0", {json}, std::nullopt},
        {"*/*;q=0.1, application/json;q=0", {json, html}, "text/html"},
        {"text/html;level=1, text/html;q=0.1",
         {"text/html", "text/html;level=1"},
         "text/html;level=1"},
        {"text/html;q=2, application/json", {html, json}, "application/json"},
        {"garbage", {json, html}, "application/json"},
        {"application/json;q=0.5;ext=1, text/html;q=0.6", {json, html}, "text/html"},
        {"TEXT/HTML", {json, html}, "text/html"},
        {"text/html;foo=\"a,b\";q=0.2, application/json;q=0.1", {json, html}, "application/json"},
        {"text/html;q=0.500, application/json;q=0.5", {json, html}, "application/json"},
        {"text/html;q=0.501, application/json;q=0.5", {json, html}, "text/html"},
        {" , ,application/json", {html, json}, "application/json"},
        {"text/html", {}, std::nullopt},
    };
    for (const NegotiateCase& c : cases) {
        const std::optional<std::string_view> got =
            sdk::negotiate(c.accept, c.offered.data(), c.offered.size());
        EXPECT_EQ(got ? std::optional<std::string>(*got) : std::nullopt, c.expected) << c.accept;
    }
}

TEST(Negotiate, ReturnsAViewOfTheOfferedEntry) {
    const std::string_view offered[] = {"text/html", "application/json"};
    const auto got = sdk::negotiate("application/json", offered, 2);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->data(), offered[1].data());
    EXPECT_EQ(sdk::negotiate("text/html", {"application/json", "text/html"}), "text/html");
}

// ---- conditional.hpp -------------------------------------------------------------------------

struct EtagCase {
    std::string list, etag;
    bool weakMatch, strongMatch;
};

TEST(EtagMatches, Table) {
    const EtagCase cases[] = {
        {"\"a\"", "\"a\"", true, true},
        {"W/\"a\"", "\"a\"", true, false},
        {"\"a\"", "W/\"a\"", true, false},
        {"W/\"a\"", "W/\"a\"", true, false},
        {"\"x\", \"a\"", "\"a\"", true, true},
        {"\"x\",\"y\"", "\"a\"", false, false},
        {"*", "\"a\"", true, true},
        {"*", "", true, true},
        {"  \"a\"  ", "\"a\"", true, true},
        {"\"a", "\"a\"", false, false},
        {"\"a\" junk, \"b\"", "\"b\"", false, false},
        {"\"b\", junk", "\"b\"", true, true},
        {"\"a\"", "a", false, false},
        {"\"a\"", "", false, false},
        {"\"A\"", "\"a\"", false, false},
        {"", "\"a\"", false, false},
    };
    for (const EtagCase& c : cases) {
        EXPECT_EQ(sdk::etagMatches(c.list, c.etag, false), c.weakMatch)
            << c.list << " ~ " << c.etag;
        EXPECT_EQ(sdk::etagMatches(c.list, c.etag, true), c.strongMatch)
            << c.list << " == " << c.etag;
    }
}

TEST(HttpDate, ParsesTheThreeFormats) {
    const std::pair<std::string, std::optional<std::time_t>> cases[] = {
        {"Sun, 06 Nov 1994 08:49:37 GMT", 784111777},
        {"Sunday, 06-Nov-94 08:49:37 GMT", 784111777},
        {"Sun Nov  6 08:49:37 1994", 784111777},
        {"Thu, 01 Jan 1970 00:00:00 GMT", 0},
        {"Thu, 29 Feb 2024 12:00:00 GMT", 1709208000},
        {"Tuesday, 01-Jan-30 00:00:00 GMT", 1893456000},
        {"Sun, 06 Nov 1994 08:49:37 UTC", std::nullopt},
        {"Sun, 31 Feb 1994 08:49:37 GMT", std::nullopt},
        {"Tue, 29 Feb 2022 08:49:37 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 24:00:00 GMT", std::nullopt},
        {"Sun, 6 Nov 1994 08:49:37 GMT", std::nullopt},
        {"sun, 06 nov 1994 08:49:37 gmt", std::nullopt},
        {"Sun, 06 Nov 1994 08:49:37 GMT ", std::nullopt},
        {"", std::nullopt},
        {"yesterday", std::nullopt},
    };
    for (const auto& [text, expected] : cases)
        EXPECT_EQ(sdk::parseHttpDate(text), expected) << text;
}

TEST(HttpDate, FormatsImfFixdateAndRoundTrips) {
    EXPECT_EQ(sdk::formatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(sdk::formatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(sdk::formatHttpDate(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
    EXPECT_EQ(sdk::formatHttpDate(4102444800), "Fri, 01 Jan 2100 00:00:00 GMT");
    for (std::time_t t = 0; t < 4102444800; t += 86400 * 97 + 3671)
        EXPECT_EQ(sdk::parseHttpDate(sdk::formatHttpDate(t)), t) << t;
}

struct PreconditionCase {
    const char* name;
    sdk::Preconditions headers;
    std::string method;
    sdk::Precondition expected;
    bool withLastModified = true;
};

TEST(EvaluatePreconditions, Rfc9110Order) {
    using P = sdk::Precondition;
    const char* at = "Sun, 06 Nov 1994 08:49:37 GMT";  // the resource's Last-Modified
    const char* before = "Sat, 05 Nov 1994 08:49:37 GMT";
    const char* after = "Mon, 07 Nov 1994 08:49:37 GMT";
    const PreconditionCase cases[] = {
        {"None", {}, "GET", P::Proceed},
        {"InmMatchGet", {"", "\"v1\"", "", ""}, "GET", P::NotModified},
        {"InmMatchHead", {"", "\"v1\"", "", ""}, "HEAD", P::NotModified},
        {"InmMatchPostFails", {"", "\"v1\"", "", ""}, "POST", P::Failed},
        {"InmOther", {"", "\"v2\"", "", ""}, "GET", P::Proceed},
        {"InmWeakMatches", {"", "W/\"v1\"", "", ""}, "GET", P::NotModified},
        {"InmList", {"", "\"v0\", \"v1\"", "", ""}, "GET", P::NotModified},
        {"InmStar", {"", "*", "", ""}, "GET", P::NotModified},
        {"ImsSame", {"", "", at, ""}, "GET", P::NotModified},
        {"ImsLater", {"", "", after, ""}, "GET", P::NotModified},
        {"ImsEarlier", {"", "", before, ""}, "GET", P::Proceed},
        {"ImsOnlyForGetHead", {"", "", at, ""}, "POST", P::Proceed},
        {"InmMissBeatsIms", {"", "\"v2\"", at, ""}, "GET", P::Proceed},
        {"InmMatchBeatsIms", {"", "\"v1\"", before, ""}, "GET", P::NotModified},
        {"ImsInvalidIgnored", {"", "", "yesterday", ""}, "GET", P::Proceed},
        {"ImsWithoutLastModified", {"", "", at, ""}, "GET", P::Proceed, false},
        {"ImMatch", {"\"v1\"", "", "", ""}, "PUT", P::Proceed},
        {"ImOther", {"\"v2\"", "", "", ""}, "PUT", P::Failed},
        {"ImIsStrong", {"W/\"v1\"", "", "", ""}, "PUT", P::Failed},
        {"ImStar", {"*", "", "", ""}, "PUT", P::Proceed},
        {"IusEarlier", {"", "", "", before}, "PUT", P::Failed},
        {"IusSame", {"", "", "", at}, "PUT", P::Proceed},
        {"IusInvalidIgnored", {"", "", "", "soon"}, "PUT", P::Proceed},
        {"ImBeatsIus", {"\"v1\"", "", "", before}, "PUT", P::Proceed},
        {"ImFailsBeforeInm", {"\"v2\"", "\"v1\"", "", ""}, "GET", P::Failed},
    };
    for (const PreconditionCase& c : cases) {
        const std::optional<std::time_t> lastModified =
            c.withLastModified ? std::optional<std::time_t>(784111777) : std::nullopt;
        EXPECT_EQ(sdk::evaluatePreconditions(c.headers, c.method, "\"v1\"", lastModified),
                  c.expected)
            << c.name;
    }
}

// ---- json.hpp --------------------------------------------------------------------------------

TEST(JsonEscape, Table) {
    const std::pair<std::string, std::string> cases[] = {
        {"plain", "plain"},
        {"say \"hi\"", "say \\\"hi\\\""},
        {"a\\b", "a\\\\b"},
        {"\n\t\r\b\f", "\\n\\t\\r\\b\\f"},
        {std::string("\x01\x1f\0", 3), "\\u0001\\u001f\\u0000"},
        {"\xC3\xA9t\xC3\xA9 \x7F /", "\xC3\xA9t\xC3\xA9 \x7F /"},
    };
    for (const auto& [text, expected] : cases) EXPECT_EQ(sdk::jsonEscape(text), expected);
}

TEST(JsonEscape, EveryAsciiByteRoundTripsThroughAJsonParser) {
    std::string all;
    for (int c = 0; c < 0x80; ++c) all.push_back(static_cast<char>(c));
    const nlohmann::json parsed = nlohmann::json::parse("\"" + sdk::jsonEscape(all) + "\"");
    EXPECT_EQ(parsed.get<std::string>(), all);
    EXPECT_EQ(sdk::kJsonType, "application/json");
}

}  // namespace
