#pragma once
// The access check driven by `option (sportello.v1.access)` on each RPC.
// Built once per service from its descriptor: a method without a rule makes
// construction fail, so nothing becomes public by omission.
//
// Rules: ROLE_PUBLIC admits anyone (a token, if sent, must still be valid);
// otherwise a valid token is required (UNAUTHENTICATED) carrying one of the
// listed roles or "admin" (PERMISSION_DENIED). Tenant scoping is the
// domain's job: the principal's tenant is handed to it.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/token.h"

namespace google::protobuf {
class ServiceDescriptor;
}

namespace sportello::auth {

class AccessPolicy {
 public:
  static absl::StatusOr<AccessPolicy> ForService(const google::protobuf::ServiceDescriptor* service);

  // `authorization` is the raw header value ("Bearer <jwt>") or empty.
  absl::StatusOr<Principal> Authorize(std::string_view method, std::string_view authorization,
                                      const TokenVerifier& verifier) const;

 private:
  struct Rule {
    bool is_public = false;
    std::vector<std::string> roles;
  };
  std::map<std::string, Rule, std::less<>> rules_;  // method name -> rule
};

}  // namespace sportello::auth
