#include "gateway/http/PathNormalizer.h"

namespace gateway {

// One compiled copy for the gateway; the algorithm itself is shared with the SDK's fake host.
PathNormalizer::Result PathNormalizer::normalize(std::string_view raw, std::string& out,
                                                 const Policy& policy) {
    return detail::normalizePath(raw, out, policy);
}

}  // namespace gateway
