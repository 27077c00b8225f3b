#pragma once

#include <string_view>

#include "gateway/http/CidrList.h"
#include "gateway/http/Request.h"

namespace gateway {

/// What the proxy in front says about the client, from X-Forwarded-For and X-Forwarded-Proto.
/// Only to be asked when the TCP peer is a trusted proxy (--trusted-proxies): from anyone else
/// these headers are whatever the client chose to write.
struct ForwardedClient {
    /// The client's address, a view into the request's X-Forwarded-For value; "" = keep the peer's.
    /// nginx's real_ip_recursive rule: the entries of every X-Forwarded-For field, in order, are
    /// read from the right; trusted proxies are skipped and the first address that is not trusted
    /// is the client (all trusted: the left-most). An entry that is not a plain numeric address
    /// (a name, a port, brackets, "unknown") stops the walk and the peer's address is kept: a
    /// chain that cannot be followed is not believed.
    std::string_view address;
    /// "https" or "http" from the last X-Forwarded-Proto field's right-most entry (any case);
    /// "" when absent or anything else.
    std::string_view scheme;

    static ForwardedClient of(const Request& request, const CidrList& trusted) noexcept;
};

}  // namespace gateway
