#include "gateway/obs/HealthHandler.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "gateway/route/Router.h"

namespace gateway {
namespace {

/// Stands in for static files: answers 404 and remembers that it was asked.
class Fallback : public Handler {
public:
    HandlerResult handle(const Request&, std::string_view, Response& response) override {
        asked = true;
        response.status = 404;
        return HandlerResult::Done;
    }
    bool asked = false;
};

class Health : public ::testing::Test {
protected:
    Response answer(Method method, std::string_view pathInfo = "") {
        Request request;
        request.methodId = method;
        Response response;
        result = health.handle(request, pathInfo, response);
        return response;
    }
    static bool hasHeader(const Response& response, std::string_view line) {
        return response.headers.find(std::string(line) + "\r\n") != std::string::npos;
    }

    HealthHandler health;
    HandlerResult result = HandlerResult::Declined;
};

TEST_F(Health, AcceptingAnswersOkUncached) {
    for (Method method : {Method::Get, Method::Head}) {
        const Response response = answer(method);
        EXPECT_EQ(result, HandlerResult::Done);
        EXPECT_EQ(response.status, 200);
        EXPECT_EQ(response.memory, "ok\n");
        EXPECT_EQ(response.length, 3u) << "HEAD sends the length GET would";
        EXPECT_TRUE(hasHeader(response, "Content-Type: text/plain"));
        EXPECT_TRUE(hasHeader(response, "Cache-Control: no-store"));
        EXPECT_FALSE(response.closeConnection) << "a checker may keep its connection";
    }
}

TEST_F(Health, DrainingAnswers503AndCloses) {
    health.drain();
    EXPECT_TRUE(health.draining());
    for (Method method : {Method::Get, Method::Head}) {
        const Response response = answer(method);
        EXPECT_EQ(result, HandlerResult::Done);
        EXPECT_EQ(response.status, 503);
        EXPECT_EQ(response.memory, "draining\n");
        EXPECT_TRUE(hasHeader(response, "Cache-Control: no-store"));
        EXPECT_TRUE(response.closeConnection);
    }
}

TEST_F(Health, OtherMethodsAre405WithAllow) {
    for (Method method : {Method::Post, Method::Put, Method::Delete, Method::Options}) {
        const Response response = answer(method);
        EXPECT_EQ(result, HandlerResult::Done);
        EXPECT_EQ(response.status, 405);
        EXPECT_TRUE(hasHeader(response, "Allow: GET, HEAD"));
        EXPECT_EQ(response.length, 0u);
    }
}

TEST_F(Health, PathsBelowItAreDeclined) {
    answer(Method::Get, "/");
    EXPECT_EQ(result, HandlerResult::Declined);
    answer(Method::Get, "/x");
    EXPECT_EQ(result, HandlerResult::Declined);
}

TEST_F(Health, RoutedOnlyOnItsExactPath) {
    Fallback staticFiles;
    Router router(staticFiles);
    router.mounts().add("/healthz", health);
    for (std::string_view path : {"/healthz", "/healthz/", "/healthzz", "/health", "/"}) {
        staticFiles.asked = false;
        Request request;
        request.methodId = Method::Get;
        request.path = path;
        Response response;
        const Handler* chosen = nullptr;
        ASSERT_EQ(router.dispatch(request, response, nullptr, &chosen), HandlerResult::Done);
        const bool isHealth = path == "/healthz";
        EXPECT_EQ(chosen == &health, isHealth) << path;
        EXPECT_EQ(staticFiles.asked, !isHealth) << path;
        EXPECT_EQ(response.status, isHealth ? 200 : 404) << path;
    }
}

}  // namespace
}  // namespace gateway
