#include "gateway/route/MountTable.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "gateway/route/Handler.h"
#include "gateway/route/Router.h"

namespace gateway {
namespace {

/// Records the pathInfo it saw; declines when told to.
class FakeHandler : public Handler {
public:
    explicit FakeHandler(int status, bool decline = false) : _status(status), _decline(decline) {}
    HandlerResult handle(const Request&, std::string_view pathInfo, Response& response) override {
        seen = std::string(pathInfo);
        if (_decline) return HandlerResult::Declined;
        response.status = _status;
        return HandlerResult::Done;
    }
    std::string seen = "<not called>";

private:
    int _status;
    bool _decline;
};

struct MatchCase {
    const char* name;
    const char* prefix;
    const char* path;
    bool matches;
};

class PrefixMatch : public testing::TestWithParam<MatchCase> {};

TEST_P(PrefixMatch, OnSegmentBoundaries) {
    const auto& c = GetParam();
    EXPECT_EQ(MountTable::matches(MountTable::normalise(c.prefix), c.path), c.matches);
}

INSTANTIATE_TEST_SUITE_P(Table, PrefixMatch,
                         testing::Values(MatchCase{"Exact", "/api", "/api", true},
                                         MatchCase{"Below", "/api", "/api/x", true},
                                         MatchCase{"SiblingWithSamePrefix", "/api", "/apix", false},
                                         MatchCase{"Shorter", "/api", "/ap", false},
                                         MatchCase{"TrailingSlashPrefix", "/api/", "/api/x", true},
                                         MatchCase{"NoLeadingSlash", "api", "/api", true},
                                         MatchCase{"RootMatchesAll", "/", "/anything", true},
                                         MatchCase{"Nested", "/a/b", "/a/b/c", true},
                                         MatchCase{"NestedSibling", "/a/b", "/a/bc", false}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(MountTable, DuplicatePrefixIsAnError) {
    MountTable table;
    FakeHandler a(200), b(200);
    table.add("/x", a);
    EXPECT_THROW(table.add("/x/", b), std::invalid_argument);
}

TEST(Router, LongestPrefixWinsAndGetsPathInfo) {
    FakeHandler fallback(404), api(201), apiV2(202);
    Router router(fallback);
    router.mounts().add("/api", api);
    router.mounts().add("/api/v2", apiV2);
    Request request;
    request.path = "/api/v2/users";
    Response response;
    router.dispatch(request, response);
    EXPECT_EQ(response.status, 202);
    EXPECT_EQ(apiV2.seen, "/users");
    EXPECT_EQ(api.seen, "<not called>");
}

TEST(Router, DeclineFallsThroughToShorterMountThenFallback) {
    FakeHandler fallback(299), outer(298, true), inner(297, true);
    Router router(fallback);
    router.mounts().add("/a", outer);
    router.mounts().add("/a/b", inner);
    Request request;
    request.path = "/a/b/c";
    Response response;
    router.dispatch(request, response);
    EXPECT_EQ(inner.seen, "/c");
    EXPECT_EQ(outer.seen, "/b/c");
    EXPECT_EQ(fallback.seen, "/a/b/c");
    EXPECT_EQ(response.status, 299);
}

TEST(Router, UnmountedPathGoesToFallback) {
    FakeHandler fallback(200), app(500);
    Router router(fallback);
    router.mounts().add("/app", app);
    Request request;
    request.path = "/application.css";
    Response response;
    router.dispatch(request, response);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(app.seen, "<not called>");
}

}  // namespace
}  // namespace gateway

namespace gateway {
namespace {

TEST(Router, ResumesAfterALateDecline) {
    FakeHandler fallback(299), outer(298), inner(297);
    Router router(fallback);
    router.mounts().add("/a", outer);
    router.mounts().add("/a/b", inner);
    Request request;
    request.path = "/a/b/c";
    Response response;
    const Handler* chosen = nullptr;
    router.dispatch(request, response, &inner, &chosen);
    EXPECT_EQ(inner.seen, "<not called>");
    EXPECT_EQ(response.status, 298);
    EXPECT_EQ(chosen, &outer);
    router.dispatch(request, response, &outer, &chosen);
    EXPECT_EQ(response.status, 299);
    EXPECT_EQ(chosen, &fallback);
}

}  // namespace
}  // namespace gateway
