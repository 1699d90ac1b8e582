// End to end over Open311 GeoReport v2: the real gateway in front of the real
// catalogue and complaints services started by ./sportello test, driven the
// way a third-party GeoReport client does, in JSON and XML.
#include <boost/json.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <cctype>
#include <sstream>

#include <catch2/catch.hpp>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/support/http_client.h"
#include "tests/support/sandbox.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace json = boost::json;
namespace pt = boost::property_tree;
using namespace sportello::testing;

namespace {

const std::string kBase = "/open311/v2";
// Reading the demo's categories checks that the demo loads; everything that
// writes goes to a sandbox tenant of the test's own.
const std::string kDemoJurisdiction = "jurisdiction_id=c_f027";

std::string JurisdictionOf(const Sandbox& box) { return "jurisdiction_id=" + box.tenant; }

HttpReply Open311Get(const std::string& target) { return Get(kBase + target); }

HttpReply PostForm(const std::string& target, const std::string& form, Headers headers = {}) {
  headers["Content-Type"] = "application/x-www-form-urlencoded";
  return Fetch(GatewayUrl(), "POST", kBase + target, form, headers);
}

std::string Rfc3339(absl::Time t) { return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone()); }

bool ValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size() || (n == 2 && c < 0xC2)) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

json::value JsonOf(const HttpReply& r, int status = 200) {
  INFO("status " << r.status << " body: " << r.body);
  REQUIRE(r.status == status);
  CHECK(r.Header("content-type") == "application/json; charset=utf-8");
  return json::parse(r.body);
}

// Well-formed (parsed by Boost.PropertyTree's XML reader), UTF-8, declared as such.
pt::ptree XmlOf(const HttpReply& r, int status = 200) {
  INFO("status " << r.status << " body: " << r.body);
  REQUIRE(r.status == status);
  CHECK(r.Header("content-type") == "application/xml; charset=utf-8");
  CHECK(r.body.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0) == 0);
  CHECK(ValidUtf8(r.body));
  pt::ptree tree;
  std::istringstream in(r.body);
  REQUIRE_NOTHROW(pt::read_xml(in, tree));
  return tree;
}

void RequireJsonError(const HttpReply& r, int status) {
  json::array errors = JsonOf(r, status).as_array();
  REQUIRE_FALSE(errors.empty());
  CHECK(errors[0].at("code").as_int64() == status);
  CHECK_FALSE(errors[0].at("description").as_string().empty());
}

void RequireXmlError(const HttpReply& r, int status) {
  pt::ptree tree = XmlOf(r, status);
  CHECK(tree.get<int>("errors.error.code") == status);
  CHECK_FALSE(tree.get<std::string>("errors.error.description").empty());
}

std::vector<std::string> Children(const pt::ptree& t) {
  std::vector<std::string> out;
  for (const auto& kv : t) out.push_back(kv.first);
  return out;
}

std::string ReportForm(const Sandbox& box, const std::string& api_key, const std::string& description) {
  return JurisdictionOf(box) + "&service_code=" + box.category + "&api_key=" + UrlEncode(api_key) +
         "&lat=40.5876&long=17.1152&address_string=Via+Roma+12%2C+Massafra" +
         "&description=" + UrlEncode(description) + "&attribute[tipo_dissesto]=buca&attribute[pericolo]=si&attribute[dimensione_cm]=40" +
         "&first_name=Anna&last_name=Verdi&email=anna.verdi%40example.org";
}

// The operator's list of the sandbox: what was stored, whatever the answers said.
size_t StoredRequests(const Sandbox& box) {
  return JsonObject(Get(box.Path("/requests?page_size=200"), Bearer(box.operator_token))).at("requests").as_array().size();
}

}  // namespace

TEST_CASE("Open311: discovery in both formats", "[e2e][open311]") {
  json::object d = JsonOf(Open311Get("/discovery.json")).as_object();
  json::object endpoint = d.at("endpoints").as_array().at(0).as_object();
  CHECK(endpoint.at("specification").as_string() == "http://wiki.open311.org/GeoReport_v2");
  CHECK(std::string(endpoint.at("url").as_string()).find("/open311/v2") != std::string::npos);
  CHECK(endpoint.at("type").as_string() == "production");
  CHECK_FALSE(d.at("changeset").as_string().empty());

  pt::ptree x = XmlOf(Open311Get("/discovery.xml"));
  CHECK(x.get<std::string>("discovery.endpoints.endpoint.specification") == "http://wiki.open311.org/GeoReport_v2");
  CHECK(Children(x.get_child("discovery.endpoints.endpoint.formats")).size() == 2);
}

TEST_CASE("Open311: service list and definition in both formats", "[e2e][open311]") {
  json::array services = JsonOf(Open311Get("/services.json?" + kDemoJurisdiction)).as_array();
  const json::object* buche = nullptr;
  for (const auto& s : services) {
    if (s.at("service_code").as_string() == "strade-buche") buche = &s.as_object();
  }
  REQUIRE(buche != nullptr);
  CHECK(buche->at("metadata").as_bool());
  CHECK(buche->at("type").as_string() == "realtime");
  for (const char* key : {"service_name", "description", "keywords", "group"}) CHECK(buche->at(key).is_string());

  pt::ptree x = XmlOf(Open311Get("/services.xml?" + kDemoJurisdiction));
  bool found = false;
  for (const auto& [name, service] : x.get_child("services")) {
    CHECK(name == "service");
    if (service.get<std::string>("service_code") == "strade-buche") {
      found = true;
      CHECK(service.get<std::string>("metadata") == "true");
    }
  }
  CHECK(found);

  json::object def = JsonOf(Open311Get("/services/strade-buche.json?" + kDemoJurisdiction)).as_object();
  CHECK(def.at("service_code").as_string() == "strade-buche");
  const json::object* tipo = nullptr;
  for (const auto& a : def.at("attributes").as_array()) {
    if (a.at("code").as_string() == "tipo_dissesto") tipo = &a.as_object();
  }
  REQUIRE(tipo != nullptr);
  CHECK(tipo->at("variable").as_bool());
  CHECK(tipo->at("datatype").as_string() == "singlevaluelist");
  CHECK(tipo->at("required").as_bool());
  std::vector<std::string> keys;
  for (const auto& v : tipo->at("values").as_array()) keys.emplace_back(v.at("key").as_string());
  CHECK(keys == std::vector<std::string>{"buca", "avvallamento", "tombino", "marciapiede"});

  pt::ptree xd = XmlOf(Open311Get("/services/strade-buche.xml?" + kDemoJurisdiction));
  CHECK(xd.get<std::string>("service_definition.service_code") == "strade-buche");
  CHECK(xd.get<std::string>("service_definition.attributes.attribute.datatype") == "singlevaluelist");
  CHECK(xd.get<std::string>("service_definition.attributes.attribute.values.value.key") == "buca");

  RequireJsonError(Open311Get("/services/non-esiste.json?" + kDemoJurisdiction), 404);
  RequireXmlError(Open311Get("/services/non-esiste.xml?" + kDemoJurisdiction), 404);
}

TEST_CASE("Open311: post, token to id, and find it with filters, in both formats", "[e2e][open311]") {
  Sandbox box;
  const std::string jurisdiction = JurisdictionOf(box);
  const std::string key = box.Token({"partner"});
  const absl::Time before = absl::Now() - absl::Minutes(5);

  for (const std::string format : {"json", "xml"}) {
    INFO("format " << format);
    const std::string description = "Buca profonda davanti al civico 12 (" + format + ") è pericolosa";
    HttpReply posted = PostForm("/requests." + format, ReportForm(box, key, description));
    std::string id, token;
    if (format == "json") {
      json::array answer = JsonOf(posted).as_array();
      REQUIRE(answer.size() == 1);
      id = std::string(answer[0].at("service_request_id").as_string());
      token = std::string(answer[0].at("token").as_string());
    } else {
      pt::ptree answer = XmlOf(posted);
      id = answer.get<std::string>("service_requests.request.service_request_id");
      token = answer.get<std::string>("service_requests.request.token");
    }
    REQUIRE_FALSE(id.empty());
    REQUIRE_FALSE(token.empty());

    // The token turns into the id.
    if (format == "json") {
      json::array t = JsonOf(Open311Get("/tokens/" + UrlEncode(token) + ".json?" + jurisdiction)).as_array();
      REQUIRE(t.size() == 1);
      CHECK(t[0].at("service_request_id").as_string() == id);
    } else {
      pt::ptree t = XmlOf(Open311Get("/tokens/" + UrlEncode(token) + ".xml?" + jurisdiction));
      CHECK(t.get<std::string>("service_requests.request.service_request_id") == id);
    }

    // The request by id, by id list, and by filters.
    const std::string window = "&start_date=" + UrlEncode(Rfc3339(before)) +
                               "&end_date=" + UrlEncode(Rfc3339(absl::Now() + absl::Minutes(5)));
    for (const std::string& query :
         {"/requests/" + UrlEncode(id) + "." + format + "?" + jurisdiction,
          "/requests." + format + "?" + jurisdiction + "&service_request_id=" + UrlEncode(id) + ",F027-1900-000000",
          "/requests." + format + "?" + jurisdiction + "&service_code=" + box.category + "&status=open" + window,
          "/requests." + format + "?" + jurisdiction + "&status=open&page=1&page_size=1000" + window}) {
      INFO(query);
      HttpReply r = Open311Get(query);
      bool found = false;
      if (format == "json") {
        json::value list = JsonOf(r);
        for (const auto& v : list.as_array()) {
          const json::object& o = v.as_object();
          if (o.at("service_request_id").as_string() != id) continue;
          found = true;
          CHECK(o.at("status").as_string() == "open");
          CHECK_FALSE(o.at("status_notes").as_string().empty());
          CHECK(o.at("service_code").as_string() == box.category);
          CHECK(o.at("description").as_string() == description);
          CHECK(o.at("lat").as_double() == Approx(40.5876));
          CHECK(o.at("long").as_double() == Approx(17.1152));
          std::string requested(o.at("requested_datetime").as_string());
          // Rome's offset, never Z.
          CHECK((requested.substr(19) == "+01:00" || requested.substr(19) == "+02:00"));
          for (const char* field : {"service_name", "agency_responsible", "service_notice", "updated_datetime",
                                    "address", "address_id", "zipcode", "media_url"}) {
            CHECK(o.contains(field));
          }
          CHECK(o.contains("expected_datetime"));
        }
      } else {
        pt::ptree tree = XmlOf(r);
        for (const auto& [name, request] : tree.get_child("service_requests")) {
          CHECK(name == "request");
          if (request.get<std::string>("service_request_id") != id) continue;
          found = true;
          CHECK(request.get<std::string>("status") == "open");
          CHECK(request.get<std::string>("description") == description);
          CHECK(request.get<std::string>("service_code") == box.category);
        }
      }
      CHECK(found);
      // Personal data never appears.
      CHECK(r.body.find("Verdi") == std::string::npos);
      CHECK(r.body.find("anna.verdi") == std::string::npos);
    }

    // Closed only: the fresh request is not among them.
    HttpReply closed = Open311Get("/requests." + format + "?" + jurisdiction + "&status=closed" + window);
    CHECK(closed.status == 200);
    CHECK(closed.body.find(id) == std::string::npos);
  }
  CHECK(StoredRequests(box) == 2);  // one per format
}

TEST_CASE("Open311: servicerequestupdates in both formats", "[e2e][open311]") {
  Sandbox box;
  const std::string jurisdiction = JurisdictionOf(box);
  const std::string since = "&start_date=" + UrlEncode(Rfc3339(absl::Now() - absl::Hours(24)));
  // A public report whose status changes: the change is an update.
  json::object submitted = JsonObject(PostJson(box.Path("/requests"), box.Report("Buca che si aggiorna")));
  std::string number = Str(submitted.at("request"), "number");
  REQUIRE(PostJson("/api/v1/requests/" + number + ":transition",
                   {{"to", "REQUEST_STATUS_IN_PROGRESS"}, {"note", "Sopralluogo fatto"}, {"public_note", true}},
                   Bearer(box.operator_token)).status == 200);

  json::array updates = JsonOf(Open311Get("/servicerequestupdates.json?" + jurisdiction + since)).as_array();
  bool ours = false;
  for (const auto& u : updates) {
    for (const char* field : {"update_id", "service_request_id", "status", "updated_datetime", "description"}) {
      CHECK(u.as_object().contains(field));
    }
    ours |= u.at("service_request_id").as_string() == number;
  }
  CHECK(ours);
  pt::ptree x = XmlOf(Open311Get("/servicerequestupdates.xml?" + jurisdiction + since));
  REQUIRE(x.count("service_request_updates") == 1);
  bool ours_in_xml = false;
  for (const auto& [name, update] : x.get_child("service_request_updates")) {
    ours_in_xml |= update.get<std::string>("service_request_id", "") == number;
  }
  CHECK(ours_in_xml);
  RequireJsonError(Open311Get("/servicerequestupdates.json?" + jurisdiction + "&start_date=ieri"), 400);
}

TEST_CASE("Open311: bad input in both formats", "[e2e][open311]") {
  Sandbox box, other;
  const std::string jurisdiction = JurisdictionOf(box);
  const std::string key = box.Token({"partner"});
  const std::string form = ReportForm(box, key, "Buca in via Roma");

  // Missing service_code.
  std::string no_code = jurisdiction + "&api_key=" + UrlEncode(key) + "&lat=40.5876&long=17.1152";
  RequireJsonError(PostForm("/requests.json", no_code), 400);
  RequireXmlError(PostForm("/requests.xml", no_code), 400);
  // No location at all.
  std::string no_where = jurisdiction + "&service_code=" + box.category + "&api_key=" + UrlEncode(key);
  RequireJsonError(PostForm("/requests.json", no_where), 400);

  // Unknown and missing jurisdiction.
  RequireJsonError(Open311Get("/services.json?jurisdiction_id=c_x000"), 404);
  RequireXmlError(Open311Get("/services.xml?jurisdiction_id=c_x000"), 404);
  RequireJsonError(Open311Get("/services.json"), 400);
  RequireXmlError(Open311Get("/requests.xml"), 400);

  // Bad date and a window too wide.
  RequireJsonError(Open311Get("/requests.json?" + jurisdiction + "&start_date=24%2F11%2F2026"), 400);
  RequireXmlError(Open311Get("/requests.xml?" + jurisdiction + "&end_date=not-a-date"), 400);
  const std::string wide = "&start_date=2026-01-01T00:00:00Z&end_date=2026-06-30T00:00:00Z";
  RequireJsonError(Open311Get("/requests.json?" + jurisdiction + wide), 400);
  RequireXmlError(Open311Get("/requests.xml?" + jurisdiction + wide), 400);
  RequireJsonError(Open311Get("/requests.json?" + jurisdiction + "&status=pending"), 400);
  RequireJsonError(Open311Get("/requests.json?" + jurisdiction + "&page_size=5000"), 400);

  // Invalid api_key: missing, not a credential, signed with another secret, not a partner's.
  std::string without_key = jurisdiction + "&service_code=" + box.category + "&lat=40.5876&long=17.1152";
  RequireJsonError(PostForm("/requests.json", without_key), 400);
  RequireJsonError(PostForm("/requests.json", without_key + "&api_key=abc"), 403);
  RequireXmlError(PostForm("/requests.xml", without_key + "&api_key=abc"), 403);
  sportello::auth::Principal forged;
  forged.subject = "intruder";
  forged.tenant = box.tenant;
  forged.roles = {"partner"};
  std::string wrong = sportello::auth::MintToken("not-the-secret-not-the-secret-32b", forged, absl::Minutes(5));
  RequireJsonError(PostForm("/requests.json", ReportForm(box, wrong, "Buca")), 403);
  RequireXmlError(PostForm("/requests.xml", ReportForm(box, wrong, "Buca")), 403);
  RequireJsonError(PostForm("/requests.json", ReportForm(box, box.operator_token, "Buca")), 403);
  RequireJsonError(PostForm("/requests.json", ReportForm(box, other.Token({"partner"}), "Buca")), 403);

  // Malformed form bodies.
  RequireJsonError(PostForm("/requests.json", form + "&description=%zz"), 400);
  RequireXmlError(PostForm("/requests.xml", form + "&attribute[tipo_dissesto=buca"), 400);
  RequireJsonError(PostForm("/requests.json", form + "&x=%C3"), 400);
  RequireJsonError(Fetch(GatewayUrl(), "POST", kBase + "/requests.json", "{\"service_code\":\"strade-buche\"}",
                         {{"Content-Type", "application/json"}}),
                   400);

  // Unknown id and token.
  RequireJsonError(Open311Get("/requests/F027-1900-000000.json?" + jurisdiction), 404);
  RequireXmlError(Open311Get("/tokens/nessun-token.xml?" + jurisdiction), 404);
  // No format suffix.
  RequireJsonError(Open311Get("/services?" + jurisdiction), 404);

  // None of the refused posts stored anything; the well-formed one would.
  CHECK(StoredRequests(box) == 0);
  JsonOf(PostForm("/requests.json", form));
  CHECK(StoredRequests(box) == 1);
}
