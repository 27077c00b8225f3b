// gateway/detail/http_lexer.hpp alone (C++17 and C++20): testing.hpp and the gateway share it.
#include "gateway/detail/http_lexer.hpp"

#define ABI_PROBE_CAT2(a, b) a##b
#define ABI_PROBE_CAT(a, b) ABI_PROBE_CAT2(a, b)

static_assert(gateway::detail::isToken("Content-Length"), "the token table is usable in constexpr");
static_assert(gateway::detail::hexValue('F') == 15, "hex digits either case");

bool ABI_PROBE_CAT(abi_http_lexer_hpp_, ABI_STD)() {
    std::string out;
    return gateway::detail::normalizePath("/a/../b", out, gateway::detail::kPathInfoPolicy) ==
               gateway::detail::PathResult::Ok &&
           out == "/b";
}
