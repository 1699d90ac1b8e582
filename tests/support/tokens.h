#pragma once
// Bearer tokens signed with the secret that ./sportello test gave the services.
#include <string>
#include <vector>

#include "common/auth/token.h"
#include "tests/support/test_env.h"

namespace sportello::testing {

inline std::string TokenFor(const std::string& tenant, std::vector<std::string> roles,
                            absl::Duration ttl = absl::Minutes(10)) {
  auth::Principal p;
  p.subject = "e2e-test";
  p.tenant = tenant;
  p.roles = std::move(roles);
  return auth::MintToken(RequireEnv("SPORTELLO_JWT_SECRET"), p, ttl);
}

}  // namespace sportello::testing
