#include "gateway/obs/WorkerSlots.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace gateway {
namespace {

class WorkerSlotsTest : public ::testing::Test {
protected:
    void SetUp() override {
        _index = _slots.claim();
        ASSERT_GE(_index, 0);
        WorkerSlots::attach(_slots, _index);
    }
    void TearDown() override { WorkerSlots::detach(); }

    WorkerSlots _slots;
    int _index = -1;
};

TEST_F(WorkerSlotsTest, ScopeShowsTheRequestWhileInAppCodeOnly) {
    {
        WorkerSlots::Scope scope("shop", "/shop", "GET", "/shop/cart?id=7", 1234);
        const auto reports = WorkerSlots::inAppCode(_slots.slot(_index));
        ASSERT_EQ(reports.size(), 1u);
        EXPECT_EQ(reports[0].describe(), "app shop at /shop: GET /shop/cart?id=7");
        EXPECT_EQ(reports[0].deadlineMs, 1234);
        EXPECT_GT(reports[0].sinceMs, 0);
    }
    EXPECT_TRUE(WorkerSlots::inAppCode(_slots.slot(_index)).empty());
}

TEST_F(WorkerSlotsTest, EachThreadHasItsOwnEntry) {
    WorkerSlots::Scope mine("a", "/a", "GET", "/a", 0);
    std::thread other([&] {  // both in app code at once; the root mount reads as "/"
        WorkerSlots::Scope theirs("b", "", "POST", "/b", 0);
        const auto reports = WorkerSlots::inAppCode(_slots.slot(_index));
        ASSERT_EQ(reports.size(), 2u);
        EXPECT_EQ(reports[0].describe(), "app a at /a: GET /a");
        EXPECT_EQ(reports[1].describe(), "app b at /: POST /b");
    });
    other.join();
}

TEST_F(WorkerSlotsTest, LongTargetsAreTruncatedAndControlBytesEscaped) {
    const std::string target = "/x\x1b[31m" + std::string(300, 'y');
    WorkerSlots::Scope scope("app", "/x", "GET", target, 0);
    const std::string text = WorkerSlots::inAppCode(_slots.slot(_index))[0].describe();
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_NE(text.find("/x\\x1B[31m"), std::string::npos) << text;
    EXPECT_TRUE(text.ends_with("y...")) << text;
    EXPECT_LT(text.size(), 160u) << text;
}

TEST_F(WorkerSlotsTest, AReleasedSlotIsClearedForTheNextWorker) {
    WorkerSlots::Scope scope("app", "/x", "GET", "/x", 0);  // a worker died in app code
    ASSERT_EQ(WorkerSlots::inAppCode(_slots.slot(_index)).size(), 1u);
    _slots.release(_index);
    EXPECT_EQ(_slots.claim(), _index) << "the lowest free slot";
    EXPECT_TRUE(WorkerSlots::inAppCode(_slots.slot(_index)).empty());
    EXPECT_NE(_slots.claim(), _index);
}

TEST(WorkerSlotsDetached, ScopeWithoutASlotDoesNothing) {
    WorkerSlots::detach();
    WorkerSlots::Scope scope("app", "/x", "GET", "/x", 0);  // no crash, nothing to write to
    SUCCEED();
}

}  // namespace
}  // namespace gateway
