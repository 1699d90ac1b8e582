#include "common/auth/access.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "sportello/v1/access.pb.h"

namespace sportello::auth {

absl::StatusOr<AccessPolicy> AccessPolicy::ForService(const google::protobuf::ServiceDescriptor* service) {
  AccessPolicy policy;
  for (int i = 0; i < service->method_count(); ++i) {
    const auto* method = service->method(i);
    if (!method->options().HasExtension(sportello::v1::access)) {
      return absl::FailedPreconditionError(method->full_name() + " declares no (sportello.v1.access) rule");
    }
    Rule rule;
    for (int role : method->options().GetExtension(sportello::v1::access).allow()) {
      if (role == sportello::v1::ROLE_PUBLIC) rule.is_public = true;
      // "ROLE_OPERATOR" -> "operator", the spelling of the token's roles claim.
      std::string name = sportello::v1::Role_Name(static_cast<sportello::v1::Role>(role)).substr(5);
      rule.roles.push_back(absl::AsciiStrToLower(name));
    }
    if (rule.roles.empty()) return absl::FailedPreconditionError(method->full_name() + " allows no role");
    policy.rules_[method->name()] = std::move(rule);
  }
  return policy;
}

absl::StatusOr<Principal> AccessPolicy::Authorize(std::string_view method, std::string_view authorization,
                                                  const TokenVerifier& verifier) const {
  auto it = rules_.find(method);
  if (it == rules_.end()) return absl::InternalError("no access rule for " + std::string(method));
  const Rule& rule = it->second;
  if (authorization.empty()) {
    if (rule.is_public) return Principal{};
    return absl::UnauthenticatedError("a bearer token is required");
  }
  constexpr std::string_view kBearer = "Bearer ";
  const std::string header(authorization);
  if (!absl::StartsWithIgnoreCase(header, "Bearer ")) {
    return absl::UnauthenticatedError("the authorization must be a bearer token");
  }
  const std::string token(absl::StripAsciiWhitespace(absl::string_view(header).substr(kBearer.size())));
  auto principal = verifier.Verify(token);
  if (!principal.ok()) return principal.status();
  if (rule.is_public || principal->HasRole("admin")) return principal;
  for (const auto& role : rule.roles) {
    if (principal->HasRole(role)) return principal;
  }
  return absl::PermissionDeniedError("this operation needs one of the roles: " +
                                     [&] {
                                       std::string s;
                                       for (const auto& r : rule.roles) s += (s.empty() ? "" : ", ") + r;
                                       return s;
                                     }());
}

}  // namespace sportello::auth
