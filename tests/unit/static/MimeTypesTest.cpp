#include "gateway/static/MimeTypes.h"

#include <gtest/gtest.h>

#include <ostream>

#include <memory>

#include "TempDocRoot.h"

namespace gateway {
namespace {

enum class Source { SystemFile, BuiltinOnly };

struct MimeCase {
    const char* name;
    const char* path;
    const char* type;
};

/// Lets ctest/gtest name a case by its name rather than dumping its bytes.
void PrintTo(const MimeCase& c, std::ostream* out) {
    *out << c.name;
}

class MimeLookup : public testing::TestWithParam<std::tuple<Source, MimeCase>> {};

TEST_P(MimeLookup, MapsExtension) {
    auto [source, c] = GetParam();
    MimeTypes types(source == Source::SystemFile ? "/etc/mime.types" : "");
    EXPECT_EQ(types.lookup(c.path), c.type);
}

// Types on which Debian's /etc/mime.types and the built-in table agree.
const MimeCase kMimeCases[] = {
    {"Html", "index.html", "text/html; charset=utf-8"},
    {"HtmUpperCase", "OLD.HTM", "text/html; charset=utf-8"},
    {"Css", "css/site.css", "text/css; charset=utf-8"},
    {"JavaScript", "app.js", "text/javascript; charset=utf-8"},
    {"Json", "data.json", "application/json; charset=utf-8"},
    {"Svg", "logo.svg", "image/svg+xml; charset=utf-8"},
    {"Png", "img/a.b.png", "image/png"},
    {"Jpeg", "photo.jpg", "image/jpeg"},
    {"Text", "notes.txt", "text/plain; charset=utf-8"},
    {"Wasm", "mod.wasm", "application/wasm"},
    {"Woff2", "font.woff2", "font/woff2"},
    {"Gzip", "archive.tar.gz", "application/gzip"},
    {"NoExtension", "README", "application/octet-stream"},
    {"Dotfile", "dir/.profile", "application/octet-stream"},
    {"DotInDirectoryOnly", "dir.d/file", "application/octet-stream"},
    {"TrailingDot", "file.", "application/octet-stream"},
    {"UnknownExtension", "x.nosuchext", "application/octet-stream"},
};

INSTANTIATE_TEST_SUITE_P(MimeTypes, MimeLookup,
                         testing::Combine(testing::Values(Source::SystemFile, Source::BuiltinOnly),
                                          testing::ValuesIn(kMimeCases)),
                         [](const testing::TestParamInfo<std::tuple<Source, MimeCase>>& info) {
                             return std::string(std::get<0>(info.param) == Source::SystemFile
                                                    ? "System_"
                                                    : "Builtin_") +
                                    std::get<1>(info.param).name;
                         });

TEST(MimeTypesFile, FileEntriesWinAndBuiltinsFillTheRest) {
    test::TempDocRoot dir;
    std::string file = dir.base() + "/mime.types";
    test::TempDocRoot::writeRaw(file,
                                "# comment line\n"
                                "application/x-custom\tfoo  BAR # trailing comment\n"
                                "text/x-special html\n"
                                "application/no-extensions\n");
    MimeTypes types(file);
    EXPECT_EQ(types.lookup("a.foo"), "application/x-custom");
    EXPECT_EQ(types.lookup("a.bar"), "application/x-custom");
    EXPECT_EQ(types.lookup("a.html"), "text/x-special; charset=utf-8");
    EXPECT_EQ(types.lookup("a.css"), "text/css; charset=utf-8");  // from the built-in table
}

TEST(MimeTypesFile, MissingFileFallsBackToBuiltins) {
    MimeTypes types("/nonexistent/mime.types");
    EXPECT_GT(types.size(), 20u);
    EXPECT_EQ(types.lookup("index.html"), "text/html; charset=utf-8");
}

TEST(MimeTypesCharset, OnlyTextualTypesGetUtf8) {
    EXPECT_EQ(MimeTypes::withCharset("text/csv"), "text/csv; charset=utf-8");
    EXPECT_EQ(MimeTypes::withCharset("application/javascript"),
              "application/javascript; charset=utf-8");
    EXPECT_EQ(MimeTypes::withCharset("image/png"), "image/png");
    EXPECT_EQ(MimeTypes::withCharset("text/html; charset=latin1"), "text/html; charset=latin1");
}

}  // namespace
}  // namespace gateway
