#pragma once
// Bearer tokens (JWT). Claims: `sub`, `tenant` (IPA code), `roles` (array of
// role names: "operator", "referent", "communication", "admin", "partner",
// "communication_manager"),
// optional `office`, and `exp`. Development uses HS256 with a shared secret
// (SPORTELLO_JWT_SECRET); an identity provider (a SPID/CIE gateway) signs
// RS256 or ES256 tokens whose keys a JWKS publishes (SPORTELLO_JWKS), with
// `iss` and `aud` checked. Every service verifies tokens itself, because
// partners call services directly.
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace sportello::auth {

// The roles of access.proto, for checks in code ("is this caller staff of
// that tenant?"); the token spells them in lower case: "operator", ...
enum class Role { kOperator, kReferent, kCommunication, kAdmin, kPartner, kCommunicationManager };

std::string_view RoleName(Role role);

struct Principal {
  std::string subject;
  std::string tenant;  // IPA code
  std::vector<std::string> roles;
  std::string office;  // optional office id for referents
  bool authenticated = false;

  bool HasRole(std::string_view role) const;
  bool Has(Role role) const { return HasRole(RoleName(role)); }
  // True when the caller belongs to `tenant` (canonical IPA code) and holds
  // one of `roles`; admin of that tenant always qualifies.
  bool IsStaffOf(std::string_view tenant, std::initializer_list<Role> roles) const;
};

// PERMISSION_DENIED unless who.IsStaffOf(tenant, roles).
absl::Status CheckStaffOf(const Principal& who, std::string_view tenant, std::initializer_list<Role> roles);

struct VerifierOptions {
  std::string hs256_secret;  // empty: HS256 tokens are refused
  // JWKS file path or http(s) URL: RS256 (RSA of 2048 bits or more) and
  // ES256 (P-256) keys, chosen by the token's `kid`. Empty: none accepted.
  std::string jwks;
  std::string issuer;    // when set, JWKS tokens must carry this `iss`
  std::string audience;  // when set, JWKS tokens must list it in `aud`
  // A token naming an unknown `kid` reloads the JWKS (the provider rotated
  // its keys), at most once per this interval: forged kids cannot make
  // every call fetch it.
  absl::Duration reload_interval = absl::Seconds(30);
};

class TokenVerifier {
 public:
  explicit TokenVerifier(std::string hs256_secret);
  explicit TokenVerifier(VerifierOptions options);
  ~TokenVerifier();

  // `token` is the bare JWT (without "Bearer "). UNAUTHENTICATED when the
  // signature, algorithm, expiry or claims are wrong. The algorithm decides
  // the key: HS256 only with the secret, RS256/ES256 only with a JWKS key of
  // that type, so a public key can never serve as an HMAC secret.
  absl::StatusOr<Principal> Verify(std::string_view token) const;

 private:
  absl::StatusOr<Principal> VerifyHs256(std::string_view token) const;
  absl::StatusOr<Principal> VerifyWithJwks(std::string_view token, const std::string& alg,
                                           const std::string& kid) const;

  VerifierOptions options_;
  struct KeySet;
  std::unique_ptr<KeySet> keys_;  // loaded on first use, reloaded on an unknown kid
};

// Parses a JWKS document ({"keys":[...]}) into the keys Verify uses; keys of
// other types or uses are skipped. Exposed for tests and start-up checks.
absl::Status CheckJwks(std::string_view json);

// Signs a development token; used by `./sportello token` and by tests.
std::string MintToken(std::string_view hs256_secret, const Principal& who, absl::Duration ttl);

}  // namespace sportello::auth
