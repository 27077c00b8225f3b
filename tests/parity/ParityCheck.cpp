#include "tests/parity/ParityCheck.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace gateway::test::parity {
namespace {

bool sameName(const std::string& a, const std::string& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

std::string substitute(std::string text, const std::string& key, const std::string& value) {
    for (std::size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size()))
        text.replace(at, key.size(), value);
    return text;
}

const char* framingName(Framing f) {
    switch (f) {
        case Framing::None:
            return "none";
        case Framing::ContentLength:
            return "Content-Length";
        case Framing::Chunked:
            return "chunked";
        case Framing::CloseDelimited:
            return "close-delimited";
        default:
            return "any";
    }
}

}  // namespace

std::string testName(const Row& row, const std::string& variant) {
    return std::string(row.name) + "_" + variant;
}

void expectMatches(const Row& row, const std::string& mount, const std::string& id,
                   const Observed& seen) {
    EXPECT_EQ(seen.status, row.status) << "body: " << seen.body;
    if (row.reason) {
        EXPECT_EQ(seen.reason, *row.reason);
    }
    for (const auto& [name, value] : row.expectHeaders) {
        std::optional<std::string> found;
        for (const auto& h : seen.headers)
            if (sameName(h.first, name)) {
                found = h.second;
                break;
            }
        EXPECT_EQ(found, value) << "header " << name;
    }
    if (row.expectBody) {
        EXPECT_EQ(seen.body, substitute(substitute(*row.expectBody, "{mount}", mount), "{id}", id));
    }
    if (row.framing != Framing::Any) {
        EXPECT_STREQ(framingName(seen.framing), framingName(row.framing));
    }
    if (row.closes) {
        EXPECT_EQ(seen.closes, row.closes) << "connection closed after the response";
    }
    const std::set<std::string> want(row.lint.begin(), row.lint.end());
    const std::set<std::string> got(seen.lint.begin(), seen.lint.end());
    EXPECT_EQ(got, want) << "lint codes";
}

}  // namespace gateway::test::parity
