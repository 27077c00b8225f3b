// The config test (`gateway -t`), `gateway check FILE.so --config`, and `--need-app`: the real
// binary on plugin folders built per test from tests/plugins.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempDir.h"

#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif
#ifndef GATEWAY_APPS_DIR
#error "GATEWAY_APPS_DIR must name the folder of the example app plugins"
#endif

using namespace gateway::test;

namespace {

constexpr std::chrono::seconds kRunTimeout{20};

/// A folder with www/ (the docroot), apps/ holding copies of the named test plugins, and
/// gateway.ini; runs the binary on them.
class ConfigCheckDir {
public:
    explicit ConfigCheckDir(const std::vector<std::string>& plugins,
                            const std::string& config = "") {
        std::filesystem::create_directories(_tmp.path() / "www");
        std::filesystem::create_directories(apps());
        for (const auto& name : plugins)
            std::filesystem::copy_file(
                std::filesystem::path(GATEWAY_TEST_PLUGINS_DIR) / (name + ".so"),
                apps() / (name + ".so"));
        _tmp.write("gateway.ini", config);
    }
    std::filesystem::path apps() const { return _tmp.path() / "apps"; }
    std::filesystem::path ini() const { return _tmp.path() / "gateway.ini"; }
    std::filesystem::path plugin(const std::string& name) const { return apps() / (name + ".so"); }

    /// The binary with --config, --docroot and --apps of this folder (unless `args` name another
    /// apps folder), then `args`.
    Subprocess::Result run(const std::vector<std::string>& args) const {
        std::vector<std::string> argv = {GatewayProcess::binary(), "--config", ini().string(),
                                         "--docroot", (_tmp.path() / "www").string()};
        if (std::find(args.begin(), args.end(), "--apps") == args.end())
            argv.insert(argv.end(), {"--apps", apps().string()});
        argv.insert(argv.end(), args.begin(), args.end());
        return Subprocess::run(argv, kRunTimeout);
    }

private:
    TempDir _tmp{"gateway-configcheck"};
};

TEST(ConfigCheck, GoodConfigPrintsEveryMountAndExitsZero) {
    ConfigCheckDir dir({"good", "declines"},
                       "workers = 3\nthreads = 5\n[app.good]\nmount = /hi, /also\n"
                       "greeting = yo\ntimeout = 2s\n[app.declines]\nbody_limit = 1k\n");
    const auto result = dir.run({"-t"});
    EXPECT_TRUE(exitedWith(result.status, 0)) << result.out << result.err;
    const std::vector<std::string> expected = {
        "/hi → good 0.1.0 (" + dir.plugin("good").string() + "), body limit 16m, timeout 2s",
        "/also → good 0.1.0",
        "/declines → declines 0.1.0 (" + dir.plugin("declines").string() +
            "), body limit 1k, timeout none",
        "3 worker(s), 5 handler threads", "the configuration is ok"};
    for (const std::string& text : expected)
        EXPECT_NE(result.out.find(text), std::string::npos) << text << "\n" << result.out;
    EXPECT_EQ(result.err, "") << "nothing logged by the child";
}

TEST(ConfigCheck, SectionsNamingOnePluginAreAppsOfTheirOwn) {
    // `plugin = good` by app name and by file name; good's own default mount /good is not made.
    ConfigCheckDir dir({"good"},
                       "[app.shop]\nplugin = good\nmount = /s\n[app.blog]\nplugin = good\n");
    const auto result = dir.run({"-t"});
    EXPECT_TRUE(exitedWith(result.status, 0)) << result.out << result.err;
    for (const std::string& text : std::vector<std::string>{
             std::string("/s → shop 0.1.0 (") + dir.plugin("good").string() + ")",
             std::string("/blog → blog 0.1.0 (") + dir.plugin("good").string() + ")",
             std::string("the configuration is ok")})
        EXPECT_NE(result.out.find(text), std::string::npos) << text << "\n" << result.out;
    EXPECT_EQ(result.out.find("/good → "), std::string::npos) << result.out;
    EXPECT_EQ(result.out.find("matches no plugin"), std::string::npos) << result.out;
}

TEST(ConfigCheck, ExampleAppsPassWithLongFlagName) {
    TempDir tmp;
    std::filesystem::create_directories(tmp.path() / "www");
    const auto result =
        Subprocess::run({GatewayProcess::binary(), "--check-config", "--apps", GATEWAY_APPS_DIR,
                         "--docroot", (tmp.path() / "www").string()},
                        kRunTimeout);
    EXPECT_TRUE(exitedWith(result.status, 0)) << result.out << result.err;
    for (const char* mount :
         {"/hello → hello ", "/hello_c → ", "/echo → echo ", "/form → form ", "/stream → stream "})
        EXPECT_NE(result.out.find(mount), std::string::npos) << mount << "\n" << result.out;
}

struct ProblemCase {
    const char* name;
    std::vector<std::string> plugins;
    const char* config;
    std::vector<std::string> args;
    /// Each must be on stderr; "{ini}" and "{apps}" stand for the config file and apps folder.
    std::vector<std::string> mentions;
};

std::ostream& operator<<(std::ostream& out, const ProblemCase& c) {
    return out << c.name;
}

class ConfigCheckProblem : public ::testing::TestWithParam<ProblemCase> {};

TEST_P(ConfigCheckProblem, ExitsTwoNamingIt) {
    const ProblemCase& c = GetParam();
    ConfigCheckDir dir(c.plugins, c.config);
    std::vector<std::string> args = {"-t"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto result = dir.run(args);
    EXPECT_TRUE(exitedWith(result.status, 2))
        << (result.status ? Subprocess::describe(*result.status) : "timed out") << "\n"
        << result.err;
    for (std::string text : c.mentions) {
        const std::pair<std::string, std::string> tokens[] = {{"{ini}", dir.ini().string()},
                                                              {"{apps}", dir.apps().string()}};
        for (const auto& [token, value] : tokens)
            for (auto at = text.find(token); at != std::string::npos; at = text.find(token))
                text.replace(at, token.size(), value);
        EXPECT_NE(result.err.find(text), std::string::npos) << text << "\n" << result.err;
    }
    EXPECT_EQ(result.err.find("[Error]"), std::string::npos) << "a log line, not a problem line";
}

const ProblemCase kProblems[] = {
    {"BadAppKeyValue",
     {"good"},
     "[app.good]\nbody_limit = lots\n",
     {},
     {"gateway: {ini}: [app.good] body_limit: expected a size", "lots", "{apps}/good.so"}},
    {"CrashInInit",
     {"good", "crash_init"},
     "",
     {},
     {"{apps}/crash_init.so crashed in init: SIGSEGV"}},
    {"InitFails", {"init_fails"}, "", {}, {"{apps}/init_fails.so", "cannot reach the database"}},
    {"BadTypedPluginKey",
     {"typed_config"},
     "[app.typed_config]\nmax_upload = 9x\n",
     {},
     {"{apps}/typed_config.so", "max_upload: \"9x\" is not a SIZE (512, 8k, 16m, 1g)"}},
    {"RefusedPlugin", {"good", "wrong_major"}, "", {}, {"{apps}/wrong_major.so: plugin ABI 2.0"}},
    {"TwoPluginsOnOneMount",
     {"good", "declines"},
     "[app.good]\nmount = /same\n[app.declines]\nmount = /same/\n",
     {},
     {"mount /same is claimed by both {apps}/declines.so and {apps}/good.so"}},
    {"SectionMatchesNoPlugin",
     {"good"},
     "[app.nothere]\nmount = /n\n",
     {},
     {"{ini}: [app.nothere] matches no plugin in {apps}"}},
    {"SectionNamesNoPlugin",
     {"good"},
     "[app.shop]\nplugin = nosuch\n",
     {},
     {"{ini}: [app.shop] plugin: no plugin nosuch in {apps}"}},
    {"TwoSectionsOfOnePluginOnOneMount",
     {"good"},
     "[app.a]\nplugin = good\nmount = /same\n[app.b]\nplugin = good\nmount = /same\n",
     {},
     {"mount /same is claimed by both {apps}/good.so [app.a] and {apps}/good.so [app.b]"}},
    {"UnknownTopLevelKey", {"good"}, "prot = 80\n", {}, {"unknown setting 'prot' in {ini}"}},
    {"BadTopLevelValue", {"good"}, "port = eighty\n", {}, {"{ini}: bad value for port"}},
    {"NeedAppWithoutAppsFolder",
     {},
     "",
     {"--apps", "/nonexistent/gateway-apps", "--need-app", "on"},
     {"apps folder '/nonexistent/gateway-apps' not found (need-app is on)"}},
};

INSTANTIATE_TEST_SUITE_P(Config, ConfigCheckProblem, ::testing::ValuesIn(kProblems),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ConfigCheck, MissingAppsFolderIsAWarningWithoutNeedApp) {
    ConfigCheckDir dir({});
    const auto result = dir.run({"-t", "--apps", "/nonexistent/gateway-apps"});
    EXPECT_TRUE(exitedWith(result.status, 0)) << result.err;
    EXPECT_NE(result.out.find("warning:    apps folder '/nonexistent/gateway-apps' not found"),
              std::string::npos)
        << result.out;
}

TEST(PluginCheckConfig, ReportsTheConfiguredMount) {
    ConfigCheckDir dir({"good"}, "[app.good]\nmount = /hi\ngreeting = hey\n");
    const auto plain =
        Subprocess::run({GatewayProcess::binary(), "check", dir.plugin("good")}, kRunTimeout);
    EXPECT_TRUE(exitedWith(plain.status, 0)) << plain.out;
    EXPECT_NE(plain.out.find("mount:    /good\n"), std::string::npos) << plain.out;
    const auto configured = Subprocess::run(
        {GatewayProcess::binary(), "check", dir.plugin("good"), "--config", dir.ini().string()},
        kRunTimeout);
    EXPECT_TRUE(exitedWith(configured.status, 0)) << configured.out << configured.err;
    EXPECT_NE(configured.out.find("mount:    /hi (config " + dir.ini().string() + " [app.good])"),
              std::string::npos)
        << configured.out;
}

TEST(PluginCheckConfig, BadKeyInItsSectionIsAProblem) {
    ConfigCheckDir dir({"good"}, "[app.good]\ntimeout = soon\n");
    const auto result = Subprocess::run(
        {GatewayProcess::binary(), "check", dir.plugin("good"), "--config", dir.ini().string()},
        kRunTimeout);
    EXPECT_TRUE(exitedWith(result.status, 1)) << result.out;
    EXPECT_NE(result.out.find("[app.good] timeout"), std::string::npos) << result.out;
}

// --need-app at a real start: the config test runs first; a problem means no start at all.
TEST(NeedApp, RefusedPluginStopsTheStart) {
    ConfigCheckDir dir({"good", "wrong_major"});
    const auto result = dir.run({"--port", "0", "--need-app", "on"});
    EXPECT_TRUE(exitedWith(result.status, 2))
        << (result.status ? Subprocess::describe(*result.status) : "still serving: killed");
    EXPECT_NE(result.err.find(dir.plugin("wrong_major").string() + ": plugin ABI 2.0"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("not starting: need-app is on"), std::string::npos) << result.err;
}

TEST(NeedApp, MissingAppsFolderStopsTheStart) {
    ConfigCheckDir dir({});
    const auto result =
        dir.run({"--port", "0", "--need-app", "on", "--apps", "/nonexistent/gateway-apps"});
    EXPECT_TRUE(exitedWith(result.status, 2))
        << (result.status ? Subprocess::describe(*result.status) : "still serving: killed");
    EXPECT_NE(result.err.find("apps folder '/nonexistent/gateway-apps' not found"),
              std::string::npos)
        << result.err;
}

class NeedAppServing : public GatewayFixture {};

TEST_F(NeedAppServing, GoodPluginsStart) {
    const auto apps = root() / "apps";
    std::filesystem::create_directories(apps);
    std::filesystem::copy_file(std::filesystem::path(GATEWAY_TEST_PLUGINS_DIR) / "good.so",
                               apps / "good.so");
    ASSERT_TRUE(startGateway({"--apps", apps.string(), "--need-app", "on", "--workers", "2"}));
    EXPECT_EQ(fetch(port(), "GET", "/good").body, "good");
}

/// Runs the test in another working directory (restored after it).
class WorkingDirectory {
public:
    explicit WorkingDirectory(const std::filesystem::path& dir)
        : _previous(std::filesystem::current_path()) {
        std::filesystem::current_path(dir);
    }
    ~WorkingDirectory() { std::filesystem::current_path(_previous); }

private:
    std::filesystem::path _previous;
};

TEST_F(NeedAppServing, MissingDefaultAppsFolderWarnsAndServes) {
    writeDoc("index.txt", "static only\n");
    const WorkingDirectory cwd(root());  // holds no ./apps
    ASSERT_FALSE(std::filesystem::exists("apps"));
    ASSERT_TRUE(startGateway());
    EXPECT_EQ(fetch(port(), "GET", "/index.txt").body, "static only\n");
    EXPECT_NE(gateway().log().find("[Warning] apps folder 'apps' not found: serving static files"),
              std::string::npos)
        << gateway().log();
}

}  // namespace
