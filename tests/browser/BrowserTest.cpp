// Headless Chromium against the real gateway: the demo site from <repo>/docroot and the example
// apps from GATEWAY_APPS_DIR. Assertions are on what a person would see: the DOM after scripts
// ran, the subresources the browser fetched (from the access log), and a screenshot.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <regex>
#include <sstream>
#include <string>

#include "tests/browser/Chromium.h"
#include "tests/browser/HtmlElement.h"
#include "tests/browser/PngHeader.h"
#include "tests/support/GatewayFixture.h"
#include "tests/support/TempDir.h"

#ifndef GATEWAY_DOCROOT
#error "GATEWAY_DOCROOT must name the repository's docroot"
#endif
#ifndef GATEWAY_APPS_DIR
#error "GATEWAY_APPS_DIR must name the folder of the example plugins"
#endif

using namespace gateway::test;

namespace {

bool inCi() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

std::string regexQuote(const std::string& text) {
    return std::regex_replace(text, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
}

}  // namespace

/// Each test: the gateway on an ephemeral port serving the repository's docroot and the example
/// apps, with an access log; Chromium with a fresh profile. GatewayFixture's TearDown stops the
/// gateway and fails on unexpected alerts in its log.
class Browser : public GatewayFixture {
protected:
    void SetUp() override {
        const auto binary = Chromium::find();
        if (!binary) {
            const char* message =
                "Chromium not found ($CHROMIUM, /usr/bin/chromium, chromium or chromium-browser in "
                "PATH); install Debian's `chromium` package (.ci/setup does)";
            if (inCi()) FAIL() << message << " — required when CI=true";
            GTEST_SKIP() << message;
        }
        _chromium.emplace(*binary);

        GatewayProcess::Options options;
        options.docroot = std::filesystem::path(GATEWAY_DOCROOT);
        options.args = {"--apps", GATEWAY_APPS_DIR, "--access-log", accessLogPath().string()};
        ASSERT_TRUE(startGatewayWith(std::move(options)));
    }

    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port()) + path;
    }

    std::filesystem::path accessLogPath() const { return root() / "access.log"; }

    /// The DOM of `path` after its scripts ran.
    ::testing::AssertionResult load(const std::string& path, std::string& dom) const {
        const Subprocess::Result result = _chromium->dumpDom(url(path));
        if (!exitedWith(result.status, 0) || result.out.empty()) {
            return ::testing::AssertionFailure()
                   << "--dump-dom " << url(path) << ": " << Chromium::describe(result);
        }
        dom = result.out;
        return ::testing::AssertionSuccess();
    }

    /// Stops the gateway (which flushes the access log) and returns the log.
    std::string accessLogAfterStop() {
        const auto status = stopGateway();
        EXPECT_TRUE(exitedWith(status, 0)) << "gateway did not exit 0 on SIGTERM: "
                                           << (status ? Subprocess::describe(*status) : "killed");
        return readFile(accessLogPath());
    }

    /// True when `log` has a Combined Log Format line for `GET target` answered with `status`,
    /// asked by headless Chromium, with `referer` ("-" for none).
    static bool fetchedByChromium(const std::string& log, const std::string& target, int status,
                                  const std::string& referer) {
        const std::regex line("127\\.0\\.0\\.1 - - \\[[^\\]]+\\] \"GET " + regexQuote(target) +
                              " HTTP/1\\.1\" " + std::to_string(status) + " \\d+ \"" +
                              regexQuote(referer) + "\" \"[^\"]*HeadlessChrome/[^\"]*\" \\d+");
        std::istringstream in(log);
        for (std::string l; std::getline(in, l);) {
            if (std::regex_match(l, line)) return true;
        }
        return false;
    }

    std::optional<Chromium> _chromium;
};

TEST_F(Browser, IndexShowsTitleAndHeading) {
    std::string dom;
    ASSERT_TRUE(load("/", dom));

    const auto title = HtmlElement::first(dom, "title");
    ASSERT_TRUE(title) << dom;
    EXPECT_EQ(title->text(), "Gateway — a small, fast HTTP/1.1 server");
    const auto heading = HtmlElement::first(dom, "h1");
    ASSERT_TRUE(heading) << dom;
    EXPECT_EQ(heading->text(), "Gateway");
    const auto nav = HtmlElement::first(dom, "nav");
    ASSERT_TRUE(nav) << dom;
    EXPECT_EQ(nav->text(), "Home Dynamic examples");
}

TEST_F(Browser, IndexScriptShowsHowLongThePageTook) {
    // As served, the paragraph is empty and hidden: only app.js can fill it in and show it.
    const std::string source = readFile(std::filesystem::path(GATEWAY_DOCROOT) / "index.html");
    const auto served = HtmlElement::byId(source, "timing");
    ASSERT_TRUE(served) << "docroot/index.html has no #timing element";
    ASSERT_TRUE(served->hasAttribute("hidden"));
    ASSERT_EQ(served->text(), "");

    std::string dom;
    ASSERT_TRUE(load("/", dom));
    const auto timing = HtmlElement::byId(dom, "timing");
    ASSERT_TRUE(timing) << dom;
    EXPECT_FALSE(timing->hasAttribute("hidden")) << timing->startTag();
    EXPECT_TRUE(std::regex_match(
        timing->text(),
        std::regex(R"(This page arrived in \d+\.\d ms( \(\d+ bytes over the wire\))?\.)")))
        << timing->text();
}

TEST_F(Browser, IndexFetchesStylesheetScriptAndLogo) {
    std::string dom;
    ASSERT_TRUE(load("/", dom));
    const std::string log = accessLogAfterStop();

    EXPECT_TRUE(fetchedByChromium(log, "/", 200, "-")) << log;
    for (const char* asset : {"/style.css", "/app.js", "/logo.png"}) {
        EXPECT_TRUE(fetchedByChromium(log, asset, 200, url("/"))) << asset << "\n" << log;
    }
}

TEST_F(Browser, MissingPageShowsTheNotFoundPage) {
    std::string dom;
    ASSERT_TRUE(load("/no-such-page", dom));

    const auto title = HtmlElement::first(dom, "title");
    ASSERT_TRUE(title) << dom;
    EXPECT_EQ(title->text(), "Not found — Gateway");
    const auto heading = HtmlElement::first(dom, "h1");
    ASSERT_TRUE(heading) << dom;
    EXPECT_EQ(heading->text(), "404 — not found");

    const std::string log = accessLogAfterStop();
    EXPECT_TRUE(fetchedByChromium(log, "/no-such-page", 404, "-")) << log;
    EXPECT_TRUE(fetchedByChromium(log, "/style.css", 200, url("/no-such-page"))) << log;
}

TEST_F(Browser, IndexScreenshotIsAPng) {
    const auto png = root() / "index.png";
    const Subprocess::Result result = _chromium->screenshot(url("/"), png, 1024, 768);
    ASSERT_TRUE(exitedWith(result.status, 0)) << Chromium::describe(result);
    ASSERT_TRUE(std::filesystem::exists(png)) << Chromium::describe(result);

    const std::string bytes = readFile(png);
    const auto header = PngHeader::parse(bytes);
    ASSERT_TRUE(header) << "not a PNG: " << bytes.size() << " bytes";
    EXPECT_GT(header->width, 0u);
    EXPECT_GT(header->height, 0u);
    EXPECT_EQ(header->width, 1024u);
    EXPECT_EQ(header->height, 768u);
}

TEST_F(Browser, FormAppRendersAForm) {
    std::string dom;
    ASSERT_TRUE(load("/form", dom));

    const auto heading = HtmlElement::first(dom, "h1");
    ASSERT_TRUE(heading) << dom;
    EXPECT_EQ(heading->text(), "Gateway form");

    const auto forms = HtmlElement::all(dom, "form");
    ASSERT_EQ(forms.size(), 2u) << dom;
    EXPECT_EQ(forms[0].attribute("method"), "post");
    EXPECT_EQ(forms[0].attribute("action"), "/form");
    EXPECT_TRUE(HtmlElement::first(forms[0].inner(), "input")) << forms[0].inner();
    EXPECT_EQ(HtmlElement::first(forms[0].inner(), "input")->attribute("name"), "name");
    ASSERT_TRUE(HtmlElement::first(forms[0].inner(), "textarea")) << forms[0].inner();
    EXPECT_EQ(HtmlElement::first(forms[0].inner(), "textarea")->attribute("name"), "message");
    ASSERT_TRUE(HtmlElement::first(forms[0].inner(), "button"));
    EXPECT_EQ(HtmlElement::first(forms[0].inner(), "button")->text(), "Send (urlencoded)");

    EXPECT_EQ(forms[1].attribute("enctype"), "multipart/form-data");
    bool hasFileInput = false;
    for (const auto& input : HtmlElement::all(forms[1].inner(), "input")) {
        hasFileInput |= input.attribute("type") == "file" && input.attribute("name") == "file";
    }
    EXPECT_TRUE(hasFileInput) << forms[1].inner();
}

TEST_F(Browser, HelloAppShowsHelloWorld) {
    std::string dom;
    ASSERT_TRUE(load("/hello", dom));

    const auto body = HtmlElement::first(dom, "body");
    ASSERT_TRUE(body) << dom;
    EXPECT_EQ(body->text(), "Hello, World!") << dom;

    const std::string log = accessLogAfterStop();
    EXPECT_TRUE(fetchedByChromium(log, "/hello", 200, "-")) << log;
}
