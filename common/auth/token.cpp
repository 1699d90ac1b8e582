#include "common/auth/token.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include <jwt/jwt.hpp>

#include "common/tenancy.h"

namespace sportello::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kOperator: return "operator";
    case Role::kReferent: return "referent";
    case Role::kCommunication: return "communication";
    case Role::kAdmin: return "admin";
    case Role::kPartner: return "partner";
    case Role::kCommunicationManager: return "communication_manager";
  }
  return "";
}

bool Principal::HasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Principal::IsStaffOf(std::string_view of_tenant, std::initializer_list<Role> allowed) const {
  if (!authenticated || tenant.empty() || tenant != of_tenant) return false;
  if (Has(Role::kAdmin)) return true;
  for (Role r : allowed) {
    if (Has(r)) return true;
  }
  return false;
}

absl::Status CheckStaffOf(const Principal& who, std::string_view tenant, std::initializer_list<Role> roles) {
  if (who.IsStaffOf(tenant, roles)) return absl::OkStatus();
  return absl::PermissionDeniedError("operazione riservata al personale dell'ente " + std::string(tenant));
}

TokenVerifier::TokenVerifier(std::string hs256_secret) : secret_(std::move(hs256_secret)) {}

absl::StatusOr<Principal> TokenVerifier::Verify(std::string_view token) const {
  using namespace jwt::params;
  std::error_code ec;
  // cpp-jwt throws, despite the error-code overload, on a header or payload
  // that is JSON of the wrong shape ({"alg":1}): any of that is a bad token.
  std::optional<jwt::jwt_object> decoded;
  try {
    decoded.emplace(jwt::decode(jwt::string_view(token.data(), token.size()), algorithms({"HS256"}), ec,
                                secret(secret_), verify(true), leeway(30)));
  } catch (const std::exception&) {
    return absl::UnauthenticatedError("invalid token: malformed");
  }
  if (ec) return absl::UnauthenticatedError("invalid token: " + ec.message());
  const auto& claims = decoded->payload().create_json_obj();
  if (!claims.contains("exp")) return absl::UnauthenticatedError("invalid token: no expiry");
  Principal p;
  p.authenticated = true;
  try {
    p.subject = claims.value("sub", "");
    p.tenant = claims.value("tenant", "");
    p.office = claims.value("office", "");
    if (claims.contains("roles")) {
      for (const auto& r : claims.at("roles")) p.roles.push_back(r.get<std::string>());
    }
  } catch (const std::exception&) {
    return absl::UnauthenticatedError("invalid token: malformed claims");
  }
  if (p.subject.empty() || p.tenant.empty()) {
    return absl::UnauthenticatedError("invalid token: sub and tenant are required");
  }
  auto tenant = CanonicalTenant(p.tenant);
  if (!tenant.ok()) return absl::UnauthenticatedError("invalid token: the tenant claim is not an IPA code");
  p.tenant = *std::move(tenant);
  return p;
}

std::string MintToken(std::string_view hs256_secret, const Principal& who, absl::Duration ttl) {
  using namespace jwt::params;
  jwt::jwt_object obj{algorithm("HS256"), secret(std::string(hs256_secret))};
  obj.add_claim("sub", who.subject);
  obj.add_claim("tenant", who.tenant);
  obj.add_claim("roles", who.roles);
  if (!who.office.empty()) obj.add_claim("office", who.office);
  obj.add_claim("iat", std::chrono::system_clock::now());
  obj.add_claim("exp", std::chrono::system_clock::now() + absl::ToChronoSeconds(ttl));
  return obj.signature();
}

}  // namespace sportello::auth
