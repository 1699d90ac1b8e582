#pragma once
// TLS and mutual TLS of Sportello's gRPC, from a TlsConfig (common/config.h).
//
// Who a peer is comes from the URI SAN of its certificate, verified against
// SPORTELLO_TLS_CA (tools/certs.sh makes such certificates):
//   sportello://gateway            the gateway: its x-client-ip is believed
//   sportello://service/<name>     another Sportello service
//   sportello://tenant/<ipa code>  a partner system of that administration:
//                                  its tokens must be of the same tenant
// Without TLS, or without a client certificate, the peer has no identity.
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "common/auth/token.h"
#include "common/config.h"

namespace sportello {

// TLS server credentials (client certificates requested, or required), or
// plaintext when `tls` is not enabled.
std::shared_ptr<grpc::ServerCredentials> ServerCredentialsFor(const TlsConfig& tls);

// TLS client credentials presenting this process's certificate, or
// plaintext when `tls` is not enabled.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFor(const TlsConfig& tls);

// The one way to open a channel to another Sportello component: with those
// credentials, `address` as ChannelTarget (common/grpc/target.h) reads it
// (one address, several, or dns:///name:port), balanced with round_robin,
// reconnecting at most 500 ms apart: a component back from a restart is
// called again within half a second, not after gRPC's default back-off
// (growing to 120 s), which fails calls fast long after it is back.
std::shared_ptr<grpc::Channel> ServiceChannel(const std::string& address, const TlsConfig& tls,
                                              const grpc::ChannelArguments& args = {});

struct PeerIdentity {
  enum class Kind { kNone, kGateway, kService, kTenant };
  Kind kind = Kind::kNone;
  std::string name;  // the service's name or the tenant's canonical IPA code
  bool tls = false;  // the connection is TLS (with or without a client certificate)
};

// The identity of the certificate a client presented on this call.
PeerIdentity PeerIdentityOf(const grpc::ServerContextBase& ctx);

// Parses one URI SAN ("sportello://tenant/c_f027"); kNone when not ours.
PeerIdentity ParsePeerUri(const std::string& uri);

// PERMISSION_DENIED when a partner's certificate names a tenant other than
// the token's: a token that leaked from one administration is useless over
// another's certificate.
absl::Status CheckPeerMatchesToken(const PeerIdentity& peer, const auth::Principal& who);

}  // namespace sportello
