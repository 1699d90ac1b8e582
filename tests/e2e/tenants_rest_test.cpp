// End to end over REST: the real gateway in front of the real catalogue
// service, PostgreSQL and Redis started by ./sportello test.
#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include "tests/support/http_client.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace json = boost::json;
using namespace sportello::testing;

namespace {

json::object Body(const HttpReply& r) {
  INFO("body: " << r.body);
  auto parsed = json::parse(r.body);
  REQUIRE(parsed.is_object());
  return parsed.as_object();
}

std::string TenantJson(const std::string& code, const std::string& name, const std::string& kind,
                       const std::string& parent = "") {
  json::object t{{"ipa_code", code}, {"name", name}, {"kind", kind}, {"pec", "protocollo@pec." + code + ".it"},
                 {"address", json::object{{"street", "Via Roma 1"}, {"postal_code", "74016"}}}};
  if (!parent.empty()) t["parent_ipa_code"] = parent;
  return json::serialize(t);
}

}  // namespace

TEST_CASE("REST: the demo tenants are served", "[e2e][rest]") {
  HttpReply r = Fetch(GatewayUrl(), "GET", "/api/v1/tenants/c_f027");
  REQUIRE(r.status == 200);
  CHECK(r.Header("content-type").rfind("application/json", 0) == 0);
  CHECK_FALSE(r.Header("x-request-id").empty());
  json::object t = Body(r);
  CHECK(t.at("name").as_string() == "Comune di Massafra");
  CHECK(t.at("kind").as_string() == "TENANT_KIND_COMUNE");
  CHECK(t.at("parent_ipa_code").as_string() == "u_gravine");
  CHECK(t.at("address").as_object().at("province").as_string() == "TA");
}

TEST_CASE("REST: lists are paged with page_token", "[e2e][rest]") {
  HttpReply first = Fetch(GatewayUrl(), "GET", "/api/v1/tenants?parent_ipa_code=u_gravine&page_size=2");
  REQUIRE(first.status == 200);
  json::object page = Body(first);
  REQUIRE(page.at("tenants").as_array().size() == 2);
  CHECK(page.at("tenants").as_array()[0].as_object().at("ipa_code").as_string() == "c_d171");
  std::string token(page.at("next_page_token").as_string());
  REQUIRE_FALSE(token.empty());

  HttpReply second =
      Fetch(GatewayUrl(), "GET", "/api/v1/tenants?parent_ipa_code=u_gravine&page_size=2&page_token=" + token);
  REQUIRE(second.status == 200);
  json::object rest = Body(second);
  REQUIRE(rest.at("tenants").as_array().size() == 1);
  CHECK(rest.at("tenants").as_array()[0].as_object().at("ipa_code").as_string() == "c_m298");
  CHECK(rest.at("next_page_token").as_string().empty());

  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/tenants?page_token=%21%21"), 400);
  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/tenants?page_size=-3"), 400);
  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/tenants?kind=TENANT_KIND_CASTLE"), 400);
}

TEST_CASE("REST: an admin creates a tenant and reads it back", "[e2e][rest]") {
  std::string unione = UniqueName("u_");
  std::string admin = TokenFor(unione, {"admin"});
  HttpReply created = Fetch(GatewayUrl(), "POST", "/api/v1/tenants",
                            TenantJson(unione, "Unione di prova", "TENANT_KIND_UNIONE"), Bearer(admin));
  INFO(created.body);
  REQUIRE(created.status == 200);
  CHECK(Body(created).at("ipa_code").as_string() == unione);
  CHECK_FALSE(Body(created).at("create_time").as_string().empty());

  // The unione's admin registers a member comune.
  std::string comune = unione + "_c";
  HttpReply member = Fetch(GatewayUrl(), "POST", "/api/v1/tenants",
                           TenantJson(comune, "Comune di prova", "TENANT_KIND_COMUNE", unione), Bearer(admin));
  REQUIRE(member.status == 200);

  HttpReply read = Fetch(GatewayUrl(), "GET", "/api/v1/tenants/" + comune);
  REQUIRE(read.status == 200);
  CHECK(Body(read).at("parent_ipa_code").as_string() == unione);

  // The same code again conflicts.
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/tenants",
                       TenantJson(unione, "Unione di prova", "TENANT_KIND_UNIONE"), Bearer(admin)),
                 409);
}

TEST_CASE("REST: who may create a tenant", "[e2e][rest]") {
  std::string code = UniqueName("c_");
  std::string body = TenantJson(code, "Comune", "TENANT_KIND_COMUNE");

  json::object no_token = Problem(Fetch(GatewayUrl(), "POST", "/api/v1/tenants", body), 401);
  CHECK(no_token.at("title").as_string() == "Autenticazione richiesta");  // Italian by default
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/tenants", body, Bearer(TokenFor(code, {"operator"}))), 403);
  // An admin of another tenant may not register this one.
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/tenants", body, Bearer(TokenFor("c_d171", {"admin"}))), 403);
  // An expired token is refused outright.
  Problem(
      Fetch(GatewayUrl(), "POST", "/api/v1/tenants", body, Bearer(TokenFor(code, {"admin"}, absl::Minutes(-5)))), 401);
  // None of these created anything.
  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/" + code), 404);
}

TEST_CASE("REST: bad input is a 400 problem and changes nothing", "[e2e][rest]") {
  std::string code = UniqueName("c_");
  auto admin = Bearer(TokenFor(code, {"admin"}));

  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/tenants", "{\"ipa_code\": ", admin), 400);
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/tenants", "{\"ipa_code\": \"" + code + "\", \"colour\": 1}", admin),
                 400);

  json::object missing = Problem(
      Fetch(GatewayUrl(), "POST", "/api/v1/tenants", "{\"ipa_code\": \"" + code + "\", \"kind\": \"TENANT_KIND_COMUNE\"}",
            admin),
      400);
  REQUIRE(missing.contains("errors"));
  bool names_the_field = false;
  for (const auto& e : missing.at("errors").as_array()) {
    names_the_field = names_the_field || e.as_object().at("field").as_string() == "tenant.name";
  }
  CHECK(names_the_field);

  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/" + code), 404);
}

TEST_CASE("REST: an unknown tenant is a 404 problem", "[e2e][rest]") {
  json::object p = Problem(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/c_nonesiste"), 404);
  CHECK(p.at("detail").as_string().size() > 0);
  // English on request.
  json::object en = Problem(
      Fetch(GatewayUrl(), "GET", "/api/v1/tenants/c_nonesiste", "", {{"Accept-Language", "en-GB,en;q=0.8"}}), 404);
  CHECK(p.at("title").as_string() == "Risorsa non trovata");
  CHECK(en.at("title").as_string() == "Not Found");
}

TEST_CASE("REST: an oversized body is refused with 413", "[e2e][rest]") {
  // Announce 8 MiB and send only the start: the limit applies to the header's promise.
  std::string raw =
      "POST /api/v1/tenants HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Content-Length: 8388608\r\n\r\n{\"ipa_code\":\"";
  std::string answer = RawExchange(GatewayUrl(), raw);
  INFO(answer);
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(answer.find("application/problem+json") != std::string::npos);
}

TEST_CASE("REST: hostile input is refused and the gateway stays up", "[e2e][rest]") {
  // A header value gRPC cannot carry (it would abort a naive gateway).
  std::string raw = "GET /api/v1/tenants/c_f027 HTTP/1.1\r\nHost: t\r\nAccept-Language: it\xc3\xa9\r\n"
                    "Connection: close\r\n\r\n";
  std::string answer = RawExchange(GatewayUrl(), raw);
  INFO(answer);
  CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
  // Text that is not UTF-8, in the path and in the query.
  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/%FF"), 400);
  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/tenants?parent_ipa_code=%C3"), 400);
  // A field bound by the path cannot be set again under its JSON name.
  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/c_f027?ipaCode=c_d171"), 400);
  // A token whose header is JSON of the wrong shape: {"alg":1}.
  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/c_f027", "",
                       {{"Authorization", "Bearer eyJhbGciOjF9.e30.eA"}}),
                 401);
  // Still serving.
  CHECK(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/c_f027").status == 200);
}

TEST_CASE("REST: 304 carries no Content-Length", "[e2e][rest]") {
  HttpReply first = Fetch(GatewayUrl(), "GET", "/api/v1/tenants/c_m298");
  REQUIRE(first.status == 200);
  HttpReply again = Fetch(GatewayUrl(), "GET", "/api/v1/tenants/c_m298", "", {{"If-None-Match", first.Header("etag")}});
  CHECK(again.status == 304);
  CHECK(again.Header("content-length").empty());
}

TEST_CASE("REST: HEAD answers with the headers of GET and no body", "[e2e][rest]") {
  HttpReply get = Fetch(GatewayUrl(), "GET", "/api/v1/tenants/c_f027");
  REQUIRE(get.status == 200);
  std::string answer =
      RawExchange(GatewayUrl(), "HEAD /api/v1/tenants/c_f027 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  INFO(answer);
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(answer.find("Content-Length: " + std::to_string(get.body.size())) != std::string::npos);
  CHECK(answer.size() == answer.find("\r\n\r\n") + 4);  // nothing after the header
  CHECK(answer.find("ETag: " + get.Header("etag")) != std::string::npos);
}
