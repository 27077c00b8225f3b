#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

/// The fuzz targets as plain functions: libFuzzer binaries wrap each in LLVMFuzzerTestOneInput
/// (GATEWAY_LIBFUZZER), and fuzz_replay runs the corpus through them under any compiler.
namespace gateway::fuzz {

/// Request head parser: whole vs split vs byte-by-byte agree; views stay in the buffer; a chunked
/// body after the head goes through ChunkedDecoder.
int requestParser(const std::uint8_t* data, std::size_t size);

/// Chunked body decoder: whole vs split vs byte-by-byte agree; data views stay in the input.
int chunkedDecoder(const std::uint8_t* data, std::size_t size);

}  // namespace gateway::fuzz

/// An invariant broken: print it and abort (a crash is what libFuzzer records).
#define GATEWAY_FUZZ_CHECK(cond)                                                                   \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)
