// End to end over REST: offices, opening hours, services, search, caching
// and tenancy of the catalogue, through the real gateway and service.
#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include "tests/support/http_client.h"
#include "tests/support/sandbox.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace json = boost::json;
using namespace sportello::testing;

namespace {

// A bare tenant of the test's own (no offices, no services), so that counts
// and search results depend on this test alone.
struct CatalogueSandbox : Sandbox {
  CatalogueSandbox() : Sandbox(SandboxOptions::Bare()) {}

  // POST as the tenant's operator, requiring `expect`; the answer's body.
  json::object Post(const std::string& path, const json::object& body, int expect = 200) {
    return JsonObject(PostJson(path, body, Bearer(operator_token)), expect);
  }
};

// Monday to Friday 09:00-12:00, Tuesday also 15:30-17:30; closed on 8 December.
json::object Hours() {
  json::array weekly;
  for (int day = 1; day <= 5; ++day) weekly.push_back(json::object{{"day", day}, {"opens", "09:00"}, {"closes", "12:00"}});
  weekly.push_back(json::object{{"day", 2}, {"opens", "15:30"}, {"closes", "17:30"}});
  json::array exceptions{json::object{{"date", "2026-12-08"}, {"closed", true}, {"reason", "Immacolata Concezione"}}};
  return {{"weekly", weekly}, {"exceptions", exceptions}};
}

}  // namespace

TEST_CASE("REST: an office with hours answers whether it is open", "[e2e][catalogue]") {
  CatalogueSandbox box;
  json::object office = box.Post("/api/v1/tenants/" + box.tenant + "/offices",
                                 {{"name", "Ufficio Anagrafe"},
                                  {"email", "anagrafe@comune.example.it"},
                                  {"position", json::object{{"latitude", 40.587}, {"longitude", 17.111}}},
                                  {"hours", Hours()}});
  std::string id = Str(office, "id");
  CHECK(Str(office, "tenant") == box.tenant);

  // Monday 7 December 2026, 10:00 in Rome (09:00Z): open until 12:00 Rome (11:00Z).
  json::object monday = JsonObject(Get("/api/v1/offices/" + id + "/availability?at=2026-12-07T09:00:00Z"));
  CHECK(monday.at("open").as_bool());
  CHECK(Str(monday, "open_until") == "2026-12-07T11:00:00Z");

  // Tuesday 8 December is a holiday: closed, with the reason, opening on Wednesday at 09:00 Rome.
  json::object holiday = JsonObject(Get("/api/v1/offices/" + id + "/availability?at=2026-12-08T09:00:00Z"));
  CHECK_FALSE(holiday.at("open").as_bool());
  CHECK(Str(holiday, "reason") == "Immacolata Concezione");
  CHECK(Str(holiday, "next_opening") == "2026-12-09T08:00:00Z");

  // Without `at`, now: an office open every day round the clock is open now.
  json::array always;
  for (int day = 1; day <= 7; ++day) {
    always.push_back(json::object{{"day", day}, {"opens", "00:00"}, {"closes", "24:00"}});
  }
  json::object open_office = box.Post("/api/v1/tenants/" + box.tenant + "/offices",
                                      {{"name", "Portineria"}, {"hours", json::object{{"weekly", always}}}});
  json::object now = JsonObject(Get("/api/v1/offices/" + Str(open_office, "id") + "/availability"));
  CHECK(now.at("open").as_bool());

  // Invalid hours are a 400 naming the field, and create nothing.
  json::object bad_hours = Hours();
  bad_hours["weekly"].as_array()[0].as_object()["closes"] = "08:00";
  HttpReply bad = Fetch(GatewayUrl(), "POST", "/api/v1/tenants/" + box.tenant + "/offices",
                        json::serialize(json::object{{"name", "Ufficio rotto"}, {"hours", bad_hours}}),
                        Bearer(box.operator_token));
  REQUIRE(bad.status == 400);
  CHECK(bad.body.find("office.hours.weekly[0]") != std::string::npos);
  HttpReply unparsable = Fetch(GatewayUrl(), "POST", "/api/v1/tenants/" + box.tenant + "/offices",
                               R"({"name":"X","hours":{"weekly":[{"day":1,"opens":"9","closes":"12:00"}]}})",
                               Bearer(box.operator_token));
  CHECK(unparsable.status == 400);
  json::object listed = JsonObject(Get("/api/v1/tenants/" + box.tenant + "/offices"));
  CHECK(listed.at("offices").as_array().size() == 2);  // the Anagrafe and the Portineria

  CHECK(Get("/api/v1/offices/00000000-0000-4000-8000-ffffffffffff").status == 404);
  CHECK(Get("/api/v1/offices/not-a-uuid").status == 404);
}

TEST_CASE("REST: services are created, cached, updated with history and deleted", "[e2e][catalogue]") {
  CatalogueSandbox box;
  json::object office = box.Post("/api/v1/tenants/" + box.tenant + "/offices", {{"name", "Ufficio Tributi"}});
  json::object service = box.Post("/api/v1/tenants/" + box.tenant + "/services",
                                  {{"name", "Tassa sui rifiuti (TARI)"},
                                   {"short_description", "Dichiarazione e pagamento della TARI"},
                                   {"themes", json::array{"tributi"}},
                                   {"channels", json::array{"CHANNEL_COUNTER", "CHANNEL_WEB"}},
                                   {"office_id", Str(office, "id")},
                                   {"legal_deadline_days", 30}});
  std::string id = Str(service, "id");
  std::string path = "/api/v1/services/" + id;

  HttpReply first = Get(path);
  REQUIRE(first.status == 200);
  std::string etag = first.Header("etag");
  REQUIRE_FALSE(etag.empty());
  CHECK(Get(path, {{"If-None-Match", etag}}).status == 304);

  // A write is visible in the very next read, although that read is cached.
  HttpReply patched = Fetch(GatewayUrl(), "PATCH", path + "?update_mask=name",
                            R"({"name":"TARI - Tassa sui rifiuti"})", Bearer(box.operator_token));
  INFO(patched.body);
  REQUIRE(patched.status == 200);
  HttpReply after = Get(path);
  CHECK(Str(JsonObject(after), "name") == "TARI - Tassa sui rifiuti");
  CHECK(Str(JsonObject(after), "short_description") == "Dichiarazione e pagamento della TARI");  // not in the mask
  CHECK(Get(path, {{"If-None-Match", etag}}).status == 200);

  // Who changed what and when.
  json::object changes =
      JsonObject(Get("/api/v1/tenants/" + box.tenant + "/changes?entity_id=" + id, Bearer(box.operator_token)));
  auto& list = changes.at("changes").as_array();
  REQUIRE(list.size() == 2);
  CHECK(Str(list[0], "action") == "update");
  CHECK(Str(list[0], "actor") == "e2e-test");
  auto& diff = list[0].as_object().at("diff").as_object();
  CHECK(diff.at("name").as_object().at("to").as_string() == "TARI - Tassa sui rifiuti");
  CHECK_FALSE(diff.contains("short_description"));
  CHECK(Str(list[1], "action") == "create");

  // Completeness and JSON-LD.
  json::object completeness = JsonObject(Get(path + "/completeness"));
  CHECK_FALSE(completeness.at("complete").as_bool());
  bool remedies_missing = false;
  for (const auto& m : completeness.at("missing").as_array()) remedies_missing |= Str(m, "item") == "remedies";
  CHECK(remedies_missing);
  HttpReply ld = Get(path + "/jsonld");
  CHECK(ld.Header("content-type").rfind("application/ld+json", 0) == 0);
  json::object jsonld = JsonObject(ld);
  CHECK(Str(jsonld, "@type") == "GovernmentService");
  CHECK(jsonld.at("provider").as_object().at("name").as_string() == box.name);

  // The office cannot go while the service names it; the service can.
  CHECK(Fetch(GatewayUrl(), "DELETE", "/api/v1/offices/" + Str(office, "id"), "", Bearer(box.operator_token)).status == 400);
  CHECK(Fetch(GatewayUrl(), "DELETE", path, "", Bearer(box.operator_token)).status == 200);
  CHECK(Get(path).status == 404);
  CHECK(Fetch(GatewayUrl(), "DELETE", "/api/v1/offices/" + Str(office, "id"), "", Bearer(box.operator_token)).status == 200);
}

TEST_CASE("REST: operators act only on their own tenant", "[e2e][catalogue]") {
  CatalogueSandbox mine, theirs;
  json::object office = theirs.Post("/api/v1/tenants/" + theirs.tenant + "/offices", {{"name", "Ufficio altrui"}});
  std::string body = R"({"name":"Intrusione"})";
  CHECK(Fetch(GatewayUrl(), "POST", "/api/v1/tenants/" + theirs.tenant + "/services", body,
              Bearer(mine.operator_token)).status == 403);
  CHECK(Fetch(GatewayUrl(), "PATCH", "/api/v1/offices/" + Str(office, "id"), body, Bearer(mine.operator_token)).status ==
        403);
  CHECK(Fetch(GatewayUrl(), "DELETE", "/api/v1/offices/" + Str(office, "id"), "", Bearer(mine.operator_token)).status ==
        403);
  CHECK(Get("/api/v1/tenants/" + theirs.tenant + "/changes", Bearer(mine.operator_token)).status == 403);
  // My office may not hang under theirs, nor under itself through a child.
  json::object own = mine.Post("/api/v1/tenants/" + mine.tenant + "/offices", {{"name", "Mio ufficio"}});
  json::object child = mine.Post("/api/v1/tenants/" + mine.tenant + "/offices",
                                 {{"name", "Sottoufficio"}, {"parent_office_id", Str(own, "id")}});
  auto reparent = [&](const std::string& parent) {
    return Fetch(GatewayUrl(), "PATCH", "/api/v1/offices/" + Str(own, "id") + "?update_mask=parentOfficeId",
                 json::serialize(json::object{{"parent_office_id", parent}}), Bearer(mine.operator_token));
  };
  CHECK(reparent(Str(office, "id")).status == 400);
  CHECK(reparent(Str(child, "id")).status == 400);
  CHECK(reparent(Str(own, "id")).status == 400);
  CHECK(Fetch(GatewayUrl(), "POST", "/api/v1/tenants/" + theirs.tenant + "/services", body).status == 401);
  // Nothing changed.
  CHECK(Str(JsonObject(Get("/api/v1/offices/" + Str(office, "id"))), "name") == "Ufficio altrui");
}

TEST_CASE("REST: search in Italian, tolerant of accents, inflection and one typo", "[e2e][catalogue]") {
  CatalogueSandbox box;
  box.Post("/api/v1/tenants/" + box.tenant + "/services",
           {{"name", "Carta d'identità elettronica"}, {"short_description", "Richiesta e rinnovo della CIE"}});
  box.Post("/api/v1/tenants/" + box.tenant + "/services",
           {{"name", "Certificati anagrafici"}, {"short_description", "Residenza e stato di famiglia"}});
  box.Post("/api/v1/tenants/" + box.tenant + "/services",
           {{"name", "Ritiro ingombranti"}, {"short_description", "Raccolta a domicilio"}});
  box.Post("/api/v1/tenants/" + box.tenant + "/services",
           {{"name", "Isole ecologiche"},
            {"description", "Dove conferire i rifiuti differenziati; per gli ingombranti c'è il ritiro a domicilio."}});

  auto first_name = [&](const std::string& q) {
    json::object r = JsonObject(Get("/api/v1/search?tenant=" + box.tenant + "&q=" + q));
    auto& results = r.at("results").as_array();
    return results.empty() ? std::string() : Str(results[0], "name");
  };
  CHECK(first_name("carta%20identita") == "Carta d'identità elettronica");
  CHECK(first_name("certificato%20anagrafico") == "Certificati anagrafici");
  CHECK(first_name("certifcati") == "Certificati anagrafici");   // one letter missing
  CHECK(first_name("idemtita") == "Carta d'identità elettronica");  // one letter wrong
  CHECK(first_name("CARTA%20D%27IDENTIT%C3%80") == "Carta d'identità elettronica");

  // A name beats a passing mention in a description.
  json::object both = JsonObject(Get("/api/v1/search?tenant=" + box.tenant + "&q=ingombranti"));
  REQUIRE(both.at("results").as_array().size() == 2);
  CHECK(Str(both.at("results").as_array()[0], "name") == "Ritiro ingombranti");
  CHECK(Str(both.at("results").as_array()[1], "name") == "Isole ecologiche");

  // Pages of one.
  json::object page1 = JsonObject(Get("/api/v1/search?tenant=" + box.tenant + "&q=ingombranti&page_size=1"));
  REQUIRE(page1.at("results").as_array().size() == 1);
  std::string token(page1.at("next_page_token").as_string());
  REQUIRE_FALSE(token.empty());
  json::object page2 = JsonObject(Get("/api/v1/search?tenant=" + box.tenant +
                                                        "&q=ingombranti&page_size=1&page_token=" + token));
  REQUIRE(page2.at("results").as_array().size() == 1);
  CHECK(Str(page2.at("results").as_array()[0], "name") == "Isole ecologiche");

  CHECK(first_name("zzzzqqq").empty());
  CHECK(Get("/api/v1/search?tenant=" + box.tenant).status == 400);
  CHECK(Get("/api/v1/search?q=carta").status == 400);
  CHECK(Get("/api/v1/search?tenant=c_nonesiste&q=carta").status == 404);
}

TEST_CASE("REST: the demo catalogue of Terra delle Gravine", "[e2e][catalogue]") {
  json::object services = JsonObject(Get("/api/v1/tenants/c_f027/services?page_size=200"));
  CHECK(services.at("services").as_array().size() >= 10);
  json::object categories = JsonObject(Get("/api/v1/tenants/c_f027/categories"));
  bool roads = false;
  for (const auto& c : categories.at("categories").as_array()) roads |= Str(c, "service_code") == "strade-buche";
  CHECK(roads);
  json::object road = JsonObject(Get("/api/v1/tenants/c_f027/categories/strade-buche"));
  CHECK_FALSE(road.at("attributes").as_array().empty());
  json::object found = JsonObject(Get("/api/v1/search?tenant=u_gravine&include_members=true&q=carta%20identita"));
  REQUIRE_FALSE(found.at("results").as_array().empty());
  CHECK(Str(found.at("results").as_array()[0], "name").find("identit") != std::string::npos);
  json::object offices = JsonObject(Get("/api/v1/tenants/c_f027/offices"));
  CHECK(offices.at("offices").as_array().size() >= 3);
  json::object report = JsonObject(Get("/api/v1/tenants/c_f027/services:completeness",
                                         Bearer(TokenFor("c_f027", {"operator"}))));
  CHECK(report.at("services").as_int64() >= 10);
  CHECK_FALSE(report.at("incomplete_or_stale").as_array().empty());
}
