// The parity tables (tests/parity) through the fake host of testing.hpp: the test plugin .so
// loaded with Plugin(), as the gateway loads it; AppsParityTest runs the same rows through the
// gateway.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <utility>

#include "gateway/testing.hpp"
#include "tests/parity/ParityCheck.h"

#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif

namespace parity = gateway::test::parity;
namespace sdk = gateway::sdk::testing;

namespace {

const sdk::Plugin& plugin(const std::string& variant) {
    static std::map<std::string, std::unique_ptr<sdk::Plugin>> loaded;
    auto& slot = loaded[variant];
    if (!slot)
        slot = std::make_unique<sdk::Plugin>(std::string(GATEWAY_TEST_PLUGINS_DIR) + "/" + variant +
                                             ".so");
    return *slot;
}

parity::Framing framing(sdk::Framing f) {
    switch (f) {
        case sdk::Framing::ContentLength:
            return parity::Framing::ContentLength;
        case sdk::Framing::Chunked:
            return parity::Framing::Chunked;
        case sdk::Framing::CloseDelimited:
            return parity::Framing::CloseDelimited;
        default:
            return parity::Framing::None;
    }
}

using Param = std::pair<std::size_t, std::string>;

class ParityFakeHost : public ::testing::TestWithParam<Param> {};

TEST_P(ParityFakeHost, Row) {
    const parity::Row& row = parity::rows()[std::get<0>(GetParam())];
    const std::string& variant = std::get<1>(GetParam());
    const std::string id = parity::requestId(row, variant);
    // The default mount, "/" + name, given explicitly: GCC 12 misreads the nullopt default
    // argument as maybe-uninitialized.
    sdk::AppRunner app(plugin(variant).app(), {}, "/" + variant);

    sdk::TestRequest request;
    request.method = row.method;
    request.path = app.mount() + row.path;
    request.query = row.query;
    request.headers = parity::requestHeaders(row, id);
    request.body = row.body;
    request.chunked = row.chunked;
    request.protocol = row.http10 ? "HTTP/1.0" : "HTTP/1.1";
    request.remoteAddr = "127.0.0.1";
    if (row.bodyLimit) request.bodyLimit = row.bodyLimit;
    const sdk::TestResponse r = app.run(request);

    parity::Observed seen;
    seen.status = r.declined ? 0 : r.status;
    seen.reason = r.reason;
    seen.headers = r.headers;
    seen.body = r.body;
    seen.framing = framing(r.framing);
    seen.closes = r.closeConnection || r.truncated || r.framing == sdk::Framing::CloseDelimited;
    for (const auto& finding : r.lint) seen.lint.push_back(finding.code);
    parity::expectMatches(row, app.mount(), id, seen);
    if (row.truncated) {
        EXPECT_TRUE(r.truncated);
    }
}

INSTANTIATE_TEST_SUITE_P(Table, ParityFakeHost, ::testing::ValuesIn(parity::cases()),
                         [](const ::testing::TestParamInfo<Param>& info) {
                             return parity::testName(parity::rows()[std::get<0>(info.param)],
                                                     std::get<1>(info.param));
                         });

}  // namespace
