#pragma once

// The parity tables (issue 9): one row per promise of gateway.h / SPEC.md, a request to the test
// plugin tests/plugins/parity.c and what the client must observe. The same rows run through the
// fake host of testing.hpp (tests/sdk/ParityFakeHostTest.cpp) and through the gateway over
// loopback (tests/integration/AppsParityTest.cpp), each with every build of the plugin
// (variants()), so the two hosts cannot drift apart.
//
// What is compared, and what is not: the status; the reason phrase only where the app gave one
// (the gateway fills the standard phrase, the fake host leaves it empty); the headers a row
// names (the gateway adds Date, Server and its framing headers, the fake host reports framing
// as TestResponse::framing); the body; the framing; whether the connection closes; the lint
// codes for the request (exactly). A declined request falls through to the static files on the
// gateway (an empty docroot: 404) and is TestResponse::declined on the fake host.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gateway::test::parity {

enum class Framing { Any, None, ContentLength, Chunked, CloseDelimited };

struct Row {
    const char* name;  ///< test name: [A-Za-z0-9_]
    // ---- the request (requestHeaders() adds Host, X-Request-Id and Content-Length if absent)
    std::string method = "GET";
    std::string path = {};   ///< raw, below the mount ("" is the mount itself)
    std::string query = {};  ///< raw, without '?'; op=... selects what the plugin does
    std::vector<std::pair<std::string, std::string>> headers = {};
    std::string body = {};
    bool chunked = false;       ///< send the body chunked (no Content-Length)
    bool http10 = false;        ///< HTTP/1.0 instead of HTTP/1.1
    std::size_t bodyLimit = 0;  ///< the mount's body_limit; 0: the default (16 MiB)
    // ---- what the client observes
    int status = 200;  ///< 0: declined (fake host), the static 404 (gateway)
    std::optional<std::string> reason = std::nullopt;
    /// Headers compared by name (case-insensitive): a value, or nullopt for "absent".
    std::vector<std::pair<std::string, std::optional<std::string>>> expectHeaders = {};
    std::optional<std::string> expectBody = std::nullopt;  ///< nullopt: not compared
    Framing framing = Framing::Any;
    std::optional<bool> closes = std::nullopt;  ///< connection closed after the response
    bool truncated = false;  ///< the response ends early: read it until the connection closes
    std::vector<std::string> lint = {};  ///< exactly these codes (each once or more)
    /// Run on these builds only (see variants()); empty: all. Where they differ: a non-blocking
    /// app's response is collected (up to 256 KiB) before it is sent, so write() and several
    /// chunks get a Content-Length and an error after them is a clean 500 (SPEC section 6), on
    /// both hosts; a non-thread-safe app sees gateway.multithread=0.
    std::vector<std::string> only = {};
};

/// Every row, in a stable order.
const std::vector<Row>& rows();

/// The builds of the plugin: name (= default mount without '/') and file stem. "parity":
/// GW_APP_THREAD_SAFE (the handler pool), "parity_inline": also GW_APP_NON_BLOCKING (the event
/// loop), "parity_serial": neither (calls serialised).
inline const std::vector<std::string>& variants() {
    static const std::vector<std::string> names = {"parity", "parity_inline", "parity_serial"};
    return names;
}

/// Every (row index, variant) to run, in a stable order.
std::vector<std::pair<std::size_t, std::string>> cases();

/// The request headers both hosts get for `row` (request id `id`), in order.
std::vector<std::pair<std::string, std::string>> requestHeaders(const Row& row,
                                                                const std::string& id);

/// A test-name-safe request id for `row` on `variant`, valid as X-Request-Id.
std::string requestId(const Row& row, const std::string& variant);

}  // namespace gateway::test::parity
