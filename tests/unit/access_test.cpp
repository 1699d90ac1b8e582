#include "common/auth/access.h"

#include <google/protobuf/descriptor.h>

#include <catch2/catch.hpp>

#include "common/auth/token.h"
#include "sportello/v1/catalogue.pb.h"

using sportello::auth::AccessPolicy;
using sportello::auth::MintToken;
using sportello::auth::Principal;
using sportello::auth::TokenVerifier;

namespace {

const char* kSecret = "unit-test-secret";

std::string Bearer(std::vector<std::string> roles, std::string tenant = "c_f027",
                   absl::Duration ttl = absl::Minutes(5), const char* secret = kSecret) {
  Principal p;
  p.subject = "mario.rossi";
  p.tenant = std::move(tenant);
  p.roles = std::move(roles);
  return "Bearer " + MintToken(secret, p, ttl);
}

AccessPolicy CataloguePolicy() {
  auto policy = AccessPolicy::ForService(sportello::v1::Tenant::descriptor()->file()->FindServiceByName("CatalogueService"));
  REQUIRE(policy.ok());
  return *policy;
}

}  // namespace

TEST_CASE("tokens minted with the secret verify and carry their claims", "[auth]") {
  TokenVerifier verifier(kSecret);
  Principal p{"anna", "c_d171", {"operator", "referent"}, "7", false};
  auto verified = verifier.Verify(MintToken(kSecret, p, absl::Minutes(1)));
  REQUIRE(verified.ok());
  CHECK(verified->authenticated);
  CHECK(verified->subject == "anna");
  CHECK(verified->tenant == "c_d171");
  CHECK(verified->office == "7");
  CHECK(verified->HasRole("referent"));
  CHECK_FALSE(verified->HasRole("admin"));
}

TEST_CASE("bad tokens are UNAUTHENTICATED", "[auth]") {
  TokenVerifier verifier(kSecret);
  Principal p{"anna", "c_d171", {"operator"}, "", false};
  CHECK(verifier.Verify(MintToken("another-secret", p, absl::Minutes(1))).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(verifier.Verify(MintToken(kSecret, p, absl::Minutes(-10))).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(verifier.Verify("not.a.jwt").status().code() == absl::StatusCode::kUnauthenticated);
  Principal no_tenant{"anna", "", {"operator"}, "", false};
  CHECK(verifier.Verify(MintToken(kSecret, no_tenant, absl::Minutes(1))).status().code() ==
        absl::StatusCode::kUnauthenticated);
}

TEST_CASE("the access rule of each RPC comes from its proto option", "[auth]") {
  TokenVerifier verifier(kSecret);
  AccessPolicy policy = CataloguePolicy();

  // Public reads need no token, but a token sent must be valid.
  CHECK(policy.Authorize("GetTenant", "", verifier).ok());
  CHECK(policy.Authorize("ListTenants", "", verifier).ok());
  CHECK(policy.Authorize("GetTenant", "Bearer garbage", verifier).status().code() ==
        absl::StatusCode::kUnauthenticated);

  // CreateTenant is admin only.
  CHECK(policy.Authorize("CreateTenant", "", verifier).status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(policy.Authorize("CreateTenant", "Basic dXNlcjpwYXNz", verifier).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(policy.Authorize("CreateTenant", Bearer({"operator"}), verifier).status().code() ==
        absl::StatusCode::kPermissionDenied);
  auto admin = policy.Authorize("CreateTenant", Bearer({"admin"}), verifier);
  REQUIRE(admin.ok());
  CHECK(admin->tenant == "c_f027");
  CHECK(policy.Authorize("NoSuchMethod", "", verifier).status().code() == absl::StatusCode::kInternal);
}
