// Unit test of @APP_NAME@: the app's source is compiled into this program, which runs requests
// through it in-process with the SDK's fake host (gateway/testing.hpp). Any failed CHECK makes it
// exit 1, which is all ctest needs.
#include <cstdio>

#include "gateway/testing.hpp"

namespace {

int failures = 0;

void check(bool ok, const char* what, int line) {
    if (ok) return;
    std::fprintf(stderr, "@APP_NAME@_test.cpp:%d: CHECK(%s) failed\n", line, what);
    ++failures;
}
#define CHECK(condition) check((condition), #condition, __LINE__)

void getAnswersHello() {
    gateway::sdk::testing::AppRunner app(*gw_app_entry(GW_ABI_VERSION));  // runs init
    gateway::sdk::testing::TestRequest request;  // GET over HTTP/1.1; method, headers, body, ...
    request.path = "/@APP_NAME@";
    const auto response = app.run(request);
    CHECK(response.status == 200);
    CHECK(response.header("Content-Type") == "text/plain; charset=utf-8");
    CHECK(response.body == "Hello from @APP_NAME@!\n");
    CHECK(response.lint.empty());  // no breach of the plugin contract (SPEC.md)
    std::fputs(response.lintText().c_str(), stderr);
}

void headHasNoBody() {
    gateway::sdk::testing::AppRunner app(*gw_app_entry(GW_ABI_VERSION));
    gateway::sdk::testing::TestRequest request;
    request.method = "HEAD";
    const auto response = app.run(request);
    CHECK(response.status == 200);
    CHECK(response.body.empty());
    CHECK(response.lint.empty());
    std::fputs(response.lintText().c_str(), stderr);
}

}  // namespace

int main() {
    getAnswersHello();
    headHasNoBody();
    if (failures == 0) std::puts("@APP_NAME@_test: all checks passed");
    return failures == 0 ? 0 : 1;
}
