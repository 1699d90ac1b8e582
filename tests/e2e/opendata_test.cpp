// End to end through the gateway: a sandbox tenant's datasets refreshed by
// its operator from complaints and the catalogue over gRPC, versions,
// streamed CSV/JSON with Content-Length, ETag, 304 and HEAD, the register's
// approval, the CKAN Action API as ckanapi calls it, and no personal data
// anywhere: sentinel names, e-mails, fiscal codes, phones, texts and exact
// positions are seeded, then searched for in every answer.

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "absl/strings/str_format.h"
#include "common/crypto.h"
#include "tests/support/http_client.h"
#include "tests/support/sandbox.h"
#include "tests/support/test_env.h"

namespace json = boost::json;
using namespace sportello::testing;

namespace {

struct Sentinels {
  std::string name = "Sentinella " + UniqueName("Nome");
  std::string email = UniqueName("sentinella.") + "@example.it";
  std::string fiscal_code = "RSSMRA85T10A562S";  // valid check character: intake verifies it
  std::string phone = "333 918 2736";
  std::string text = "Testo " + UniqueName("segreto");
  // Exact positions, printed as the reporter sent them.
  double lat = 40.588137, lon = 17.114271;

  void CheckAbsent(const std::string& body) const {
    INFO(body.substr(0, 2000));
    for (const std::string& s : {name, email, fiscal_code, phone, text, std::string("40.588137"),
                                 std::string("17.114271"), std::string("918 2736")}) {
      CHECK(body.find(s) == std::string::npos);
    }
  }
};

json::object Refresh(const Sandbox& box, const std::string& slug) {
  HttpReply r = PostJson("/api/v1/datasets/" + box.tenant + "-" + slug + ":refresh", json::object{},
                         Bearer(box.operator_token));
  INFO(slug << ": " << r.body);
  REQUIRE(r.status == 200);
  return JsonObject(r);
}

}  // namespace

TEST_CASE("opendata: datasets from the services, versions, downloads, CKAN, and no personal data",
          "[e2e][opendata]") {
  Sandbox box;
  Sentinels s;
  // Public reports from one exact point, with personal data and free text.
  for (int i = 0; i < 4; ++i) {
    json::object report = box.Report(s.text + " chiamare " + s.phone, s.lat, s.lon);
    report["public"] = true;
    report["subject"] = s.text;
    report["reporter"] = json::object{{"name", s.name}, {"email", s.email}, {"fiscal_code", s.fiscal_code}};
    HttpReply submitted = PostJson(box.Path("/requests"), report);
    INFO(submitted.body);
    REQUIRE(submitted.status == 200);
  }
  // Civic access with personal data in its object: scrubbed in the register.
  for (int i = 0; i < 4; ++i) {
    json::object body{{"kind", "REQUEST_KIND_CIVIC_ACCESS"},
                      {"subject", s.text},
                      {"description", s.text},
                      {"access_object", "Delibera sul verde, rispondere a " + s.email + " o " + s.phone},
                      {"reporter", json::object{{"email", UniqueName("req") + "@example.it"}, {"name", s.name}}}};
    REQUIRE(PostJson(box.Path("/requests"), body).status == 200);
  }

  // A published survey of the sandbox's service, answered by phone and at
  // the counter (entered by staff) with free texts full of personal data.
  json::object survey = JsonObject(PostJson(
      box.Path("/surveys"),
      {{"template", "SURVEY_TEMPLATE_STARS"}, {"survey", {{"published", true}, {"service_id", box.service_id}}}},
      Bearer(box.operator_token)));
  const std::string survey_id = Str(survey, "id");
  REQUIRE(PostJson("/api/v1/surveys/" + survey_id + ":open", json::object{}, Bearer(box.operator_token)).status ==
          200);
  for (int i = 0; i < 12; ++i) {
    json::object answer{
        {"answers", json::array{json::object{{"question", "rating"}, {"value", 4 + i % 2}},
                                json::object{{"question", "details"},
                                             {"text", s.text + " " + s.name + " " + s.email + " " + s.phone}}}},
        {"channel", i < 8 ? "SURVEY_CHANNEL_PHONE" : "SURVEY_CHANNEL_COUNTER"}};
    HttpReply r = PostJson("/api/v1/surveys/" + survey_id + "/responses", answer, Bearer(box.operator_token));
    INFO(r.body);
    REQUIRE(r.status == 200);
  }

  std::vector<std::string> answers;  // every answer, searched at the end
  for (const char* slug : {"servizi", "uffici", "richieste-mensili", "richieste-pubbliche", "registro-accessi",
                           "pubblicazioni-proattive", "soddisfazione"}) {
    json::object r = Refresh(box, slug);
    CHECK(r.at("changed").as_bool());
    CHECK(r.at("version").at("number").as_int64() == 1);
    answers.push_back(json::serialize(r));
  }
  // Nothing changed: no new version.
  json::object again = Refresh(box, "richieste-pubbliche");
  CHECK_FALSE(again.at("changed").as_bool());
  CHECK(again.at("version").at("number").as_int64() == 1);

  // Writes are the operators'.
  CHECK(PostJson("/api/v1/datasets/" + box.tenant + "-servizi:refresh", json::object{}).status == 401);
  Sandbox other(SandboxOptions::Bare());
  CHECK(PostJson("/api/v1/datasets/" + box.tenant + "-servizi:refresh", json::object{},
                 Bearer(other.operator_token)).status == 403);

  json::object list = JsonObject(Get(box.Path("/datasets")));
  CHECK(list.at("datasets").as_array().size() == 7);
  answers.push_back(json::serialize(list));

  // The public requests' CSV: length and ETag from the recorded version.
  const std::string id = box.tenant + "-richieste-pubbliche";
  json::object version = JsonObject(Get("/api/v1/datasets/" + id + "/versions/latest"));
  std::string sha;
  int64_t size = 0;
  for (const auto& d : version.at("distributions").as_array()) {
    // int64 is a string in the protobuf JSON mapping.
    if (Str(d, "format") == "csv") sha = Str(d, "sha256"), size = std::stoll(Str(d, "byte_size"));
  }
  REQUIRE(!sha.empty());
  HttpReply csv = Get("/api/v1/datasets/" + id + "/versions/latest/csv");
  REQUIRE(csv.status == 200);
  CHECK(csv.Header("content-length") == std::to_string(size));
  CHECK(csv.Header("etag") == "\"" + sha + "\"");
  CHECK(csv.Header("content-type").starts_with("text/csv"));
  CHECK(static_cast<int64_t>(csv.body.size()) == size);
  CHECK(sportello::Sha256Hex(csv.body) == sha);
  CHECK(csv.body.starts_with("tipo,categoria,stato,data_apertura,data_chiusura,ufficio_id,latitudine,longitudine\r\n"));
  // Four reports from one point: one 250 m cell, kept (k = 3), never the exact point.
  CHECK(csv.body.find("report,strade-buche") != std::string::npos);
  answers.push_back(csv.body);

  HttpReply not_modified = Get("/api/v1/datasets/" + id + "/versions/1/csv", {{"If-None-Match", "\"" + sha + "\""}});
  CHECK(not_modified.status == 304);
  CHECK(not_modified.body.empty());
  HttpReply head = Fetch(GatewayUrl(), "HEAD", "/api/v1/datasets/" + id + "/versions/1/csv");
  CHECK(head.status == 200);
  CHECK(head.Header("content-length") == std::to_string(size));
  CHECK(head.body.empty());
  HttpReply json_dist = Get("/api/v1/datasets/" + id + "/versions/1/json");
  REQUIRE(json_dist.status == 200);
  CHECK(json::parse(json_dist.body).as_array().size() == 4);
  answers.push_back(json_dist.body);

  // The satisfaction indices: 12 answers this month, by service and channel;
  // the surveys service's threshold (10) withholds both channels (8 and 4).
  HttpReply satisfaction = Get("/api/v1/datasets/" + box.tenant + "-soddisfazione/versions/latest/csv");
  REQUIRE(satisfaction.status == 200);
  INFO(satisfaction.body);
  CHECK(satisfaction.body.starts_with(
      "mese,questionario_id,strumento,dimensione,valore,risposte,media,quota_soddisfatti,nps\r\n"));
  CHECK(satisfaction.body.find("," + survey_id + ",stelle,totale,totale,12,4.5,1,\r\n") != std::string::npos);
  CHECK(satisfaction.body.find(",servizio," + box.service_id + ",12,4.5,1,\r\n") != std::string::npos);
  CHECK(satisfaction.body.find(",canale,phone,,,,\r\n") != std::string::npos);
  CHECK(satisfaction.body.find(",canale,counter,,,,\r\n") != std::string::npos);
  answers.push_back(satisfaction.body);

  // Unknown version or format: nothing streamed.
  CHECK(Get("/api/v1/datasets/" + id + "/versions/99/csv").status == 404);
  CHECK(Get("/api/v1/datasets/" + id + "/versions/1/xml").status == 400);
  CHECK(Get("/api/v1/datasets/" + id + "/versions/abc/csv").status == 400);
  CHECK(Get("/api/v1/datasets/" + box.tenant + "-ignoto/versions/1/csv").status == 404);

  // The register waits for approval.
  const std::string reg = box.tenant + "-registro-accessi";
  CHECK(Get("/api/v1/datasets/" + reg + "/versions/latest/csv").status == 404);
  HttpReply approved = PostJson("/api/v1/datasets/" + reg + "/versions/1:approve", json::object{},
                                Bearer(box.operator_token));
  REQUIRE(approved.status == 200);
  HttpReply register_csv = Get("/api/v1/datasets/" + reg + "/versions/latest/csv");
  REQUIRE(register_csv.status == 200);
  CHECK(register_csv.body.find("Delibera sul verde") != std::string::npos);
  CHECK(register_csv.body.find("[omissis]") != std::string::npos);
  answers.push_back(register_csv.body);

  // Proactive publication: four requesters asked for it.
  json::object pro = JsonObject(Get(box.Path("/proactive-publications")));
  REQUIRE(pro.at("publications").as_array().size() == 1);
  const std::string pro_id = Str(pro.at("publications").as_array().at(0), "id");
  CHECK(PostJson("/api/v1/proactive-publications/" + pro_id + ":publish", {{"document_url", "ftp://x"}},
                 Bearer(box.operator_token)).status == 400);
  HttpReply published = PostJson("/api/v1/proactive-publications/" + pro_id + ":publish",
                                 {{"document_url", "https://www.example.it/delibera-verde.pdf"}},
                                 Bearer(box.operator_token));
  CHECK(published.status == 200);
  answers.push_back(json::serialize(pro));

  // Operators edit the description; other fields are derived.
  HttpReply patched = PatchJson("/api/v1/datasets/" + id, {{"description", "Descrizione dell'URP"}},
                                Bearer(box.operator_token));
  REQUIRE(patched.status == 200);
  CHECK(Str(JsonObject(patched), "description") == "Descrizione dell'URP");
  CHECK(PatchJson("/api/v1/datasets/" + id, {{"title", "Altro"}}, Bearer(box.operator_token)).status == 400);

  // CKAN, as ckanapi sends it: POST JSON to /api/action, and GET with parameters.
  HttpReply show = Fetch(GatewayUrl(), "POST", "/api/action/package_show", json::serialize(json::object{{"id", id}}),
                         {{"Content-Type", "application/json"}, {"Authorization", "ckan-api-key"}});
  REQUIRE(show.status == 200);
  json::object pkg = json::parse(show.body).at("result").as_object();
  CHECK(Str(pkg, "identifier") == box.tenant + ":" + id);
  CHECK(Str(pkg, "holder_identifier") == box.tenant);
  CHECK(Str(pkg, "notes") == "Descrizione dell'URP");
  answers.push_back(show.body);
  HttpReply search = Get("/api/3/action/package_search?fq=" + UrlEncode("organization:" + box.tenant) + "&rows=100");
  REQUIRE(search.status == 200);
  CHECK(json::parse(search.body).at("result").at("count").as_int64() == 7);
  answers.push_back(search.body);
  HttpReply missing = Get("/api/3/action/package_show?id=" + box.tenant + "-nessuno");
  CHECK(missing.status == 404);
  CHECK(Str(json::parse(missing.body).at("error"), "__type") == "Not Found Error");
  HttpReply org = Get("/api/3/action/organization_show?id=" + box.tenant + "&include_datasets=true");
  REQUIRE(org.status == 200);
  answers.push_back(org.body);

  // Every other CKAN action, as harvesters call them.
  for (const std::string& action :
       std::vector<std::string>{"package_list?limit=1000", "package_search?q=soddisfazione&rows=1000",
        "package_search?fq=" + UrlEncode("organization:" + box.tenant + " AND res_format:CSV") + "&rows=1000",
        "organization_list?all_fields=true", "group_list", "tag_list", "status_show",
        "package_show?id=" + box.tenant + "-soddisfazione", "package_show?id=" + box.tenant + "-registro-accessi"}) {
    HttpReply r = Get("/api/3/action/" + action);
    INFO(action << ": " << r.body.substr(0, 500));
    CHECK(r.status == 200);
    answers.push_back(r.body);
  }
  {
    json::object pkg_json = json::parse(Get("/api/3/action/package_show?id=" + id).body).at("result").as_object();
    for (const auto& res : pkg_json.at("resources").as_array()) {
      HttpReply r = Get("/api/3/action/resource_show?id=" + UrlEncode(Str(res, "id")));
      CHECK(r.status == 200);
      answers.push_back(r.body);
    }
  }
  // The DCAT-AP_IT catalogues, the tenant's and everyone's, in each serialisation.
  for (const std::string& path : {"/dcat/" + box.tenant + "/catalog", std::string("/dcat/catalog")}) {
    for (const char* suffix : {".ttl", ".rdf", ".jsonld"}) {
      HttpReply r = Get(path + suffix);
      INFO(path << suffix);
      CHECK(r.status == 200);
      CHECK(r.body.find(box.tenant + "-soddisfazione") != std::string::npos);
      answers.push_back(r.body);
    }
  }

  // Every version of every dataset, both formats.
  for (const auto& d : list.at("datasets").as_array()) {
    const std::string did = Str(d, "id");
    json::object versions = JsonObject(Get("/api/v1/datasets/" + did + "/versions"));
    for (const auto& v : versions.at("versions").as_array()) {
      for (const char* f : {"csv", "json"}) {
        HttpReply body = Get(absl::StrFormat("/api/v1/datasets/%s/versions/%d/%s", did, v.at("number").as_int64(), f));
        CHECK(body.status == 200);
        answers.push_back(body.body);
      }
    }
  }
  for (const auto& a : answers) s.CheckAbsent(a);
}
