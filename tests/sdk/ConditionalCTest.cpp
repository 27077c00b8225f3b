// gateway/http.h, the C home of the conditional GET rules: tables run through the helpers
// compiled as C11 (c_conditional.c) and through conditional.hpp's C++ faces, which must agree;
// and the fake host's send_file (ABI 1.1) driven by a C app: the file as the body with its
// Content-Length, HEAD and 304 without it, misuse as lint GW-L025, the descriptor always closed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <string>

#include "gateway/conditional.hpp"
#include "gateway/http.h"
#include "gateway/testing.hpp"

extern "C" {
int c_etag_matches(const char* list, const char* etag, int strong);
int c_date_parse(const char* text, int64_t* t);
size_t c_date_format(char* buf, int64_t t);
size_t c_etag_format(char* buf, uint64_t size, int64_t mtime);
int c_preconditions(const char* if_match, const char* if_none_match, const char* ims,
                    const char* ius, int get_or_head, const char* etag, int has_lm, int64_t lm);
const gw_app* c_file_app(void);
extern int32_t c_file_rc;
extern int c_file_fd;
}

namespace sdk = gateway::sdk;

namespace {

struct MatchCase {
    const char* list;
    const char* etag;
    bool weak;    // If-None-Match
    bool strong;  // If-Match
};

const MatchCase kMatches[] = {
    {"\"a\"", "\"a\"", true, true},
    {"W/\"a\"", "\"a\"", true, false},
    {"\"a\"", "W/\"a\"", true, false},
    {"\"x\", W/\"a\"", "\"a\"", true, false},
    {" \"x\" ,\t\"a\" ", "\"a\"", true, true},
    {"\"x\"", "\"a\"", false, false},
    {"*", "\"a\"", true, true},
    {"*", "", true, true},
    {"\"a\"", "", false, false},
    {"\"a\"", "a", false, false},                  // a malformed resource tag matches nothing
    {"\"a\", bad, \"b\"", "\"b\"", false, false},  // past the first malformed element
    {"\"b\", bad", "\"b\"", true, true},           // before it, still counts
    {"\"a", "\"a\"", false, false},
    {"", "\"a\"", false, false},
};

TEST(ConditionalC, EtagListsWeakAndStrongInCAndCxx) {
    for (const MatchCase& c : kMatches) {
        EXPECT_EQ(c_etag_matches(c.list, c.etag, 0) != 0, c.weak) << c.list << " ~ " << c.etag;
        EXPECT_EQ(c_etag_matches(c.list, c.etag, 1) != 0, c.strong) << c.list << " = " << c.etag;
        EXPECT_EQ(sdk::etagMatches(c.list, c.etag, false), c.weak) << c.list;
        EXPECT_EQ(sdk::etagMatches(c.list, c.etag, true), c.strong) << c.list;
    }
}

TEST(ConditionalC, EtagFromSizeAndMtime) {
    char etag[GW_ETAG_SIZE];
    EXPECT_EQ(c_etag_format(etag, 0x1a2b, 0x5f00), 11u);
    EXPECT_STREQ(etag, "\"1a2b-5f00\"");
    EXPECT_EQ(c_etag_format(etag, 0, 0), 5u);
    EXPECT_STREQ(etag, "\"0-0\"");
    EXPECT_EQ(c_etag_format(etag, UINT64_MAX, -1), static_cast<size_t>(GW_ETAG_SIZE - 1));
    EXPECT_EQ(c_etag_matches(etag, etag, 1), 1) << "a tag it formats is a valid strong tag";
}

struct DateCase {
    const char* text;
    bool valid;
    int64_t t;
};

const DateCase kDates[] = {
    {"Sun, 06 Nov 1994 08:49:37 GMT", true, 784111777},
    {"Sunday, 06-Nov-94 08:49:37 GMT", true, 784111777},
    {"Sun Nov  6 08:49:37 1994", true, 784111777},
    {"Thu, 01 Jan 1970 00:00:00 GMT", true, 0},
    {"Tue, 29 Feb 2000 00:00:00 GMT", true, 951782400},
    {"Thursday, 01-Jan-70 00:00:00 GMT", true, 0},
    {"Wed, 29 Feb 2001 00:00:00 GMT", false, 0},  // not a leap year
    {"Sun, 06 Nov 1994 08:49:37 UTC", false, 0},
    {"sun, 06 Nov 1994 08:49:37 GMT", false, 0},
    {"Sun, 6 Nov 1994 08:49:37 GMT", false, 0},
    {"Sun, 06 Nov 1994 24:00:00 GMT", false, 0},
    {"yesterday", false, 0},
    {"", false, 0},
};

TEST(ConditionalC, HttpDatesParsedInCAndCxx) {
    for (const DateCase& c : kDates) {
        int64_t t = -1;
        EXPECT_EQ(c_date_parse(c.text, &t) != 0, c.valid) << c.text;
        if (c.valid) {
            EXPECT_EQ(t, c.t) << c.text;
        }
        const auto parsed = sdk::parseHttpDate(c.text);
        EXPECT_EQ(parsed.has_value(), c.valid) << c.text;
        if (parsed) {
            EXPECT_EQ(*parsed, c.t) << c.text;
        }
    }
}

TEST(ConditionalC, ImfFixdateFormattedAndRoundTripped) {
    char date[GW_HTTP_DATE_SIZE];
    EXPECT_EQ(c_date_format(date, 784111777), 29u);
    EXPECT_STREQ(date, "Sun, 06 Nov 1994 08:49:37 GMT");
    c_date_format(date, 4102444800);
    EXPECT_STREQ(date, "Fri, 01 Jan 2100 00:00:00 GMT");
    c_date_format(date, -1);
    EXPECT_STREQ(date, "Wed, 31 Dec 1969 23:59:59 GMT");
    for (int64_t t = 0; t < 4102444800; t += 86400 * 37 + 3671) {
        c_date_format(date, t);
        int64_t back = -1;
        ASSERT_EQ(c_date_parse(date, &back), 1) << date;
        EXPECT_EQ(back, t) << date;
        EXPECT_EQ(sdk::formatHttpDate(static_cast<std::time_t>(t)), date);
    }
}

struct PreconditionCase {
    const char* name;
    const char* ifMatch;
    const char* ifNoneMatch;
    const char* ims;
    const char* ius;
    bool getOrHead;
    int expected;
};

// The resource: ETag "v7", Last-Modified Sun, 06 Nov 1994 08:49:37 GMT.
const PreconditionCase kPreconditions[] = {
    {"NoHeaders", "", "", "", "", true, GW_PRECONDITION_PROCEED},
    {"InmMatches", "", "\"v7\"", "", "", true, GW_PRECONDITION_NOT_MODIFIED},
    {"InmWeakMatches", "", "W/\"v7\"", "", "", true, GW_PRECONDITION_NOT_MODIFIED},
    {"InmMatchesOnPost", "", "\"v7\"", "", "", false, GW_PRECONDITION_FAILED},
    {"InmWinsOverIms", "", "\"v6\"", "Sun, 06 Nov 1994 08:49:37 GMT", "", true,
     GW_PRECONDITION_PROCEED},
    {"ImsNotModified", "", "", "Sun, 06 Nov 1994 08:49:37 GMT", "", true,
     GW_PRECONDITION_NOT_MODIFIED},
    {"ImsModifiedSince", "", "", "Sat, 05 Nov 1994 08:49:37 GMT", "", true,
     GW_PRECONDITION_PROCEED},
    {"ImsIgnoredOnPost", "", "", "Sun, 06 Nov 1994 08:49:37 GMT", "", false,
     GW_PRECONDITION_PROCEED},
    {"ImsInvalidIgnored", "", "", "last week", "", true, GW_PRECONDITION_PROCEED},
    {"IfMatchFails", "\"v6\"", "", "", "", true, GW_PRECONDITION_FAILED},
    {"IfMatchWeakFails", "W/\"v7\"", "", "", "", true, GW_PRECONDITION_FAILED},
    {"IfMatchThenInm", "\"v7\"", "\"v7\"", "", "", true, GW_PRECONDITION_NOT_MODIFIED},
    {"IusModifiedSince", "", "", "", "Sat, 05 Nov 1994 08:49:37 GMT", true, GW_PRECONDITION_FAILED},
    {"IusIgnoredWithIfMatch", "*", "", "", "Sat, 05 Nov 1994 08:49:37 GMT", true,
     GW_PRECONDITION_PROCEED},
};

class Preconditions : public ::testing::TestWithParam<PreconditionCase> {};

TEST_P(Preconditions, SameInCAndCxx) {
    const PreconditionCase& c = GetParam();
    EXPECT_EQ(c_preconditions(c.ifMatch, c.ifNoneMatch, c.ims, c.ius, c.getOrHead, "\"v7\"", 1,
                              784111777),
              c.expected);
    sdk::Preconditions headers;
    headers.ifMatch = c.ifMatch;
    headers.ifNoneMatch = c.ifNoneMatch;
    headers.ifModifiedSince = c.ims;
    headers.ifUnmodifiedSince = c.ius;
    EXPECT_EQ(static_cast<int>(sdk::evaluatePreconditions(headers, c.getOrHead ? "GET" : "POST",
                                                          "\"v7\"", 784111777)),
              c.expected);
}

INSTANTIATE_TEST_SUITE_P(ConditionalC, Preconditions, ::testing::ValuesIn(kPreconditions),
                         [](const ::testing::TestParamInfo<PreconditionCase>& info) {
                             return std::string(info.param.name);
                         });

// ---- send_file through the fake host, from C -------------------------------------------------

class SendFileC : public ::testing::Test {
protected:
    void SetUp() override {
        char name[] = "/tmp/gateway-sendfile-test-XXXXXX";
        const int fd = ::mkstemp(name);
        ASSERT_GE(fd, 0);
        ::close(fd);
        _path = name;
        std::ofstream(_path, std::ios::binary) << "0123456789";
    }
    void TearDown() override { std::remove(_path.c_str()); }

    sdk::testing::TestResponse run(const std::string& mode, const std::string& method = "GET",
                                   const std::string& ifNoneMatch = "") {
        sdk::testing::AppRunner app(*c_file_app());
        sdk::testing::TestRequest request;
        request.method = method;
        request.query = _path;
        if (!mode.empty()) request.headers.emplace_back("X-Mode", mode);
        if (!ifNoneMatch.empty()) request.headers.emplace_back("If-None-Match", ifNoneMatch);
        c_file_rc = 1;
        c_file_fd = -1;
        return app.run(request);
    }
    static bool closed(int fd) {
        errno = 0;
        return ::fcntl(fd, F_GETFD) == -1 && errno == EBADF;
    }

    std::string _path;
};

TEST_F(SendFileC, TheFileIsTheBodyWithItsLength) {
    const auto r = run("");
    EXPECT_EQ(c_file_rc, GW_OK);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "0123456789");
    EXPECT_EQ(r.header("Content-Length"), "10");
    EXPECT_EQ(r.framing, sdk::testing::Framing::ContentLength);
    EXPECT_TRUE(r.lint.empty()) << r.lintText();
    EXPECT_TRUE(closed(c_file_fd));
}

TEST_F(SendFileC, ARange) {
    const auto r = run("range");
    EXPECT_EQ(c_file_rc, GW_OK);
    EXPECT_EQ(r.body, "2345678");
    EXPECT_EQ(r.header("Content-Length"), "7");
    EXPECT_TRUE(closed(c_file_fd));
}

TEST_F(SendFileC, HeadAndNotModifiedSendNoBody) {
    const auto head = run("", "HEAD");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(head.header("Content-Length"), "10");
    EXPECT_TRUE(closed(c_file_fd));
    const auto get = run("");
    ASSERT_TRUE(get.header("ETag"));
    const auto same = run("", "GET", *get.header("ETag"));
    EXPECT_EQ(same.status, 304);
    EXPECT_EQ(same.body, "");
    EXPECT_TRUE(same.lint.empty()) << same.lintText();
}

TEST_F(SendFileC, MisuseIsLintedAndTheDescriptorStillClosed) {
    struct Case {
        const char* mode;
        int32_t rc;
    };
    for (const Case c : {Case{"before-start", GW_E_STATE}, Case{"write-first", GW_E_STATE},
                         Case{"twice", GW_E_STATE}, Case{"length-mismatch", GW_E_INVAL},
                         Case{"past-end", GW_E_INVAL}}) {
        const auto r = run(c.mode);
        EXPECT_EQ(c_file_rc, c.rc) << c.mode;
        EXPECT_TRUE(r.hasLint("GW-L025")) << c.mode << "\n" << r.lintText();
        EXPECT_TRUE(closed(c_file_fd)) << c.mode;
    }
}

}  // namespace
