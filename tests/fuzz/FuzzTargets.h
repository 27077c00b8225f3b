#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

/// The fuzz targets as plain functions: libFuzzer binaries wrap each in LLVMFuzzerTestOneInput
/// (GATEWAY_LIBFUZZER), and fuzz_replay runs the corpus through them under any compiler.
namespace gateway::fuzz {

/// Request head parser: whole vs split vs byte-by-byte agree; views stay in the buffer.
int requestParser(const std::uint8_t* data, std::size_t size);

/// Chunked body decoder: whole vs split vs byte-by-byte agree; data views stay in the input.
int chunkedDecoder(const std::uint8_t* data, std::size_t size);

/// A request head and its chunked body as a connection reads them, split every way; bodies
/// encoded from chunk sizes decode back exactly and the next request is found after them.
int requestChunked(const std::uint8_t* data, std::size_t size);

/// DocRootResolver over a real temporary docroot: nothing outside it, no dotfile, ever.
int docRootResolver(const std::uint8_t* data, std::size_t size);

/// EnvironBuilder over parsed request heads: names, values and PATH_INFO decoding.
int environBuilder(const std::uint8_t* data, std::size_t size);

/// ResponseState driven by random operation sequences against a model of its header.
int responseState(const std::uint8_t* data, std::size_t size);

/// Every target, by the name of its corpus directory (tests/fuzz/corpus/<name>/) and of its
/// libFuzzer binary (fuzz_<name>, listed again in CMakeLists.txt).
struct Target {
    const char* name;
    int (*run)(const std::uint8_t* data, std::size_t size);
};
inline constexpr Target kTargets[] = {
    {"request", requestParser},   {"chunked", chunkedDecoder}, {"request_chunked", requestChunked},
    {"docroot", docRootResolver}, {"environ", environBuilder}, {"response_state", responseState},
};

}  // namespace gateway::fuzz

/// An invariant broken: print it and abort (a crash is what libFuzzer records).
#define GATEWAY_FUZZ_CHECK(cond)                                                                   \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)
