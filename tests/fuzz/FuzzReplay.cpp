// Replays every file of tests/fuzz/corpus/<target>/ through its fuzz target as an ordinary test,
// so the corpus and every crasher ever found run in every build, with any compiler.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "FuzzTargets.h"

namespace {

namespace fs = std::filesystem;

struct CorpusFile {
    std::string target;  ///< "request" or "chunked"
    fs::path path;
    std::string name;  ///< test name: target_file, non-alphanumerics as '_'
};

std::vector<CorpusFile> corpus() {
    std::vector<CorpusFile> files;
    for (const char* target : {"request", "chunked"}) {
        const fs::path dir = fs::path(GATEWAY_FUZZ_CORPUS) / target;
        if (!fs::is_directory(dir)) continue;
        for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
            if (!entry.is_regular_file()) continue;
            std::string name = std::string(target) + "_" + entry.path().filename().string();
            std::replace_if(
                name.begin(), name.end(), [](unsigned char c) { return !std::isalnum(c); }, '_');
            files.push_back({target, entry.path(), name});
        }
    }
    std::sort(files.begin(), files.end(),
              [](const CorpusFile& a, const CorpusFile& b) { return a.name < b.name; });
    return files;
}

class FuzzCorpus : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(FuzzCorpus, RunsWithoutBreakingAnInvariant) {
    const CorpusFile& file = GetParam();
    std::ifstream in(file.path, std::ios::binary);
    ASSERT_TRUE(in) << file.path;
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    // A broken invariant aborts (as under libFuzzer); returning is the pass.
    if (file.target == "request")
        EXPECT_EQ(gateway::fuzz::requestParser(data, bytes.size()), 0);
    else
        EXPECT_EQ(gateway::fuzz::chunkedDecoder(data, bytes.size()), 0);
}

TEST(FuzzCorpusTest, CorpusIsNotEmpty) {
    EXPECT_GE(corpus().size(), 2u);
}

std::string corpusName(const ::testing::TestParamInfo<CorpusFile>& info) {
    return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Fuzz, FuzzCorpus, ::testing::ValuesIn(corpus()), corpusName);

}  // namespace
