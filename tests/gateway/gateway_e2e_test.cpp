// End to end through the real gateway and services that ./sportello test
// started: the gateway's own rules (AIP-134 PATCH, canonical tenants).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/support/http_client.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace json = boost::json;
using namespace sportello::testing;

namespace {

TEST_CASE("gateway e2e: PATCH without update_mask changes only the fields in the body", "[e2e][gateway]") {
  const std::string tenant = UniqueName("t_");
  const std::string admin = TokenFor(tenant, {"admin"});
  JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/tenants",
             json::serialize(json::object{{"ipa_code", tenant}, {"name", "Ente di prova"}, {"kind", "TENANT_KIND_OTHER"}}),
             Bearer(admin)));
  json::object service = JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/tenants/" + tenant + "/services",
                                    R"({"name":"Carta d'identità elettronica","short_description":"CIE"})",
                                    Bearer(TokenFor(tenant, {"operator"}))));
  const std::string path = "/api/v1/services/" + std::string(service.at("id").as_string());

  // Before AIP-134 this replaced the whole service: 400 "il nome è obbligatorio".
  json::object patched = JsonObject(Fetch(GatewayUrl(), "PATCH", path, R"({"description":"x"})",
                                     Bearer(TokenFor(tenant, {"operator"}))));
  CHECK(patched.at("description") == "x");
  json::object after = JsonObject(Fetch(GatewayUrl(), "GET", path));
  CHECK(after.at("name") == "Carta d'identità elettronica");
  CHECK(after.at("short_description") == "CIE");
  CHECK(after.at("description") == "x");
}

TEST_CASE("gateway e2e: a tenant with a control character or a NUL is a 400 before any service", "[e2e][gateway]") {
  for (const char* tenant : {"c_probe9%0A", "c_f027%00x", "c_f027%20"}) {
    INFO(tenant);
    HttpReply r = Fetch(GatewayUrl(), "POST", std::string("/api/v1/tenants/") + tenant + "/requests",
                        R"({"kind":"REQUEST_KIND_SUGGESTION","subject":"prova","description":"prova"})");
    CHECK(r.status == 400);
    CHECK(r.Header("content-type") == "application/problem+json");
    json::object problem = JsonObject(r, 400);
    CHECK(problem.at("errors").as_array().at(0).at("field") == "tenant");
  }
  CHECK(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/c_f027%0A").status == 400);
  CHECK(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/C_F027").status == 200);  // the same tenant, lower-cased
}

}  // namespace
