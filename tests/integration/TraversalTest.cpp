// Containment: no request may reach the secret file placed next to the docroot, nor dotfiles.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"

using namespace gateway::test;

struct TraversalCase {
    std::string name;
    std::string target;  ///< sent verbatim in the request line
};

void PrintTo(const TraversalCase& c, std::ostream* os) {
    *os << c.name;
}

class Containment : public GatewayFixture {
protected:
    void SetUp() override {
        writeDoc("index.html", "<p>public</p>\n");
        writeDoc("a/b/page.txt", "public page\n");
        writeDoc(".git/config", secret());
        writeDoc(".env", secret());
        std::filesystem::create_symlink(secretPath(), docroot() / "link");
        std::filesystem::create_symlink("../secret", docroot() / "relative-link");
        std::filesystem::create_symlink(root(), docroot() / "linkdir");
        ASSERT_TRUE(startGateway());
    }
};

class Traversal : public Containment, public ::testing::WithParamInterface<TraversalCase> {};

TEST_P(Traversal, NeverServesTheSecret) {
    RawClient client(port());
    client.send("GET " + GetParam().target +
                " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    const std::string raw = client.readUntilClose();
    ASSERT_FALSE(raw.empty()) << "no response at all";
    RawResponse r;
    ASSERT_GT(RawResponse::parse(raw, false, true, r), 0u) << raw;
    EXPECT_GE(r.status, 400) << GetParam().target << " → " << r.status;
    EXPECT_LT(r.status, 500) << GetParam().target << " → " << r.status;
    const std::string token = secret().substr(0, secret().size() - 1);
    EXPECT_EQ(raw.find(token), std::string::npos) << "THE SECRET LEAKED for " << GetParam().target;
}

INSTANTIATE_TEST_SUITE_P(
    Traversal, Traversal,
    ::testing::Values(
        TraversalCase{"DotDot", "/../secret"}, TraversalCase{"EncodedDotDot", "/%2e%2e/secret"},
        TraversalCase{"EncodedDotDotUpperCase", "/%2E%2E/secret"},
        TraversalCase{"EncodedDotDotAndSlash", "/%2e%2e%2fsecret"},
        TraversalCase{"DotDotEncodedSlash", "/..%2fsecret"},
        TraversalCase{"DoubleEncoded", "/%252e%252e/secret"},
        TraversalCase{"DoubleSlash", "//../secret"},
        TraversalCase{"NestedDotDot", "/a/../../secret"},
        TraversalCase{"DeepDotDot", "/a/b/../../../secret"},
        TraversalCase{"EncodedSlashesDeep", "/a/..%2f..%2fsecret"},
        TraversalCase{"EncodedBackslash", "/..%5csecret"},
        TraversalCase{"OverlongUtf8Dot", "/%c0%ae%c0%ae/secret"},
        TraversalCase{"AbsoluteFormDotDot", "http://test/%2e%2e/secret"},
        TraversalCase{"EncodedNul", "/%00"}, TraversalCase{"NulAfterName", "/index.html%00.txt"},
        TraversalCase{"GitConfig", "/.git/config"},
        TraversalCase{"EncodedGitConfig", "/%2egit/config"}, TraversalCase{"DotEnv", "/.env"},
        TraversalCase{"DotEnvViaDotSegment", "/a/../.env"},
        TraversalCase{"SymlinkToOutsideFile", "/link"},
        TraversalCase{"RelativeSymlinkToOutside", "/relative-link"},
        TraversalCase{"SymlinkedDirToOutside", "/linkdir/secret"}),
    [](const auto& info) { return info.param.name; });

TEST_F(Containment, PublicFilesStillServed) {
    RawClient client(port());
    client.send(httpRequest("GET", "/a/b/page.txt", "Connection: close\r\n"));
    const RawResponse r = client.readResponse();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "public page\n");
}
