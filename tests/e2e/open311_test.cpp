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
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace json = boost::json;
namespace pt = boost::property_tree;
using namespace sportello::testing;

namespace {

const std::string kBase = "/open311/v2";
const std::string kJurisdiction = "jurisdiction_id=c_f027";

std::string Gateway() { return RequireEnv("SPORTELLO_TEST_GATEWAY_URL"); }

HttpReply Get(const std::string& target) { return Fetch(Gateway(), "GET", kBase + target); }

HttpReply PostForm(const std::string& target, const std::string& form,
                   std::map<std::string, std::string> headers = {}) {
  headers["Content-Type"] = "application/x-www-form-urlencoded";
  return Fetch(Gateway(), "POST", kBase + target, form, headers);
}

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
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

std::string ReportForm(const std::string& api_key, const std::string& description) {
  return kJurisdiction + "&service_code=strade-buche&api_key=" + UrlEncode(api_key) +
         "&lat=40.5876&long=17.1152&address_string=Via+Roma+12%2C+Massafra" +
         "&description=" + UrlEncode(description) + "&attribute[tipo_dissesto]=buca&attribute[pericolo]=si&attribute[dimensione_cm]=40" +
         "&first_name=Anna&last_name=Verdi&email=anna.verdi%40example.org";
}

}  // namespace

TEST_CASE("Open311: discovery in both formats", "[e2e][open311]") {
  json::object d = JsonOf(Get("/discovery.json")).as_object();
  json::object endpoint = d.at("endpoints").as_array().at(0).as_object();
  CHECK(endpoint.at("specification").as_string() == "http://wiki.open311.org/GeoReport_v2");
  CHECK(std::string(endpoint.at("url").as_string()).find("/open311/v2") != std::string::npos);
  CHECK(endpoint.at("type").as_string() == "production");
  CHECK_FALSE(d.at("changeset").as_string().empty());

  pt::ptree x = XmlOf(Get("/discovery.xml"));
  CHECK(x.get<std::string>("discovery.endpoints.endpoint.specification") == "http://wiki.open311.org/GeoReport_v2");
  CHECK(Children(x.get_child("discovery.endpoints.endpoint.formats")).size() == 2);
}

TEST_CASE("Open311: service list and definition in both formats", "[e2e][open311]") {
  json::array services = JsonOf(Get("/services.json?" + kJurisdiction)).as_array();
  const json::object* buche = nullptr;
  for (const auto& s : services) {
    if (s.at("service_code").as_string() == "strade-buche") buche = &s.as_object();
  }
  REQUIRE(buche != nullptr);
  CHECK(buche->at("metadata").as_bool());
  CHECK(buche->at("type").as_string() == "realtime");
  for (const char* key : {"service_name", "description", "keywords", "group"}) CHECK(buche->at(key).is_string());

  pt::ptree x = XmlOf(Get("/services.xml?" + kJurisdiction));
  bool found = false;
  for (const auto& [name, service] : x.get_child("services")) {
    CHECK(name == "service");
    if (service.get<std::string>("service_code") == "strade-buche") {
      found = true;
      CHECK(service.get<std::string>("metadata") == "true");
    }
  }
  CHECK(found);

  json::object def = JsonOf(Get("/services/strade-buche.json?" + kJurisdiction)).as_object();
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

  pt::ptree xd = XmlOf(Get("/services/strade-buche.xml?" + kJurisdiction));
  CHECK(xd.get<std::string>("service_definition.service_code") == "strade-buche");
  CHECK(xd.get<std::string>("service_definition.attributes.attribute.datatype") == "singlevaluelist");
  CHECK(xd.get<std::string>("service_definition.attributes.attribute.values.value.key") == "buca");

  RequireJsonError(Get("/services/non-esiste.json?" + kJurisdiction), 404);
  RequireXmlError(Get("/services/non-esiste.xml?" + kJurisdiction), 404);
}

TEST_CASE("Open311: post, token to id, and find it with filters, in both formats", "[e2e][open311]") {
  const std::string key = TokenFor("c_f027", {"partner"});
  const absl::Time before = absl::Now() - absl::Minutes(5);

  for (const std::string format : {"json", "xml"}) {
    INFO("format " << format);
    const std::string description = "Buca profonda davanti al civico 12 (" + format + ") è pericolosa";
    HttpReply posted = PostForm("/requests." + format, ReportForm(key, description));
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
      json::array t = JsonOf(Get("/tokens/" + UrlEncode(token) + ".json?" + kJurisdiction)).as_array();
      REQUIRE(t.size() == 1);
      CHECK(t[0].at("service_request_id").as_string() == id);
    } else {
      pt::ptree t = XmlOf(Get("/tokens/" + UrlEncode(token) + ".xml?" + kJurisdiction));
      CHECK(t.get<std::string>("service_requests.request.service_request_id") == id);
    }

    // The request by id, by id list, and by filters.
    const std::string window = "&start_date=" + UrlEncode(Rfc3339(before)) +
                               "&end_date=" + UrlEncode(Rfc3339(absl::Now() + absl::Minutes(5)));
    for (const std::string& query :
         {"/requests/" + UrlEncode(id) + "." + format + "?" + kJurisdiction,
          "/requests." + format + "?" + kJurisdiction + "&service_request_id=" + UrlEncode(id) + ",F027-1900-000000",
          "/requests." + format + "?" + kJurisdiction + "&service_code=strade-buche&status=open" + window,
          "/requests." + format + "?" + kJurisdiction + "&status=open&page=1&page_size=1000" + window}) {
      INFO(query);
      HttpReply r = Get(query);
      bool found = false;
      if (format == "json") {
        json::value list = JsonOf(r);
        for (const auto& v : list.as_array()) {
          const json::object& o = v.as_object();
          if (o.at("service_request_id").as_string() != id) continue;
          found = true;
          CHECK(o.at("status").as_string() == "open");
          CHECK_FALSE(o.at("status_notes").as_string().empty());
          CHECK(o.at("service_code").as_string() == "strade-buche");
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
          CHECK(request.get<std::string>("service_code") == "strade-buche");
        }
      }
      CHECK(found);
      // Personal data never appears.
      CHECK(r.body.find("Verdi") == std::string::npos);
      CHECK(r.body.find("anna.verdi") == std::string::npos);
    }

    // Closed only: the fresh request is not among them.
    HttpReply closed = Get("/requests." + format + "?" + kJurisdiction + "&status=closed" + window);
    CHECK(closed.status == 200);
    CHECK(closed.body.find(id) == std::string::npos);
  }
}

TEST_CASE("Open311: servicerequestupdates in both formats", "[e2e][open311]") {
  const std::string since = "&start_date=" + UrlEncode(Rfc3339(absl::Now() - absl::Hours(24)));
  json::array updates = JsonOf(Get("/servicerequestupdates.json?" + kJurisdiction + since)).as_array();
  for (const auto& u : updates) {
    for (const char* field : {"update_id", "service_request_id", "status", "updated_datetime", "description"}) {
      CHECK(u.as_object().contains(field));
    }
  }
  pt::ptree x = XmlOf(Get("/servicerequestupdates.xml?" + kJurisdiction + since));
  CHECK(x.count("service_request_updates") == 1);
  RequireJsonError(Get("/servicerequestupdates.json?" + kJurisdiction + "&start_date=ieri"), 400);
}

TEST_CASE("Open311: bad input in both formats", "[e2e][open311]") {
  const std::string key = TokenFor("c_f027", {"partner"});
  const std::string form = ReportForm(key, "Buca in via Roma");

  // Missing service_code.
  std::string no_code = kJurisdiction + "&api_key=" + UrlEncode(key) + "&lat=40.5876&long=17.1152";
  RequireJsonError(PostForm("/requests.json", no_code), 400);
  RequireXmlError(PostForm("/requests.xml", no_code), 400);
  // No location at all.
  std::string no_where = kJurisdiction + "&service_code=strade-buche&api_key=" + UrlEncode(key);
  RequireJsonError(PostForm("/requests.json", no_where), 400);

  // Unknown and missing jurisdiction.
  RequireJsonError(Get("/services.json?jurisdiction_id=c_x000"), 404);
  RequireXmlError(Get("/services.xml?jurisdiction_id=c_x000"), 404);
  RequireJsonError(Get("/services.json"), 400);
  RequireXmlError(Get("/requests.xml"), 400);

  // Bad date and a window too wide.
  RequireJsonError(Get("/requests.json?" + kJurisdiction + "&start_date=24%2F11%2F2026"), 400);
  RequireXmlError(Get("/requests.xml?" + kJurisdiction + "&end_date=not-a-date"), 400);
  const std::string wide = "&start_date=2026-01-01T00:00:00Z&end_date=2026-06-30T00:00:00Z";
  RequireJsonError(Get("/requests.json?" + kJurisdiction + wide), 400);
  RequireXmlError(Get("/requests.xml?" + kJurisdiction + wide), 400);
  RequireJsonError(Get("/requests.json?" + kJurisdiction + "&status=pending"), 400);
  RequireJsonError(Get("/requests.json?" + kJurisdiction + "&page_size=5000"), 400);

  // Invalid api_key: missing, not a credential, signed with another secret, not a partner's.
  std::string without_key = kJurisdiction + "&service_code=strade-buche&lat=40.5876&long=17.1152";
  RequireJsonError(PostForm("/requests.json", without_key), 400);
  RequireJsonError(PostForm("/requests.json", without_key + "&api_key=abc"), 403);
  RequireXmlError(PostForm("/requests.xml", without_key + "&api_key=abc"), 403);
  sportello::auth::Principal forged;
  forged.subject = "intruder";
  forged.tenant = "c_f027";
  forged.roles = {"partner"};
  std::string wrong = sportello::auth::MintToken("not-the-secret-not-the-secret-32b", forged, absl::Minutes(5));
  RequireJsonError(PostForm("/requests.json", ReportForm(wrong, "Buca")), 403);
  RequireXmlError(PostForm("/requests.xml", ReportForm(wrong, "Buca")), 403);
  RequireJsonError(PostForm("/requests.json", ReportForm(TokenFor("c_f027", {"operator"}), "Buca")), 403);
  RequireJsonError(PostForm("/requests.json", ReportForm(TokenFor("c_d171", {"partner"}), "Buca")), 403);

  // Malformed form bodies.
  RequireJsonError(PostForm("/requests.json", form + "&description=%zz"), 400);
  RequireXmlError(PostForm("/requests.xml", form + "&attribute[tipo_dissesto=buca"), 400);
  RequireJsonError(PostForm("/requests.json", form + "&x=%C3"), 400);
  RequireJsonError(Fetch(Gateway(), "POST", kBase + "/requests.json", "{\"service_code\":\"strade-buche\"}",
                         {{"Content-Type", "application/json"}}),
                   400);

  // Unknown id and token.
  RequireJsonError(Get("/requests/F027-1900-000000.json?" + kJurisdiction), 404);
  RequireXmlError(Get("/tokens/nessun-token.xml?" + kJurisdiction), 404);
  // No format suffix.
  RequireJsonError(Get("/services?" + kJurisdiction), 404);
}
