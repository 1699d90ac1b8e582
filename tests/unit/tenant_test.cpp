#include "services/catalogue/tenant.h"

#include <catch2/catch.hpp>

#include "common/auth/token.h"
#include "common/status.h"

using namespace sportello::catalogue;
using sportello::auth::Principal;

namespace {

Tenant Valid() {
  Tenant t;
  t.ipa_code = "C_F027";
  t.name = "Comune di Massafra";
  t.kind = TenantKind::kComune;
  t.parent_ipa_code = "U_Gravine";
  t.website = "https://www.comune.massafra.ta.it";
  t.pec = "protocollo@pec.comune.massafra.ta.it";
  t.address = {"Piazza Garibaldi 1", "74016", "Massafra", "ta"};
  return t;
}

std::vector<std::string> ViolatedFields(Tenant t) {
  std::vector<std::string> out;
  for (const auto& v : sportello::FieldViolations(PrepareNewTenant(t))) out.push_back(v.field);
  return out;
}

}  // namespace

TEST_CASE("a valid tenant is normalised", "[tenant]") {
  Tenant t = Valid();
  REQUIRE(PrepareNewTenant(t).ok());
  CHECK(t.ipa_code == "c_f027");
  CHECK(t.parent_ipa_code == "u_gravine");
  CHECK(t.address.province == "TA");
}

TEST_CASE("each invalid field is reported with its path", "[tenant]") {
  struct Case {
    const char* what;
    void (*mutate)(Tenant&);
    const char* field;
  };
  const Case cases[] = {
      {"missing code", [](Tenant& t) { t.ipa_code = ""; }, "tenant.ipa_code"},
      {"code with spaces", [](Tenant& t) { t.ipa_code = "c f027"; }, "tenant.ipa_code"},
      {"code too long", [](Tenant& t) { t.ipa_code = std::string(33, 'a'); }, "tenant.ipa_code"},
      {"missing name", [](Tenant& t) { t.name = "   "; }, "tenant.name"},
      {"name too long", [](Tenant& t) { t.name = std::string(201, 'x'); }, "tenant.name"},
      {"missing kind", [](Tenant& t) { t.kind = TenantKind::kUnspecified; }, "tenant.kind"},
      {"own parent", [](Tenant& t) { t.parent_ipa_code = "c_f027"; }, "tenant.parent_ipa_code"},
      {"unione in unione", [](Tenant& t) { t.kind = TenantKind::kUnione; }, "tenant.parent_ipa_code"},
      {"ftp website", [](Tenant& t) { t.website = "ftp://comune.it"; }, "tenant.website"},
      {"relative website", [](Tenant& t) { t.website = "www.comune.it"; }, "tenant.website"},
      {"pec without domain", [](Tenant& t) { t.pec = "protocollo@"; }, "tenant.pec"},
      {"pec with two @", [](Tenant& t) { t.pec = "a@b@c.it"; }, "tenant.pec"},
      {"short CAP", [](Tenant& t) { t.address.postal_code = "7401"; }, "tenant.address.postal_code"},
      {"province of 3", [](Tenant& t) { t.address.province = "TAR"; }, "tenant.address.province"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Tenant t = Valid();
    c.mutate(t);
    CHECK(ViolatedFields(t) == std::vector<std::string>{c.field});
  }
}

TEST_CASE("an IPA code is refused as sent, never trimmed into a real-looking one", "[tenant]") {
  using namespace std::string_literals;
  for (std::string code : {"c_probe9\n"s, " c_f027"s, "c_f027 "s, "c_f027\0x"s, "c_f027\t"s, "c-f027"s,
                           "c_f027%0A"s, "c_f\xc3\xa0"s, std::string(33, 'a')}) {
    INFO(code);
    Tenant t = Valid();
    t.ipa_code = code;
    CHECK(ViolatedFields(t) == std::vector<std::string>{"tenant.ipa_code"});
    t = Valid();
    t.parent_ipa_code = code;
    CHECK(ViolatedFields(t) == std::vector<std::string>{"tenant.parent_ipa_code"});
  }
}

TEST_CASE("a name of 200 accented letters is within the limit", "[tenant]") {
  Tenant t = Valid();
  t.name.clear();
  for (int i = 0; i < 200; ++i) t.name += "à";  // 400 bytes, 200 characters
  CHECK(PrepareNewTenant(t).ok());
}

TEST_CASE("several violations are reported together", "[tenant]") {
  Tenant t;
  auto fields = ViolatedFields(t);
  CHECK(fields == std::vector<std::string>{"tenant.ipa_code", "tenant.name", "tenant.kind"});
}

TEST_CASE("a member's parent must exist and be an unione", "[tenant]") {
  Tenant t = Valid();
  REQUIRE(PrepareNewTenant(t).ok());
  Tenant unione;
  unione.kind = TenantKind::kUnione;
  Tenant comune;
  comune.kind = TenantKind::kComune;
  CHECK(CheckParent(t, unione).ok());
  CHECK(CheckParent(t, comune).code() == absl::StatusCode::kInvalidArgument);
  CHECK(CheckParent(t, std::nullopt).code() == absl::StatusCode::kInvalidArgument);
  t.parent_ipa_code.clear();
  CHECK(CheckParent(t, std::nullopt).ok());
}

TEST_CASE("a member is registered by its unione's admin, a lone tenant by its own", "[tenant]") {
  Tenant t = Valid();
  REQUIRE(PrepareNewTenant(t).ok());
  auto admin_of = [](const std::string& tenant) { return Principal{"a", tenant, {"admin"}, "", true}; };
  CHECK(CheckMayCreate(admin_of("u_gravine"), t).ok());
  CHECK(CheckMayCreate(admin_of("c_f027"), t).code() == absl::StatusCode::kPermissionDenied);  // cannot join by itself
  Tenant alone = t;
  alone.parent_ipa_code.clear();
  CHECK(CheckMayCreate(admin_of("c_f027"), alone).ok());
  CHECK(CheckMayCreate(admin_of("c_d171"), t).code() == absl::StatusCode::kPermissionDenied);
  CHECK(CheckMayCreate(admin_of(""), t).code() == absl::StatusCode::kPermissionDenied);
  // Staff of the unione without the admin role cannot register members.
  Principal operator_of_unione{"o", "u_gravine", {"operator"}, "", true};
  CHECK(CheckMayCreate(operator_of_unione, t).code() == absl::StatusCode::kPermissionDenied);
}

TEST_CASE("kind names round-trip", "[tenant]") {
  for (TenantKind k : {TenantKind::kComune, TenantKind::kUnione, TenantKind::kOther}) {
    CHECK(KindFromName(KindName(k)) == k);
  }
  CHECK_FALSE(KindFromName("provincia").has_value());
}
