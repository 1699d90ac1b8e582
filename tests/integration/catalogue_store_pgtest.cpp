// The catalogue's office, service, change and search stores against the real
// PostgreSQL (with its Italian text search, unaccent and fuzzy matching).
#include <catch2/catch.hpp>

#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "services/catalogue/service_spec.h"
#include "services/catalogue/store.h"
#include "tests/support/test_env.h"

using namespace sportello::catalogue;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

Service Card(const std::string& tenant, const std::string& name, const std::string& description = "") {
  Service s;
  s.tenant = tenant;
  s.name = name;
  s.description = description;
  s.themes = {"tributi"};
  s.channels = {Channel::kWeb};
  return s;
}

// The first page of a search in one tenant.
SearchPage SearchFor(SearchStore& search, const std::string& tenant, const std::string& text) {
  SearchQuery q;
  q.tenants = {tenant};
  q.text = text;
  auto page = search.Search(q);
  REQUIRE(page.ok());
  return *page;
}

}  // namespace

TEST_CASE("catalogue stores: offices, services, history and search", "[catalogue][store]") {
  sportello::db::Pool pool(RequireEnv("SPORTELLO_TEST_PG_URL"), 2);
  REQUIRE(sportello::db::ApplyMigrations(pool, "catalogue", Migrations()).ok());
  TenantStore tenants(pool);
  OfficeStore offices(pool);
  ServiceStore services(pool);
  ChangeStore changes(pool);
  SearchStore search(pool);

  Tenant t;
  t.ipa_code = UniqueName("s_");
  t.name = "Ente di prova";
  t.kind = TenantKind::kOther;
  REQUIRE(tenants.Create(t).ok());

  Office o;
  o.tenant = t.ipa_code;
  o.name = "Ufficio Tributi";
  o.position = GeoPoint{40.587, 17.111};
  o.hours.weekly = {{1, {540, 720}}, {3, {900, 1440}}};
  o.hours.exceptions = {{absl::CivilDay(2026, 12, 8), true, {}, "Immacolata"}};
  auto created = offices.Create(o, "mario");
  REQUIRE(created.ok());

  SECTION("an office round-trips with its hours, and updates are recorded as a diff") {
    auto read = offices.Get(created->id);
    REQUIRE(read.ok());
    CHECK(read->hours == o.hours);
    REQUIRE(read->position.has_value());
    CHECK(read->position->latitude == Approx(40.587));
    Office changed = *read;
    changed.name = "Ufficio Tributi e Tasse";
    REQUIRE(offices.Update(changed, "lucia").ok());
    auto history = changes.List(t.ipa_code, created->id, 10, "");
    REQUIRE(history.ok());
    REQUIRE(history->items.size() == 2);
    CHECK(history->items[0].action == "update");
    CHECK(history->items[0].actor == "lucia");
    CHECK(history->items[0].diff_json.find("\"name\"") != std::string::npos);
    CHECK(history->items[0].diff_json.find("Ufficio Tributi e Tasse") != std::string::npos);
    CHECK(history->items[0].diff_json.find("hours") == std::string::npos);  // unchanged fields stay out
    CHECK(history->items[1].action == "create");
    CHECK(history->items[1].actor == "mario");
  }

  SECTION("service filters and keyset pages") {
    Service a = Card(t.ipa_code, "Alfa");
    a.office_id = created->id;
    Service b = Card(t.ipa_code, "Beta");
    b.themes = {"istruzione"};
    Service c = Card(t.ipa_code, "Gamma");
    c.reportable = {true, "gamma-code", "Gruppo", {"uno"}, {}};
    for (const auto* s : {&a, &b, &c}) REQUIRE(services.Create(*s, "mario").ok());
    ServiceFilter all{t.ipa_code};
    auto page1 = services.List(all, 2, "");
    REQUIRE(page1.ok());
    REQUIRE(page1->items.size() == 2);
    CHECK(page1->items[0].name == "Alfa");
    auto page2 = services.List(all, 2, page1->next_page_token);
    REQUIRE(page2.ok());
    REQUIRE(page2->items.size() == 1);
    CHECK(page2->items[0].name == "Gamma");
    CHECK(page2->next_page_token.empty());
    ServiceFilter by_theme{t.ipa_code, "istruzione"};
    CHECK(services.List(by_theme, 10, "")->items.size() == 1);
    ServiceFilter by_office{t.ipa_code};
    by_office.office_id = created->id;
    CHECK(services.List(by_office, 10, "")->items.size() == 1);
    auto code = services.GetReportable(t.ipa_code, "gamma-code");
    REQUIRE(code.ok());
    CHECK(code->name == "Gamma");
    // The office is still named by a service: it cannot go.
    CHECK(offices.Delete(created->id, "mario").code() == absl::StatusCode::kFailedPrecondition);
    // A second card with the same category code is refused.
    Service again = Card(t.ipa_code, "Gamma bis");
    again.reportable = c.reportable;
    CHECK(services.Create(again, "mario").status().code() == absl::StatusCode::kAlreadyExists);
  }

  SECTION("search: stems, accents, one typo, names above descriptions") {
    REQUIRE(services.Create(Card(t.ipa_code, "Carta d'identità elettronica"), "m").ok());
    REQUIRE(services.Create(Card(t.ipa_code, "Certificati anagrafici"), "m").ok());
    REQUIRE(services.Create(Card(t.ipa_code, "Mensa scolastica"), "m").ok());
    REQUIRE(services.Create(Card(t.ipa_code, "Trasporto scolastico", "Per chi usa anche la mensa."), "m").ok());
    auto names = [&](const std::string& text) {
      std::vector<std::string> out;
      for (const auto& h : SearchFor(search, t.ipa_code, text).hits) out.push_back(h.name);
      return out;
    };
    CHECK(names("certificato anagrafico") == std::vector<std::string>{"Certificati anagrafici"});
    CHECK(names("CARTA IDENTITA") == std::vector<std::string>{"Carta d'identità elettronica"});
    CHECK(names("cartta identità") == std::vector<std::string>{"Carta d'identità elettronica"});
    CHECK(names("mensa") == std::vector<std::string>{"Mensa scolastica", "Trasporto scolastico"});
    CHECK(names("tributi").size() == 1);  // the office's name
    CHECK(names("xyzzy plugh").empty());
  }

  SECTION("search: one typo is a substitution, an insertion, a deletion or a swap of neighbours") {
    auto anagrafe = services.Create(Card(t.ipa_code, "Anagrafe", "Certificati di residenza e stato di famiglia."), "m");
    REQUIRE(anagrafe.ok());
    for (const char* typo : {"anagarfe", "anagrafw", "anagrfe", "annagrafe", "Anagarfe residenza"}) {
      INFO(typo);
      SearchPage page = SearchFor(search, t.ipa_code, typo);
      REQUIRE(page.hits.size() == 1);
      CHECK(page.hits[0].id == anagrafe->id);
      CHECK(page.corrected_text.rfind("anagraf", 0) == 0);
    }
    // Two typos (two swaps, or a swap and a substitution) are too many.
    for (const char* typos : {"naagarfe", "anagarfw"}) {
      INFO(typos);
      SearchPage page = SearchFor(search, t.ipa_code, typos);
      CHECK(page.hits.empty());
      CHECK(page.corrected_text == typos);
    }
  }
}
