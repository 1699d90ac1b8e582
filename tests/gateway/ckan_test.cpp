// The CKAN Action API layer and the datasets' download headers, over an
// in-process Upstream answering the open data service from memory.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <future>

#include "gateway/compat/ckan.h"
#include "gateway/compat/datasets.h"
#include "sportello/v1/opendata.pb.h"

namespace json = boost::json;
using namespace sportello::gateway;
namespace v1 = sportello::v1;

namespace {

v1::Dataset MakeDataset(const std::string& tenant, const std::string& slug, const std::string& title,
                        std::vector<std::string> keywords, int64_t modified) {
  v1::Dataset d;
  d.set_id(tenant + "-" + slug);
  d.set_tenant(tenant);
  d.set_identifier(tenant + ":" + d.id());
  d.set_title(title);
  d.set_description("Descrizione di " + title);
  for (auto& k : keywords) d.add_keywords(k);
  d.set_theme("GOVE");
  d.set_frequency("MONTHLY");
  d.set_license("https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40");
  d.mutable_publisher()->set_identifier(tenant);
  d.mutable_publisher()->set_name("Comune " + tenant);
  *d.mutable_rights_holder() = d.publisher();
  d.mutable_contact_point()->set_name("URP");
  d.mutable_contact_point()->set_email("urp@example.org");
  d.mutable_issued()->set_seconds(1767225600);
  d.mutable_modified()->set_seconds(modified);
  auto* v = d.mutable_latest();
  v->set_dataset_id(d.id());
  v->set_number(2);
  v->mutable_create_time()->set_seconds(modified);
  auto* csv = v->add_distributions();
  csv->set_format("csv");
  csv->set_media_type("text/csv");
  csv->set_byte_size(1234);
  csv->set_sha256(std::string(64, 'a'));
  csv->set_download_path("/api/v1/datasets/" + d.id() + "/versions/2/csv");
  return d;
}

class DatasetsUpstream : public Upstream {
 public:
  std::vector<v1::Dataset> datasets;
  int calls = 0;
  absl::Status fail;
  void Call(const std::string& upstream, const std::string& method, std::string request, Metadata,
            std::chrono::milliseconds, Done done) override {
    ++calls;
    if (!fail.ok()) return done(fail, "");
    if (method == "/sportello.v1.OpendataService/ListDatasets") {
      v1::ListDatasetsRequest req;
      req.ParseFromString(request);
      // Two pages, so the layer must walk them.
      size_t from = req.page_token().empty() ? 0 : 1;
      v1::ListDatasetsResponse resp;
      for (size_t i = from; i < datasets.size() && i < from + (from == 0 ? 1 : datasets.size()); ++i) {
        *resp.add_datasets() = datasets[i];
      }
      if (from == 0 && datasets.size() > 1) resp.set_next_page_token("p2");
      return done(absl::OkStatus(), resp.SerializeAsString());
    }
    if (method == "/sportello.v1.OpendataService/GetVersion") {
      return done(absl::OkStatus(), datasets.at(0).latest().SerializeAsString());
    }
    done(absl::UnimplementedError(method), "");
  }
};

HttpResponse Run(DatasetsUpstream& up, std::string method, std::string target, std::string body = "",
                 Headers headers = {}) {
  std::promise<HttpResponse> p;
  HttpRequest r{std::move(method), std::move(target), std::move(headers), std::move(body)};
  ckan::Options o;
  o.public_base_url = "https://dati.example.it";
  ckan::Handle(r, up, o, [&](HttpResponse resp) { p.set_value(std::move(resp)); });
  return p.get_future().get();
}

DatasetsUpstream Fixture() {
  DatasetsUpstream up;
  up.datasets = {MakeDataset("c_f027", "servizi", "Servizi al cittadino", {"servizi", "urp"}, 1767300000),
                 MakeDataset("c_e986", "richieste-mensili", "Segnalazioni per mese", {"segnalazioni"}, 1767400000)};
  return up;
}

}  // namespace

TEST_CASE("fq: field:value, quotes, AND, ranges; anything else is refused") {
  auto c = ckan::ParseFq(R"(organization:c_f027 AND tags:"carta dei servizi" +res_format:CSV metadata_modified:[2026-01-01T00:00:00Z TO *])");
  REQUIRE(c.ok());
  REQUIRE(c->size() == 4);
  CHECK((*c)[0].field == "organization");
  CHECK((*c)[0].value == "c_f027");
  CHECK((*c)[1].value == "carta dei servizi");
  CHECK((*c)[2].field == "res_format");
  CHECK((*c)[3].range);
  CHECK((*c)[3].from == "2026-01-01T00:00:00Z");
  CHECK((*c)[3].to == "*");
  CHECK_FALSE(ckan::ParseFq("organization:a OR organization:b").ok());
  CHECK_FALSE(ckan::ParseFq("(organization:a)").ok());
  CHECK_FALSE(ckan::ParseFq("secret_field:x").ok());
  CHECK_FALSE(ckan::ParseFq("tags:\"unterminated").ok());
  CHECK_FALSE(ckan::ParseFq("metadata_modified:[2026 *]").ok());
  CHECK(ckan::ParseFq("").value().empty());
}

TEST_CASE("Italian terms meet across plural and accents") {
  CHECK(ckan::ItalianTerms("Segnalazioni") == ckan::ItalianTerms("segnalazione"));
  CHECK(ckan::ItalianTerms("Attività") == ckan::ItalianTerms("attivita"));
  CHECK(ckan::ItalianTerms("uffici") == ckan::ItalianTerms("ufficio"));
  CHECK(ckan::ItalianTerms("il registro degli accessi").size() == 2);
}

TEST_CASE("package_list and package_show in CKAN's envelope, on both prefixes") {
  auto up = Fixture();
  auto r = Run(up, "GET", "/api/3/action/package_list");
  REQUIRE(r.status == 200);
  auto body = json::parse(r.body).as_object();
  CHECK(body.at("success").as_bool());
  CHECK(body.at("help").as_string().starts_with("https://dati.example.it/api/3/action/help_show"));
  CHECK(body.at("result").as_array().size() == 2);
  CHECK(up.calls == 2);  // both pages walked

  r = Run(up, "POST", "/api/action/package_show", R"({"id":"c_f027-servizi"})",
          Headers{{"Authorization", "some-ckan-api-key"}});
  REQUIRE(r.status == 200);
  auto pkg = json::parse(r.body).at("result").as_object();
  CHECK(pkg.at("name").as_string() == "c_f027-servizi");
  CHECK(pkg.at("identifier").as_string() == "c_f027:c_f027-servizi");
  CHECK(pkg.at("holder_identifier").as_string() == "c_f027");
  CHECK(pkg.at("holder_name").as_string() == "Comune c_f027");
  CHECK(pkg.at("frequency").as_string() == "MONTHLY");
  CHECK(pkg.at("theme").as_string().find("GOVE") != json::string::npos);
  auto res = pkg.at("resources").as_array().at(0).as_object();
  CHECK(res.at("url").as_string() == "https://dati.example.it/api/v1/datasets/c_f027-servizi/versions/latest/csv");
  CHECK(res.at("hash").as_string() == "sha256:" + std::string(64, 'a'));

  r = Run(up, "GET", "/api/3/action/package_list?limit=1&offset=1");
  CHECK(json::parse(r.body).at("result").as_array().at(0).as_string() == "c_f027-servizi");
}

TEST_CASE("CKAN errors: Not Found, Validation, Search Query, Authorization, unknown action") {
  auto up = Fixture();
  auto r = Run(up, "GET", "/api/3/action/package_show?id=nessuno");
  CHECK(r.status == 404);
  auto err = json::parse(r.body).at("error").as_object();
  CHECK(err.at("__type").as_string() == "Not Found Error");
  CHECK_FALSE(json::parse(r.body).at("success").as_bool());

  r = Run(up, "GET", "/api/3/action/package_search?rows=abc");
  CHECK(r.status == 409);
  err = json::parse(r.body).at("error").as_object();
  CHECK(err.at("__type").as_string() == "Validation Error");
  CHECK(err.at("rows").is_array());

  r = Run(up, "GET", "/api/3/action/package_search?fq=organization:a%20OR%20organization:b");
  CHECK(r.status == 400);
  CHECK(json::parse(r.body).at("error").at("__type").as_string() == "Search Query Error");

  r = Run(up, "POST", "/api/3/action/package_create", R"({"name":"x"})");
  CHECK(r.status == 403);
  CHECK(json::parse(r.body).at("error").at("__type").as_string() == "Authorization Error");

  r = Run(up, "GET", "/api/3/action/nonexistent_action");
  CHECK(r.status == 400);
}

TEST_CASE("package_search: q with stemming, fq, rows/start, sort, facets") {
  auto up = Fixture();
  auto r = Run(up, "GET", "/api/3/action/package_search?q=segnalazione");
  REQUIRE(r.status == 200);
  auto res = json::parse(r.body).at("result").as_object();
  CHECK(res.at("count").as_int64() == 1);
  CHECK(res.at("results").as_array().at(0).at("name").as_string() == "c_e986-richieste-mensili");

  r = Run(up, "POST", "/api/action/package_search",
          R"({"fq":"organization:c_f027","rows":5,"facet.field":"[\"organization\",\"res_format\"]"})");
  res = json::parse(r.body).at("result").as_object();
  CHECK(res.at("count").as_int64() == 1);
  CHECK(res.at("search_facets").at("organization").at("items").as_array().size() == 1);
  CHECK(res.at("facets").at("res_format").at("CSV").as_int64() == 1);

  r = Run(up, "GET", "/api/3/action/package_search?sort=metadata_modified%20desc&rows=1&start=0");
  res = json::parse(r.body).at("result").as_object();
  CHECK(res.at("count").as_int64() == 2);
  REQUIRE(res.at("results").as_array().size() == 1);
  CHECK(res.at("results").as_array().at(0).at("name").as_string() == "c_e986-richieste-mensili");

  r = Run(up, "GET", "/api/3/action/package_search?fq=metadata_modified:%5B2026-01-02T12:00:00Z%20TO%20*%5D");
  res = json::parse(r.body).at("result").as_object();
  CHECK(res.at("count").as_int64() == 1);  // only the later one

  r = Run(up, "GET", "/api/3/action/package_search?rows=5000");
  CHECK(r.status == 200);  // capped at 1000, as CKAN does
}

TEST_CASE("organizations, groups, tags, resources, status") {
  auto up = Fixture();
  auto r = Run(up, "GET", "/api/3/action/organization_list?all_fields=true");
  auto orgs = json::parse(r.body).at("result").as_array();
  REQUIRE(orgs.size() == 2);
  CHECK(orgs.at(0).at("package_count").as_int64() == 1);
  r = Run(up, "GET", "/api/3/action/organization_show?id=c_f027&include_datasets=true");
  CHECK(json::parse(r.body).at("result").at("packages").as_array().size() == 1);
  r = Run(up, "GET", "/api/3/action/organization_show?id=c_x000");
  CHECK(r.status == 404);
  r = Run(up, "GET", "/api/3/action/group_list");
  CHECK(json::parse(r.body).at("result").as_array().at(0).as_string() == "gove");
  r = Run(up, "GET", "/api/3/action/tag_list");
  CHECK(json::parse(r.body).at("result").as_array().size() == 3);
  r = Run(up, "GET", "/api/3/action/resource_show?id=c_f027-servizi-csv");
  CHECK(json::parse(r.body).at("result").at("format").as_string() == "CSV");
  r = Run(up, "GET", "/api/3/action/status_show");
  CHECK(json::parse(r.body).at("result").at("ckan_version").is_string());
}

TEST_CASE("a download answers 304 from the recorded hash without streaming, else forwards with the length") {
  auto up = Fixture();
  const std::string etag = datasets::ETagOfSha(std::string(64, 'a'));
  CHECK(datasets::IsDownload("GET", "/api/v1/datasets/c_f027-servizi/versions/latest/csv"));
  CHECK_FALSE(datasets::IsDownload("GET", "/api/v1/datasets/c_f027-servizi/versions/latest/xml"));
  CHECK_FALSE(datasets::IsDownload("GET", "/api/v1/datasets/c_f027-servizi/versions"));

  int forwarded = 0;
  std::string forwarded_target;
  auto forward = [&](HttpRequest r, std::function<void(HttpResponse)> d) {
    ++forwarded;
    forwarded_target = r.target;
    HttpResponse resp;
    resp.status = 200;
    resp.stream = std::shared_ptr<BodyStream>(nullptr);
    struct Empty : BodyStream {
      void Next(std::function<void(Chunk)> deliver) override { deliver(Chunk{true, absl::OkStatus(), ""}); }
      void Cancel() override {}
    };
    resp.stream = std::make_shared<Empty>();
    d(std::move(resp));
  };
  HttpResponse got;
  HttpRequest req{"GET", "/api/v1/datasets/c_f027-servizi/versions/latest/csv", {{"If-None-Match", etag}}, ""};
  datasets::HandleDownload(req, "/api/v1/datasets/c_f027-servizi/versions/latest/csv", up,
                           std::chrono::milliseconds(1000), forward, [&](HttpResponse r) { got = std::move(r); });
  CHECK(got.status == 304);
  CHECK(got.headers.GetOr("ETag") == etag);
  CHECK(forwarded == 0);

  HttpRequest req2{"GET", "/api/v1/datasets/c_f027-servizi/versions/latest/csv", {}, ""};
  datasets::HandleDownload(req2, "/api/v1/datasets/c_f027-servizi/versions/latest/csv", up,
                           std::chrono::milliseconds(1000), forward, [&](HttpResponse r) { got = std::move(r); });
  CHECK(forwarded == 1);
  CHECK(forwarded_target == "/api/v1/datasets/c_f027-servizi/versions/2/csv");  // "latest" pinned
  CHECK(got.status == 200);
  CHECK(got.headers.GetOr("Content-Length") == "1234");
  CHECK(got.headers.GetOr("ETag") == etag);
}
