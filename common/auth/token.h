#pragma once
// Bearer tokens (JWT). Claims: `sub`, `tenant` (IPA code), `roles` (array of
// role names: "operator", "referent", "communication", "admin", "partner",
// "communication_manager"),
// optional `office`, and `exp`. Development uses HS256 with a shared secret
// (SPORTELLO_JWT_SECRET); every service verifies tokens itself, because
// partners call services directly.
#include <initializer_list>
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

class TokenVerifier {
 public:
  explicit TokenVerifier(std::string hs256_secret);

  // `token` is the bare JWT (without "Bearer "). UNAUTHENTICATED when the
  // signature, algorithm, expiry or claims are wrong.
  absl::StatusOr<Principal> Verify(std::string_view token) const;

 private:
  std::string secret_;
};

// Signs a development token; used by `./sportello token` and by tests.
std::string MintToken(std::string_view hs256_secret, const Principal& who, absl::Duration ttl);

}  // namespace sportello::auth
