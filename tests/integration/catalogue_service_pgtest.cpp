// The catalogue's gRPC surface in process, over real gRPC, on the real
// PostgreSQL and Redis that ./sportello test started: tenant codes read by
// CanonicalTenant before anything touches storage, the staff check, update
// masks with nested paths, and every list walked page by page. Each test
// case works in its own new tenant.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "common/auth/token.h"
#include "common/clock.h"
#include "common/grpc/rpc.h"
#include "common/grpc/service_core.h"
#include "common/grpc/status.h"
#include "common/status.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/opening_hours.h"
#include "services/catalogue/service_spec.h"
#include "tests/support/test_env.h"

using namespace sportello;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;
using Stub = v1::CatalogueService::Stub;

namespace {

ServiceConfig TestConfig() {
  ServiceConfig config;
  config.pg_url = RequireEnv("SPORTELLO_TEST_PG_URL");
  config.redis_url = RequireEnv("SPORTELLO_TEST_REDIS_URL");
  config.jwt_secret = "catalogue-service-test";
  config.pg_pool_size = 2;
  config.workers = 2;
  return config;
}

// Monday 7 December 2026, 10:00 in Rome: where the service's clock starts.
absl::Time MondayMorning() {
  auto zone = catalogue::RomeTimeZone();
  REQUIRE(zone.ok());
  return absl::FromCivil(absl::CivilSecond(2026, 12, 7, 10, 0, 0), *zone);
}

// The service on a loopback port, with a clock that tests move, and a new
// tenant with an admin and an operator.
struct Catalogue {
  ServiceConfig config = TestConfig();
  ManualClock clock{MondayMorning()};
  ServiceCore core{config};
  std::unique_ptr<RpcRunner> rpc;
  std::unique_ptr<catalogue::CatalogueStores> stores;
  std::unique_ptr<catalogue::CatalogueService> service;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<Stub> stub;
  std::string tenant = UniqueName("t_");
  std::string admin, operator_token;

  Catalogue() {
    REQUIRE(core.Prepare("catalogue", catalogue::Migrations(), "").ok());
    auto runner = RpcRunner::Create(v1::CatalogueService::service_full_name(), core.verifier, core.workers,
                                    core.metrics);
    REQUIRE(runner.ok());
    rpc = *std::move(runner);
    auto zone = catalogue::RomeTimeZone();
    REQUIRE(zone.ok());
    stores = std::make_unique<catalogue::CatalogueStores>(core.pool);
    service = std::make_unique<catalogue::CatalogueService>(*stores, core.cache, *rpc, *zone, clock);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
    REQUIRE(server);
    stub = v1::CatalogueService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
    admin = TokenFor(tenant, "admin");
    operator_token = TokenFor(tenant, "operator");
    v1::CreateTenantRequest req;
    req.mutable_tenant()->set_ipa_code(tenant);
    req.mutable_tenant()->set_name("Ente di prova del servizio");
    req.mutable_tenant()->set_kind(v1::TENANT_KIND_OTHER);
    v1::Tenant out;
    REQUIRE(Call(&Stub::CreateTenant, req, &out, admin).ok());
  }
  ~Catalogue() { server->Shutdown(); }

  std::string TokenFor(const std::string& of_tenant, const std::string& role) const {
    auth::Principal who{"tester", of_tenant, {role}, "", true};
    return auth::MintToken(config.jwt_secret, who, absl::Minutes(5));
  }

  template <typename Req, typename Resp>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*), const Req& req,
                    Resp* resp, const std::string& token = "") {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    return FromGrpcStatus(((*stub).*method)(&ctx, req, resp));
  }

  v1::Service CreateService(v1::Service card) {
    v1::CreateServiceRequest req;
    req.set_tenant(tenant);
    *req.mutable_service() = std::move(card);
    v1::Service out;
    absl::Status s = Call(&Stub::CreateService, req, &out, operator_token);
    INFO(s.ToString());
    REQUIRE(s.ok());
    return out;
  }
};

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolations(status)) out.push_back(v.field);
  return out;
}

v1::Service Category(const std::string& name, const std::string& group, const std::string& code) {
  v1::Service s;
  s.set_name(name);
  s.mutable_reportable()->set_enabled(true);
  s.mutable_reportable()->set_group(group);
  s.mutable_reportable()->set_service_code(code);
  return s;
}

// Walks a list to its end: `next(token)` fetches the page after `token` and
// returns its next_page_token. Returns how many pages there were; a list
// that does not end within `max_pages` fails the test.
template <typename Next>
int WalkPages(int max_pages, Next next) {
  std::string token;
  int pages = 0;
  do {
    token = next(token);
    REQUIRE(++pages <= max_pages);
  } while (!token.empty());
  return pages;
}

}  // namespace

TEST_CASE("catalogue: a tenant code is canonical or refused before storage", "[catalogue][tenancy]") {
  Catalogue c;
  using namespace std::string_literals;
  for (const std::string& bad : {c.tenant + "\n", " " + c.tenant, c.tenant + "\0x"s, c.tenant + "%0A"}) {
    INFO(bad);
    v1::CreateOfficeRequest create;
    create.set_tenant(bad);
    create.mutable_office()->set_name("Ufficio fantasma");
    v1::Office office;
    absl::Status s = c.Call(&Stub::CreateOffice, create, &office, c.operator_token);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Fields(s) == std::vector<std::string>{"tenant"});

    v1::GetTenantRequest get;
    get.set_ipa_code(bad);
    v1::Tenant t;
    s = c.Call(&Stub::GetTenant, get, &t);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Fields(s) == std::vector<std::string>{"ipa_code"});

    v1::SearchRequest search;
    search.set_tenant(bad);
    search.set_q("ufficio");
    v1::SearchResponse found;
    s = c.Call(&Stub::Search, search, &found);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Fields(s) == std::vector<std::string>{"tenant"});

    v1::CreateTenantRequest tenant;
    tenant.mutable_tenant()->set_ipa_code(bad);
    tenant.mutable_tenant()->set_name("Ente fantasma");
    tenant.mutable_tenant()->set_kind(v1::TENANT_KIND_OTHER);
    s = c.Call(&Stub::CreateTenant, tenant, &t, c.admin);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Fields(s) == std::vector<std::string>{"tenant.ipa_code"});
  }
  // Nothing was written under a variant of the code.
  v1::ListOfficesRequest list;
  list.set_tenant(c.tenant);
  v1::ListOfficesResponse offices;
  REQUIRE(c.Call(&Stub::ListOffices, list, &offices).ok());
  CHECK(offices.offices().empty());

  SECTION("upper case is the same tenant") {
    std::string upper = c.tenant;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    v1::GetTenantRequest get;
    get.set_ipa_code(upper);
    v1::Tenant t;
    REQUIRE(c.Call(&Stub::GetTenant, get, &t).ok());
    CHECK(t.ipa_code() == c.tenant);
  }
  SECTION("operators act only on their own tenant; admins of it too") {
    v1::CreateOfficeRequest create;
    create.set_tenant(c.tenant);
    create.mutable_office()->set_name("Ufficio Relazioni con il Pubblico");
    v1::Office office;
    CHECK(c.Call(&Stub::CreateOffice, create, &office, c.TokenFor(UniqueName("o_"), "operator")).code() ==
          absl::StatusCode::kPermissionDenied);
    CHECK(c.Call(&Stub::CreateOffice, create, &office, c.TokenFor(c.tenant, "communication")).code() ==
          absl::StatusCode::kPermissionDenied);
    CHECK(c.Call(&Stub::CreateOffice, create, &office, c.admin).ok());
    v1::ListChangesRequest changes;
    changes.set_tenant(c.tenant);
    v1::ListChangesResponse history;
    CHECK(c.Call(&Stub::ListChanges, changes, &history, c.TokenFor(UniqueName("o_"), "admin")).code() ==
          absl::StatusCode::kPermissionDenied);
    REQUIRE(c.Call(&Stub::ListChanges, changes, &history, c.operator_token).ok());
    CHECK(history.changes_size() == 1);
  }
}

TEST_CASE("catalogue: an update mask with nested paths changes only those fields", "[catalogue][mask]") {
  Catalogue c;
  v1::CreateOfficeRequest create;
  create.set_tenant(c.tenant);
  v1::Office& draft = *create.mutable_office();
  draft.set_name("Servizi Demografici");
  draft.mutable_address()->set_street("Piazza Garibaldi 1");
  draft.mutable_address()->set_municipality("Massafra");
  auto* monday = draft.mutable_hours()->add_weekly();
  monday->set_day(1);
  monday->set_opens("09:00");
  monday->set_closes("12:00");
  auto* holiday = draft.mutable_hours()->add_exceptions();
  holiday->set_date("2026-12-08");
  holiday->set_closed(true);
  v1::Office office;
  REQUIRE(c.Call(&Stub::CreateOffice, create, &office, c.operator_token).ok());

  auto update = [&](const std::vector<std::string>& paths, const v1::Office& patch, v1::Office* out) {
    v1::UpdateOfficeRequest req;
    *req.mutable_office() = patch;
    req.mutable_office()->set_id(office.id());
    for (const auto& p : paths) req.mutable_update_mask()->add_paths(p);
    return c.Call(&Stub::UpdateOffice, req, out, c.operator_token);
  };

  v1::Office patch;
  patch.set_name("non va applicato");
  auto* tuesday = patch.mutable_hours()->add_weekly();
  tuesday->set_day(2);
  tuesday->set_opens("15:00");
  tuesday->set_closes("17:30");
  patch.mutable_address()->set_street("Via Roma 2");
  v1::Office updated;
  REQUIRE(update({"hours.weekly"}, patch, &updated).ok());
  CHECK(updated.name() == "Servizi Demografici");
  REQUIRE(updated.hours().weekly_size() == 1);
  CHECK(updated.hours().weekly(0).day() == 2);
  CHECK(updated.hours().weekly(0).closes() == "17:30");
  REQUIRE(updated.hours().exceptions_size() == 1);  // a sibling of the path stays
  CHECK(updated.hours().exceptions(0).date() == "2026-12-08");
  CHECK(updated.address().street() == "Piazza Garibaldi 1");

  REQUIRE(update({"address.street"}, patch, &updated).ok());
  CHECK(updated.address().street() == "Via Roma 2");
  CHECK(updated.address().municipality() == "Massafra");
  CHECK(updated.hours().weekly(0).day() == 2);

  for (const char* path : {"hours.nope", "nome", "id", "create_time.seconds"}) {
    INFO(path);
    absl::Status s = update({"name", path}, patch, &updated);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Fields(s) == std::vector<std::string>{"update_mask"});
    CHECK(s.message().find(path) != absl::string_view::npos);
  }
  CHECK(update({"hours.nope"}, patch, &updated).message().find("non esiste") != absl::string_view::npos);
  CHECK(update({"id"}, patch, &updated).message().find("non è modificabile") != absl::string_view::npos);
  v1::GetOfficeRequest get;
  get.set_id(office.id());
  v1::Office stored;
  REQUIRE(c.Call(&Stub::GetOffice, get, &stored).ok());
  CHECK(stored.name() == "Servizi Demografici");  // refused masks changed nothing

  SECTION("services too: a nested path inside the reportable category") {
    v1::Service card = c.CreateService(Category("Buche stradali", "Strade", "buche"));
    v1::UpdateServiceRequest req;
    req.mutable_service()->set_id(card.id());
    req.mutable_service()->set_name("non va applicato");
    req.mutable_service()->mutable_reportable()->add_keywords("asfalto");
    req.mutable_update_mask()->add_paths("reportable.keywords");
    v1::Service out;
    REQUIRE(c.Call(&Stub::UpdateService, req, &out, c.operator_token).ok());
    CHECK(out.name() == "Buche stradali");
    CHECK(out.reportable().service_code() == "buche");
    REQUIRE(out.reportable().keywords_size() == 1);
    CHECK(out.reportable().keywords(0) == "asfalto");
  }
}

TEST_CASE("catalogue: categories, changes and the completeness report come page by page", "[catalogue][pages]") {
  Catalogue c;
  // Listed by group, then code: the order below.
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Ambiente", "rifiuti"}, {"Ambiente", "verde"}, {"Strade", "buche"}, {"Strade", "segnaletica"}, {"Z", "altro"}};
  for (auto it = expected.rbegin(); it != expected.rend(); ++it) {
    c.CreateService(Category("Categoria " + it->second, it->first, it->second));
  }

  SECTION("categories") {
    std::vector<std::string> seen;
    int pages = WalkPages(3, [&](const std::string& token) {
      v1::ListCategoriesRequest req;
      req.set_tenant(c.tenant);
      req.set_page_size(2);
      req.set_page_token(token);
      v1::ListCategoriesResponse page;
      REQUIRE(c.Call(&Stub::ListCategories, req, &page).ok());
      CHECK(page.categories_size() <= 2);
      for (const auto& cat : page.categories()) seen.push_back(cat.service_code());
      return page.next_page_token();
    });
    CHECK(pages == 3);
    CHECK(seen == std::vector<std::string>{"rifiuti", "verde", "buche", "segnaletica", "altro"});

    v1::ListCategoriesRequest bad;
    bad.set_tenant(c.tenant);
    bad.set_page_token("not a token!");
    v1::ListCategoriesResponse out;
    CHECK(c.Call(&Stub::ListCategories, bad, &out).code() == absl::StatusCode::kInvalidArgument);
  }
  SECTION("changes, newest first") {
    std::vector<long long> ids;
    int pages = WalkPages(3, [&](const std::string& token) {
      v1::ListChangesRequest req;
      req.set_tenant(c.tenant);
      req.set_page_size(2);
      req.set_page_token(token);
      v1::ListChangesResponse page;
      REQUIRE(c.Call(&Stub::ListChanges, req, &page, c.operator_token).ok());
      for (const auto& change : page.changes()) ids.push_back(change.id());
      return page.next_page_token();
    });
    CHECK(pages == 3);
    CHECK(ids.size() == expected.size());
    CHECK(std::is_sorted(ids.rbegin(), ids.rend()));
    CHECK(std::set<long long>(ids.begin(), ids.end()).size() == ids.size());
  }
  SECTION("completeness report: every page counts every service") {
    std::vector<std::string> names;
    int pages = WalkPages(3, [&](const std::string& token) {
      v1::GetCompletenessReportRequest req;
      req.set_tenant(c.tenant);
      req.set_page_size(2);
      req.set_page_token(token);
      v1::CompletenessReport page;
      REQUIRE(c.Call(&Stub::GetCompletenessReport, req, &page, c.operator_token).ok());
      CHECK(page.services() == 5);
      CHECK(page.complete() == 0);
      for (const auto& entry : page.incomplete_or_stale()) names.push_back(entry.name());
      return page.next_page_token();
    });
    CHECK(pages == 3);
    CHECK(names == std::vector<std::string>{"Categoria altro", "Categoria buche", "Categoria rifiuti",
                                            "Categoria segnaletica", "Categoria verde"});
  }
}

TEST_CASE("catalogue: availability and review staleness read the injected clock", "[catalogue][clock]") {
  Catalogue c;
  v1::CreateOfficeRequest create;
  create.set_tenant(c.tenant);
  create.mutable_office()->set_name("Sportello Anagrafe");
  auto* monday = create.mutable_office()->mutable_hours()->add_weekly();
  monday->set_day(1);
  monday->set_opens("09:00");
  monday->set_closes("12:00");
  v1::Office office;
  REQUIRE(c.Call(&Stub::CreateOffice, create, &office, c.operator_token).ok());
  auto open_now = [&] {
    v1::GetOfficeAvailabilityRequest req;
    req.set_id(office.id());
    v1::OfficeAvailability availability;
    REQUIRE(c.Call(&Stub::GetOfficeAvailability, req, &availability).ok());
    return availability.open();
  };
  CHECK(open_now());  // Monday 10:00
  c.clock.Advance(absl::Hours(3));
  CHECK_FALSE(open_now());  // Monday 13:00

  // Dates the availability cannot describe are bad input, not an internal error.
  for (long long seconds : {253402300799LL /* 9999-12-31T23:59:59Z */, -62135596800LL /* 0001-01-01 */}) {
    v1::GetOfficeAvailabilityRequest req;
    req.set_id(office.id());
    req.mutable_at()->set_seconds(seconds);
    v1::OfficeAvailability availability;
    CHECK(c.Call(&Stub::GetOfficeAvailability, req, &availability).code() == absl::StatusCode::kInvalidArgument);
  }

  v1::Service card = Category("Certificati", "Anagrafe", "certificati");
  *card.mutable_last_reviewed_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(c.clock.Now() - absl::Hours(24 * 10)));
  c.CreateService(card);
  auto stale = [&] {
    v1::GetCompletenessReportRequest req;
    req.set_tenant(c.tenant);
    req.set_stale_after_days(30);
    v1::CompletenessReport report;
    REQUIRE(c.Call(&Stub::GetCompletenessReport, req, &report, c.operator_token).ok());
    REQUIRE(report.incomplete_or_stale_size() == 1);  // incomplete, so listed either way
    return report.incomplete_or_stale(0).stale();
  };
  CHECK_FALSE(stale());  // reviewed 10 days ago
  c.clock.Advance(absl::Hours(24 * 30));
  CHECK(stale());  // 40 days ago
}
