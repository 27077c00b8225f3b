#include "gateway/obs/Metrics.h"

#include <gtest/gtest.h>

#include <string>

#include "gateway/http/CidrList.h"
#include "gateway/obs/MetricsHandler.h"
#include "gateway/obs/WorkerSlots.h"

namespace gateway {
namespace {

/// Two handlers are told apart by address only.
class NoHandler : public Handler {
public:
    HandlerResult handle(const Request&, std::string_view, Response&) override {
        return HandlerResult::Declined;
    }
};

bool has(const std::string& text, const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
}

class MetricsCounting : public testing::Test {
protected:
    std::string render() {
        std::string out;
        MetricsHandler::render(out, slots);
        return out;
    }

    WorkerSlots slots;
    NoHandler hello, other;
};

TEST_F(MetricsCounting, SumsSlotsByMountName) {
    const int first = slots.claim(1);
    const int second = slots.claim(1);
    Metrics a(slots.slot(first).counters);
    a.addMount("/hello", &hello);
    Metrics b(slots.slot(second).counters);
    b.addMount("/other", &other);  // entries in another order than in `a`
    b.addMount("/hello", &hello);
    a.requestFinished(&hello, 200, 13, 300, false);
    b.requestFinished(&hello, 204, 0, 700, false);
    b.requestFinished(&other, 503, 5, 20'000'000, false);
    b.requestFinished(nullptr, 400, 0, 10, false);  // no handler took it: mount ""
    const std::string text = render();
    EXPECT_TRUE(has(text, R"(gateway_requests_total{mount="/hello",class="2xx"} 2)")) << text;
    EXPECT_TRUE(has(text, R"(gateway_requests_total{mount="/other",class="5xx"} 1)")) << text;
    EXPECT_TRUE(has(text, R"(gateway_requests_total{mount="",class="4xx"} 1)")) << text;
    EXPECT_TRUE(
        has(text, R"(gateway_request_duration_seconds_bucket{mount="/hello",le="0.0005"} 1)"));
    EXPECT_TRUE(
        has(text, R"(gateway_request_duration_seconds_bucket{mount="/hello",le="0.001"} 2)"));
    EXPECT_TRUE(has(text, R"(gateway_request_duration_seconds_bucket{mount="/other",le="10"} 0)"));
    EXPECT_TRUE(
        has(text, R"(gateway_request_duration_seconds_bucket{mount="/other",le="+Inf"} 1)"));
    EXPECT_TRUE(has(text, R"(gateway_request_duration_seconds_sum{mount="/hello"} 0.001)")) << text;
    EXPECT_TRUE(has(text, R"(gateway_request_duration_seconds_count{mount="/hello"} 2)"));
    EXPECT_TRUE(has(text, R"(gateway_response_bytes_total{mount="/hello"} 13)"));
    EXPECT_TRUE(has(text, "gateway_workers 2"));
}

TEST_F(MetricsCounting, GaugesOfAGoneWorkerAreZeroItsCountersStay) {
    const int index = slots.claim(3);
    {
        Metrics metrics(slots.slot(index).counters);
        metrics.addMount("/hello", &hello);
        metrics.addApp("hello", "1.2.3", "/hello");
        metrics.requestStarted();
        metrics.requestStarted();
        metrics.requestFinished(&hello, 200, 1, 1);
        metrics.setOpenConnections(7);
        Metrics::bodyStarted();
        Metrics::bodyStored(100);
        const std::string text = render();
        EXPECT_TRUE(has(text, "gateway_requests_in_flight 1")) << text;
        EXPECT_TRUE(has(text, "gateway_open_connections 7"));
        EXPECT_TRUE(has(text, "gateway_request_body_buffered_requests 1"));
        EXPECT_TRUE(has(text, "gateway_request_body_buffered_bytes 100"));
        EXPECT_TRUE(
            has(text,
                R"(gateway_app_info{app="hello",version="1.2.3",mount="/hello",generation="3"} 1)"))
            << text;
    }
    slots.release(index);
    std::string text = render();
    EXPECT_TRUE(has(text, "gateway_requests_in_flight 0")) << text;
    EXPECT_TRUE(has(text, "gateway_open_connections 0"));
    EXPECT_TRUE(has(text, "gateway_request_body_buffered_bytes 0"));
    EXPECT_TRUE(has(text, "gateway_workers 0"));
    EXPECT_EQ(text.find("gateway_app_info{"), std::string::npos) << text;
    EXPECT_TRUE(has(text, R"(gateway_requests_total{mount="/hello",class="2xx"} 1)")) << text;

    // The next worker in the slot adds to the same entry.
    ASSERT_EQ(slots.claim(4), index);
    Metrics next(slots.slot(index).counters);
    next.addMount("/hello", &other);
    next.requestFinished(&other, 201, 1, 1, false);
    text = render();
    EXPECT_TRUE(has(text, R"(gateway_requests_total{mount="/hello",class="2xx"} 2)")) << text;
}

TEST_F(MetricsCounting, MasterCountsRestartsAndGeneration) {
    slots.countRestart(RestartCause::Crash);
    slots.countRestart(RestartCause::Reload);
    slots.countRestart(RestartCause::Reload);
    slots.setGeneration(5);
    const std::string text = render();
    EXPECT_TRUE(has(text, R"(gateway_worker_restarts_total{cause="crash"} 1)")) << text;
    EXPECT_TRUE(has(text, R"(gateway_worker_restarts_total{cause="stuck"} 0)"));
    EXPECT_TRUE(has(text, R"(gateway_worker_restarts_total{cause="reload"} 2)"));
    EXPECT_TRUE(has(text, "gateway_generation 5"));
}

TEST_F(MetricsCounting, LabelValuesAreEscaped) {
    Metrics metrics(slots.slot(slots.claim(1)).counters);
    metrics.addMount("/a\"b\\c", &hello);
    metrics.requestFinished(&hello, 200, 0, 0, false);
    EXPECT_TRUE(has(render(), R"(gateway_requests_total{mount="/a\"b\\c",class="2xx"} 1)"));
}

struct AllowCase {
    const char* name;
    const char* allowed;
    const char* client;
    bool allows;
};

class MetricsAllow : public testing::TestWithParam<AllowCase> {};

TEST_P(MetricsAllow, Decides) {
    const AllowCase& c = GetParam();
    EXPECT_EQ(MetricsHandler::allows(CidrList::parse(c.allowed), c.client), c.allows);
}

INSTANTIATE_TEST_SUITE_P(
    Clients, MetricsAllow,
    testing::Values(AllowCase{"LoopbackV4Always", "", "127.0.0.1", true},
                    AllowCase{"LoopbackV6Always", "", "::1", true},
                    AllowCase{"LoopbackMappedAlways", "", "::ffff:127.0.0.1", true},
                    AllowCase{"OtherRefusedByDefault", "", "192.0.2.1", false},
                    AllowCase{"OtherV6RefusedByDefault", "", "2001:db8::1", false},
                    AllowCase{"ListedV4", "192.0.2.0/24", "192.0.2.1", true},
                    AllowCase{"ListedV4SeenMapped", "192.0.2.0/24", "::ffff:192.0.2.1", true},
                    AllowCase{"UnlistedV4", "192.0.2.0/24", "198.51.100.1", false},
                    AllowCase{"ListedV6", "192.0.2.0/24, 2001:db8::/48", "2001:db8:0:1::5", true},
                    AllowCase{"UnlistedV6", "2001:db8::/48", "2001:db8:1::5", false}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace gateway
