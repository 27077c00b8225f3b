// ABI 1.1 layout (sdk/abi/gateway-abi-1.1.txt) as compile-time asserts, the same layout seen
// from C99, C++17 and C++20 translation units, the frozen 1.0 header's layout as its prefix, and
// a plugin built against the frozen 1.0 header loaded with dlopen and served by the fake host.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "gateway/gateway.h"
#include "gateway/testing.hpp"

// ---- manifest numbers, x86_64 (LP64) --------------------------------------------------------
#if defined(__x86_64__) || defined(__aarch64__)
#define ABI_CHECK_OFFSET(type, field, off) \
    static_assert(offsetof(type, field) == (off), #type "." #field)
static_assert(sizeof(gw_str) == 16 && alignof(gw_str) == 8);
ABI_CHECK_OFFSET(gw_str, ptr, 0);
ABI_CHECK_OFFSET(gw_str, len, 8);
static_assert(sizeof(gw_header) == 32);
ABI_CHECK_OFFSET(gw_header, name, 0);
ABI_CHECK_OFFSET(gw_header, value, 16);
static_assert(sizeof(gw_config_entry) == 32);
ABI_CHECK_OFFSET(gw_config_entry, key, 0);
ABI_CHECK_OFFSET(gw_config_entry, value, 16);
static_assert(sizeof(gw_config) == 32);
ABI_CHECK_OFFSET(gw_config, size, 0);
ABI_CHECK_OFFSET(gw_config, count, 4);
ABI_CHECK_OFFSET(gw_config, entries, 8);
ABI_CHECK_OFFSET(gw_config, mount, 16);
static_assert(sizeof(gw_body) == 24);
ABI_CHECK_OFFSET(gw_body, self, 0);
ABI_CHECK_OFFSET(gw_body, next, 8);
ABI_CHECK_OFFSET(gw_body, close, 16);
static_assert(sizeof(gw_host_api) >= 88);  // may grow at the end in later minors
ABI_CHECK_OFFSET(gw_host_api, abi_version, 0);
ABI_CHECK_OFFSET(gw_host_api, size, 4);
ABI_CHECK_OFFSET(gw_host_api, get, 8);
ABI_CHECK_OFFSET(gw_host_api, environ_count, 16);
ABI_CHECK_OFFSET(gw_host_api, environ_at, 24);
ABI_CHECK_OFFSET(gw_host_api, read_body, 32);
ABI_CHECK_OFFSET(gw_host_api, start_response, 40);
ABI_CHECK_OFFSET(gw_host_api, write, 48);
ABI_CHECK_OFFSET(gw_host_api, log, 56);
ABI_CHECK_OFFSET(gw_host_api, alloc, 64);
ABI_CHECK_OFFSET(gw_host_api, strerror, 72);
ABI_CHECK_OFFSET(gw_host_api, send_file, 80);  // 1.1
static_assert(sizeof(gw_app) >= 64);
ABI_CHECK_OFFSET(gw_app, magic, 0);
ABI_CHECK_OFFSET(gw_app, abi_version, 4);
ABI_CHECK_OFFSET(gw_app, size, 8);
ABI_CHECK_OFFSET(gw_app, flags, 12);
ABI_CHECK_OFFSET(gw_app, name, 16);
ABI_CHECK_OFFSET(gw_app, version, 24);
ABI_CHECK_OFFSET(gw_app, description, 32);
ABI_CHECK_OFFSET(gw_app, init, 40);
ABI_CHECK_OFFSET(gw_app, call, 48);
ABI_CHECK_OFFSET(gw_app, fini, 56);
#endif
static_assert(GW_ABI_VERSION_MAJOR == 1 && GW_ABI_VERSION_MINOR == 1);
static_assert(GW_ABI_VERSION == 0x00010001u);
static_assert(GW_APP_MAGIC == 0x47574150u);
static_assert(GW_OK == 0 && GW_DECLINED == 1 && GW_BODY_END == 2 && GW_NOT_FOUND == 3);
static_assert(GW_E_INVAL == -1 && GW_E_NOMEM == -2 && GW_E_IO == -3 && GW_E_STATE == -4);
static_assert(GW_E_TOO_LARGE == -5 && GW_E_TIMEOUT == -6 && GW_E_APP == -7);
static_assert(GW_E_PROTOCOL == -8 && GW_E_UNSUPPORTED == -9);
static_assert(GW_RESPONSE_REPLACE == 1 && GW_RESPONSE_CLOSE == 2);
static_assert(GW_LOG_ERROR == 3 && GW_LOG_WARNING == 4 && GW_LOG_INFO == 6 && GW_LOG_DEBUG == 7);
static_assert(GW_APP_THREAD_SAFE == 1 && GW_APP_NON_BLOCKING == 2);

// ---- the header-only translation units (headers/*.c, *.cpp) ---------------------------------
extern "C" size_t abi_c99_layout(int what);
extern "C" size_t abi_frozen_1_0_layout(int what);
size_t abi_cxx_layout_17(int what);
size_t abi_cxx_layout_20(int what);
const char* abi_app_hpp_17();
const char* abi_app_hpp_20();
bool abi_testing_hpp_17();
bool abi_testing_hpp_20();
bool abi_http_lexer_hpp_17();
bool abi_http_lexer_hpp_20();

namespace {

#define LAYOUT_PROBE layout
#include "headers/LayoutProbe.inc"

class HeaderLayout : public testing::TestWithParam<int> {};

TEST_P(HeaderLayout, SameInC99Cxx17AndCxx20) {
    const int what = GetParam();
    EXPECT_NE(layout(what), 0u);
    EXPECT_EQ(abi_c99_layout(what), layout(what));
    EXPECT_EQ(abi_cxx_layout_17(what), layout(what));
    EXPECT_EQ(abi_cxx_layout_20(what), layout(what));
}

std::string layoutName(const testing::TestParamInfo<int>& info) {
    static const char* const names[] = {"SizeofApp",        "SizeofHostApi", "OffsetofCall",
                                        "OffsetofStrerror", "SizeofBody",    "SizeofConfig"};
    return names[info.param];
}

INSTANTIATE_TEST_SUITE_P(Abi, HeaderLayout, testing::Range(0, 6), layoutName);

// Append-only (SPEC §10): what a 1.0 plugin sees is unchanged; the host table only grew, by
// exactly the 1.1 member, right where the 1.0 table ended.
TEST(AppendOnly, Frozen10LayoutIsAPrefixOf11) {
    for (const int what : {0, 2, 3, 4, 5})
        EXPECT_EQ(abi_frozen_1_0_layout(what), layout(what)) << layoutName({what, 0});
    EXPECT_EQ(abi_frozen_1_0_layout(1), offsetof(gw_host_api, send_file));
    EXPECT_EQ(sizeof(gw_host_api), offsetof(gw_host_api, send_file) + sizeof(void (*)()));
}

TEST(AppendOnly, GwApiHasTellsA10TableFromA11One) {
    gw_host_api table{};
    table.size = static_cast<uint32_t>(abi_frozen_1_0_layout(1));
    EXPECT_TRUE(GW_API_HAS(&table, strerror));
    EXPECT_FALSE(GW_API_HAS(&table, send_file));
    table.size = sizeof(gw_host_api);
    EXPECT_TRUE(GW_API_HAS(&table, send_file));
}

TEST(HeaderSelfContained, WrapperAndTestingHeadersCompileAlone) {
    EXPECT_STREQ(abi_app_hpp_17(), "connection closed");
    EXPECT_STREQ(abi_app_hpp_20(), "connection closed");
    EXPECT_TRUE(abi_testing_hpp_17());
    EXPECT_TRUE(abi_testing_hpp_20());
    EXPECT_TRUE(abi_http_lexer_hpp_17());
    EXPECT_TRUE(abi_http_lexer_hpp_20());
}

// ---- the frozen 1.0 plugin ------------------------------------------------------------------
using gateway::sdk::testing::AppRunner;
using gateway::sdk::testing::Plugin;
using gateway::sdk::testing::TestRequest;

TEST(FrozenPlugin, LoadsAndServesThroughEveryHostFunction) {
    Plugin plugin(FROZEN_PLUGIN);
    EXPECT_EQ(plugin.app().abi_version, GW_MAKE_ABI_VERSION(1, 0));
    EXPECT_STREQ(plugin.app().name, "frozen");
    AppRunner app(plugin.app());
    ASSERT_TRUE(app.initialized()) << app.initError();
    ASSERT_EQ(app.logs().size(), 1u);
    EXPECT_EQ(app.logs()[0].message, "/frozen");

    TestRequest request;
    request.method = "POST";
    request.path = "/frozen/x%20y";
    request.body = std::string(1000, 'b');
    request.readPiece = 100;
    const auto response = app.run(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("X-Frozen-ABI"), "1.0");
    EXPECT_EQ(response.body, "frozen:/x y|1000|connection closed");
    EXPECT_EQ(response.closeCalls, 1);
    EXPECT_TRUE(response.lint.empty()) << response.lintText();
}

TEST(FrozenPlugin, InitFailureCarriesItsMessage) {
    Plugin plugin(FROZEN_PLUGIN);
    AppRunner app(plugin.app(), {{"fail", "1"}});
    EXPECT_FALSE(app.initialized());
    EXPECT_EQ(app.initError(), "told to fail");
    EXPECT_TRUE(app.loadLint().empty());
}

}  // namespace
