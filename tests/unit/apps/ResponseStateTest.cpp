#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "gateway/apps/ResponseState.h"

namespace gateway {
namespace {

using Kind = ResponseState::Verdict::Kind;

gw_header header(const char* name, const char* value) {
    return {{name, std::char_traits<char>::length(name)},
            {value, std::char_traits<char>::length(value)}};
}

std::int32_t start(ResponseState& s, std::uint32_t status, std::uint32_t flags = 0,
                   const char* length = nullptr) {
    gw_header headers[2] = {header("Content-Type", "text/plain"),
                            header("Content-Length", length ? length : "0")};
    return s.startResponse(status, {nullptr, 0}, headers, length ? 2 : 1, flags, false);
}

struct StateCase {
    const char* name;
    bool head;
    std::function<std::int32_t(ResponseState&)> script;  ///< returns call()'s result
    bool bodyFilled;
    bool bodyRead;
    std::int32_t inputError;
    Kind kind;
    int status;
    std::vector<std::string> lints;
};

std::ostream& operator<<(std::ostream& out, const StateCase& c) {
    return out << c.name;
}

class ResponseStateTable : public ::testing::TestWithParam<StateCase> {};

TEST_P(ResponseStateTable, Outcome) {
    const StateCase& c = GetParam();
    ResponseState state;
    state.reset(c.head);
    const std::int32_t rc = c.script(state);
    const auto verdict = state.afterCall(rc, c.bodyFilled, c.bodyRead, c.inputError);
    EXPECT_EQ(static_cast<int>(verdict.kind), static_cast<int>(c.kind));
    if (c.kind == Kind::Fail) {
        EXPECT_EQ(verdict.status, c.status);
    }
    std::vector<std::string> lints;
    for (const auto& finding : state.findings()) lints.emplace_back(finding.code);
    EXPECT_EQ(lints, c.lints);
}

const StateCase kCases[] = {
    {"Started",
     false,
     [](ResponseState& s) { return start(s, 200); },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {}},
    {"OkWithoutResponse",
     false,
     [](ResponseState&) { return GW_OK; },
     false,
     false,
     GW_OK,
     Kind::Fail,
     500,
     {"GW-L001"}},
    {"Declined",
     false,
     [](ResponseState&) { return GW_DECLINED; },
     false,
     false,
     GW_OK,
     Kind::Decline,
     0,
     {}},
    {"DeclinedAfterStart",
     false,
     [](ResponseState& s) {
         start(s, 200);
         return GW_DECLINED;
     },
     false,
     false,
     GW_OK,
     Kind::Decline,
     0,
     {"GW-L014"}},
    {"DeclinedAfterReading",
     false,
     [](ResponseState&) { return GW_DECLINED; },
     false,
     true,
     GW_OK,
     Kind::Decline,
     0,
     {"GW-L014"}},
    {"DeclinedAfterFirstByte",
     false,
     [](ResponseState& s) {
         start(s, 200);
         s.commit();
         return GW_DECLINED;
     },
     false,
     false,
     GW_OK,
     Kind::Abort,
     0,
     {"GW-L014"}},
    {"AppError",
     false,
     [](ResponseState&) { return GW_E_APP; },
     false,
     false,
     GW_OK,
     Kind::Fail,
     500,
     {}},
    {"UnknownNegative",
     false,
     [](ResponseState&) { return -1234; },
     false,
     false,
     GW_OK,
     Kind::Fail,
     500,
     {}},
    {"TooLarge",
     false,
     [](ResponseState&) { return GW_E_TOO_LARGE; },
     false,
     false,
     GW_OK,
     Kind::Fail,
     413,
     {}},
    {"InputTooLarge",
     false,
     [](ResponseState&) { return GW_E_APP; },
     false,
     true,
     GW_E_TOO_LARGE,
     Kind::Fail,
     413,
     {}},
    {"InputMalformed",
     false,
     [](ResponseState&) { return GW_E_PROTOCOL; },
     false,
     true,
     GW_E_PROTOCOL,
     Kind::Fail,
     400,
     {}},
    {"InputTimeout",
     false,
     [](ResponseState&) { return GW_E_TIMEOUT; },
     false,
     true,
     GW_E_TIMEOUT,
     Kind::Fail,
     408,
     {}},
    {"InputGone",
     false,
     [](ResponseState&) { return GW_E_IO; },
     false,
     true,
     GW_E_IO,
     Kind::Fail,
     0,
     {}},
    {"ErrorAfterFirstByte",
     false,
     [](ResponseState& s) {
         start(s, 200);
         s.commit();
         return GW_E_APP;
     },
     false,
     false,
     GW_OK,
     Kind::Abort,
     0,
     {}},
    {"PositiveCode",
     false,
     [](ResponseState&) { return GW_BODY_END; },
     false,
     false,
     GW_OK,
     Kind::Fail,
     500,
     {"GW-L016"}},
    {"ErrorWithBodyFilled",
     false,
     [](ResponseState&) { return GW_E_APP; },
     true,
     false,
     GW_OK,
     Kind::Fail,
     500,
     {"GW-L015"}},
    {"SecondStartWithoutReplace",
     false,
     [](ResponseState& s) {
         start(s, 200);
         EXPECT_EQ(start(s, 404), GW_E_STATE);
         EXPECT_EQ(s.status(), 200);
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L002"}},
    {"SecondStartWithReplace",
     false,
     [](ResponseState& s) {
         start(s, 200);
         EXPECT_EQ(start(s, 503, GW_RESPONSE_REPLACE), GW_OK);
         EXPECT_EQ(s.status(), 503);
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {}},
    {"StartAfterFirstByte",
     false,
     [](ResponseState& s) {
         start(s, 200);
         s.commit();
         EXPECT_EQ(start(s, 500, GW_RESPONSE_REPLACE), GW_E_STATE);
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L003"}},
    {"RejectedHeaderKeepsPrevious",
     false,
     [](ResponseState& s) {
         start(s, 201);
         gw_header bad = header("Bad Name", "x");
         EXPECT_EQ(s.startResponse(500, {nullptr, 0}, &bad, 1, GW_RESPONSE_REPLACE, false),
                   GW_E_INVAL);
         EXPECT_EQ(s.status(), 201);
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L005"}},
    {"WriteBeforeStart",
     false,
     [](ResponseState& s) {
         std::size_t allowed = 0;
         EXPECT_EQ(s.admitWrite(3, true, allowed), GW_E_STATE);
         return GW_E_STATE;
     },
     false,
     false,
     GW_OK,
     Kind::Fail,
     500,
     {"GW-L011"}},
    {"WriteOutsideCall",
     false,
     [](ResponseState& s) {
         start(s, 200);
         std::size_t allowed = 0;
         EXPECT_EQ(s.admitWrite(3, false, allowed), GW_E_STATE);
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L011"}},
    {"LongBodyClipped",
     false,
     [](ResponseState& s) {
         start(s, 200, 0, "4");
         std::size_t allowed = 0;
         EXPECT_EQ(s.admitWrite(10, true, allowed), GW_E_STATE);
         EXPECT_EQ(allowed, 4u);
         EXPECT_EQ(s.admitChunk(5), 0u);
         EXPECT_FALSE(s.finish());
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L013"}},
    {"ShortBody",
     false,
     [](ResponseState& s) {
         start(s, 200, 0, "10");
         EXPECT_EQ(s.admitChunk(5), 5u);
         EXPECT_FALSE(s.finish());
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L012"}},
    {"ExactBody",
     false,
     [](ResponseState& s) {
         start(s, 200, 0, "5");
         EXPECT_EQ(s.admitChunk(5), 5u);
         EXPECT_TRUE(s.finish());
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {}},
    {"HeadWithLengthNeedsNoBody",
     true,
     [](ResponseState& s) {
         start(s, 200, 0, "5");
         EXPECT_TRUE(s.bodyWithheld());
         EXPECT_TRUE(s.finish());
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {}},
    {"NotModifiedWithholdsBody",
     false,
     [](ResponseState& s) {
         start(s, 304);
         EXPECT_TRUE(s.bodyWithheld());
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {}},
    {"NullChunk",
     false,
     [](ResponseState& s) {
         start(s, 200);
         EXPECT_EQ(s.checkNext(GW_OK, {nullptr, 3}), GW_E_APP);
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L017"}},
    {"NextDeclined",
     false,
     [](ResponseState& s) {
         start(s, 200);
         EXPECT_EQ(s.checkNext(GW_DECLINED, {nullptr, 0}), GW_E_APP);
         EXPECT_EQ(s.checkNext(GW_BODY_END, {"x", 1}), GW_BODY_END);
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L016"}},
    {"StartFromBody",
     false,
     [](ResponseState& s) {
         start(s, 200);
         EXPECT_EQ(s.startResponse(200, {nullptr, 0}, nullptr, 0, GW_RESPONSE_REPLACE, true),
                   GW_E_STATE);
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L003"}},
    // Found by fuzz_response_state: body bytes admitted before the commit made the head fixed.
    {"StartAfterChunkBeforeCommit",
     false,
     [](ResponseState& s) {
         start(s, 200, 0, "10");
         EXPECT_EQ(s.admitChunk(3), 3u);
         EXPECT_EQ(start(s, 500, GW_RESPONSE_REPLACE), GW_E_STATE);
         EXPECT_EQ(s.status(), 200);
         EXPECT_EQ(s.contentLength(), 10);
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L003"}},
    {"StartAfterWriteBeforeCommit",
     false,
     [](ResponseState& s) {
         start(s, 200);
         std::size_t allowed = 0;
         EXPECT_EQ(s.admitWrite(0, true, allowed), GW_OK);
         EXPECT_EQ(start(s, 404, GW_RESPONSE_REPLACE), GW_E_STATE);
         EXPECT_EQ(s.status(), 200);
         return GW_OK;
     },
     false,
     false,
     GW_OK,
     Kind::Respond,
     0,
     {"GW-L003"}},
};

INSTANTIATE_TEST_SUITE_P(Response, ResponseStateTable, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ResponseState, ResetForgetsEverything) {
    ResponseState state;
    state.reset(false);
    start(state, 201, GW_RESPONSE_CLOSE, "3");
    state.commit();
    state.reset(false);
    EXPECT_FALSE(state.started());
    EXPECT_FALSE(state.committed());
    EXPECT_FALSE(state.closeRequested());
    EXPECT_EQ(state.contentLength(), -1);
    EXPECT_TRUE(state.findings().empty());
}

// Found by fuzz_response_state: an unknown negative code stayed as it was unless the verdict was a
// plain 500.
TEST(ResponseState, UnknownNegativeCodesBecomeAppErrors) {
    for (const bool committed : {false, true}) {
        for (const std::int32_t inputError : {GW_OK, GW_E_IO, GW_E_TOO_LARGE}) {
            ResponseState state;
            state.reset(false);
            start(state, 200);
            if (committed) state.commit();
            const auto verdict = state.afterCall(-1234, false, true, inputError);
            EXPECT_EQ(verdict.code, GW_E_APP) << committed << " " << inputError;
        }
    }
}

TEST(ResponseState, KeepsACopyOfTheHead) {
    ResponseState state;
    state.reset(false);
    {
        std::string name = "X-Temp", value = "  v ";
        gw_header h{{name.data(), name.size()}, {value.data(), value.size()}};
        ASSERT_EQ(state.startResponse(202, {"Queued", 6}, &h, 1, GW_RESPONSE_CLOSE, false), GW_OK);
        name.assign("garbage"), value.assign("garbage");
    }
    EXPECT_EQ(state.headerLines(), "X-Temp: v\r\n");
    EXPECT_EQ(state.reason(), "Queued");
    EXPECT_TRUE(state.closeRequested());
}

}  // namespace
}  // namespace gateway
