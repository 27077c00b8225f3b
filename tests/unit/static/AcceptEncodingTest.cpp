#include "gateway/static/AcceptEncoding.h"

#include <gtest/gtest.h>

#include <ostream>

namespace gateway {
namespace {

struct AcceptCase {
    const char* name;
    const char* value;
    bool gzip;
};

/// Lets ctest/gtest name a case by its name rather than dumping its bytes.
void PrintTo(const AcceptCase& c, std::ostream* out) {
    *out << c.name;
}

class AllowsGzip : public testing::TestWithParam<AcceptCase> {};

TEST_P(AllowsGzip, Decides) {
    EXPECT_EQ(AcceptEncoding::allowsGzip(GetParam().value), GetParam().gzip);
}

INSTANTIATE_TEST_SUITE_P(
    AcceptEncoding, AllowsGzip,
    testing::Values(AcceptCase{"Absent", "", false}, AcceptCase{"Gzip", "gzip", true},
                    AcceptCase{"BrowserList", "gzip, deflate, br, zstd", true},
                    AcceptCase{"UpperCase", "GZIP", true}, AcceptCase{"XGzip", "x-gzip", true},
                    AcceptCase{"WithWeight", "br;q=1.0, gzip;q=0.8", true},
                    AcceptCase{"SmallWeight", "gzip;q=0.001", true},
                    AcceptCase{"ZeroWeight", "gzip;q=0", false},
                    AcceptCase{"ZeroWeightDecimals", "gzip; q=0.000", false},
                    AcceptCase{"ZeroWeightUpperQ", "gzip;Q=0", false},
                    AcceptCase{"Star", "*", true}, AcceptCase{"StarZero", "*;q=0", false},
                    AcceptCase{"GzipRefusedDespiteStar", "gzip;q=0, *", false},
                    AcceptCase{"StarWithOthers", "br, *;q=0.1", true},
                    AcceptCase{"IdentityOnly", "identity", false},
                    AcceptCase{"DeflateOnly", "deflate", false},
                    AcceptCase{"GzipSuffixIsNotGzip", "xgzip, gzipx", false}),
    [](const testing::TestParamInfo<AcceptCase>& info) { return info.param.name; });

}  // namespace
}  // namespace gateway
