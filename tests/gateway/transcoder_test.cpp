// Field binding, JSON in and out, problem+json mapping and ETags of the
// transcoder, with an in-process Upstream.
#include "gateway/transcoder.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/timestamp.pb.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "common/text_checks.h"
#include "sportello/v1/complaints.pb.h"
#include "tests/gateway/fake_upstream.h"

namespace sportello::gateway {
namespace {

namespace pb = google::protobuf;
namespace json = boost::json;

// A message type built at run time with every kind of field the binder handles.
class ProbeType {
 public:
  ProbeType() {
    pb::FileDescriptorProto ts;
    pb::Timestamp::descriptor()->file()->CopyTo(&ts);
    REQUIRE(pool_.BuildFile(ts) != nullptr);
    pb::FileDescriptorProto file;
    REQUIRE(pb::TextFormat::ParseFromString(R"pb(
      name: "probe.proto" package: "probe" syntax: "proto3"
      dependency: "google/protobuf/timestamp.proto"
      enum_type { name: "Color" value { name: "COLOR_UNSPECIFIED" number: 0 }
                  value { name: "RED" number: 1 } value { name: "GREEN" number: 2 } }
      message_type {
        name: "Probe"
        field { name: "count" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 json_name: "count" }
        field { name: "big" number: 2 label: LABEL_OPTIONAL type: TYPE_INT64 json_name: "big" }
        field { name: "flag" number: 3 label: LABEL_OPTIONAL type: TYPE_BOOL json_name: "flag" }
        field { name: "tags" number: 4 label: LABEL_REPEATED type: TYPE_STRING json_name: "tags" }
        field { name: "ids" number: 5 label: LABEL_REPEATED type: TYPE_INT32 json_name: "ids" }
        field { name: "color" number: 6 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".probe.Color" json_name: "color" }
        field { name: "inner" number: 7 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".probe.Inner" json_name: "inner" }
        field { name: "at" number: 8 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Timestamp" json_name: "at" }
        field { name: "page_size" number: 9 label: LABEL_OPTIONAL type: TYPE_INT32 json_name: "pageSize" }
      }
      message_type {
        name: "Inner"
        field { name: "name" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING json_name: "name" }
        field { name: "color" number: 2 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".probe.Color" json_name: "color" }
      }
    )pb", &file));
    const pb::FileDescriptor* fd = pool_.BuildFile(file);
    REQUIRE(fd != nullptr);
    type_ = fd->FindMessageTypeByName("Probe");
  }

  std::unique_ptr<pb::Message> New() { return std::unique_ptr<pb::Message>(factory_.GetPrototype(type_)->New()); }

 private:
  pb::DescriptorPool pool_;
  pb::DynamicMessageFactory factory_{&pool_};
  const pb::Descriptor* type_ = nullptr;
};

Route RouteFor(const char* tmpl, const char* body = "") {
  Route r;
  r.http_method = "GET";
  r.path = *PathTemplate::Parse(tmpl);
  r.body = body;
  return r;
}

std::string Text(const pb::Message& m) {
  std::string out;
  pb::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  printer.PrintToString(m, &out);
  return out;
}

TEST_CASE("path variables and query parameters bind to fields", "[transcoder]") {
  ProbeType probe;
  Route route = RouteFor("/v1/probes/{inner.name}");
  auto msg = probe.New();
  auto st = BindRequest(route, {{"inner.name", "a b"}},
                        "count=-7&big=9007199254740993&flag=true&tags=x&tags=y%2Bz&ids=1&ids=2"
                        "&color=GREEN&inner.color=1&at=2024-05-01T10:00:00Z&pageSize=20",
                        "", *msg);
  REQUIRE(st.ok());
  CHECK(Text(*msg) ==
        "count: -7 big: 9007199254740993 flag: true tags: \"x\" tags: \"y+z\" ids: 1 ids: 2 color: GREEN "
        "inner { name: \"a b\" color: RED } at { seconds: 1714557600 } page_size: 20 ");
}

// Found by fuzz_transcoder (tests/fuzz/regressions/fuzz_transcoder/): the
// query is a view into a longer buffer, as when a caller slices a target.
// Boost.URL 1.81's parse_query read on past the view's end (strlen) and bound
// what followed it: here page_size=57 instead of 5, and ASan reported a heap
// overflow when the buffer ended there.
TEST_CASE("a query string view is read up to its end and not beyond", "[transcoder][fuzz]") {
  ProbeType probe;
  Route route = RouteFor("/v1/probes");
  const std::string buffer = "count=3&pageSize=57&nope=1";
  const std::string_view query(buffer.data(), buffer.find("7&nope"));  // "count=3&pageSize=5"
  auto msg = probe.New();
  REQUIRE(BindRequest(route, {}, query, "", *msg).ok());
  CHECK(Text(*msg) == "count: 3 page_size: 5 ");
  // A heap buffer that ends exactly where the query does: nothing after it to read.
  auto owned = std::make_unique<char[]>(query.size());
  std::copy(query.begin(), query.end(), owned.get());
  auto again = probe.New();
  REQUIRE(BindRequest(route, {}, std::string_view(owned.get(), query.size()), "", *again).ok());
  CHECK(Text(*again) == "count: 3 page_size: 5 ");
}

TEST_CASE("bad query parameters are 400 with one violation each", "[transcoder]") {
  ProbeType probe;
  Route route = RouteFor("/v1/probes/{inner.name}");
  struct Case {
    const char* query;
    const char* field;
  };
  const Case cases[] = {
      {"count=2147483648", "count"},          // int32 overflow
      {"count=12abc", "count"},
      {"big=99999999999999999999", "big"},    // int64 overflow
      {"flag=yes", "flag"},
      {"color=PURPLE", "color"},
      {"color=9", "color"},
      {"at=yesterday", "at"},
      {"nope=1", "nope"},                     // unknown
      {"inner=x", "inner"},                   // a message, not a value
      {"inner.name=x", "inner.name"},         // bound by the path
  };
  for (const auto& c : cases) {
    INFO(c.query);
    auto msg = probe.New();
    auto st = BindRequest(route, {{"inner.name", "n"}}, c.query, "", *msg);
    CHECK(st.code() == absl::StatusCode::kInvalidArgument);
    auto violations = FieldViolations(st);
    REQUIRE(violations.size() == 1);
    CHECK(violations[0].field == c.field);
  }
  auto msg = probe.New();
  auto en = BindRequest(route, {}, "nope=1", "", *msg, /*english=*/true);
  CHECK(FieldViolations(en).at(0).description == "unknown field");
  auto it = BindRequest(route, {}, "nope=1", "", *msg, /*english=*/false);
  CHECK(FieldViolations(it).at(0).description == "campo sconosciuto");
}

TEST_CASE("body star versus a named body field", "[transcoder]") {
  auto table = RouteTable::FromGeneratedPool();
  REQUIRE(table.ok());
  const Route* create = table->Match("POST", "/api/v1/tenants").route;
  REQUIRE(create != nullptr);

  v1::CreateTenantRequest named;
  REQUIRE(BindRequest(*create, {}, "", R"({"name":"Massafra","address":{"province":"TA"},"demo":true})", named).ok());
  CHECK(named.tenant().name() == "Massafra");
  CHECK(named.tenant().address().province() == "TA");
  CHECK(named.tenant().demo());

  Route star = *create;
  star.body = "*";
  v1::CreateTenantRequest whole;
  REQUIRE(BindRequest(star, {}, "", R"({"tenant":{"ipa_code":"c_f027"}})", whole).ok());
  CHECK(whole.tenant().ipa_code() == "c_f027");
  // With body "*" no query parameter is left to bind.
  v1::CreateTenantRequest with_query;
  CHECK(BindRequest(star, {}, "tenant.name=x", "{}", with_query).code() == absl::StatusCode::kInvalidArgument);
  // With a named body the other fields still come from the query; the body field does not.
  v1::CreateTenantRequest body_in_query;
  CHECK(BindRequest(*create, {}, "tenant.name=x", "{}", body_in_query).code() ==
        absl::StatusCode::kInvalidArgument);

  v1::CreateTenantRequest bad;
  auto invalid = BindRequest(*create, {}, "", R"({"name":)", bad);
  CHECK(invalid.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(invalid.message()).find("corpo JSON non valido") == 0);
  auto unknown = BindRequest(*create, {}, "", R"({"colour":"red"})", bad, /*english=*/true);
  CHECK(unknown.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(unknown.message()).find("invalid JSON body") == 0);
  CHECK(std::string(unknown.message()).find("colour") != std::string::npos);
}

struct Harness {
  Harness() : table(*RouteTable::FromGeneratedPool()), transcoder(table, upstream, metrics, {std::chrono::milliseconds(1234)}) {}

  HttpResponse Run(HttpRequest req) {
    std::optional<HttpResponse> out;
    transcoder.Handle(std::move(req), [&](HttpResponse r) { out = std::move(r); });
    REQUIRE(out.has_value());  // the fake upstream answers inline
    return *out;
  }

  RouteTable table;
  testing::FakeUpstream upstream;
  MetricsRegistry metrics;
  Transcoder transcoder;
};

TEST_CASE("GET is transcoded to the RPC and back to JSON", "[transcoder]") {
  Harness h;
  HttpResponse r = h.Run({"GET", "/api/v1/tenants/c_f027",
                          {{"Authorization", "Bearer t"}, {"X-Request-Id", "rid-1"}, {"Accept-Language", "it"}}, ""});
  CHECK(r.status == 200);
  CHECK(r.headers.GetOr("content-type") == "application/json");
  CHECK(r.headers.GetOr("x-request-id") == "rid-1");
  CHECK(h.upstream.last_upstream == "catalogue");
  CHECK(h.upstream.last_method == "/sportello.v1.CatalogueService/GetTenant");
  CHECK(h.upstream.last_deadline == std::chrono::milliseconds(1234));
  CHECK(h.upstream.last_metadata ==
        Metadata{{"x-request-id", "rid-1"}, {"authorization", "Bearer t"}, {"accept-language", "it"}});
  json::object body = json::parse(r.body).as_object();
  CHECK(body.at("ipa_code") == "c_f027");
  CHECK(body.at("kind") == "TENANT_KIND_COMUNE");
  CHECK(body.at("parent_ipa_code") == "");  // defaults printed, proto names
  CHECK(body.at("demo") == false);
  CHECK(body.at("create_time") == "2023-11-14T22:13:20Z");
  CHECK(h.metrics.Render().find(R"(sportello_gateway_requests_total{route="GET /api/v1/tenants/{ipa_code}",status="200"} 1)") !=
        std::string::npos);
}

TEST_CASE("ETag on 200 GET and 304 when If-None-Match matches", "[transcoder]") {
  Harness h;
  HttpResponse first = h.Run({"GET", "/api/v1/tenants/c_f027", {}, ""});
  std::string etag = first.headers.GetOr("etag");
  REQUIRE(etag.size() == 34);
  CHECK(etag.front() == '"');
  HttpResponse again = h.Run({"GET", "/api/v1/tenants/c_f027", {{"If-None-Match", "\"other\", " + etag}}, ""});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.headers.GetOr("etag") == etag);
  HttpResponse changed = h.Run({"GET", "/api/v1/tenants/c_f028", {{"If-None-Match", etag}}, ""});
  CHECK(changed.status == 200);
  CHECK(changed.headers.GetOr("etag") != etag);
  HttpResponse post = h.Run({"POST", "/api/v1/tenants", {}, R"({"ipa_code":"x"})"});
  CHECK(post.status == 200);
  CHECK_FALSE(post.headers.Get("etag").has_value());
}

TEST_CASE("routing failures and binding failures are problems", "[transcoder]") {
  Harness h;
  HttpResponse missing = h.Run({"GET", "/api/v1/nothing", {}, ""});
  CHECK(missing.status == 404);
  CHECK(missing.headers.GetOr("content-type") == "application/problem+json");
  HttpResponse wrong = h.Run({"DELETE", "/api/v1/tenants", {}, ""});
  CHECK(wrong.status == 405);
  CHECK(wrong.headers.GetOr("allow") == "GET, POST");
  HttpResponse unknown = h.Run({"GET", "/api/v1/tenants?colour=red", {}, ""});
  CHECK(unknown.status == 400);
  json::object body = json::parse(unknown.body).as_object();
  CHECK(body.at("errors").as_array().at(0).as_object().at("field") == "colour");
  HttpResponse bad_json = h.Run({"POST", "/api/v1/tenants", {}, "{nope"});
  CHECK(bad_json.status == 400);
  CHECK(h.upstream.calls == 0);
  HttpResponse list = h.Run({"GET", "/api/v1/tenants?kind=TENANT_KIND_UNIONE&page_size=5", {}, ""});
  CHECK(list.status == 200);
  v1::ListTenantsRequest sent;
  REQUIRE(sent.ParseFromString(h.upstream.last_request));
  CHECK(sent.kind() == v1::TENANT_KIND_UNIONE);
  CHECK(sent.page_size() == 5);
}

TEST_CASE("every gRPC code maps through problem+json", "[transcoder]") {
  for (int code = 1; code <= 16; ++code) {
    auto c = static_cast<absl::StatusCode>(code);
    INFO(CodeName(c));
    for (bool english : {false, true}) {
      Harness h;
      h.upstream.fail_with = absl::Status(c, "secret database detail");
      HttpResponse r = h.Run({"GET", "/api/v1/tenants/c_f027", {{"Accept-Language", english ? "en-GB,en;q=0.9" : "it-IT"}}, ""});
      CHECK(r.status == HttpStatusFromCode(c));
      CHECK(r.headers.GetOr("content-type") == "application/problem+json");
      json::object body = json::parse(r.body).as_object();
      CHECK(body.at("status") == r.status);
      CHECK(body.at("type") == "about:blank");
      CHECK(body.at("instance") == "/api/v1/tenants/c_f027");
      CHECK(body.at("title") == json::value(ProblemTitle(r.status, english)));
      CHECK(ProblemTitle(r.status, english) != ProblemTitle(r.status, !english));
      bool leaked = std::string(body.at("detail").as_string()).find("secret") != std::string::npos;
      CHECK(leaked == (r.status < 500));
      // Retry-After where retrying later is the answer.
      CHECK(r.headers.Get("retry-after").has_value() == (r.status == 429 || r.status == 503));
    }
  }
  CHECK(ProblemTitle(404, false) == "Risorsa non trovata");
  CHECK(ProblemTitle(404, true) == "Not Found");
}

// What `f` writes to stderr (where the JSON log goes), read back from a file.
template <class F>
std::string CaptureStderr(F f) {
  char path[] = "/tmp/transcoder_test_log_XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  std::fflush(stderr);
  int saved = dup(2);
  dup2(fd, 2);
  f();
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(fd);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::remove(path);
  return text.str();
}

TEST_CASE("an upstream error is logged with the route template, never the raw path", "[transcoder]") {
  // The path of GET /api/v1/invitations/{token} carries an invitation token.
  const std::string token = "Zq3xSecretInvitationToken42";
  Harness h;
  h.upstream.fail_with = absl::InternalError("connection reset");
  HttpResponse r;
  std::string logged = CaptureStderr([&] { r = h.Run({"GET", "/api/v1/invitations/" + token, {}, ""}); });
  CHECK(r.status == 500);
  CHECK(logged.find("upstream error") != std::string::npos);
  CHECK(logged.find(R"("route":"GET /api/v1/invitations/{token}")") != std::string::npos);
  CHECK(logged.find(token) == std::string::npos);
  // The client still sees its own path in the problem.
  CHECK(json::parse(r.body).as_object().at("instance") == json::value("/api/v1/invitations/" + token));
}

TEST_CASE("field violations from the upstream reach the problem body", "[transcoder]") {
  Harness h;
  h.upstream.fail_with = InvalidArgument({{"tenant.pec", "indirizzo PEC non valido"}});
  HttpResponse r = h.Run({"POST", "/api/v1/tenants", {}, "{}"});
  CHECK(r.status == 400);
  json::array errors = json::parse(r.body).as_object().at("errors").as_array();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].as_object().at("field") == "tenant.pec");
  CHECK(errors[0].as_object().at("description") == "indirizzo PEC non valido");
}

TEST_CASE("Accept-Language preference", "[transcoder]") {
  CHECK_FALSE(PrefersEnglish(""));
  CHECK_FALSE(PrefersEnglish("it-IT,it;q=0.9,en;q=0.8"));
  CHECK(PrefersEnglish("en-US,en;q=0.9,it;q=0.8"));
  CHECK(PrefersEnglish("fr, en;q=0.5"));
  CHECK_FALSE(PrefersEnglish("fr, de"));
  CHECK(PrefersEnglish("it;q=0.2, en"));
  CHECK_FALSE(PrefersEnglish("en;q=0"));
}

std::vector<std::string> MaskOf(const pb::Message& request) {
  const auto* f = request.GetDescriptor()->FindFieldByName("update_mask");
  const auto& mask = static_cast<const pb::FieldMask&>(request.GetReflection()->GetMessage(request, f));
  return {mask.paths().begin(), mask.paths().end()};
}

TEST_CASE("PATCH without update_mask: the mask is the fields present in the body (AIP-134)", "[transcoder]") {
  auto table = RouteTable::FromGeneratedPool();
  REQUIRE(table.ok());
  RouteMatch service = table->Match("PATCH", "/api/v1/services/s1");
  REQUIRE(service.route != nullptr);
  REQUIRE(service.route->body == "service");

  v1::UpdateServiceRequest only_description;
  REQUIRE(BindRequest(*service.route, service.bindings, "", R"({"description":"x"})", only_description).ok());
  CHECK(only_description.service().id() == "s1");  // from the path, not a masked field
  CHECK(MaskOf(only_description) == std::vector<std::string>{"description"});

  // JSON names map to proto names; arrays, enums, timestamps and nested
  // messages with no object in the body are leaves.
  v1::UpdateServiceRequest several;
  REQUIRE(BindRequest(*service.route, service.bindings, "",
                      R"({"shortDescription":"s","themes":["tributi"],"status":"SERVICE_STATUS_INACTIVE",)"
                      R"("last_reviewed_at":"2024-05-01T10:00:00Z","channels":[]})",
                      several).ok());
  CHECK(MaskOf(several) ==
        std::vector<std::string>{"channels", "last_reviewed_at", "short_description", "status", "themes"});

  // The client's own mask wins, whatever the body holds.
  v1::UpdateServiceRequest explicit_mask;
  REQUIRE(BindRequest(*service.route, service.bindings, "update_mask=name", R"({"description":"x"})",
                      explicit_mask).ok());
  CHECK(MaskOf(explicit_mask) == std::vector<std::string>{"name"});

  // Nested objects give dotted leaf paths; an empty object is a leaf.
  RouteMatch office = table->Match("PATCH", "/api/v1/offices/o1");
  REQUIRE(office.route != nullptr);
  v1::UpdateOfficeRequest nested;
  REQUIRE(BindRequest(*office.route, office.bindings, "",
                      R"({"address":{"street":"Via Roma 1","province":"TA"},"position":{},"name":"URP"})",
                      nested).ok());
  CHECK(MaskOf(nested) == std::vector<std::string>{"address.province", "address.street", "name", "position"});

  // Not a PATCH, or no body: nothing is added.
  Route put = *service.route;
  put.http_method = "PUT";
  v1::UpdateServiceRequest replaced;
  REQUIRE(BindRequest(put, service.bindings, "", R"({"description":"x"})", replaced).ok());
  CHECK(MaskOf(replaced).empty());
  v1::UpdateServiceRequest empty_body;
  REQUIRE(BindRequest(*service.route, service.bindings, "", "", empty_body).ok());
  CHECK(MaskOf(empty_body).empty());
}

TEST_CASE("FieldMaskFromBody follows grpc-gateway's walk", "[transcoder]") {
  ProbeType probe;
  const pb::Descriptor* type = probe.New()->GetDescriptor();
  CHECK(FieldMaskFromBody(type, R"({"count":1,"inner":{"name":"a","color":"RED"},"at":"2024-01-01T00:00:00Z"})") ==
        std::vector<std::string>{"at", "count", "inner.color", "inner.name"});
  CHECK(FieldMaskFromBody(type, R"({"inner":null,"tags":["a"],"pageSize":3})") ==
        std::vector<std::string>{"inner", "page_size", "tags"});
  CHECK(FieldMaskFromBody(type, "[1,2]").empty());
  CHECK(FieldMaskFromBody(type, "{}").empty());
}

TEST_CASE("tenants from the path or the query are canonical before anything else", "[transcoder][tenancy]") {
  CHECK(IsTenantField("tenant"));
  CHECK(IsTenantField("ipa_code"));
  CHECK(IsTenantField("parent_tenant"));
  CHECK(IsTenantField("parent_ipa_code"));
  CHECK_FALSE(IsTenantField("tenants"));
  CHECK_FALSE(IsTenantField("_tenant"));
  CHECK_FALSE(IsTenantField("name"));

  Harness h;
  for (const char* target : {"/api/v1/tenants/c_probe9%0A/requests", "/api/v1/tenants/c_f027%00x/requests",
                             "/api/v1/tenants/c%20f027/requests", "/api/v1/tenants/c_f027%C3%A8/requests"}) {
    INFO(target);
    HttpResponse r = h.Run({"POST", target, {}, R"({"description":"buca"})"});
    CHECK(r.status == 400);
    CHECK(r.headers.GetOr("content-type") == "application/problem+json");
    json::object body = json::parse(r.body).as_object();
    REQUIRE(body.at("errors").as_array().size() == 1);
    CHECK(body.at("errors").as_array().at(0).as_object().at("field") == "tenant");
  }
  HttpResponse bad_get = h.Run({"GET", "/api/v1/tenants/C_F027%0A", {}, ""});
  CHECK(bad_get.status == 400);
  HttpResponse bad_filter = h.Run({"GET", "/api/v1/tenants?parent_ipa_code=u%00x", {}, ""});
  CHECK(bad_filter.status == 400);
  CHECK(h.upstream.calls == 0);  // refused before any upstream call

  // Upper case is the same tenant, sent lower-cased; an empty filter stays empty.
  HttpResponse upper = h.Run({"GET", "/api/v1/tenants/C_F027", {}, ""});
  CHECK(upper.status == 200);
  v1::GetTenantRequest sent;
  REQUIRE(sent.ParseFromString(h.upstream.last_request));
  CHECK(sent.ipa_code() == "c_f027");
  HttpResponse empty_filter = h.Run({"GET", "/api/v1/tenants?parent_ipa_code=", {}, ""});
  CHECK(empty_filter.status == 200);
}

}  // namespace
}  // namespace sportello::gateway

namespace sportello::gateway {
namespace {

TEST_CASE("oversized headers and identifiers never reach gRPC metadata", "[transcoder][limits]") {
  Harness h;
  const std::string long_id(9000, '7');
  HttpResponse id = h.Run({"GET", "/api/v1/tenants/" + long_id, {}, ""});
  CHECK(id.status == 400);
  CHECK(id.body.find(long_id) == std::string::npos);
  HttpResponse key = h.Run({"POST", "/api/v1/tenants", {{"Idempotency-Key", std::string(12000, 'k')}}, "{}"});
  CHECK(key.status == 431);
  HttpResponse auth = h.Run({"GET", "/api/v1/tenants/c_f027", {{"Authorization", "Bearer " + std::string(12000, 'a')}}, ""});
  CHECK(auth.status == 431);
  HttpResponse open311 = h.Run({"POST", "/open311/v2/requests.json", {{"Authorization", std::string(9000, 'a')}}, ""});
  CHECK(open311.status == 431);
  const std::string long_key(9000, 'q');
  HttpResponse query = h.Run({"GET", "/api/v1/tenants?" + long_key + "=1", {}, ""});
  CHECK(query.status == 400);
  CHECK(query.body.size() < 2000);
  CHECK(h.upstream.calls == 0);
  // At the limits the call goes through.
  HttpResponse ok = h.Run({"GET", "/api/v1/tenants/c_f027", {{"Idempotency-Key", std::string(200, 'k')}}, ""});
  CHECK(ok.status == 200);
}

TEST_CASE("gRPC's transport metadata limit is a 431, not a 429", "[transcoder][limits]") {
  Harness h;
  h.upstream.fail_with = absl::ResourceExhaustedError("received initial metadata size exceeds limit");
  CHECK(h.Run({"GET", "/api/v1/tenants/c_f027", {}, ""}).status == 431);
  h.upstream.fail_with = absl::ResourceExhaustedError("troppe richieste");
  CHECK(h.Run({"GET", "/api/v1/tenants/c_f027", {}, ""}).status == 429);
}

}  // namespace
}  // namespace sportello::gateway

namespace sportello::gateway {
namespace {

TEST_CASE("duplicate JSON keys and a body tenant unlike the path's are 400", "[transcoder][limits]") {
  auto table = RouteTable::FromGeneratedPool();
  REQUIRE(table.ok());
  auto submit = table->Match("POST", "/api/v1/tenants/c_f027/requests");
  REQUIRE(submit.route != nullptr);
  auto bind = [&](const std::string& body) {
    v1::SubmitRequestRequest req;
    return BindRequest(*submit.route, submit.bindings, "", body, req);
  };
  CHECK(bind(R"({"subject":"a","description":"b"})").ok());
  CHECK(bind(R"({"tenant":"c_f027","subject":"a"})").ok());
  CHECK(bind(R"({"tenant":"C_F027","subject":"a"})").ok());  // the same tenant, canonically
  CHECK(bind(R"({"tenant":"c_d171","subject":"a"})").code() == absl::StatusCode::kInvalidArgument);
  CHECK(bind(R"({"subject":"a","subject":"b"})").code() == absl::StatusCode::kInvalidArgument);
  CHECK(bind(R"({"reporter":{"name":"a","name":"b"}})").code() == absl::StatusCode::kInvalidArgument);
  CHECK(bind(R"({"subject":"a","su\u0062ject":"b"})").code() == absl::StatusCode::kInvalidArgument);
  CHECK(bind(R"({"reporter":{"name":"a"},"attributes":[{"code":"x"},{"code":"y"}]})").ok());  // same key, other objects
}

TEST_CASE("numbers in the query are plain decimals", "[transcoder][limits]") {
  for (const char* odd : {"0x1p3", "inf", "nan", "1e", "."}) {
    INFO(odd);
    CHECK_FALSE(DecimalNumber(odd));
  }
  for (const char* fine : {"8", "-8.5", "+0.25", ".5", "5.", "1e3", "1E-3"}) {
    INFO(fine);
    CHECK(DecimalNumber(fine));
  }
}

}  // namespace
}  // namespace sportello::gateway
