#include "common/grpc/tls.h"

#include <grpc/grpc_security_constants.h>

#include "common/grpc/target.h"
#include "common/tenancy.h"

namespace sportello {

std::shared_ptr<grpc::ServerCredentials> ServerCredentialsFor(const TlsConfig& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(tls.require_client_cert
                                                ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                                : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = tls.ca_pem;
  options.pem_key_cert_pairs.push_back({tls.key_pem, tls.cert_pem});
  return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFor(const TlsConfig& tls) {
  if (!tls.enabled()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = tls.ca_pem;
  options.pem_private_key = tls.key_pem;
  options.pem_cert_chain = tls.cert_pem;
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::Channel> ServiceChannel(const std::string& address, const TlsConfig& tls,
                                              const grpc::ChannelArguments& args) {
  // Config readers refused a bad value at start-up; one that slips through
  // goes to gRPC as it is, whose calls then fail UNAVAILABLE.
  absl::StatusOr<std::string> target = ChannelTarget(address);
  grpc::ChannelArguments balanced = args;
  balanced.SetServiceConfigJSON(kRoundRobinServiceConfig);
  balanced.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  balanced.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  return grpc::CreateCustomChannel(target.ok() ? *target : address, ChannelCredentialsFor(tls), balanced);
}

PeerIdentity ParsePeerUri(const std::string& uri) {
  PeerIdentity id;
  std::string_view rest(uri);
  auto consume = [&rest](std::string_view prefix) {
    if (rest.substr(0, prefix.size()) != prefix) return false;
    rest.remove_prefix(prefix.size());
    return true;
  };
  if (!consume("sportello://")) return id;
  if (rest == "gateway") {
    id.kind = PeerIdentity::Kind::kGateway;
  } else if (consume("service/") && !rest.empty()) {
    id.kind = PeerIdentity::Kind::kService;
    id.name = std::string(rest);
  } else if (consume("tenant/")) {
    auto tenant = CanonicalTenant(rest);
    if (tenant.ok()) {
      id.kind = PeerIdentity::Kind::kTenant;
      id.name = *std::move(tenant);
    }
  }
  return id;
}

PeerIdentity PeerIdentityOf(const grpc::ServerContextBase& ctx) {
  PeerIdentity id;
  std::shared_ptr<const grpc::AuthContext> auth = ctx.auth_context();
  if (!auth) return id;
  for (const auto& type : auth->FindPropertyValues(GRPC_TRANSPORT_SECURITY_TYPE_PROPERTY_NAME)) {
    if (type == GRPC_SSL_TRANSPORT_SECURITY_TYPE || type == GRPC_TLS_TRANSPORT_SECURITY_TYPE) id.tls = true;
  }
  if (!id.tls || !auth->IsPeerAuthenticated()) return id;
  // The first URI of ours wins; a certificate naming two identities is not issued by certs.sh.
  for (const auto& uri : auth->FindPropertyValues(GRPC_PEER_URI_PROPERTY_NAME)) {
    PeerIdentity parsed = ParsePeerUri(std::string(uri.data(), uri.size()));
    if (parsed.kind != PeerIdentity::Kind::kNone) {
      parsed.tls = true;
      return parsed;
    }
  }
  return id;
}

absl::Status CheckPeerMatchesToken(const PeerIdentity& peer, const auth::Principal& who) {
  if (peer.kind != PeerIdentity::Kind::kTenant || !who.authenticated) return absl::OkStatus();
  if (who.tenant == peer.name) return absl::OkStatus();
  return absl::PermissionDeniedError("il certificato del client è dell'ente " + peer.name +
                                     ", il token di un altro ente");
}

}  // namespace sportello
