// A C++ app on the SDK 1.1 API, for the integration test through the real gateway: a Router
// (404, 405 with Allow, HEAD from GET, path parameters), Response::json / ::text, conditional
// GET, the mount's body limit, and a 413 in the app's own format.
#include <string>

#include "gateway/router.hpp"

namespace sdk = gateway::sdk;

class Routed {
public:
    explicit Routed(const sdk::Config&) {
        _router
            .get("/notes/{id}",
                 [](sdk::Request& request, const sdk::PathParams& params) {
                     const std::string etag = "\"note-" + std::string(params["id"]) + "\"";
                     if (auto early = request.evaluatePreconditions(etag)) return std::move(*early);
                     return sdk::Response::json("{\"id\":\"" + sdk::jsonEscape(params["id"]) +
                                                "\",\"text\":\"caf\xC3\xA9 \\\"quoted\\\"\"}")
                         .header("ETag", etag);
                 })
            .put("/notes/{id}", [](sdk::Request&) { return sdk::Response(204); })
            .post("/notes",
                  [](sdk::Request& request) {
                      try {
                          const std::string body = request.readAll(16);
                          return sdk::Response::json(
                                     "{\"length\":" + std::to_string(body.size()) + "}", 201)
                              .header("Location", "/routed/notes/1");
                      } catch (const sdk::BodyTooLarge&) {
                          return sdk::Response::json(R"({"error":"note too large"})", 413);
                      }
                  })
            .get("/limit", [](sdk::Request& request) {
                return sdk::Response::text(std::to_string(request.bodyLimit().value_or(0)));
            });
    }

    sdk::Response call(sdk::Request& request) { return _router.call(request); }

private:
    sdk::Router _router;
};

GATEWAY_APP(Routed, "routed", "1.1.0", GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING,
            "Routes with the SDK 1.1 router")
