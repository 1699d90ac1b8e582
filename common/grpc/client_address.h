#pragma once
// Whose request is it, for per-client limits (anonymous submissions, survey
// answers): the gRPC peer's address, or, when the peer is the gateway, the
// citizen's address the gateway passes on in `x-client-ip`. Anyone else could
// forge that header, so it is believed
// - on a TLS connection (SPORTELLO_TLS_*), from the gateway's identity only:
//   a client certificate whose URI SAN is sportello://gateway (common/grpc/tls.h),
//   whatever its address (Kubernetes pods change address);
// - on plaintext, from exact gateway addresses only, never from ranges.
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

namespace sportello {

class Settings;

// "ipv4:10.0.0.7:53412" -> "ipv4:10.0.0.7:53412", or x-client-ip's value.
std::string ClientAddress(const grpc::CallbackServerContext* ctx, const std::vector<std::string>& gateways);

// True when the address of `peer` ("ipv4:127.0.0.1:5000", "ipv6:[::1]:5000")
// is exactly one of `gateways` ("127.0.0.1", "::1").
bool IsTrustedGateway(const std::string& peer, const std::vector<std::string>& gateways);

// Reads `variable` (SPORTELLO_<NAME>_TRUSTED_PROXIES): the gateways' IP
// addresses, comma separated; anything else is a start-up error. The same
// rule reads the gateway's own list of proxies in front of it.
std::vector<std::string> ReadTrustedGateways(
    Settings& settings, const std::string& variable,
    const std::string& description = "the gateways' IP addresses (exact, comma separated) whose x-client-ip "
                                     "header is believed for per-client limits; none by default");

}  // namespace sportello
