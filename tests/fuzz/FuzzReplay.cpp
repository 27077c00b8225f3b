// Replays every file of tests/fuzz/corpus/<target>/ through its fuzz target as an ordinary test,
// so the corpus and every crasher ever found run in every build, with any compiler.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "FuzzTargets.h"

namespace {

namespace fs = std::filesystem;
using gateway::fuzz::kTargets;
using gateway::fuzz::Target;

const fs::path kCorpus = GATEWAY_FUZZ_CORPUS;

struct CorpusFile {
    const Target* target;
    fs::path path;
    std::string name;  ///< test name: target_file, non-alphanumerics as '_'
};

std::vector<CorpusFile> corpus() {
    std::vector<CorpusFile> files;
    for (const Target& target : kTargets) {
        const fs::path dir = kCorpus / target.name;
        if (!fs::is_directory(dir)) continue;
        for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
            if (!entry.is_regular_file()) continue;
            std::string name = std::string(target.name) + "_" + entry.path().filename().string();
            std::replace_if(
                name.begin(), name.end(), [](unsigned char c) { return !std::isalnum(c); }, '_');
            files.push_back({&target, entry.path(), name});
        }
    }
    std::sort(files.begin(), files.end(),
              [](const CorpusFile& a, const CorpusFile& b) { return a.name < b.name; });
    return files;
}

/// Lets gtest show a case by its file rather than dumping its bytes.
void PrintTo(const CorpusFile& file, std::ostream* out) {
    *out << file.path.string();
}

class FuzzCorpus : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(FuzzCorpus, RunsWithoutBreakingAnInvariant) {
    const CorpusFile& file = GetParam();
    std::ifstream in(file.path, std::ios::binary);
    ASSERT_TRUE(in) << file.path;
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    // A broken invariant aborts (as under libFuzzer); returning 0 is the pass.
    EXPECT_EQ(file.target->run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
              0);
}

TEST(FuzzCorpusTest, EveryTargetHasSeeds) {
    for (const Target& target : kTargets) {
        const fs::path dir = kCorpus / target.name;
        EXPECT_TRUE(fs::is_directory(dir) && !fs::is_empty(dir)) << dir;
    }
}

TEST(FuzzCorpusTest, EveryCorpusDirectoryHasATarget) {
    for (const fs::directory_entry& entry : fs::directory_iterator(kCorpus)) {
        const std::string name = entry.path().filename().string();
        EXPECT_TRUE(std::any_of(std::begin(kTargets), std::end(kTargets), [&](const Target& t) {
            return name == t.name;
        })) << name;
    }
}

std::string corpusName(const ::testing::TestParamInfo<CorpusFile>& info) {
    return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Fuzz, FuzzCorpus, ::testing::ValuesIn(corpus()), corpusName);

}  // namespace
