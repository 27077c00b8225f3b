// The parity tables (tests/parity) through the gateway over loopback: the test plugin parity.c
// (its builds: variants()) in an apps folder, one row per test, a fresh gateway per
// row (a row may set the mount's body_limit). ParityFakeHostTest runs the same rows through the
// fake host of testing.hpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>
#include <utility>

#include "tests/integration/AppsFixture.h"
#include "tests/parity/ParityCheck.h"
#include "tests/support/GatewayFixture.h"
#include "tests/support/RawClient.h"

#ifndef GATEWAY_TEST_PLUGINS_DIR
#error "GATEWAY_TEST_PLUGINS_DIR must name the folder of the test plugins"
#endif

using namespace gateway::test;

namespace {

using Param = std::pair<std::size_t, std::string>;

/// The complete chunks at the start of a chunked body that was cut off.
std::string dechunkPartial(std::string_view data) {
    std::string body;
    for (;;) {
        const std::size_t eol = data.find("\r\n");
        if (eol == std::string_view::npos) return body;
        const std::size_t size = std::stoul(std::string(data.substr(0, eol)), nullptr, 16);
        if (size == 0 || data.size() < eol + 2 + size) return body;
        body.append(data.substr(eol + 2, size));
        data.remove_prefix(std::min(data.size(), eol + 4 + size));
    }
}

parity::Framing framingOf(const RawResponse& r, bool head) {
    if (r.hasToken("Transfer-Encoding", "chunked")) return parity::Framing::Chunked;
    if (r.header("Content-Length")) return parity::Framing::ContentLength;
    if (head || r.status == 204 || r.status == 304) return parity::Framing::None;
    return parity::Framing::CloseDelimited;
}

class AppsParity : public GatewayFixture, public ::testing::WithParamInterface<Param> {
protected:
    ::testing::AssertionResult start(const parity::Row& row) {
        const auto apps = root() / "apps";
        std::filesystem::create_directories(apps);
        for (const auto& variant : parity::variants())
            std::filesystem::copy_file(
                std::filesystem::path(GATEWAY_TEST_PLUGINS_DIR) / (variant + ".so"),
                apps / (variant + ".so"));
        // One worker: gateway.multiprocess is 0, as on the fake host.
        std::vector<std::string> args = {"--apps", apps.string(), "--workers", "1"};
        if (row.bodyLimit) {
            std::string config;
            for (const auto& variant : parity::variants())
                config +=
                    "[app." + variant + "]\nbody_limit = " + std::to_string(row.bodyLimit) + "\n";
            writeFile(root() / "gateway.ini", config);
            args.insert(args.end(), {"--config", (root() / "gateway.ini").string()});
        }
        return startGateway(args);
    }
};

TEST_P(AppsParity, Row) {
    const parity::Row& row = parity::rows()[std::get<0>(GetParam())];
    const std::string& variant = std::get<1>(GetParam());
    const std::string id = parity::requestId(row, variant);
    const std::string mount = "/" + variant;
    ASSERT_TRUE(start(row));
    // The host's own lines about this request (rejected headers, failed calls) are part of the
    // outcome; its lint lines are compared below.
    gateway().expectAlert("[request_id=" + id + "]");

    std::string bytes = row.method + " " + mount + row.path +
                        (row.query.empty() ? "" : "?" + row.query) +
                        (row.http10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
    for (const auto& [name, value] : parity::requestHeaders(row, id))
        bytes += name + ": " + value + "\r\n";
    bytes += "\r\n" + (row.chunked ? chunked(row.body, 4) : row.body);
    // Closed before the gateway stops, so that stopping does not wait out an idle keep-alive.
    auto client = std::make_unique<RawClient>(port());
    client->send(bytes);
    const bool head = row.method == "HEAD";

    parity::Observed seen;
    RawResponse r;
    if (row.truncated) {  // the response ends early: take what came until the close
        const std::string all = client->readUntilClose();
        const std::size_t end = all.find("\r\n\r\n");
        ASSERT_NE(end, std::string::npos) << all;
        ASSERT_GT(RawResponse::parse(all.substr(0, end + 4), true, true, r), 0u) << all;
        const std::string rest = all.substr(end + 4);
        r.body = r.hasToken("Transfer-Encoding", "chunked") ? dechunkPartial(rest) : rest;
        seen.closes = true;
    } else {
        r = client->readResponse(head);
    }
    seen.status = row.status == 0 && r.status == 404 ? 0 : r.status;  // declined: static 404
    seen.reason = r.reason;
    seen.headers = r.headers;
    seen.body = r.body;
    seen.framing = framingOf(r, head);
    if (row.closes && !seen.closes) {
        if (*row.closes) {
            seen.closes = client->waitClosed();
        } else {  // kept alive: the same connection serves another request
            client->send(httpRequest("GET", mount + "?op=env&get=REQUEST_METHOD"));
            seen.closes = client->readResponse().status != 200;
        }
    }
    // Stopping drains the gateway, so every lint line of the request is in the log.
    client.reset();
    stopGateway();
    std::istringstream log(gateway().log());
    for (std::string line; std::getline(log, line);) {
        const std::size_t at = line.find("lint GW-L");
        if (at != std::string::npos && line.find("[request_id=" + id + "]") != std::string::npos)
            seen.lint.push_back(line.substr(at + 5, 7));
    }
    parity::expectMatches(row, mount, id, seen);
}

INSTANTIATE_TEST_SUITE_P(Apps, AppsParity, ::testing::ValuesIn(parity::cases()),
                         [](const ::testing::TestParamInfo<Param>& info) {
                             return parity::testName(parity::rows()[std::get<0>(info.param)],
                                                     std::get<1>(info.param));
                         });

}  // namespace
