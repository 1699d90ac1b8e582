// The catalogue's tenant store against the real PostgreSQL.
#include "services/catalogue/store.h"

#include <catch2/catch.hpp>

#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "services/catalogue/service_spec.h"
#include "tests/support/test_env.h"

using namespace sportello::catalogue;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

Tenant NewTenant(const std::string& code, TenantKind kind, const std::string& parent = "") {
  Tenant t;
  t.ipa_code = code;
  t.name = "Ente " + code;
  t.kind = kind;
  t.parent_ipa_code = parent;
  t.pec = "protocollo@pec." + code + ".it";
  t.address = {"Via Roma 1", "74016", "Massafra", "TA"};
  return t;
}

}  // namespace

TEST_CASE("tenants are created, read and listed with keyset pages", "[store]") {
  sportello::db::Pool pool(RequireEnv("SPORTELLO_TEST_PG_URL"), 2);
  REQUIRE(sportello::db::ApplyMigrations(pool, "catalogue", Migrations()).ok());
  TenantStore store(pool);

  std::string unione = UniqueName("u_");
  auto created = store.Create(NewTenant(unione, TenantKind::kUnione));
  REQUIRE(created.ok());
  CHECK(created->create_time > absl::Now() - absl::Minutes(5));

  std::vector<std::string> members;
  for (int i = 0; i < 3; ++i) {
    members.push_back(unione + "_m" + std::to_string(i));
    REQUIRE(store.Create(NewTenant(members.back(), TenantKind::kComune, unione)).ok());
  }

  auto got = store.Get(members[1]);
  REQUIRE(got.ok());
  CHECK(got->parent_ipa_code == unione);
  CHECK(got->address.postal_code == "74016");
  CHECK(got->kind == TenantKind::kComune);

  SECTION("duplicate codes are ALREADY_EXISTS") {
    CHECK(store.Create(NewTenant(unione, TenantKind::kUnione)).status().code() ==
          absl::StatusCode::kAlreadyExists);
  }
  SECTION("unknown codes are NOT_FOUND") {
    CHECK(store.Get(UniqueName("c_")).status().code() == absl::StatusCode::kNotFound);
    auto found = store.Find(UniqueName("c_"));
    REQUIRE(found.ok());
    CHECK_FALSE(found->has_value());
  }
  SECTION("a parent that does not exist is refused by the database too") {
    CHECK(store.Create(NewTenant(UniqueName("c_"), TenantKind::kComune, UniqueName("u_"))).status().code() ==
          absl::StatusCode::kInvalidArgument);
  }
  SECTION("pages follow the IPA code order and end with an empty token") {
    TenantFilter members_of{TenantKind::kUnspecified, unione};
    auto first = store.List(members_of, 2, "");
    REQUIRE(first.ok());
    REQUIRE(first->items.size() == 2);
    CHECK(first->items[0].ipa_code == members[0]);
    CHECK(first->items[1].ipa_code == members[1]);
    REQUIRE_FALSE(first->next_page_token.empty());

    auto second = store.List(members_of, 2, first->next_page_token);
    REQUIRE(second.ok());
    REQUIRE(second->items.size() == 1);
    CHECK(second->items[0].ipa_code == members[2]);
    CHECK(second->next_page_token.empty());
  }
  SECTION("filters combine") {
    auto unioni = store.List({TenantKind::kUnione, unione}, 10, "");
    REQUIRE(unioni.ok());
    CHECK(unioni->items.empty());  // members of the unione are comuni
    auto comuni = store.List({TenantKind::kComune, unione}, 10, "");
    REQUIRE(comuni.ok());
    CHECK(comuni->items.size() == 3);
  }
  SECTION("a garbled page token is INVALID_ARGUMENT") {
    CHECK(store.List({}, 10, "garbage!").status().code() == absl::StatusCode::kInvalidArgument);
  }
}
