#include "gateway/net/TimeoutList.h"

#include <gtest/gtest.h>

namespace gateway {
namespace {

TEST(TimeoutList, ExpiresInDeadlineOrder) {
    TimeoutList list(100);
    TimeoutHook a, b, c;
    list.arm(a, 0);
    list.arm(b, 10);
    list.arm(c, 20);
    EXPECT_EQ(list.due(99), nullptr);
    EXPECT_EQ(list.due(100), &a);
    TimeoutList::unlink(a);
    EXPECT_EQ(list.due(115), &b);
}

TEST(TimeoutList, RearmMovesToTheBack) {
    TimeoutList list(100);
    TimeoutHook a, b;
    list.arm(a, 0);
    list.arm(b, 10);
    list.arm(a, 50);  // activity on a
    EXPECT_EQ(list.due(110), &b);
    TimeoutList::unlink(b);
    EXPECT_EQ(list.due(149), nullptr);
    EXPECT_EQ(list.due(150), &a);
}

TEST(TimeoutList, ArmingInAnotherListLeavesTheFirst) {
    TimeoutList shortList(10), longList(1000);
    TimeoutHook a;
    shortList.arm(a, 0);
    longList.arm(a, 0);
    EXPECT_TRUE(shortList.empty());
    EXPECT_EQ(a.list, &longList);
    TimeoutList::unlink(a);
    EXPECT_TRUE(longList.empty());
    TimeoutList::unlink(a);  // unlinking twice is harmless
    EXPECT_EQ(a.list, nullptr);
}

TEST(TimeoutList, UnlinkFromMiddleKeepsNeighbours) {
    TimeoutList list(5);
    TimeoutHook a, b, c;
    list.arm(a, 0);
    list.arm(b, 1);
    list.arm(c, 2);
    TimeoutList::unlink(b);
    EXPECT_EQ(list.due(5), &a);
    TimeoutList::unlink(a);
    EXPECT_EQ(list.due(7), &c);
    TimeoutList::unlink(c);
    EXPECT_TRUE(list.empty());
}

}  // namespace
}  // namespace gateway
