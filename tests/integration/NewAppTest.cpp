// `gateway new-app`: the project it writes, in C++ and in C, builds against the SDK installed on
// its own (`cmake -S sdk`), passes its own ctest, and its .so is served by the real gateway at
// /NAME; and its usage errors. Compiles code, so it runs for seconds (ctest TIMEOUT 300).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/GatewayFixture.h"
#include "tests/support/HttpFetch.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempDir.h"

using namespace gateway::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string describe(const Subprocess::Result& r) {
    return (r.status ? Subprocess::describe(*r.status) : std::string("timed out")) + "\nstdout:\n" +
           r.out + "\nstderr:\n" + r.err;
}

/// `gateway new-app ARGS...`, run in `cwd` (for the default DIR, ./NAME).
Subprocess::Result newApp(const fs::path& cwd, std::vector<std::string> args) {
    args.insert(args.begin(), {"env", "-C", cwd.string(), GatewayProcess::binary(), "new-app"});
    return Subprocess::run(args, 10s);
}

/// Every file below `dir`, relative to it.
std::vector<std::string> filesBelow(const fs::path& dir) {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), dir).string());
    std::sort(files.begin(), files.end());
    return files;
}

class NewApp : public GatewayFixture {
protected:
    /// An empty folder to run new-app in (root() holds the fixture's docroot).
    const fs::path& cwd() {
        if (_cwd.empty()) fs::create_directories(_cwd = root() / "cwd");
        return _cwd;
    }

    /// Configures and installs sdk/ on its own into the test's temp dir, as a plugin author's CI
    /// would; returns the prefix.
    fs::path installSdk() {
        const fs::path prefix = root() / "sdk";
        const fs::path build = root() / "sdk-build";
        const auto configure = Subprocess::run(
            {GATEWAY_CMAKE, "-S", GATEWAY_SDK_SOURCE_DIR, "-B", build.string()}, 60s);
        EXPECT_TRUE(exitedWith(configure.status, 0)) << describe(configure);
        const auto install = Subprocess::run(
            {GATEWAY_CMAKE, "--install", build.string(), "--prefix", prefix.string()}, 60s);
        EXPECT_TRUE(exitedWith(install.status, 0)) << describe(install);
        return prefix;
    }

    /// Configures (warnings as errors), builds and ctests `project` against the SDK in `sdk`.
    ::testing::AssertionResult buildAndTest(const fs::path& project, const fs::path& sdk) {
        const fs::path build = project / "build";
        std::vector<std::string> configure = {GATEWAY_CMAKE,  "-S", project.string(), "-B",
                                              build.string(), "-G", GATEWAY_GENERATOR};
        for (const char* setting :
             {"-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_C_COMPILER=" GATEWAY_C_COMPILER,
              "-DCMAKE_CXX_COMPILER=" GATEWAY_CXX_COMPILER, "-DCMAKE_C_FLAGS=-Wall -Wextra -Werror",
              "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Werror"})
            configure.push_back(setting);
        configure.push_back("-DCMAKE_PREFIX_PATH=" + sdk.string());
        if (!std::string_view(GATEWAY_COMPILER_LAUNCHER).empty()) {
            configure.push_back("-DCMAKE_C_COMPILER_LAUNCHER=" GATEWAY_COMPILER_LAUNCHER);
            configure.push_back("-DCMAKE_CXX_COMPILER_LAUNCHER=" GATEWAY_COMPILER_LAUNCHER);
        }
        const std::vector<std::vector<std::string>> steps = {
            configure,
            {GATEWAY_CMAKE, "--build", build.string()},
            {GATEWAY_CTEST, "--test-dir", build.string(), "--output-on-failure"},
        };
        for (const auto& step : steps) {
            const auto r = Subprocess::run(step, 180s);
            if (!exitedWith(r.status, 0))
                return ::testing::AssertionFailure()
                       << step[1] << " " << step[2] << ": " << describe(r);
        }
        return ::testing::AssertionSuccess();
    }

    /// Drops the built NAME.so into an apps folder and GETs /NAME from the real gateway.
    void expectServed(const fs::path& project, const std::string& name) {
        const fs::path apps = root() / "apps";
        fs::create_directories(apps);
        fs::copy_file(project / "build" / (name + ".so"), apps / (name + ".so"));
        ASSERT_TRUE(startGateway({"--apps", apps.string()}));
        const FetchResult response = fetch(port(), "GET", "/" + name);
        EXPECT_EQ(response.status, 200);
        EXPECT_EQ(response.header("Content-Type"), "text/plain; charset=utf-8");
        EXPECT_EQ(response.body, "Hello from " + name + "!\n");
    }

private:
    fs::path _cwd;
};

TEST_F(NewApp, CppProjectBuildsPassesItsTestAndIsServed) {
    const fs::path sdk = installSdk();
    const auto r = newApp(cwd(), {"demo"});  // C++, into ./demo
    ASSERT_TRUE(exitedWith(r.status, 0)) << describe(r);
    const fs::path project = cwd() / "demo";
    EXPECT_EQ(filesBelow(project),
              (std::vector<std::string>{".gitignore", "CMakeLists.txt", "README.md", "demo.cpp",
                                        "demo_test.cpp"}));
    EXPECT_NE(readFile(project / "CMakeLists.txt").find("find_package(GatewaySDK "),
              std::string::npos);
    EXPECT_NE(r.out.find("demo/CMakeLists.txt"), std::string::npos) << r.out;
    ASSERT_TRUE(buildAndTest(project, sdk));
    expectServed(project, "demo");
}

TEST_F(NewApp, CProjectBuildsPassesItsTestAndIsServed) {
    const fs::path sdk = installSdk();
    const fs::path project = cwd() / "projects" / "c-demo";
    fs::create_directories(project);  // an empty folder is fine
    const auto r = newApp(cwd(), {"--lang", "c", "demo", "projects/c-demo"});
    ASSERT_TRUE(exitedWith(r.status, 0)) << describe(r);
    EXPECT_EQ(filesBelow(project),
              (std::vector<std::string>{".gitignore", "CMakeLists.txt", "README.md", "demo.c",
                                        "demo_test.cpp"}));
    ASSERT_TRUE(buildAndTest(project, sdk));
    expectServed(project, "demo");
}

TEST_F(NewApp, NameThatIsNoAppNameExitsTwo) {
    for (const std::string& name :
         std::vector<std::string>{"my app", "a/b", "dot.name", "", std::string(65, 'a')}) {
        const auto r = newApp(cwd(), {name});
        EXPECT_TRUE(exitedWith(r.status, 2)) << name << ": " << describe(r);
        EXPECT_NE(r.err.find("is not an app name: 1 to 64 characters"), std::string::npos) << r.err;
    }
    EXPECT_TRUE(filesBelow(cwd()).empty()) << "nothing may be written";
    const auto longest = newApp(cwd(), {std::string(64, 'a'), "longest"});
    EXPECT_TRUE(exitedWith(longest.status, 0)) << describe(longest);
}

TEST_F(NewApp, NonEmptyFolderIsNotOverwritten) {
    const fs::path project = cwd() / "demo";
    fs::create_directories(project);
    writeFile(project / "demo.cpp", "mine");
    const auto r = newApp(cwd(), {"demo"});
    EXPECT_TRUE(exitedWith(r.status, 1)) << describe(r);
    EXPECT_NE(r.err.find("demo is not empty"), std::string::npos) << r.err;
    EXPECT_EQ(filesBelow(project), std::vector<std::string>{"demo.cpp"});
    EXPECT_EQ(readFile(project / "demo.cpp"), "mine");

    writeFile(cwd() / "file", "");
    const auto onFile = newApp(cwd(), {"demo", "file"});
    EXPECT_TRUE(exitedWith(onFile.status, 1)) << describe(onFile);
    EXPECT_NE(onFile.err.find("file exists and is not a folder"), std::string::npos) << onFile.err;
}

TEST_F(NewApp, UsageErrorsExitTwo) {
    const std::vector<std::vector<std::string>> cases = {
        {}, {"--lang", "rust", "demo"}, {"--lang"}, {"--force", "demo"}, {"demo", "dir", "extra"}};
    for (const auto& args : cases) {
        const auto r = newApp(cwd(), args);
        EXPECT_TRUE(exitedWith(r.status, 2)) << describe(r);
        EXPECT_EQ(r.err.rfind("gateway: new-app: ", 0), 0u) << r.err;
        EXPECT_NE(r.err.find("usage: gateway new-app NAME [--lang cpp|c] [DIR]"), std::string::npos)
            << r.err;
    }
    EXPECT_TRUE(filesBelow(cwd()).empty()) << "nothing may be written";
}

TEST_F(NewApp, HelpShowsTheUsage) {
    const auto own = newApp(cwd(), {"--help"});
    EXPECT_TRUE(exitedWith(own.status, 0)) << describe(own);
    EXPECT_NE(own.out.find("usage: gateway new-app NAME [--lang cpp|c] [DIR]"), std::string::npos)
        << own.out;
    const auto server = Subprocess::run({GatewayProcess::binary(), "--help"}, 5s);
    EXPECT_TRUE(exitedWith(server.status, 0)) << describe(server);
    EXPECT_NE(server.out.find("gateway new-app NAME [--lang cpp|c] [DIR]"), std::string::npos)
        << server.out;
}

}  // namespace
