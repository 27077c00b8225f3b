#include "gateway/config/KeyOrder.h"

#include <gtest/gtest.h>

namespace gateway {
namespace {

TEST(KeyOrder, IniKeysInFileOrderUnderTheirSection) {
    const KeyOrder order(
        "; comment\nport = 80\n[app.echo]\nzeta = 1\nmount = /e\n# note\nalpha=2\n"
        "[ app.other ]\nbeta = 3\n",
        true);
    EXPECT_EQ(order.position("port"), 0u);
    EXPECT_EQ(order.position("app.echo.zeta"), 1u);
    EXPECT_EQ(order.position("app.echo.mount"), 2u);
    EXPECT_EQ(order.position("app.echo.alpha"), 3u);
    EXPECT_EQ(order.position("app.other.beta"), 4u);
    EXPECT_EQ(order.position("APP.Echo.ZETA"), 1u);  // Poco's .ini keys ignore case
}

TEST(KeyOrder, RepeatedKeyKeepsItsFirstPlaceAndUnknownKeysComeLast) {
    const KeyOrder order("[app.a]\nb = 1\nc = 2\nb = 3\n", true);
    EXPECT_EQ(order.position("app.a.b"), 0u);
    EXPECT_EQ(order.position("app.a.c"), 1u);
    EXPECT_GT(order.position("app.a.never"), order.position("app.a.c"));
}

TEST(KeyOrder, PropertiesSkipContinuationLines) {
    const KeyOrder order(
        "app.x.z = one \\\n  app.x.fake = still the value of z\n! comment\napp.x.a: two\n", false);
    EXPECT_EQ(order.position("app.x.z"), 0u);
    EXPECT_EQ(order.position("app.x.a"), 1u);
    EXPECT_EQ(order.position("app.x.fake"), 2u);  // not a key: after every key seen
}

}  // namespace
}  // namespace gateway
