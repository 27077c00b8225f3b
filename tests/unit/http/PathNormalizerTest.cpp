#include "gateway/http/PathNormalizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace std::string_literals;

namespace gateway {
namespace {

using Result = PathNormalizer::Result;
using Policy = PathNormalizer::Policy;

const char* resultName(Result result) {
    switch (result) {
        case Result::Ok:
            return "Ok";
        case Result::BadEscape:
            return "BadEscape";
        case Result::Nul:
            return "Nul";
        case Result::NotRooted:
            return "NotRooted";
        case Result::Climbs:
            return "Climbs";
        case Result::Dotfile:
            return "Dotfile";
        case Result::UnsafeByte:
            return "UnsafeByte";
    }
    return "?";
}

struct PathCase {
    const char* name;
    std::string raw;
    Result result;
    std::string normalized;  ///< checked when Ok
};

void PrintTo(const PathCase& c, std::ostream* out) {
    *out << c.name;
}

void expectNormalizes(const PathCase& c, const Policy& policy) {
    std::string out = "stale";
    ASSERT_STREQ(resultName(PathNormalizer::normalize(c.raw, out, policy)), resultName(c.result));
    if (c.result == Result::Ok) {
        EXPECT_EQ(out, c.normalized);
    }
}

std::string caseName(const testing::TestParamInfo<PathCase>& info) {
    return info.param.name;
}

// ---- PATH_INFO (SPEC section 3): empty segments kept, nothing refused but a climb -------------

class PathInfoPolicy : public testing::TestWithParam<PathCase> {};

TEST_P(PathInfoPolicy, Normalizes) {
    expectNormalizes(GetParam(), PathNormalizer::kPathInfo);
}

const PathCase kPathInfoCases[] = {
    {"Empty", "", Result::Ok, ""},
    {"Slash", "/", Result::Ok, "/"},
    {"Plain", "/a/b", Result::Ok, "/a/b"},
    {"Space", "/a%20b", Result::Ok, "/a b"},
    {"DotDotAfterEscape", "/a%20b/../c", Result::Ok, "/c"},
    {"EncodedSlash", "/x%2Fy", Result::Ok, "/x/y"},
    {"EncodedSlashFirst", "%2Fa", Result::Ok, "/a"},
    {"EmptySegmentsKept", "/a//b/", Result::Ok, "/a//b/"},
    {"DotDotRemovesAnEmptySegment", "/a//..", Result::Ok, "/a/"},
    {"LeadingEmptySegmentKept", "//..", Result::Ok, "/"},
    {"SingleDot", "/a/./b", Result::Ok, "/a/b"},
    {"TrailingDot", "/a/.", Result::Ok, "/a/"},
    {"TrailingDotDot", "/a/b/..", Result::Ok, "/a/"},
    {"BackToRoot", "/a/..", Result::Ok, "/"},
    {"OnlyDot", "/.", Result::Ok, "/"},
    {"DotsInNames", "/.well-known/a..b/...", Result::Ok, "/.well-known/a..b/..."},
    {"DotfilesAllowed", "/.env", Result::Ok, "/.env"},
    {"BackslashAndControlsAllowed", "/a%5cb%0d", Result::Ok, "/a\\b\r"},
    {"EncodedDots", "/a/%2e%2E/b", Result::Ok, "/b"},
    {"EncodedPercentDecodedOnce", "/%252e%252e/x", Result::Ok, "/%2e%2e/x"},
    {"Utf8", "/%C3%A9t%C3%A9", Result::Ok, "/\xC3\xA9t\xC3\xA9"},
    {"Climbs", "/..", Result::Climbs, ""},
    {"ClimbsLater", "/a/../../etc/passwd", Result::Climbs, ""},
    {"ClimbsEncoded", "/%2e%2e/secret", Result::Climbs, ""},
    {"ClimbsThroughEncodedSlash", "/..%2F..%2Fsecret", Result::Climbs, ""},
    {"EncodedNul", "/a%00b", Result::Nul, ""},
    {"RawNul", "/a\0b"s, Result::Nul, ""},
    {"ShortEscape", "/a%2", Result::BadEscape, ""},
    {"LonePercent", "/a%", Result::BadEscape, ""},
    {"BadHex", "/a%zz", Result::BadEscape, ""},
    {"HalfBadHex", "/a%2g", Result::BadEscape, ""},
    {"NotRooted", "a/b", Result::NotRooted, ""},
    {"NotRootedDot", ".", Result::NotRooted, ""},
    // A malformation anywhere is reported over a refusal earlier in the path (400, not 404).
    {"BadEscapeAfterClimb", "/../%zz", Result::BadEscape, ""},
    {"NulAfterClimb", "/../a%00", Result::Nul, ""},
};

INSTANTIATE_TEST_SUITE_P(PathNormalizer, PathInfoPolicy, testing::ValuesIn(kPathInfoCases),
                         caseName);

// ---- files below the docroot: "//" collapsed, dotfiles and unsafe bytes refused -------------

class FilePolicy : public testing::TestWithParam<PathCase> {};

TEST_P(FilePolicy, Normalizes) {
    expectNormalizes(GetParam(), PathNormalizer::kFile);
}

const PathCase kFileCases[] = {
    {"Empty", "", Result::Ok, ""},
    {"Root", "/", Result::Ok, "/"},
    {"File", "/a.html", Result::Ok, "/a.html"},
    {"Directory", "/a/", Result::Ok, "/a/"},
    {"DoubleSlashCollapsed", "//a//b", Result::Ok, "/a/b"},
    {"TrailingDoubleSlash", "/a//", Result::Ok, "/a/"},
    {"DotSegments", "/a/./b/.", Result::Ok, "/a/b/"},
    {"DotDotInside", "/a/b/../c", Result::Ok, "/a/c"},
    {"DotDotToRoot", "/a/..", Result::Ok, "/"},
    {"NotRootedImpliesRoot", "a/b", Result::Ok, "/a/b"},
    {"EncodedSlashSeparates", "/a%2Fb", Result::Ok, "/a/b"},
    {"WellKnownAllowed", "/.well-known/a", Result::Ok, "/.well-known/a"},
    {"DotsInsideNames", "/a..b/c.", Result::Ok, "/a..b/c."},
    {"Utf8Name", "/caf%C3%A9.txt", Result::Ok, "/caf\xC3\xA9.txt"},
    {"EmptySegmentDoesNotHideClimb", "//..", Result::Climbs, ""},
    {"DotDotEscape", "/../secret", Result::Climbs, ""},
    {"DotDotEncodedSlash", "/..%2fsecret", Result::Climbs, ""},
    {"Dotfile", "/.env", Result::Dotfile, ""},
    {"DotDirectory", "/.git/config", Result::Dotfile, ""},
    {"ThreeDots", "/...", Result::Dotfile, ""},
    {"EncodedDotfile", "/%2egit/config", Result::Dotfile, ""},
    {"WellKnownPrefixIsADotfile", "/.well-knownx", Result::Dotfile, ""},
    {"Backslash", "/..\\secret", Result::UnsafeByte, ""},
    {"EncodedBackslash", "/%5c..%5csecret", Result::UnsafeByte, ""},
    {"OverlongDot", "/%c0%ae%c0%ae/secret", Result::UnsafeByte, ""},
    {"NeverUtf8Byte", "/a%f5", Result::UnsafeByte, ""},
    {"ControlByte", "/a%0d%0ab", Result::UnsafeByte, ""},
    {"Del", "/a%7f", Result::UnsafeByte, ""},
    {"EncodedNul", "/a%00.html", Result::Nul, ""},
    {"TruncatedEscape", "/a%2", Result::BadEscape, ""},
    {"DotfileThenBadEscape", "/.git/%zz", Result::BadEscape, ""},
};

INSTANTIATE_TEST_SUITE_P(PathNormalizer, FilePolicy, testing::ValuesIn(kFileCases), caseName);

// ---- properties over every short path from a hostile alphabet --------------------------------

/// Calls f(path) for every concatenation of up to `length` pieces.
template <typename F>
void forEachPath(const std::vector<std::string>& pieces, std::size_t length, F&& f) {
    std::vector<std::size_t> index;
    for (;;) {
        std::string path;
        for (std::size_t i : index) path += pieces[i];
        f(path);
        std::size_t k = 0;
        while (k < index.size() && ++index[k] == pieces.size()) index[k++] = 0;
        if (k == index.size()) {
            if (index.size() == length) return;
            index.assign(index.size() + 1, 0);
        }
    }
}

std::vector<std::string> segmentsOf(const std::string& normalized) {
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (start <= normalized.size()) {
        std::size_t end = normalized.find('/', start);
        if (end == std::string::npos) end = normalized.size();
        segments.push_back(normalized.substr(start, end - start));
        start = end + 1;
    }
    return segments;
}

TEST(PathNormalizerProperty, OutputIsRootedNormalAndStable) {
    const std::vector<std::string> pieces = {"/", ".", "a", "%2e", "%2F", ".git", "%zz", "%00"};
    std::size_t checked = 0;
    for (const Policy& policy : {PathNormalizer::kPathInfo, PathNormalizer::kFile}) {
        forEachPath(pieces, 5, [&](const std::string& raw) {
            std::string out;
            if (PathNormalizer::normalize(raw, out, policy) != Result::Ok) return;
            ++checked;
            if (raw.empty()) {
                EXPECT_EQ(out, "");
                return;
            }
            ASSERT_FALSE(out.empty()) << raw;
            EXPECT_EQ(out[0], '/') << raw;
            const std::vector<std::string> segments = segmentsOf(out);
            for (std::size_t i = 0; i < segments.size(); ++i) {
                const std::string& s = segments[i];
                EXPECT_TRUE(s != "." && s != "..") << raw << " -> " << out;
                if (policy.refuseDotfiles) {
                    EXPECT_NE(s.substr(0, 1), ".") << raw << " -> " << out;
                }
                if (!policy.keepEmptySegments && i + 1 < segments.size()) {
                    EXPECT_FALSE(s.empty()) << raw << " -> " << out;
                }
            }
            std::string again;
            EXPECT_EQ(PathNormalizer::normalize(out, again, policy), Result::Ok) << out;
            EXPECT_EQ(again, out) << raw;
        });
    }
    EXPECT_GT(checked, 1000u);  // the alphabet does reach the interesting paths
}

}  // namespace
}  // namespace gateway
