#include "common/grpc/client_address.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "common/config.h"
#include "common/grpc/tls.h"

namespace sportello {

bool IsTrustedGateway(const std::string& peer, const std::vector<std::string>& gateways) {
  std::string_view host(peer);
  if (auto colon = host.find(':'); colon != std::string_view::npos) host.remove_prefix(colon + 1);
  if (auto port = host.rfind(':'); port != std::string_view::npos) host = host.substr(0, port);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::find(gateways.begin(), gateways.end(), host) != gateways.end();
}

std::string ClientAddress(const grpc::CallbackServerContext* ctx, const std::vector<std::string>& gateways) {
  std::string peer = ctx->peer();
  auto it = ctx->client_metadata().find("x-client-ip");
  if (it == ctx->client_metadata().end()) return peer;
  PeerIdentity identity = PeerIdentityOf(*ctx);
  bool trusted = identity.tls ? identity.kind == PeerIdentity::Kind::kGateway : IsTrustedGateway(peer, gateways);
  if (trusted) {
    return std::string(it->second.data(), it->second.size());
  }
  return peer;
}

std::vector<std::string> ReadTrustedGateways(Settings& s, const std::string& variable,
                                             const std::string& description) {
  std::string value = s.String(variable, "", description);
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
    std::string address(absl::StripAsciiWhitespace(part));
    in6_addr v6{};
    in_addr v4{};
    if (inet_pton(AF_INET, address.c_str(), &v4) == 1 || inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
      out.push_back(address);
    } else {
      // Prefixes such as "ipv4:" (every IPv4 peer) used to be accepted: they trusted anyone.
      s.Error(variable + ": \"" + address + "\" is not an IP address (list the gateways' exact addresses)");
    }
  }
  return out;
}

}  // namespace sportello
