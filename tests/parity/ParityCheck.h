#pragma once

// What one host showed for one row, and the one comparison both parity runners use.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/parity/ParityTable.h"

namespace gateway::test::parity {

struct Observed {
    int status = 0;  ///< 0: declined (fell through)
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    Framing framing = Framing::Any;
    std::optional<bool> closes;     ///< nullopt: not probed
    std::vector<std::string> lint;  ///< codes, repeats allowed
};

/// Test name for (row, variant): "<row>_<variant>".
std::string testName(const Row& row, const std::string& variant);

/// Adds a gtest failure for every expectation of `row` that `seen` misses ("{mount}" and "{id}"
/// in expected bodies replaced by `mount` and `id`).
void expectMatches(const Row& row, const std::string& mount, const std::string& id,
                   const Observed& seen);

}  // namespace gateway::test::parity
