#include "common/tenancy.h"

#include <catch2/catch.hpp>

#include "common/auth/token.h"
#include "common/status.h"

using sportello::CanonicalOptionalTenant;
using sportello::CanonicalTenant;

TEST_CASE("an IPA code is read in lower case") {
  CHECK(CanonicalTenant("c_f027").value() == "c_f027");
  CHECK(CanonicalTenant("C_F027").value() == "c_f027");
  CHECK(CanonicalTenant("ucdgr").value() == "ucdgr");
}

TEST_CASE("anything but letters, digits and _ is refused, never trimmed") {
  for (std::string raw : {std::string("c_probe9\n"), std::string("c_f027\0x", 8), std::string(" c_f027"),
                          std::string("c_f027 "), std::string("c-f027"), std::string("c_f027%00"),
                          std::string("c_f\xc3\xa9"), std::string("c_f027\t"), std::string(33, 'a'),
                          std::string("")}) {
    auto code = CanonicalTenant(raw, "tenant");
    INFO(raw);
    REQUIRE_FALSE(code.ok());
    CHECK(code.status().code() == absl::StatusCode::kInvalidArgument);
    REQUIRE(sportello::FieldViolations(code.status()).size() == 1);
    CHECK(sportello::FieldViolations(code.status())[0].field == "tenant");
  }
}

TEST_CASE("an optional tenant may be empty") {
  CHECK(CanonicalOptionalTenant("", "parent").value().empty());
  CHECK_FALSE(CanonicalOptionalTenant("a b", "parent").ok());
}

TEST_CASE("staff of a tenant") {
  using sportello::auth::Principal;
  using sportello::auth::Role;
  Principal op{.subject = "u", .tenant = "c_f027", .roles = {"operator"}, .office = "", .authenticated = true};
  CHECK(op.IsStaffOf("c_f027", {Role::kOperator}));
  CHECK_FALSE(op.IsStaffOf("c_e986", {Role::kOperator}));
  CHECK_FALSE(op.IsStaffOf("c_f027", {Role::kReferent}));
  Principal admin{.subject = "a", .tenant = "c_f027", .roles = {"admin"}, .office = "", .authenticated = true};
  CHECK(admin.IsStaffOf("c_f027", {Role::kReferent}));
  CHECK(sportello::auth::CheckStaffOf(Principal{}, "c_f027", {Role::kOperator}).code() ==
        absl::StatusCode::kPermissionDenied);
}
