// Open311 GeoReport v2: the pieces (form parsing, XML escaping, statuses,
// dates, windows) and every method against an in-process Upstream, in JSON
// and XML with the standard's element names.
#include "gateway/compat/open311.h"

#include <boost/json.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <catch2/catch.hpp>
#include <mutex>
#include <sstream>

#include "absl/strings/escaping.h"
#include "sportello/v1/catalogue.pb.h"
#include "sportello/v1/complaints.pb.h"
#include "tests/gateway/fake_upstream.h"

namespace sportello::gateway::open311 {
namespace {

namespace json = boost::json;
namespace pt = boost::property_tree;

absl::Time At(const char* rfc3339) {
  absl::Time t;
  std::string err;
  REQUIRE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err));
  return t;
}

void SetTime(absl::Time t, google::protobuf::Timestamp* ts) { ts->set_seconds(absl::ToUnixSeconds(t)); }

// A JWT-shaped api key; the fake upstream refuses the signature "bad".
std::string ApiKey(const std::string& tenant, const std::string& role, const std::string& sig = "sig") {
  std::string header = absl::WebSafeBase64Escape(R"({"alg":"HS256","typ":"JWT"})");
  std::string payload = absl::WebSafeBase64Escape(
      json::serialize(json::object{{"sub", "app"}, {"tenant", tenant}, {"roles", json::array{json::string(role)}}}));
  return header + "." + payload + "." + sig;
}

// Answers the catalogue and complaints RPCs that Open311 uses from memory,
// synchronously, and records every call.
class Open311Upstream : public Upstream {
 public:
  Open311Upstream() {
    v1::Request a;
    a.set_number("F027-2026-000001");
    a.set_tenant("c_f027");
    a.set_category("strade-buche");
    a.set_category_name("Strade e viabilità");
    a.set_description("Buca profonda <pericolosa> & larga");
    a.mutable_location()->set_latitude(40.5871234);
    a.mutable_location()->set_longitude(17.1162);
    a.set_address("Via Roma 1");
    a.add_media_urls("https://example.org/buca.jpg");
    a.set_status(v1::REQUEST_STATUS_IN_PROGRESS);
    a.set_status_label("In lavorazione");
    a.set_office_id("ufficio-tecnico");
    SetTime(At("2026-11-20T09:00:00Z"), a.mutable_create_time());
    SetTime(At("2026-11-21T10:30:00Z"), a.mutable_update_time());
    SetTime(At("2026-12-20T09:00:00Z"), a.mutable_due_time());
    a.mutable_reporter()->set_name("Mario Rossi");  // must never be printed
    a.mutable_reporter()->set_email("mario@example.org");
    rows.push_back(a);
    v1::Request b;
    b.set_number("F027-2026-000002");
    b.set_tenant("c_f027");
    b.set_category("rifiuti");
    b.set_category_name("Rifiuti");
    b.set_address("address_id: 4711");
    b.set_status(v1::REQUEST_STATUS_RESOLVED);
    b.set_status_label("Risolta");
    b.set_office_id("ufficio-sconosciuto");
    SetTime(At("2026-07-01T10:00:00Z"), b.mutable_create_time());
    SetTime(At("2026-07-02T10:00:00Z"), b.mutable_update_time());
    rows.push_back(b);
  }

  void Call(const std::string& upstream, const std::string& method_path, std::string bytes, Metadata md,
            std::chrono::milliseconds, Done done) override {
    {
      std::lock_guard lock(mu);
      calls.push_back(method_path);
      last_upstream = upstream;
      last_metadata = md;
    }
    auto ok = [&](const google::protobuf::Message& m) { done(absl::OkStatus(), m.SerializeAsString()); };
    const std::string method = method_path.substr(method_path.rfind('/') + 1);
    if (method == "GetTenant") {
      v1::GetTenantRequest req;
      req.ParseFromString(bytes);
      if (req.ipa_code() != "c_f027" && req.ipa_code() != "c_d171") {
        return done(absl::NotFoundError("no tenant " + req.ipa_code()), "");
      }
      v1::Tenant t;
      t.set_ipa_code(req.ipa_code());
      t.set_parent_ipa_code("u_gravine");
      return ok(t);
    }
    if (method == "ListTenants") {
      v1::ListTenantsResponse resp;
      resp.add_tenants()->set_ipa_code("c_d171");
      if (!single_tenant) resp.add_tenants()->set_ipa_code("c_f027");
      return ok(resp);
    }
    if (method == "GetOffice") {
      v1::GetOfficeRequest req;
      req.ParseFromString(bytes);
      if (req.id() != "ufficio-tecnico") return done(absl::NotFoundError("no office"), "");
      v1::Office o;
      o.set_id(req.id());
      o.set_name("Ufficio Tecnico - Lavori pubblici");
      return ok(o);
    }
    if (method == "ListCategories") {
      // Two pages of one category each: the service list must walk both.
      v1::ListCategoriesRequest req;
      req.ParseFromString(bytes);
      v1::ListCategoriesResponse resp;
      if (req.page_token().empty()) {
        *resp.add_categories() = Buche();
        resp.set_next_page_token("page-2");
        return ok(resp);
      }
      v1::Category& r = *resp.add_categories();
      r.set_service_code("rifiuti");
      r.set_name("Rifiuti");
      r.set_group("Ambiente");
      return ok(resp);
    }
    if (method == "GetCategory") {
      v1::GetCategoryRequest req;
      req.ParseFromString(bytes);
      if (req.service_code() != "strade-buche") return done(absl::NotFoundError("no category"), "");
      return ok(Buche());
    }
    if (method == "SubmitRequest") {
      submitted.ParseFromString(bytes);
      for (const auto& [k, v] : md) {
        if (k == "authorization" && v.size() > 4 && v.substr(v.size() - 4) == ".bad") {
          return done(absl::UnauthenticatedError("invalid token signature"), "");
        }
      }
      if (submitted.description() == "invalid") {
        return done(InvalidArgument({{"description", "too short"}}), "");
      }
      v1::SubmitRequestResponse resp;
      resp.mutable_request()->set_number("F027-2026-000003");
      resp.set_tracking_token("tok-abc");
      return ok(resp);
    }
    if (method == "ResolveTrackingToken") {
      v1::ResolveTrackingTokenRequest req;
      req.ParseFromString(bytes);
      if (req.token() != "tok-abc") return done(absl::NotFoundError("unknown token"), "");
      v1::ResolveTrackingTokenResponse resp;
      resp.set_number("F027-2026-000003");
      resp.set_tenant("c_f027");
      return ok(resp);
    }
    if (method == "ListPublicRequests") {
      v1::ListPublicRequestsRequest req;
      req.ParseFromString(bytes);
      listed.push_back(req);
      // One row per page, so that the gateway must walk the pages.
      size_t index = req.page_token().empty() ? 0 : std::stoul(req.page_token());
      std::vector<v1::Request> match;
      for (const auto& r : rows) {
        if (req.numbers_size() > 0 &&
            std::find(req.numbers().begin(), req.numbers().end(), r.number()) == req.numbers().end()) {
          continue;
        }
        match.push_back(r);
      }
      v1::ListPublicRequestsResponse resp;
      if (index < match.size()) *resp.add_requests() = match[index];
      if (index + 1 < match.size()) resp.set_next_page_token(std::to_string(index + 1));
      return ok(resp);
    }
    if (method == "ListPublicUpdates") {
      v1::ListPublicUpdatesRequest req;
      req.ParseFromString(bytes);
      since = req.since();
      v1::ListPublicUpdatesResponse resp;
      v1::PublicUpdate* u = resp.add_updates();
      u->set_id(7);
      u->set_number("F027-2026-000001");
      u->set_status(v1::REQUEST_STATUS_RESOLVED);
      u->set_status_label("Risolta");
      u->set_description("Riparata");
      SetTime(At("2026-11-22T08:00:00Z"), u->mutable_time());
      return ok(resp);
    }
    done(absl::UnimplementedError(method_path), "");
  }

  static v1::Category Buche() {
    v1::Category c;
    c.set_service_code("strade-buche");
    c.set_name("Strade e viabilità");
    c.set_description("Buche & dissesti");
    c.set_group("Strade");
    c.add_keywords("buca");
    c.add_keywords("asfalto");
    v1::CategoryAttribute* a = c.add_attributes();
    a->set_code("tipo_dissesto");
    a->set_description("Tipo di dissesto");
    a->set_datatype(v1::ATTRIBUTE_DATATYPE_SINGLE_VALUE_LIST);
    a->set_required(true);
    a->set_order(1);
    v1::AttributeValue* v = a->add_values();
    v->set_key("buca");
    v->set_name("Buca");
    return c;
  }

  std::mutex mu;
  bool single_tenant = false;
  std::vector<std::string> calls;
  std::string last_upstream;
  Metadata last_metadata;
  std::vector<v1::Request> rows;
  v1::SubmitRequestRequest submitted;
  std::vector<v1::ListPublicRequestsRequest> listed;
  google::protobuf::Timestamp since;
};

struct Harness {
  Open311Upstream upstream;
  Options options;
  Harness() {
    options.now = [] { return At("2026-11-24T20:05:00Z"); };
  }

  HttpResponse Send(const std::string& method, const std::string& target, const std::string& body = "",
                    Headers headers = {{"Host", "urp.example:8080"}}) {
    HttpRequest req{method, target, std::move(headers), body};
    if (method == "POST") req.headers.Add("Content-Type", "application/x-www-form-urlencoded");
    std::optional<HttpResponse> out;
    Handle(req, upstream, options, [&](HttpResponse r) { out = std::move(r); });
    REQUIRE(out.has_value());  // the fake answers synchronously
    return *out;
  }
};

json::value JsonOf(const HttpResponse& r) {
  INFO(r.body);
  CHECK(r.headers.GetOr("content-type") == "application/json; charset=utf-8");
  return json::parse(r.body);
}

pt::ptree XmlOf(const HttpResponse& r) {
  INFO(r.body);
  CHECK(r.headers.GetOr("content-type") == "application/xml; charset=utf-8");
  CHECK(r.body.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0) == 0);
  pt::ptree tree;
  std::istringstream in(r.body);
  REQUIRE_NOTHROW(pt::read_xml(in, tree));
  return tree;
}

std::vector<std::string> Keys(const json::object& o) {
  std::vector<std::string> out;
  for (const auto& kv : o) out.emplace_back(kv.key());
  return out;
}

std::vector<std::string> Children(const pt::ptree& t) {
  std::vector<std::string> out;
  for (const auto& kv : t) out.push_back(kv.first);
  return out;
}

void RequireError(const HttpResponse& r, int status, Format format = Format::kJson) {
  INFO(r.body);
  REQUIRE(r.status == status);
  if (format == Format::kJson) {
    json::array errors = JsonOf(r).as_array();
    REQUIRE(errors.size() >= 1);
    CHECK(Keys(errors[0].as_object()) == std::vector<std::string>{"code", "description"});
    CHECK(errors[0].at("code").as_int64() == status);
    CHECK_FALSE(errors[0].at("description").as_string().empty());
  } else {
    pt::ptree tree = XmlOf(r);
    CHECK(tree.get<int>("errors.error.code") == status);
    CHECK_FALSE(tree.get<std::string>("errors.error.description").empty());
  }
}

const std::vector<std::string> kRequestFields = {
    "service_request_id", "status",           "status_notes",     "service_name",      "service_code",
    "description",        "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime",  "address",          "address_id",       "zipcode",           "lat",
    "long",               "media_url"};

}  // namespace

TEST_CASE("open311: form bodies and query strings", "[open311]") {
  auto f = ParseForm("service_code=strade-buche&description=buca+grande%21&attribute[tipo][]=a&"
                     "attribute%5Btipo%5D%5B%5D=b&empty=&flag&&x=%C3%A8");
  REQUIRE(f.ok());
  FormFields want = {{"service_code", "strade-buche"}, {"description", "buca grande!"}, {"attribute[tipo][]", "a"},
                     {"attribute[tipo][]", "b"},      {"empty", ""},                   {"flag", ""},
                     {"x", "è"}};
  CHECK(*f == want);
  CHECK(ParseForm("").ok());
  CHECK(ParseForm("a=%zz").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(ParseForm("a=%4").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(ParseForm("a=%C3").status().code() == absl::StatusCode::kInvalidArgument);   // cut UTF-8
  CHECK(ParseForm("a=%C0%AF").status().code() == absl::StatusCode::kInvalidArgument);  // overlong
  CHECK(ParseForm("=x").status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("open311: XML escaping drops what XML 1.0 forbids", "[open311]") {
  CHECK(XmlEscape(R"(a&b<c>"d'e)") == "a&amp;b&lt;c&gt;&quot;d&apos;e");
  CHECK(XmlEscape("tab\there\nline\r") == "tab\there\nline\r");
  CHECK(XmlEscape(std::string("nul\0bell\x07", 9) + "esc\x1b") == "nulbellesc");
  CHECK(XmlEscape("perch\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == "perch\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  CHECK(XmlEscape("bad\xff\xfe byte") == "bad byte");
  CHECK(XmlEscape("nonchar\xef\xbf\xbe") == "nonchar");  // U+FFFE
  CHECK(XmlEscape("surrogate\xed\xa0\x80") == "surrogate");
}

TEST_CASE("open311: open or closed and the detailed label", "[open311]") {
  for (int s : {v1::REQUEST_STATUS_RECEIVED, v1::REQUEST_STATUS_ACKNOWLEDGED, v1::REQUEST_STATUS_ASSIGNED,
                v1::REQUEST_STATUS_IN_PROGRESS, v1::REQUEST_STATUS_WAITING_CITIZEN, v1::REQUEST_STATUS_REOPENED}) {
    CHECK(OpenOrClosed(s) == "open");
  }
  for (int s : {v1::REQUEST_STATUS_RESOLVED, v1::REQUEST_STATUS_CLOSED, v1::REQUEST_STATUS_REJECTED,
                v1::REQUEST_STATUS_DUPLICATE, v1::REQUEST_STATUS_WITHDRAWN, v1::REQUEST_STATUS_FORWARDED}) {
    CHECK(OpenOrClosed(s) == "closed");
  }
}

TEST_CASE("open311: dates in, Rome offsets out", "[open311]") {
  CHECK(FormatDateTime(At("2026-11-24T20:05:00Z")) == "2026-11-24T21:05:00+01:00");
  CHECK(FormatDateTime(At("2026-07-01T10:00:00Z")) == "2026-07-01T12:00:00+02:00");
  CHECK(*ParseDateTime("2026-11-24T21:05:00+01:00") == At("2026-11-24T20:05:00Z"));
  CHECK(*ParseDateTime("2026-11-24T20:05:00Z") == At("2026-11-24T20:05:00Z"));
  CHECK(*ParseDateTime("2026-11-24T20:05:00.250Z") == At("2026-11-24T20:05:00.25Z"));
  CHECK(*ParseDateTime("2026-11-24T21:05+01:00") == At("2026-11-24T20:05:00Z"));
  CHECK(*ParseDateTime("2026-11-24T21:05:00 01:00") == At("2026-11-24T20:05:00Z"));  // unencoded '+'
  CHECK(*ParseDateTime("2026-11-24") == At("2026-11-23T23:00:00Z"));
  for (const char* bad : {"", "yesterday", "2026-13-01", "2026-11-24T25:00:00Z", "24/11/2026"}) {
    INFO(bad);
    CHECK_FALSE(ParseDateTime(bad).ok());
  }
}

TEST_CASE("open311: default and maximum windows", "[open311]") {
  absl::Time now = At("2026-11-24T20:00:00Z");
  auto w = ResolveWindow(std::nullopt, std::nullopt, now);
  REQUIRE(w.ok());
  CHECK(w->end == now);
  CHECK(w->start == now - absl::Hours(24 * 90));
  w = ResolveWindow(At("2026-01-01T00:00:00Z"), std::nullopt, now);
  CHECK(w->end == At("2026-01-01T00:00:00Z") + kMaxWindow);
  w = ResolveWindow(std::nullopt, At("2026-06-01T00:00:00Z"), now);
  CHECK(w->start == At("2026-06-01T00:00:00Z") - kMaxWindow);
  CHECK(ResolveWindow(At("2026-01-01T00:00:00Z"), At("2026-03-31T00:00:00Z"), now).ok());
  CHECK_FALSE(ResolveWindow(At("2026-01-01T00:00:00Z"), At("2026-04-02T00:00:00Z"), now).ok());
  CHECK_FALSE(ResolveWindow(At("2026-02-01T00:00:00Z"), At("2026-01-01T00:00:00Z"), now).ok());
}

TEST_CASE("open311: discovery", "[open311]") {
  Harness h;
  HttpResponse r = h.Send("GET", "/open311/v2/discovery.json");
  REQUIRE(r.status == 200);
  json::object d = JsonOf(r).as_object();
  CHECK(Keys(d) == std::vector<std::string>{"changeset", "contact", "key_service", "endpoints"});
  json::object e = d.at("endpoints").as_array().at(0).as_object();
  CHECK(e.at("specification").as_string() == "http://wiki.open311.org/GeoReport_v2");
  CHECK(e.at("url").as_string() == "http://urp.example:8080/open311/v2");
  CHECK(e.at("type").as_string() == "production");
  CHECK(e.at("formats").as_array().size() == 2);
  CHECK(h.upstream.calls.empty());

  pt::ptree x = XmlOf(h.Send("GET", "/open311/v2/discovery.xml"));
  CHECK(x.get<std::string>("discovery.endpoints.endpoint.url") == "http://urp.example:8080/open311/v2");
  CHECK(Children(x.get_child("discovery.endpoints.endpoint.formats")) == std::vector<std::string>{"format", "format"});
}

TEST_CASE("open311: jurisdiction_id", "[open311]") {
  Harness h;
  RequireError(h.Send("GET", "/open311/v2/services.json"), 400, Format::kJson);
  RequireError(h.Send("GET", "/open311/v2/services.xml?jurisdiction_id=c_x999"), 404, Format::kXml);
  RequireError(h.Send("GET", "/open311/v2/services.json?jurisdiction_id=c_x999"), 404, Format::kJson);
  CHECK(h.Send("GET", "/open311/v2/services.json?jurisdiction_id=C_F027").status == 200);  // case-insensitive
  h.upstream.single_tenant = true;
  CHECK(h.Send("GET", "/open311/v2/services.json").status == 200);
}

TEST_CASE("open311: a jurisdiction_id that is no IPA code is a 400, never trimmed", "[open311][tenancy]") {
  Harness h;
  h.upstream.single_tenant = true;
  for (const char* query : {"jurisdiction_id=c_f027%0A", "jurisdiction_id=c_f027%00x", "jurisdiction_id=%20c_f027",
                            "jurisdiction_id=c-f027", "jurisdiction_id=c_f027%C3%A8"}) {
    INFO(query);
    RequireError(h.Send("GET", std::string("/open311/v2/services.json?") + query), 400, Format::kJson);
    RequireError(h.Send("GET", std::string("/open311/v2/requests.xml?") + query), 400, Format::kXml);
  }
  // In a form body too.
  RequireError(h.Send("POST", "/open311/v2/requests.json", "jurisdiction_id=c_f027%0A&service_code=strade-buche"),
               400, Format::kJson);
}

TEST_CASE("open311: unknown paths, formats and methods", "[open311]") {
  Harness h;
  RequireError(h.Send("GET", "/open311/v2/services"), 404, Format::kJson);
  RequireError(h.Send("GET", "/open311/v2/services.yaml"), 404, Format::kJson);
  RequireError(h.Send("GET", "/open311/v2/nothing.xml"), 404, Format::kXml);
  HttpResponse r = h.Send("DELETE", "/open311/v2/requests.json");
  RequireError(r, 405, Format::kJson);
  CHECK(r.headers.GetOr("allow") == "GET, POST");
  RequireError(h.Send("GET", "/open311/v2/services.json?jurisdiction_id=%zz"), 400, Format::kJson);
}

TEST_CASE("open311: service list", "[open311]") {
  Harness h;
  HttpResponse r = h.Send("GET", "/open311/v2/services.json?jurisdiction_id=c_f027");
  REQUIRE(r.status == 200);
  json::array list = JsonOf(r).as_array();
  REQUIRE(list.size() == 2);
  json::object s = list[0].as_object();
  CHECK(Keys(s) == std::vector<std::string>{"service_code", "service_name", "description", "metadata", "type",
                                            "keywords", "group"});
  CHECK(s.at("service_code").as_string() == "strade-buche");
  CHECK(s.at("metadata").as_bool() == true);
  CHECK(s.at("type").as_string() == "realtime");
  CHECK(s.at("keywords").as_string() == "buca,asfalto");
  CHECK(list[1].at("metadata").as_bool() == false);
  CHECK(h.upstream.calls.back() == "/sportello.v1.CatalogueService/ListCategories");

  HttpResponse xr = h.Send("GET", "/open311/v2/services.xml?jurisdiction_id=c_f027");
  pt::ptree x = XmlOf(xr);
  CHECK(Children(x.get_child("services")) == std::vector<std::string>{"service", "service"});
  CHECK(x.get<std::string>("services.service.service_name") == "Strade e viabilità");
  CHECK(x.get<std::string>("services.service.description") == "Buche & dissesti");
  CHECK(xr.body.find("<description>Buche &amp; dissesti</description>") != std::string::npos);
  CHECK(x.get<std::string>("services.service.metadata") == "true");
}

TEST_CASE("open311: service definition", "[open311]") {
  Harness h;
  HttpResponse r = h.Send("GET", "/open311/v2/services/strade-buche.json?jurisdiction_id=c_f027");
  REQUIRE(r.status == 200);
  json::object d = JsonOf(r).as_object();
  CHECK(d.at("service_code").as_string() == "strade-buche");
  json::object a = d.at("attributes").as_array().at(0).as_object();
  CHECK(Keys(a) == std::vector<std::string>{"variable", "code", "datatype", "required", "datatype_description",
                                            "order", "description", "values"});
  CHECK(a.at("variable").as_bool());
  CHECK(a.at("datatype").as_string() == "singlevaluelist");
  CHECK(a.at("order").as_int64() == 1);
  CHECK(a.at("values").as_array().at(0).as_object() == json::object{{"key", "buca"}, {"name", "Buca"}});

  pt::ptree x = XmlOf(h.Send("GET", "/open311/v2/services/strade-buche.xml?jurisdiction_id=c_f027"));
  CHECK(x.get<std::string>("service_definition.service_code") == "strade-buche");
  CHECK(x.get<std::string>("service_definition.attributes.attribute.code") == "tipo_dissesto");
  CHECK(x.get<std::string>("service_definition.attributes.attribute.values.value.key") == "buca");
  CHECK(x.get<std::string>("service_definition.attributes.attribute.required") == "true");

  RequireError(h.Send("GET", "/open311/v2/services/nope.json?jurisdiction_id=c_f027"), 404, Format::kJson);
  RequireError(h.Send("GET", "/open311/v2/services/nope.xml?jurisdiction_id=c_f027"), 404, Format::kXml);
}

TEST_CASE("open311: POST a service request", "[open311]") {
  Harness h;
  const std::string key = ApiKey("c_f027", "partner");
  std::string body = "jurisdiction_id=c_f027&service_code=strade-buche&api_key=" + key +
                     "&lat=40.587&long=17.116&address_string=Via+Roma+1&description=Buca+in+via+Roma%21"
                     "&attribute[tipo_dissesto]=buca&attribute[lati][]=nord&attribute[lati][]=sud"
                     "&first_name=Mario&last_name=Rossi&email=m%40example.org&phone=099&device_id=x"
                     "&media_url=https%3A%2F%2Fexample.org%2Fb.jpg";
  Headers headers{{"Host", "h"}, {"Idempotency-Key", "k-1"}};
  HttpResponse r = h.Send("POST", "/open311/v2/requests.json", body, headers);
  INFO(r.body);
  REQUIRE(r.status == 200);
  json::array list = JsonOf(r).as_array();
  REQUIRE(list.size() == 1);
  CHECK(Keys(list[0].as_object()) ==
        std::vector<std::string>{"service_request_id", "token", "service_notice", "account_id"});
  CHECK(list[0].at("service_request_id").as_string() == "F027-2026-000003");
  CHECK(list[0].at("token").as_string() == "tok-abc");

  const v1::SubmitRequestRequest& s = h.upstream.submitted;
  CHECK(h.upstream.last_upstream == "complaints");
  CHECK(h.upstream.calls.back() == "/sportello.v1.ComplaintsService/SubmitRequest");
  CHECK(s.tenant() == "c_f027");
  CHECK(s.category() == "strade-buche");
  CHECK(s.kind() == v1::REQUEST_KIND_REPORT);
  CHECK(s.channel() == v1::INTAKE_CHANNEL_PARTNER);
  CHECK(s.public_());
  CHECK(s.subject().empty());
  CHECK(s.description() == "Buca in via Roma!");
  CHECK(s.location().latitude() == Approx(40.587));
  CHECK(s.location().longitude() == Approx(17.116));
  CHECK(s.address() == "Via Roma 1");
  CHECK(s.reporter().name() == "Mario Rossi");
  CHECK(s.reporter().email() == "m@example.org");
  CHECK(s.reporter().phone() == "099");
  CHECK(s.idempotency_key() == "k-1");
  REQUIRE(s.media_urls_size() == 1);
  CHECK(s.media_urls(0) == "https://example.org/b.jpg");
  REQUIRE(s.attributes_size() == 2);
  CHECK(s.attributes(0).code() == "tipo_dissesto");
  CHECK(s.attributes(0).values(0) == "buca");
  CHECK(s.attributes(1).code() == "lati");
  CHECK(std::vector<std::string>(s.attributes(1).values().begin(), s.attributes(1).values().end()) ==
        std::vector<std::string>{"nord", "sud"});
  bool bearer = false;
  for (const auto& [k, v] : h.upstream.last_metadata) bearer = bearer || (k == "authorization" && v == "Bearer " + key);
  CHECK(bearer);

  // XML, with address_id only.
  HttpResponse x = h.Send("POST", "/open311/v2/requests.xml",
                          "jurisdiction_id=c_f027&service_code=strade-buche&address_id=4711&api_key=" + key);
  REQUIRE(x.status == 200);
  pt::ptree tree = XmlOf(x);
  CHECK(tree.get<std::string>("service_requests.request.service_request_id") == "F027-2026-000003");
  CHECK(tree.get<std::string>("service_requests.request.token") == "tok-abc");
  CHECK(h.upstream.submitted.address() == "address_id: 4711");
  CHECK_FALSE(h.upstream.submitted.has_reporter());
}

TEST_CASE("open311: POST refuses bad input", "[open311]") {
  Harness h;
  const std::string key = ApiKey("c_f027", "partner");
  const std::string where = "jurisdiction_id=c_f027&lat=40.5&long=17.1";
  auto post = [&](const std::string& body, Format f = Format::kJson) {
    return h.Send("POST", f == Format::kJson ? "/open311/v2/requests.json" : "/open311/v2/requests.xml", body);
  };
  RequireError(post(where + "&api_key=" + key), 400, Format::kJson);  // no service_code
  RequireError(post(where + "&api_key=" + key, Format::kXml), 400, Format::kXml);
  RequireError(post("jurisdiction_id=c_f027&service_code=strade-buche&api_key=" + key), 400);  // no location
  RequireError(post("jurisdiction_id=c_f027&service_code=strade-buche&lat=40.5&api_key=" + key), 400);
  RequireError(post("jurisdiction_id=c_f027&service_code=strade-buche&lat=north&long=17&api_key=" + key), 400);
  // strtod's other spellings are not coordinates: hexadecimal, infinities, NaN.
  for (const char* odd : {"0x1p3", "inf", "nan", "1e400", "8e", "0x10"}) {
    INFO(odd);
    RequireError(post("jurisdiction_id=c_f027&service_code=strade-buche&lat=" + std::string(odd) +
                      "&long=17&api_key=" + key), 400);
    RequireError(post("jurisdiction_id=c_f027&service_code=strade-buche&lat=40&long=" + std::string(odd) +
                      "&api_key=" + key), 400);
  }
  RequireError(post(where + "&service_code=strade-buche"), 400);  // no api_key
  RequireError(post(where + "&service_code=strade-buche&api_key=not-a-key"), 403);
  RequireError(post(where + "&service_code=strade-buche&api_key=not-a-key", Format::kXml), 403, Format::kXml);
  RequireError(post(where + "&service_code=strade-buche&api_key=" + ApiKey("c_f027", "operator")), 403);
  RequireError(post(where + "&service_code=strade-buche&api_key=" + ApiKey("c_d171", "partner")), 403);
  CHECK(post(where + "&service_code=strade-buche&api_key=" + ApiKey("u_gravine", "partner")).status == 200);
  // Refused by the service: a bad signature, a violation.
  RequireError(post(where + "&service_code=strade-buche&api_key=" + ApiKey("c_f027", "partner", "bad")), 403);
  HttpResponse v = post(where + "&service_code=strade-buche&description=invalid&api_key=" + key);
  RequireError(v, 400);
  CHECK(v.body.find("description: too short") != std::string::npos);
  // Malformed bodies.
  RequireError(post(where + "&service_code=strade-buche&description=%zz&api_key=" + key), 400);
  RequireError(post(where + "&service_code=strade-buche&attribute[x=1&api_key=" + key), 400);
  RequireError(post(where + "&service_code=strade-buche&attribute[]=1&api_key=" + key), 400);
  RequireError(post(where + "&service_code=strade-buche&attribute[a][b]=1&api_key=" + key), 400);
  HttpRequest json_body{"POST", "/open311/v2/requests.json", {{"Content-Type", "application/json"}}, "{}"};
  std::optional<HttpResponse> out;
  Handle(json_body, h.upstream, h.options, [&](HttpResponse r) { out = std::move(r); });
  RequireError(*out, 400, Format::kJson);
}

TEST_CASE("open311: GET service requests with filters and paging", "[open311]") {
  Harness h;
  HttpResponse r = h.Send("GET", "/open311/v2/requests.json?jurisdiction_id=c_f027");
  REQUIRE(r.status == 200);
  json::array list = JsonOf(r).as_array();
  REQUIRE(list.size() == 2);  // two pages walked
  CHECK(h.upstream.listed.size() == 2);
  json::object a = list[0].as_object();
  CHECK(Keys(a) == kRequestFields);
  CHECK(a.at("service_request_id").as_string() == "F027-2026-000001");
  CHECK(a.at("status").as_string() == "open");
  CHECK(a.at("status_notes").as_string() == "In lavorazione");
  CHECK(a.at("service_name").as_string() == "Strade e viabilità");
  CHECK(a.at("agency_responsible").as_string() == "Ufficio Tecnico - Lavori pubblici");
  CHECK(a.at("requested_datetime").as_string() == "2026-11-20T10:00:00+01:00");
  CHECK(a.at("updated_datetime").as_string() == "2026-11-21T11:30:00+01:00");
  CHECK(a.at("expected_datetime").as_string() == "2026-12-20T10:00:00+01:00");
  CHECK(a.at("lat").as_double() == Approx(40.5871234));
  CHECK(a.at("media_url").as_string() == "https://example.org/buca.jpg");
  json::object b = list[1].as_object();
  CHECK(b.at("status").as_string() == "closed");
  CHECK(b.at("address").as_string() == "");
  CHECK(b.at("address_id").as_string() == "4711");
  CHECK(b.at("agency_responsible").as_string() == "ufficio-sconosciuto");  // name unknown: the id
  CHECK(b.at("lat").is_null());
  CHECK(b.at("expected_datetime").is_null());
  CHECK(b.at("requested_datetime").as_string() == "2026-07-01T12:00:00+02:00");
  CHECK(r.body.find("Mario") == std::string::npos);
  CHECK(r.body.find("mario@") == std::string::npos);

  // The default window: the last 90 days up to now.
  const auto& sent = h.upstream.listed[0];
  CHECK(sent.tenant() == "c_f027");
  CHECK(sent.created_before().seconds() == absl::ToUnixSeconds(At("2026-11-24T20:05:00Z")));
  CHECK(sent.created_after().seconds() == absl::ToUnixSeconds(At("2026-11-24T20:05:00Z") - kMaxWindow));
  CHECK_FALSE(sent.open_only());
  CHECK_FALSE(sent.closed_only());

  // Filters.
  h.upstream.listed.clear();
  r = h.Send("GET", "/open311/v2/requests.xml?jurisdiction_id=c_f027&service_code=strade-buche&status=open"
                    "&start_date=2026-11-01T00:00:00%2B01:00&end_date=2026-11-24T00:00:00Z");
  REQUIRE(r.status == 200);
  const auto& filtered = h.upstream.listed.at(0);
  CHECK(filtered.category() == "strade-buche");
  CHECK(filtered.open_only());
  CHECK_FALSE(filtered.closed_only());
  CHECK(filtered.created_after().seconds() == absl::ToUnixSeconds(At("2026-10-31T23:00:00Z")));
  pt::ptree x = XmlOf(r);
  CHECK(Children(x.get_child("service_requests")) == std::vector<std::string>{"request", "request"});
  CHECK(Children(x.get_child("service_requests.request")) == kRequestFields);
  CHECK(x.get<std::string>("service_requests.request.description") == "Buca profonda <pericolosa> & larga");
  CHECK(r.body.find("Buca profonda &lt;pericolosa&gt; &amp; larga") != std::string::npos);
  CHECK(h.Send("GET", "/open311/v2/requests.json?jurisdiction_id=c_f027&status=closed").status == 200);
  CHECK(h.upstream.listed.back().closed_only());
  CHECK(h.Send("GET", "/open311/v2/requests.json?jurisdiction_id=c_f027&status=open,closed").status == 200);
  CHECK_FALSE(h.upstream.listed.back().closed_only());
  CHECK_FALSE(h.upstream.listed.back().open_only());

  // Ids override the other filters.
  h.upstream.listed.clear();
  r = h.Send("GET", "/open311/v2/requests.json?jurisdiction_id=c_f027&service_request_id=F027-2026-000002,%20F027-2026-000009"
                    "&start_date=bad");
  REQUIRE(r.status == 200);
  CHECK(JsonOf(r).as_array().size() == 1);
  CHECK(h.upstream.listed[0].numbers_size() == 2);
  CHECK_FALSE(h.upstream.listed[0].has_created_after());

  // Paging extension: page 2 of size 1.
  r = h.Send("GET", "/open311/v2/requests.json?jurisdiction_id=c_f027&page=2&page_size=1");
  REQUIRE(r.status == 200);
  list = JsonOf(r).as_array();
  REQUIRE(list.size() == 1);
  CHECK(list[0].at("service_request_id").as_string() == "F027-2026-000002");
  CHECK(JsonOf(h.Send("GET", "/open311/v2/requests.json?jurisdiction_id=c_f027&page=3&page_size=1")).as_array().empty());

  // Bad input.
  for (const char* bad : {"start_date=yesterday", "end_date=2026-13-45", "status=pending",
                          "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
                          "start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "page=0",
                          "page_size=1001", "page_size=abc", "page=11&page_size=1000"}) {
    INFO(bad);
    RequireError(h.Send("GET", std::string("/open311/v2/requests.json?jurisdiction_id=c_f027&") + bad), 400,
                 Format::kJson);
    RequireError(h.Send("GET", std::string("/open311/v2/requests.xml?jurisdiction_id=c_f027&") + bad), 400,
                 Format::kXml);
  }
}

TEST_CASE("open311: GET one service request", "[open311]") {
  Harness h;
  HttpResponse r = h.Send("GET", "/open311/v2/requests/F027-2026-000001.json?jurisdiction_id=c_f027");
  REQUIRE(r.status == 200);
  json::array list = JsonOf(r).as_array();
  REQUIRE(list.size() == 1);
  CHECK(list[0].at("service_request_id").as_string() == "F027-2026-000001");
  CHECK(h.upstream.listed.at(0).numbers(0) == "F027-2026-000001");
  pt::ptree x = XmlOf(h.Send("GET", "/open311/v2/requests/F027-2026-000001.xml?jurisdiction_id=c_f027"));
  CHECK(x.get<std::string>("service_requests.request.status") == "open");
  RequireError(h.Send("GET", "/open311/v2/requests/F027-2026-999999.json?jurisdiction_id=c_f027"), 404, Format::kJson);
  RequireError(h.Send("GET", "/open311/v2/requests/F027-2026-999999.xml?jurisdiction_id=c_f027"), 404, Format::kXml);
}

TEST_CASE("open311: service request id from a token", "[open311]") {
  Harness h;
  HttpResponse r = h.Send("GET", "/open311/v2/tokens/tok-abc.json?jurisdiction_id=c_f027");
  REQUIRE(r.status == 200);
  json::array list = JsonOf(r).as_array();
  REQUIRE(list.size() == 1);
  CHECK(Keys(list[0].as_object()) == std::vector<std::string>{"service_request_id", "token"});
  CHECK(list[0].at("service_request_id").as_string() == "F027-2026-000003");
  CHECK(list[0].at("token").as_string() == "tok-abc");
  pt::ptree x = XmlOf(h.Send("GET", "/open311/v2/tokens/tok-abc.xml?jurisdiction_id=c_f027"));
  CHECK(x.get<std::string>("service_requests.request.service_request_id") == "F027-2026-000003");
  RequireError(h.Send("GET", "/open311/v2/tokens/nope.json?jurisdiction_id=c_f027"), 404, Format::kJson);
  // A token of another jurisdiction is not found here.
  RequireError(h.Send("GET", "/open311/v2/tokens/tok-abc.xml?jurisdiction_id=c_d171"), 404, Format::kXml);
}

TEST_CASE("open311: servicerequestupdates extension", "[open311]") {
  Harness h;
  HttpResponse r = h.Send("GET", "/open311/v2/servicerequestupdates.json?jurisdiction_id=c_f027"
                                 "&start_date=2026-11-01T00:00:00Z");
  REQUIRE(r.status == 200);
  CHECK(h.upstream.since.seconds() == absl::ToUnixSeconds(At("2026-11-01T00:00:00Z")));
  json::object u = JsonOf(r).as_array().at(0).as_object();
  CHECK(Keys(u) == std::vector<std::string>{"update_id", "service_request_id", "status", "status_notes",
                                            "updated_datetime", "description", "media_url"});
  CHECK(u.at("update_id").as_string() == "7");
  CHECK(u.at("status").as_string() == "closed");
  CHECK(u.at("updated_datetime").as_string() == "2026-11-22T09:00:00+01:00");
  pt::ptree x = XmlOf(h.Send("GET", "/open311/v2/servicerequestupdates.xml?jurisdiction_id=c_f027"));
  CHECK(x.get<std::string>("service_request_updates.request_update.service_request_id") == "F027-2026-000001");
  // An end_date before the update leaves it out.
  r = h.Send("GET", "/open311/v2/servicerequestupdates.json?jurisdiction_id=c_f027&start_date=2026-11-01T00:00:00Z"
                    "&end_date=2026-11-21T00:00:00Z");
  CHECK(JsonOf(r).as_array().empty());
  RequireError(h.Send("GET", "/open311/v2/servicerequestupdates.json?jurisdiction_id=c_f027&start_date=x"), 400,
               Format::kJson);
}

TEST_CASE("open311: upstream failures keep the error shape", "[open311]") {
  testing::FakeUpstream failing;
  failing.fail_with = absl::UnavailableError("connection refused to 10.0.0.7");
  Options options;
  std::optional<HttpResponse> out;
  Handle({"GET", "/open311/v2/services.xml?jurisdiction_id=c_f027", {}, ""}, failing, options,
         [&](HttpResponse r) { out = std::move(r); });
  REQUIRE(out);
  RequireError(*out, 503, Format::kXml);
  CHECK(out->body.find("10.0.0.7") == std::string::npos);
}

TEST_CASE("open311: the transcoder hands /open311/v2 over", "[open311]") {
  auto table = RouteTable::FromGeneratedPool();
  REQUIRE(table.ok());
  Open311Upstream upstream;
  MetricsRegistry metrics;
  Transcoder transcoder(*table, upstream, metrics);
  std::optional<HttpResponse> out;
  transcoder.Handle({"GET", "/open311/v2/services.json?jurisdiction_id=c_f027", {{"x-request-id", "r-1"}}, ""},
                    [&](HttpResponse r) { out = std::move(r); });
  REQUIRE(out);
  CHECK(out->status == 200);
  CHECK(out->headers.GetOr("x-request-id") == "r-1");
  CHECK(json::parse(out->body).as_array().size() == 2);
  CHECK(metrics.Render().find("route=\"open311\"") != std::string::npos);
  CHECK(Matches("/open311/v2"));
  CHECK(Matches("/open311/v2/services.json"));
  CHECK_FALSE(Matches("/open311/v20/services.json"));
  CHECK_FALSE(Matches("/api/v1/tenants"));
}

}  // namespace sportello::gateway::open311
