#include "tests/support/sandbox.h"

#include <catch2/catch.hpp>

#include "tests/support/http_client.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace sportello::testing {
namespace json = boost::json;

namespace {

json::object CreateOrFail(const std::string& what, const std::string& path, const json::object& body,
                          const std::string& token) {
  HttpReply r = PostJson(path, body, Bearer(token));
  INFO("creating the sandbox's " << what << ": POST " << path << " " << json::serialize(body));
  return JsonObject(r);
}

json::object ListAttribute(const std::string& code, const std::string& description, int order,
                           std::initializer_list<std::pair<const char*, const char*>> values) {
  json::array keys;
  for (const auto& [key, name] : values) keys.push_back(json::object{{"key", key}, {"name", name}});
  return {{"code", code},
          {"description", description},
          {"datatype", "ATTRIBUTE_DATATYPE_SINGLE_VALUE_LIST"},
          {"required", true},
          {"order", order},
          {"values", keys}};
}

}  // namespace

Sandbox::Sandbox(SandboxOptions options) : tenant(UniqueName("sb_")), name("Comune di prova " + tenant) {
  admin_token = TokenFor(tenant, {"admin"});
  operator_token = TokenFor(tenant, {"operator"});
  json::object t{{"ipa_code", tenant},
                 {"name", name},
                 {"kind", "TENANT_KIND_COMUNE"},
                 {"pec", "protocollo@pec." + tenant + ".example.it"},
                 {"address", json::object{{"street", "Via Roma 1"}, {"postal_code", "74016"}}}};
  // A member is registered by its unione's admin.
  std::string creator = admin_token;
  if (!options.unione.empty()) {
    t["parent_ipa_code"] = options.unione;
    creator = TokenFor(options.unione, {"admin"});
  }
  CreateOrFail("tenant", "/api/v1/tenants", t, creator);
  if (!options.reportable) return;

  office_id =
      Str(CreateOrFail("office", Path("/offices"),
                       {{"name", "Lavori pubblici"}, {"email", "lavori@" + tenant + ".example.it"}}, operator_token),
          "id");
  urp_office_id =
      Str(CreateOrFail("URP", Path("/offices"),
                       {{"name", "Ufficio Relazioni con il Pubblico"}, {"email", "urp@" + tenant + ".example.it"}},
                       operator_token),
          "id");
  json::array attributes{ListAttribute("tipo_dissesto", "Tipo di dissesto", 1,
                                       {{"buca", "Buca"},
                                        {"avvallamento", "Avvallamento"},
                                        {"tombino", "Tombino sollevato o rotto"},
                                        {"marciapiede", "Marciapiede dissestato"}}),
                         json::object{{"code", "dimensione_cm"},
                                      {"description", "Dimensione approssimativa (cm)"},
                                      {"datatype", "ATTRIBUTE_DATATYPE_NUMBER"},
                                      {"required", false},
                                      {"order", 2}},
                         ListAttribute("pericolo", "C'è un pericolo immediato?", 3, {{"si", "Sì"}, {"no", "No"}})};
  json::object service{{"name", "Strade e marciapiedi dissestati"},
                       {"short_description", "Segnalazione di buche, avvallamenti e tombini rotti."},
                       {"office_id", office_id},
                       {"legal_deadline_days", legal_deadline_days},
                       {"reportable", json::object{{"enabled", true},
                                                   {"service_code", category},
                                                   {"group", "Strade e viabilità"},
                                                   {"keywords", json::array{"buca", "strada"}},
                                                   {"attributes", attributes}}}};
  service_id = Str(CreateOrFail("reportable service", Path("/services"), service, operator_token), "id");
}

std::string Sandbox::Path(const std::string& suffix) const { return "/api/v1/tenants/" + tenant + suffix; }

std::string Sandbox::Token(std::vector<std::string> roles, const std::string& office,
                           const std::string& subject) const {
  auth::Principal p;
  p.subject = subject;
  p.tenant = tenant;
  p.roles = std::move(roles);
  p.office = office;
  return auth::MintToken(RequireEnv("SPORTELLO_JWT_SECRET"), p, absl::Minutes(10));
}

json::object Sandbox::Report(const std::string& description, double latitude, double longitude) const {
  return {{"kind", "REQUEST_KIND_REPORT"},
          {"category", category},
          {"description", description},
          {"location", json::object{{"latitude", latitude}, {"longitude", longitude}}},
          {"address", "Via Roma 10"},
          {"attributes", json::array{json::object{{"code", "tipo_dissesto"}, {"values", json::array{"buca"}}},
                                     json::object{{"code", "pericolo"}, {"values", json::array{"si"}}}}},
          {"public", true}};
}

SandboxUnione::SandboxUnione(int count) : tenant(UniqueName("su_")) {
  json::object u{{"ipa_code", tenant}, {"name", "Unione di prova " + tenant}, {"kind", "TENANT_KIND_UNIONE"}};
  HttpReply r = PostJson("/api/v1/tenants", u, Bearer(TokenFor(tenant, {"admin"})));
  INFO("creating the sandbox unione " << tenant);
  JsonObject(r);
  members.reserve(count);
  SandboxOptions member;
  member.unione = tenant;
  for (int i = 0; i < count; ++i) members.emplace_back(member);
}

}  // namespace sportello::testing
