// The three kinds of access through the complaints service in process (real
// gRPC, PostgreSQL, Redis, the catalogue beside it) on a ManualClock: a FOIA
// request with a counter-interested party who objects, a documentary access
// refused by silence, a simple civic access answered with a link, review, the
// register of all three (paged, filtered, CSV), bad input that stores nothing,
// and no personal data in public answers, the register or the events.
#include <grpcpp/grpcpp.h>

#include <pqxx/pqxx>
#include <set>

#include <catch2/catch.hpp>

#include "common/db/pool.h"
#include "common/grpc/status.h"
#include "common/status.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/opening_hours.h"
#include "services/catalogue/service_spec.h"
#include "services/complaints/catalogue_client.h"
#include "services/complaints/complaints_service.h"
#include "services/complaints/service_spec.h"
#include "services/complaints/store.h"
#include "tests/support/poll.h"
#include "tests/support/service_fixture.h"
#include "tests/support/test_env.h"

using namespace sportello;
using sportello::testing::InProcessOptions;
using sportello::testing::InProcessService;
using sportello::testing::PrepareCall;
using sportello::testing::UniqueName;
namespace v1 = ::sportello::v1;

namespace {

absl::TimeZone Rome() {
  auto zone = catalogue::RomeTimeZone();
  REQUIRE(zone.ok());
  return *zone;
}
absl::Time At(int y, int m, int d, int h) { return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), Rome()); }

// Personal data used below: none of it may appear in public answers, the register or events.
const std::vector<std::string> kPersonal = {"Giulia", "Verdi", "giulia.verdi", "Edilizia Sud", "edsud@pec",
                                            "VRDGLI85M41L049F", "3331234567"};

bool ContainsPersonal(const std::string& text) {
  for (const auto& p : kPersonal) {
    if (text.find(p) != std::string::npos) return true;
  }
  return false;
}

struct Services {
  absl::TimeZone zone = Rome();
  ManualClock clock{At(2026, 3, 2, 9)};
  InProcessService catalogue_service{"catalogue", catalogue::Migrations()};
  InProcessService complaints_service{"complaints", complaints::Migrations(), Options()};
  std::unique_ptr<v1::CatalogueService::Stub> catalogue_stub;
  std::unique_ptr<v1::ComplaintsService::Stub> stub;
  complaints::RequestStore* store = nullptr;  // the background's calls, driven by the test

  InProcessOptions Options() {
    InProcessOptions o;
    o.clock = &clock;
    return o;
  }

  Services() {
    auto& stores = catalogue_service.Make<catalogue::CatalogueStores>(catalogue_service.core().pool);
    auto& catalogue_rpc = catalogue_service.Runner(v1::CatalogueService::service_full_name());
    catalogue_service.Serve(catalogue_service.Make<catalogue::CatalogueService>(stores, catalogue_service.core().cache,
                                                                                catalogue_rpc, zone));
    catalogue_stub = catalogue_service.NewStub<v1::CatalogueService>();
    auto& store = complaints_service.Make<complaints::RequestStore>(complaints_service.core().pool, zone, clock);
    this->store = &store;
    auto& client = complaints_service.Make<complaints::CatalogueClient>(catalogue_service.address());
    auto& rpc = complaints_service.Runner(v1::ComplaintsService::service_full_name());
    complaints::ComplaintsSettings settings;
    settings.submissions_per_minute = 1e6;
    settings.submission_burst = 100000;
    complaints_service.Serve(complaints_service.Make<complaints::ComplaintsService>(
        store, client, rpc, complaints_service.core().cache, zone, clock, settings));
    stub = complaints_service.NewStub<v1::ComplaintsService>();
  }

  std::string Operator(const std::string& tenant) { return complaints_service.Token(tenant, {"operator"}); }

  std::string MakeTenant() {
    std::string code = UniqueName("ac_");
    grpc::ClientContext ctx;
    PrepareCall(ctx, catalogue_service.Token(code, {"admin"}));
    v1::CreateTenantRequest req;
    req.mutable_tenant()->set_ipa_code(code);
    req.mutable_tenant()->set_name("Comune accessi " + code);
    req.mutable_tenant()->set_kind(v1::TENANT_KIND_COMUNE);
    v1::Tenant out;
    grpc::Status status = catalogue_stub->CreateTenant(&ctx, req, &out);
    INFO(status.error_message());
    REQUIRE(status.ok());
    return code;
  }

  // Every outbox event's data of the tenant, as text.
  std::vector<std::string> Events(const std::string& tenant) {
    auto rows = complaints_service.core().pool.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<std::string>> {
      std::vector<std::string> out;
      for (const auto& r : tx.exec_params("SELECT type || ' ' || data::text AS e FROM complaints.outbox "
                                          "WHERE tenant = $1 ORDER BY sequence", tenant)) {
        out.push_back(r["e"].as<std::string>());
      }
      return out;
    });
    REQUIRE(rows.ok());
    return *rows;
  }
};

v1::SubmitRequestRequest AccessRequest(const std::string& tenant, v1::RequestKind kind, const std::string& object) {
  v1::SubmitRequestRequest req;
  req.set_tenant(tenant);
  req.set_kind(kind);
  req.set_subject("Richiesta di accesso");
  req.set_description("Chiedo l'accesso a quanto indicato.");
  req.set_access_object(object);
  req.mutable_reporter()->set_name("Giulia Verdi");
  req.mutable_reporter()->set_email("giulia.verdi@example.it");
  req.mutable_reporter()->set_phone("3331234567");
  req.mutable_reporter()->set_fiscal_code("VRDGLI85M41L049F");
  return req;
}

grpc::Status Submit(Services& s, const v1::SubmitRequestRequest& req, v1::SubmitRequestResponse* out) {
  grpc::ClientContext ctx;
  PrepareCall(ctx, "");
  return s.stub->SubmitRequest(&ctx, req, out);
}

v1::SubmitRequestResponse MustSubmit(Services& s, const v1::SubmitRequestRequest& req) {
  v1::SubmitRequestResponse out;
  grpc::Status status = Submit(s, req, &out);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return out;
}

grpc::Status Decide(Services& s, const std::string& tenant, const std::string& number, v1::AccessOutcome outcome,
                    v1::AccessException exception, const std::string& url, v1::Request* out) {
  grpc::ClientContext ctx;
  PrepareCall(ctx, s.Operator(tenant));
  v1::DecideAccessRequest req;
  req.set_number(number);
  req.set_outcome_code(outcome);
  req.set_exception(exception);
  req.set_published_url(url);
  return s.stub->DecideAccess(&ctx, req, out);
}

std::vector<v1::AccessRegisterEntry> Register(Services& s, const std::string& tenant, v1::RequestKind kind,
                                              v1::AccessOutcome outcome, const std::string& semester = "2026-S1") {
  std::vector<v1::AccessRegisterEntry> out;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");  // public
    v1::ListAccessRegisterRequest req;
    req.set_tenant(tenant);
    req.set_semester(semester);
    req.set_kind(kind);
    req.set_outcome(outcome);
    req.set_page_size(2);
    req.set_page_token(token);
    v1::ListAccessRegisterResponse resp;
    grpc::Status status = s.stub->ListAccessRegister(&ctx, req, &resp);
    INFO(status.error_message());
    REQUIRE(status.ok());
    out.insert(out.end(), resp.entries().begin(), resp.entries().end());
    token = resp.next_page_token();
  } while (!token.empty() && ++pages < 20);
  return out;
}

std::set<std::string> ViolatedFields(const grpc::Status& status) {
  std::set<std::string> fields;
  for (const auto& v : FieldViolations(FromGrpcStatus(status))) fields.insert(v.field);
  return fields;
}

int CountRequests(Services& s, const std::string& tenant) {
  grpc::ClientContext ctx;
  PrepareCall(ctx, s.Operator(tenant));
  v1::ListRequestsRequest req;
  req.set_tenant(tenant);
  req.set_page_size(200);
  v1::ListRequestsResponse resp;
  REQUIRE(s.stub->ListRequests(&ctx, req, &resp).ok());
  return resp.requests_size();
}

}  // namespace

TEST_CASE("access: a FOIA request with a counter-interested party who objects, to the register",
          "[complaints][access]") {
  Services s;
  const std::string tenant = s.MakeTenant();
  v1::SubmitRequestResponse submitted = MustSubmit(
      s, AccessRequest(tenant, v1::REQUEST_KIND_CIVIC_ACCESS, "Offerte della gara per la mensa scolastica 2026"));
  const std::string number = submitted.request().number();
  const auto due_before = submitted.request().due_time();
  CHECK(absl::FromUnixSeconds(due_before.seconds()) == At(2026, 4, 2, 0));

  s.clock.Advance(absl::Hours(24));  // 3 March 09:00
  v1::CounterParty party;
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, s.Operator(tenant));
    v1::AddCounterPartyRequest req;
    req.set_number(number);
    req.set_name("Edilizia Sud Srl");
    req.set_channel(v1::NOTICE_CHANNEL_PEC);
    req.set_address("edsud@pec.example.it");
    grpc::Status status = s.stub->AddCounterParty(&ctx, req, &party);
    INFO(status.error_message());
    REQUIRE(status.ok());
  }
  CHECK(party.id() > 0);
  CHECK(absl::FromUnixSeconds(party.objection_due_time().seconds()) == At(2026, 3, 14, 0));

  // The requester's public view: suspended, a party counted, no name or address.
  v1::Request seen;
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");
    v1::GetRequestRequest req;
    req.set_number(number);
    req.set_token(submitted.tracking_token());
    REQUIRE(s.stub->GetRequest(&ctx, req, &seen).ok());
  }
  CHECK(seen.civic_access().suspended());
  REQUIRE(seen.civic_access().counter_parties_size() == 1);
  CHECK(seen.civic_access().counter_parties(0).name().empty());
  CHECK(seen.civic_access().counter_parties(0).address().empty());
  CHECK_FALSE(ContainsPersonal(seen.DebugString()));
  // Deciding while the party may still object is refused.
  v1::Request decided;
  CHECK(Decide(s, tenant, number, v1::ACCESS_OUTCOME_GRANTED, v1::ACCESS_EXCEPTION_UNSPECIFIED, "", &decided)
            .error_code() == grpc::StatusCode::FAILED_PRECONDITION);

  s.clock.Advance(absl::Hours(24 * 4));  // 7 March 09:00: the objection, 4 days in
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, s.Operator(tenant));
    v1::RecordObjectionRequest req;
    req.set_number(number);
    req.set_counter_party_id(party.id());
    req.set_text("Le offerte contengono segreti commerciali di Edilizia Sud Srl");
    v1::Request out;
    grpc::Status status = s.stub->RecordObjection(&ctx, req, &out);
    INFO(status.error_message());
    REQUIRE(status.ok());
    CHECK_FALSE(out.civic_access().suspended());
    CHECK(out.civic_access().counter_parties(0).objected());
    // The term moved by the 4 days suspended.
    CHECK(out.due_time().seconds() - due_before.seconds() == 4 * 24 * 3600);
  }
  // A FOIA refusal without its exception: 400 on "exception", nothing changes.
  grpc::Status no_exception =
      Decide(s, tenant, number, v1::ACCESS_OUTCOME_REFUSED, v1::ACCESS_EXCEPTION_UNSPECIFIED, "", &decided);
  CHECK(no_exception.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ViolatedFields(no_exception) == std::set<std::string>{"exception"});
  grpc::Status refused = Decide(s, tenant, number, v1::ACCESS_OUTCOME_PARTIALLY_GRANTED,
                                v1::ACCESS_EXCEPTION_ECONOMIC_INTERESTS, "", &decided);
  INFO(refused.error_message());
  REQUIRE(refused.ok());
  CHECK(decided.civic_access().outcome_code() == v1::ACCESS_OUTCOME_PARTIALLY_GRANTED);
  CHECK(decided.civic_access().exception() == v1::ACCESS_EXCEPTION_ECONOMIC_INTERESTS);

  // The requester asks for review with the token; the RPCT confirms.
  s.clock.Advance(absl::Hours(24 * 5));
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");
    v1::RequestReviewRequest req;
    req.set_number(number);
    req.set_token(submitted.tracking_token());
    req.set_reason("Le parti non riservate vanno comunque ostese");
    v1::Request out;
    grpc::Status status = s.stub->RequestReview(&ctx, req, &out);
    INFO(status.error_message());
    REQUIRE(status.ok());
    CHECK(out.status() == v1::REQUEST_STATUS_UNDER_REVIEW);
    CHECK(absl::FromUnixSeconds(out.due_time().seconds()) == At(2026, 4, 2, 0));  // the end of 12 March + 20 days
  }
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, s.Operator(tenant));
    v1::DecideReviewRequest req;
    req.set_number(number);
    req.set_outcome(v1::REVIEW_OUTCOME_CONFIRMED);
    v1::Request out;
    grpc::Status status = s.stub->DecideReview(&ctx, req, &out);
    INFO(status.error_message());
    REQUIRE(status.ok());
    CHECK(out.status() == v1::REQUEST_STATUS_RESOLVED);
    CHECK(out.civic_access().review_outcome() == v1::REVIEW_OUTCOME_CONFIRMED);
  }

  // The register: public, with the exception, the review and the objection; no personal data.
  auto rows = Register(s, tenant, v1::REQUEST_KIND_UNSPECIFIED, v1::ACCESS_OUTCOME_UNSPECIFIED);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].number() == number);
  CHECK(rows[0].kind() == v1::REQUEST_KIND_CIVIC_ACCESS);
  CHECK(rows[0].outcome_code() == v1::ACCESS_OUTCOME_PARTIALLY_GRANTED);
  CHECK(rows[0].exception() == v1::ACCESS_EXCEPTION_ECONOMIC_INTERESTS);
  CHECK(rows[0].review_outcome() == v1::REVIEW_OUTCOME_CONFIRMED);
  CHECK(rows[0].counter_parties() == 1);
  CHECK(rows[0].objected());
  CHECK(rows[0].request_date() == "2026-03-02");
  CHECK_FALSE(ContainsPersonal(rows[0].DebugString()));

  // The public history: the objection entered it, without the party's name or words.
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");
    v1::ListHistoryRequest req;
    req.set_number(number);
    req.set_token(submitted.tracking_token());
    v1::ListHistoryResponse out;
    REQUIRE(s.stub->ListHistory(&ctx, req, &out).ok());
    std::set<std::string> actions;
    for (const auto& e : out.entries()) {
      actions.insert(e.action());
      CHECK_FALSE(ContainsPersonal(e.text()));
    }
    CHECK(actions.count("counter_party_notified") == 1);
    CHECK(actions.count("objection") == 1);
    CHECK(actions.count("decided") == 1);
  }
  // Staff see the party and the objection's words.
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, s.Operator(tenant));
    v1::GetRequestRequest req;
    req.set_number(number);
    v1::Request staff;
    REQUIRE(s.stub->GetRequest(&ctx, req, &staff).ok());
    REQUIRE(staff.civic_access().counter_parties_size() == 1);
    CHECK(staff.civic_access().counter_parties(0).name() == "Edilizia Sud Srl");
    CHECK(staff.civic_access().counter_parties(0).objection().find("segreti") != std::string::npos);
  }
  // Events: the notification, objection, decision and review, no personal data.
  auto events = s.Events(tenant);
  std::string all;
  for (const auto& e : events) all += e + "\n";
  INFO(all);
  CHECK(all.find("request.counter_party_notified") != std::string::npos);
  CHECK(all.find("request.objection_received") != std::string::npos);
  CHECK(all.find("request.review_decided") != std::string::npos);
  CHECK_FALSE(ContainsPersonal(all));
}

TEST_CASE("access: an objection after its 10 days is refused and stores nothing", "[complaints][access]") {
  Services s;
  const std::string tenant = s.MakeTenant();
  v1::SubmitRequestRequest with_interest =
      AccessRequest(tenant, v1::REQUEST_KIND_DOCUMENTARY_ACCESS, "Verbale del sopralluogo in via Roma");
  with_interest.set_access_interest("Sono il proprietario dell'immobile confinante");
  const std::string doc = MustSubmit(s, with_interest).request().number();
  v1::CounterParty party;
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, s.Operator(tenant));
    v1::AddCounterPartyRequest req;
    req.set_number(doc);
    req.set_name("Edilizia Sud Srl");
    req.set_channel(v1::NOTICE_CHANNEL_POST);
    req.set_address("Via Roma 1, 74016 Massafra");
    REQUIRE(s.stub->AddCounterParty(&ctx, req, &party).ok());
  }
  s.clock.Advance(absl::Hours(24 * 11));
  grpc::ClientContext ctx;
  PrepareCall(ctx, s.Operator(tenant));
  v1::RecordObjectionRequest req;
  req.set_number(doc);
  req.set_counter_party_id(party.id());
  req.set_text("tardiva");
  v1::Request out;
  grpc::Status late = s.stub->RecordObjection(&ctx, req, &out);
  CHECK(late.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(ViolatedFields(late) == std::set<std::string>{"counter_party_id"});
  grpc::ClientContext get_ctx;
  PrepareCall(get_ctx, s.Operator(tenant));
  v1::GetRequestRequest get;
  get.set_number(doc);
  v1::Request staff;
  REQUIRE(s.stub->GetRequest(&get_ctx, get, &staff).ok());
  CHECK_FALSE(staff.civic_access().counter_parties(0).objected());
  CHECK(staff.civic_access().counter_parties(0).objection().empty());
  CHECK_FALSE(staff.civic_access().suspended());  // the window closed on its own
}

TEST_CASE("access: the three kinds in one register - silence, a link, already published", "[complaints][access]") {
  Services s;
  const std::string tenant = s.MakeTenant();

  // A documentary access without its interest: 400, nothing stored.
  v1::SubmitRequestResponse ignored;
  grpc::Status no_interest =
      Submit(s, AccessRequest(tenant, v1::REQUEST_KIND_DOCUMENTARY_ACCESS, "Permesso di costruire 12/2025"), &ignored);
  CHECK(no_interest.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ViolatedFields(no_interest) == std::set<std::string>{"access_interest"});
  CHECK(CountRequests(s, tenant) == 0);

  v1::SubmitRequestRequest documentary =
      AccessRequest(tenant, v1::REQUEST_KIND_DOCUMENTARY_ACCESS, "Permesso di costruire 12/2025 di Giulia Verdi");
  documentary.set_access_interest("Confinante: il cantiere tocca il mio muro");
  const std::string doc = MustSubmit(s, documentary).request().number();

  s.clock.Advance(absl::Hours(1));
  const std::string simple =
      MustSubmit(s, AccessRequest(tenant, v1::REQUEST_KIND_SIMPLE_CIVIC_ACCESS, "Bandi di gara del 2025"))
          .request()
          .number();
  v1::Request published;
  const std::string link = "https://comune.example.it/amministrazione-trasparente/bandi-2025";
  grpc::Status no_link =
      Decide(s, tenant, simple, v1::ACCESS_OUTCOME_PUBLISHED, v1::ACCESS_EXCEPTION_UNSPECIFIED, "", &published);
  CHECK(ViolatedFields(no_link) == std::set<std::string>{"published_url"});
  REQUIRE(Decide(s, tenant, simple, v1::ACCESS_OUTCOME_PUBLISHED, v1::ACCESS_EXCEPTION_UNSPECIFIED, link, &published)
              .ok());
  CHECK(published.civic_access().published_url() == link);

  // The same object asked again: 409 with the link, nothing stored.
  const int before = CountRequests(s, tenant);
  v1::SubmitRequestRequest again =
      AccessRequest(tenant, v1::REQUEST_KIND_SIMPLE_CIVIC_ACCESS, "i bandi di gara del 2025!");
  grpc::Status already = Submit(s, again, &ignored);
  CHECK(already.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(already.error_message().find(link) != std::string::npos);
  CHECK(ViolatedFields(already) == std::set<std::string>{"access_object"});
  CHECK(CountRequests(s, tenant) == before);

  s.clock.Advance(absl::Hours(1));
  const std::string foia =
      MustSubmit(s, AccessRequest(tenant, v1::REQUEST_KIND_CIVIC_ACCESS, "Spese di rappresentanza 2025"))
          .request()
          .number();
  v1::Request granted;
  REQUIRE(Decide(s, tenant, foia, v1::ACCESS_OUTCOME_GRANTED, v1::ACCESS_EXCEPTION_UNSPECIFIED, "", &granted).ok());

  // 31 days later the documentary access, unanswered, is refused by silence.
  s.clock.Advance(absl::Hours(24 * 31));
  auto all = Register(s, tenant, v1::REQUEST_KIND_UNSPECIFIED, v1::ACCESS_OUTCOME_UNSPECIFIED);
  REQUIRE(all.size() == 3);
  CHECK(all[0].number() == doc);
  CHECK(all[0].kind() == v1::REQUEST_KIND_DOCUMENTARY_ACCESS);
  CHECK(all[0].outcome_code() == v1::ACCESS_OUTCOME_SILENT_REFUSAL);
  CHECK(all[0].outcome() == "silenzio-rigetto");
  CHECK(all[0].object() == "Permesso di costruire 12/2025 di [omissis]");  // the requester's name scrubbed
  CHECK(all[1].number() == simple);
  CHECK(all[1].outcome_code() == v1::ACCESS_OUTCOME_PUBLISHED);
  CHECK(all[2].number() == foia);
  CHECK(all[2].outcome_code() == v1::ACCESS_OUTCOME_GRANTED);
  for (const auto& e : all) CHECK_FALSE(ContainsPersonal(e.DebugString()));

  // Filters: kind, outcome (silence included), semester.
  auto silent = Register(s, tenant, v1::REQUEST_KIND_UNSPECIFIED, v1::ACCESS_OUTCOME_SILENT_REFUSAL);
  REQUIRE(silent.size() == 1);
  CHECK(silent[0].number() == doc);
  auto simple_only = Register(s, tenant, v1::REQUEST_KIND_SIMPLE_CIVIC_ACCESS, v1::ACCESS_OUTCOME_UNSPECIFIED);
  REQUIRE(simple_only.size() == 1);
  CHECK(simple_only[0].number() == simple);
  CHECK(Register(s, tenant, v1::REQUEST_KIND_UNSPECIFIED, v1::ACCESS_OUTCOME_UNSPECIFIED, "2026-S2").empty());
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");
    v1::ListAccessRegisterRequest req;
    req.set_tenant(tenant);
    req.set_semester("2026-S3");
    req.set_kind(v1::REQUEST_KIND_COMPLAINT);
    v1::ListAccessRegisterResponse resp;
    grpc::Status bad = s.stub->ListAccessRegister(&ctx, req, &resp);
    CHECK(ViolatedFields(bad) == std::set<std::string>{"semester", "kind"});
  }
  // The requester sees the silence on the request.
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, s.Operator(tenant));
    v1::GetRequestRequest req;
    req.set_number(doc);
    v1::Request r;
    REQUIRE(s.stub->GetRequest(&ctx, req, &r).ok());
    CHECK(r.civic_access().silent_refusal());
    CHECK(r.civic_access().interest() == "Confinante: il cantiere tocca il mio muro");  // staff
  }

  // CSV: every row, a header, no personal data.
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");
    v1::ListAccessRegisterRequest req;
    req.set_tenant(tenant);
    req.set_semester("2026-S1");
    auto reader = s.stub->ExportAccessRegister(&ctx, req);
    std::string csv;
    v1::RawBody chunk;
    while (reader->Read(&chunk)) csv += chunk.data();
    grpc::Status status = reader->Finish();
    INFO(status.error_message());
    REQUIRE(status.ok());
    INFO(csv);
    CHECK(csv.rfind("number,kind,object,request_date,outcome,outcome_code,exception", 0) == 0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);
    CHECK(csv.find("silent_refusal") != std::string::npos);
    CHECK(csv.find(doc) != std::string::npos);
    CHECK_FALSE(ContainsPersonal(csv));
  }
  // Events carry no personal data either.
  std::string events;
  for (const auto& e : s.Events(tenant)) events += e + "\n";
  INFO(events);
  CHECK_FALSE(ContainsPersonal(events));
}

TEST_CASE("access: a counter-party window that passed without objection resumes the term by itself",
          "[complaints][access]") {
  // The escalation gap: nobody reads or changes the request after the 10
  // days, so the stored row still says "suspended". Its term runs again all
  // the same: it is listed as overdue once the moved due time passes, and
  // escalated.
  Services s;
  const std::string tenant = s.MakeTenant();
  v1::SubmitRequestResponse submitted =
      MustSubmit(s, AccessRequest(tenant, v1::REQUEST_KIND_CIVIC_ACCESS, "Contratti di manutenzione del verde 2025"));
  const std::string number = submitted.request().number();
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, s.Operator(tenant));
    v1::AddCounterPartyRequest req;
    req.set_number(number);
    req.set_name("Verde Srl");
    req.set_channel(v1::NOTICE_CHANNEL_PEC);
    req.set_address("verde@pec.example.it");
    v1::CounterParty party;
    REQUIRE(s.stub->AddCounterParty(&ctx, req, &party).ok());
  }
  auto overdue_list = [&] {
    grpc::ClientContext ctx;
    PrepareCall(ctx, s.Operator(tenant));
    v1::ListRequestsRequest req;
    req.set_tenant(tenant);
    req.set_overdue_only(true);
    v1::ListRequestsResponse resp;
    REQUIRE(s.stub->ListRequests(&ctx, req, &resp).ok());
    return resp;
  };
  // Suspended: not overdue, however late the original term would be.
  s.clock.Advance(absl::Hours(24 * 5));
  CHECK(overdue_list().requests_size() == 0);

  // 30 days + the 10-day suspension, and more: overdue, with the row untouched.
  s.clock.Advance(absl::Hours(24 * 40));
  v1::ListRequestsResponse late = overdue_list();
  REQUIRE(late.requests_size() == 1);
  CHECK(late.requests(0).number() == number);
  CHECK(late.requests(0).overdue());
  auto flag = [&]() -> absl::StatusOr<pqxx::row> {
    return s.complaints_service.core().pool.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<pqxx::row> {
      return tx.exec_params1(
          "SELECT paused_since IS NOT NULL AS stored_paused, overdue_notified FROM complaints.requests WHERE number = $1",
          number);
    });
  };
  auto before = flag();
  REQUIRE(before.ok());
  CHECK((*before)["stored_paused"].as<bool>());

  // Escalated by this store. The stack's own background may hold the row for
  // a moment (it scans every tenant with SKIP LOCKED, at the real time, for
  // which the request is not overdue), and then this call skips it: ask again.
  bool escalated = sportello::testing::PollUntil(
      [&] {
        REQUIRE(s.store->EscalateOverdue(s.clock.Now(), 100, tenant).ok());
        auto after = flag();
        REQUIRE(after.ok());
        return (*after)["overdue_notified"].as<bool>();
      },
      absl::Now() + absl::Seconds(10));
  CHECK(escalated);
}
