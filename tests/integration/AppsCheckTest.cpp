// `gateway check FILE.so`: loads the plugin in a throwaway process and reports; exit 0 only when
// it would load.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/support/GatewayProcess.h"
#include "tests/support/Subprocess.h"

#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif

using namespace gateway::test;

namespace {

struct CheckCase {
    const char* name;
    const char* plugin;
    int exitCode;
    std::vector<std::string> mentions;
};

std::ostream& operator<<(std::ostream& out, const CheckCase& c) {
    return out << c.name;
}

class AppsCheck : public ::testing::TestWithParam<CheckCase> {};

TEST_P(AppsCheck, Reports) {
    const CheckCase& c = GetParam();
#ifdef __clang__
    if (std::string(c.plugin) == "unique_symbol")
        GTEST_SKIP() << "clang never emits STB_GNU_UNIQUE symbols, so the test plugin has none";
#endif
    const std::string file = std::string(GATEWAY_TEST_PLUGINS_DIR) + "/" + c.plugin + ".so";
    const auto result =
        Subprocess::run({GatewayProcess::binary(), "check", file}, std::chrono::seconds(20));
    const std::string output = result.out + result.err;
    EXPECT_TRUE(exitedWith(result.status, c.exitCode)) << output;
    for (const auto& text : c.mentions) EXPECT_NE(output.find(text), std::string::npos) << output;
}

const CheckCase kCases[] = {
    {"GoodLoads",
     "good",
     0,
     {"name:     good", "version:  0.1.0", "ABI:      1.1", "mount:    /good",
      "GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING", "gw_app_entry"}},
    {"WrongMajor", "wrong_major", 1, {"different major version"}},
    {"NewerMinor", "newer_minor", 1, {"is newer than gateway ABI 1.1"}},
    {"BadMagic", "bad_magic", 1, {"bad magic 0xDEADBEEF"}},
    {"NoEntry", "no_entry", 1, {"no symbol gw_app_entry"}},
    {"InitFails", "init_fails", 1, {"cannot reach the database"}},
    {"CrashInInitIsReported", "crash_init", 1, {"SIGSEGV"}},
    {"UniqueSymbol", "unique_symbol", 1, {"STB_GNU_UNIQUE"}},
    {"UndefinedSymbol", "undefined_symbol", 1, {"gw_test_missing_function"}},
    {"CppAppShowsItsDescription",
     "typed_config",
     0,
     {"name:     typed_config", "about:    Reads typed keys from its config section"}},
};

INSTANTIATE_TEST_SUITE_P(Check, AppsCheck, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
