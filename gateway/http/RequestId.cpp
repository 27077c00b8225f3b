#include "gateway/http/RequestId.h"

#include <sys/random.h>

#include <chrono>
#include <cstring>

#include "gateway/detail/http_lexer.hpp"

namespace gateway {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void writeHex(char* out, std::uint64_t value) {
    for (int i = 15; i >= 0; --i) {
        out[i] = kHex[value & 15];
        value >>= 4;
    }
}

std::uint64_t randomPrefix() {
    std::uint64_t value = 0;
    if (::getrandom(&value, sizeof value, GRND_NONBLOCK) == static_cast<ssize_t>(sizeof value))
        return value;
    // No entropy yet (early boot): time and address still differ between workers.
    return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
           reinterpret_cast<std::uintptr_t>(&value);
}

}  // namespace

bool RequestId::valid(std::string_view text) noexcept {
    static_assert(kMaxLength == 200, "detail::isRequestId allows 200 characters");
    return detail::isRequestId(text);  // the SDK's rule, so the fake host adopts the same ids
}

RequestIdGenerator::RequestIdGenerator() : RequestIdGenerator(randomPrefix()) {}

RequestIdGenerator::RequestIdGenerator(std::uint64_t prefix) {
    writeHex(_prefix, prefix);
}

void RequestIdGenerator::assign(RequestId& id, std::string_view clientValue) noexcept {
    if (RequestId::valid(clientValue)) {
        id._client = clientValue;
        return;
    }
    id._client = {};
    std::memcpy(id._generated, _prefix, sizeof _prefix);
    writeHex(id._generated + sizeof _prefix, _counter++);
    id._generatedLength = RequestId::kGeneratedLength;
}

}  // namespace gateway
