// Complaints' gRPC handlers in process: the real ComplaintsService over real
// gRPC, on the real PostgreSQL and Redis of ./sportello test, asking a real
// CatalogueService that runs in process too. Each test case makes its own
// tenants, so the cases do not depend on each other or on the demo data.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "common/grpc/status.h"
#include "common/status.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/opening_hours.h"
#include "services/catalogue/service_spec.h"
#include "services/complaints/catalogue_client.h"
#include "services/complaints/complaints_service.h"
#include "services/complaints/service_spec.h"
#include "services/complaints/store.h"
#include "tests/support/service_fixture.h"
#include "tests/support/test_env.h"

using namespace sportello;
using sportello::testing::InProcessService;
using sportello::testing::PrepareCall;
using sportello::testing::UniqueName;

namespace {

absl::TimeZone Rome() {
  auto zone = catalogue::RomeTimeZone();
  REQUIRE(zone.ok());
  return *zone;
}

// The catalogue and complaints services, each in process on its own port;
// complaints reaches the catalogue over gRPC as in production.
struct Services {
  absl::TimeZone zone = Rome();
  InProcessService catalogue_service{"catalogue", catalogue::Migrations()};
  InProcessService complaints_service{"complaints", complaints::Migrations()};
  std::unique_ptr<v1::CatalogueService::Stub> catalogue_stub;
  std::unique_ptr<v1::ComplaintsService::Stub> stub;

  Services() {
    auto& stores = catalogue_service.Make<catalogue::CatalogueStores>(catalogue_service.core().pool);
    auto& catalogue_rpc = catalogue_service.Runner(v1::CatalogueService::service_full_name());
    catalogue_service.Serve(catalogue_service.Make<catalogue::CatalogueService>(stores, catalogue_service.core().cache,
                                                                                catalogue_rpc, zone));
    catalogue_stub = catalogue_service.NewStub<v1::CatalogueService>();

    auto& store = complaints_service.Make<complaints::RequestStore>(complaints_service.core().pool, zone,
                                                                    complaints_service.clock());
    auto& client = complaints_service.Make<complaints::CatalogueClient>(catalogue_service.address());
    auto& rpc = complaints_service.Runner(v1::ComplaintsService::service_full_name());
    complaints::ComplaintsSettings settings;
    settings.submissions_per_minute = 1e6;  // every call comes from 127.0.0.1
    settings.submission_burst = 100000;
    complaints_service.Serve(complaints_service.Make<complaints::ComplaintsService>(
        store, client, rpc, complaints_service.core().cache, zone, complaints_service.clock(), settings));
    stub = complaints_service.NewStub<v1::ComplaintsService>();
  }

  std::string Token(const std::string& tenant, std::vector<std::string> roles, const std::string& office = "") {
    return complaints_service.Token(tenant, std::move(roles), office);
  }
};

// A tenant of the test's own, made through the in-process catalogue: two
// offices, and a reportable category "buche" routed to the first.
struct Tenant {
  std::string code, office_id, other_office_id;
};

Tenant MakeTenant(Services& s) {
  Tenant t{UniqueName("ip_"), "", ""};
  std::string admin = s.catalogue_service.Token(t.code, {"admin"});
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, admin);
    v1::CreateTenantRequest req;
    req.mutable_tenant()->set_ipa_code(t.code);
    req.mutable_tenant()->set_name("Comune in processo " + t.code);
    req.mutable_tenant()->set_kind(v1::TENANT_KIND_COMUNE);
    v1::Tenant out;
    grpc::Status status = s.catalogue_stub->CreateTenant(&ctx, req, &out);
    INFO(status.error_message());
    REQUIRE(status.ok());
  }
  for (std::string* id : {&t.office_id, &t.other_office_id}) {
    grpc::ClientContext ctx;
    PrepareCall(ctx, admin);
    v1::CreateOfficeRequest req;
    req.set_tenant(t.code);
    req.mutable_office()->set_name(id == &t.office_id ? "Lavori pubblici" : "Anagrafe");
    v1::Office out;
    grpc::Status status = s.catalogue_stub->CreateOffice(&ctx, req, &out);
    INFO(status.error_message());
    REQUIRE(status.ok());
    *id = out.id();
  }
  grpc::ClientContext ctx;
  PrepareCall(ctx, admin);
  v1::CreateServiceRequest req;
  req.set_tenant(t.code);
  v1::Service* service = req.mutable_service();
  service->set_name("Buche stradali");
  service->set_office_id(t.office_id);
  service->set_legal_deadline_days(10);
  v1::Reportable* r = service->mutable_reportable();
  r->set_enabled(true);
  r->set_service_code("buche");
  r->set_group("Strade");
  v1::CategoryAttribute* a = r->add_attributes();
  a->set_code("tipo");
  a->set_description("Tipo di dissesto");
  a->set_datatype(v1::ATTRIBUTE_DATATYPE_SINGLE_VALUE_LIST);
  a->set_required(true);
  for (const char* key : {"buca", "tombino"}) {
    v1::AttributeValue* v = a->add_values();
    v->set_key(key);
    v->set_name(key);
  }
  v1::Service out;
  grpc::Status status = s.catalogue_stub->CreateService(&ctx, req, &out);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return t;
}

v1::SubmitRequestRequest Report(const Tenant& t, const std::string& email) {
  v1::SubmitRequestRequest req;
  req.set_tenant(t.code);
  req.set_kind(v1::REQUEST_KIND_REPORT);
  req.set_category("buche");
  req.set_description("Buca davanti alla scuola");
  req.mutable_location()->set_latitude(40.58);
  req.mutable_location()->set_longitude(17.11);
  v1::AttributeAnswer* a = req.add_attributes();
  a->set_code("tipo");
  a->add_values("buca");
  req.set_public_(true);
  req.mutable_reporter()->set_name("Carla Bianchi");
  req.mutable_reporter()->set_email(email);
  return req;
}

v1::SubmitRequestResponse Submit(Services& s, const v1::SubmitRequestRequest& req) {
  grpc::ClientContext ctx;
  PrepareCall(ctx, "");
  v1::SubmitRequestResponse out;
  grpc::Status status = s.stub->SubmitRequest(&ctx, req, &out);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return out;
}

grpc::Status GetRequest(Services& s, const std::string& number, const std::string& token, const std::string& bearer,
                        v1::Request* out) {
  grpc::ClientContext ctx;
  PrepareCall(ctx, bearer);
  v1::GetRequestRequest req;
  req.set_number(number);
  req.set_token(token);
  return s.stub->GetRequest(&ctx, req, out);
}

grpc::Status Transition(Services& s, const std::string& number, v1::RequestStatus to, const std::string& bearer,
                        const std::string& token, v1::Request* out) {
  grpc::ClientContext ctx;
  PrepareCall(ctx, bearer);
  v1::TransitionRequestRequest req;
  req.set_number(number);
  req.set_to(to);
  req.set_token(token);
  req.set_note("Presa in carico");
  return s.stub->TransitionRequest(&ctx, req, out);
}

v1::ListRequestsResponse List(Services& s, const Tenant& t) {
  grpc::ClientContext ctx;
  PrepareCall(ctx, s.Token(t.code, {"operator"}));
  v1::ListRequestsRequest req;
  req.set_tenant(t.code);
  v1::ListRequestsResponse out;
  grpc::Status status = s.stub->ListRequests(&ctx, req, &out);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return out;
}

std::set<std::string> ViolatedFields(const grpc::Status& status) {
  std::set<std::string> fields;
  for (const auto& v : FieldViolations(FromGrpcStatus(status))) fields.insert(v.field);
  return fields;
}

}  // namespace

TEST_CASE("complaints in process: a submission, read with and without its token", "[complaints][inprocess]") {
  Services s;
  Tenant t = MakeTenant(s);
  std::string email = UniqueName("carla.") + "@example.it";
  v1::SubmitRequestResponse submitted = Submit(s, Report(t, email));
  const v1::Request& created = submitted.request();
  CHECK(created.tenant() == t.code);
  CHECK(created.status() == v1::REQUEST_STATUS_ASSIGNED);  // the category routes it
  CHECK(created.office_id() == t.office_id);
  CHECK(created.category_name() == "Buche stradali");
  CHECK(created.subject() == "Buche stradali");
  CHECK_FALSE(created.has_reporter());
  CHECK(submitted.tracking_token().size() >= 24);
  const std::string number = created.number();

  // With the token, anonymously: the public view.
  v1::Request seen;
  grpc::Status with_token = GetRequest(s, number, submitted.tracking_token(), "", &seen);
  INFO(with_token.error_message());
  REQUIRE(with_token.ok());
  CHECK(seen.number() == number);
  CHECK(seen.status() == v1::REQUEST_STATUS_ASSIGNED);
  CHECK_FALSE(seen.has_reporter());
  // Without it, or with a wrong one: the request does not exist for the caller.
  v1::Request none;
  CHECK(GetRequest(s, number, "", "", &none).error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(GetRequest(s, number, "not-the-token", "", &none).error_code() == grpc::StatusCode::NOT_FOUND);
  // The tenant's operator: the staff view, with the reporter.
  v1::Request staff;
  REQUIRE(GetRequest(s, number, "", s.Token(t.code, {"operator"}), &staff).ok());
  REQUIRE(staff.has_reporter());
  CHECK(staff.reporter().email() == email);
  CHECK(staff.reporter().name() == "Carla Bianchi");
}

TEST_CASE("complaints in process: operators move a request, citizens may not resolve it", "[complaints][inprocess]") {
  Services s;
  Tenant t = MakeTenant(s);
  v1::SubmitRequestResponse submitted = Submit(s, Report(t, UniqueName("c.") + "@example.it"));
  const std::string number = submitted.request().number();

  v1::Request moved;
  grpc::Status status =
      Transition(s, number, v1::REQUEST_STATUS_IN_PROGRESS, s.Token(t.code, {"operator"}), "", &moved);
  INFO(status.error_message());
  REQUIRE(status.ok());
  CHECK(moved.status() == v1::REQUEST_STATUS_IN_PROGRESS);
  // The citizen, with the token, may not resolve it; a referent of another office does not see it.
  v1::Request refused;
  CHECK(Transition(s, number, v1::REQUEST_STATUS_RESOLVED, "", submitted.tracking_token(), &refused).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  CHECK(
      Transition(s, number, v1::REQUEST_STATUS_RESOLVED, s.Token(t.code, {"referent"}, t.other_office_id), "", &refused)
          .error_code() == grpc::StatusCode::NOT_FOUND);
  // The assigned office's referent may.
  REQUIRE(
      Transition(s, number, v1::REQUEST_STATUS_RESOLVED, s.Token(t.code, {"referent"}, t.office_id), "", &moved).ok());
  CHECK(moved.status() == v1::REQUEST_STATUS_RESOLVED);

  // The history records each move, in order.
  grpc::ClientContext ctx;
  PrepareCall(ctx, s.Token(t.code, {"operator"}));
  v1::ListHistoryRequest req;
  req.set_number(number);
  v1::ListHistoryResponse history;
  REQUIRE(s.stub->ListHistory(&ctx, req, &history).ok());
  std::vector<std::pair<v1::RequestStatus, v1::RequestStatus>> moves;
  for (const auto& h : history.entries()) {
    if (h.action() == "status_changed") moves.emplace_back(h.from_status(), h.to_status());
  }
  CHECK(moves == std::vector<std::pair<v1::RequestStatus, v1::RequestStatus>>{
                     {v1::REQUEST_STATUS_ASSIGNED, v1::REQUEST_STATUS_IN_PROGRESS},
                     {v1::REQUEST_STATUS_IN_PROGRESS, v1::REQUEST_STATUS_RESOLVED}});
}

TEST_CASE("complaints in process: another tenant's operator is refused", "[complaints][inprocess]") {
  Services s;
  Tenant mine = MakeTenant(s);
  Tenant theirs = MakeTenant(s);
  v1::SubmitRequestResponse submitted = Submit(s, Report(theirs, UniqueName("c.") + "@example.it"));
  std::string intruder = s.Token(mine.code, {"operator"});

  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, intruder);
    v1::ListRequestsRequest req;
    req.set_tenant(theirs.code);
    v1::ListRequestsResponse out;
    CHECK(s.stub->ListRequests(&ctx, req, &out).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, intruder);
    v1::GetStatsRequest req;
    req.set_tenant(theirs.code);
    v1::RequestStats out;
    CHECK(s.stub->GetStats(&ctx, req, &out).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }
  // One request by number: unknown and not yours look the same.
  v1::Request out;
  CHECK(GetRequest(s, submitted.request().number(), "", intruder, &out).error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(Transition(s, submitted.request().number(), v1::REQUEST_STATUS_IN_PROGRESS, intruder, "", &out).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  // Their own operator sees it, unchanged.
  v1::ListRequestsResponse listed = List(s, theirs);
  REQUIRE(listed.requests_size() == 1);
  CHECK(listed.requests(0).number() == submitted.request().number());
  CHECK(listed.requests(0).status() == v1::REQUEST_STATUS_ASSIGNED);
}

TEST_CASE("complaints in process: invalid submissions name their fields and store nothing", "[complaints][inprocess]") {
  Services s;
  Tenant t = MakeTenant(s);
  auto submit = [&](const v1::SubmitRequestRequest& req) {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");
    v1::SubmitRequestResponse out;
    return s.stub->SubmitRequest(&ctx, req, &out);
  };

  v1::SubmitRequestRequest broken = Report(t, "non-una-email");
  broken.clear_category();
  broken.set_subject("Buca");  // without a category a report needs its own subject
  broken.mutable_location()->set_latitude(95);
  grpc::Status status = submit(broken);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ViolatedFields(status) == std::set<std::string>{"category", "location.latitude", "reporter.email"});

  // Checked against the catalogue's category: an unknown value, an unknown category.
  v1::SubmitRequestRequest bad_value = Report(t, "carla@example.it");
  bad_value.mutable_attributes(0)->set_values(0, "voragine");
  status = submit(bad_value);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ViolatedFields(status) == std::set<std::string>{"attributes[tipo]"});
  v1::SubmitRequestRequest unknown = Report(t, "carla@example.it");
  unknown.set_category("draghi");
  status = submit(unknown);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ViolatedFields(status) == std::set<std::string>{"category"});

  CHECK(List(s, t).requests_size() == 0);
  // The list is not empty by construction: a valid submission shows up in it.
  Submit(s, Report(t, "carla@example.it"));
  CHECK(List(s, t).requests_size() == 1);
}
