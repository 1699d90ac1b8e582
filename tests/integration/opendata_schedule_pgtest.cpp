// The scheduled refresh against the real PostgreSQL, with a ManualClock:
// one replica at a time holds the pass (the second finds the lease taken,
// and takes it over only once it has run out), passes come every interval,
// and a pass over the real services of ./sportello test, with the service's
// own credential, makes versions only when something changed.
#include "services/opendata/scheduler.h"

#include <catch2/catch.hpp>

#include "common/clock.h"
#include "common/outbox/outbox.h"
#include "services/opendata/opendata_service.h"
#include "services/opendata/service_spec.h"
#include "services/opendata/table.h"
#include "tests/support/http_client.h"
#include "tests/support/sandbox.h"
#include "tests/support/service_fixture.h"
#include "tests/support/pg.h"
#include "tests/support/test_env.h"

using namespace sportello::opendata;
using sportello::ManualClock;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

ScheduleSettings TestSchedule() {
  ScheduleSettings s;
  s.job = UniqueName("test-");  // a job of this test's own: the stack's service has its own row
  s.interval = absl::Hours(1);
  s.lease = absl::Minutes(10);
  return s;
}

// Replicas of the scheduler share one store, one clock and one job of their own.
struct Replicas {
  ManualClock clock{absl::Now()};
  OpenDataStore store{sportello::testing::MigratedPool("opendata", Migrations(), 4), clock};
  const ScheduleSettings settings = TestSchedule();
};

// A pass's tenants: `names`.
std::function<absl::StatusOr<std::vector<std::string>>()> Tenants(std::vector<std::string> names) {
  return [names] { return absl::StatusOr<std::vector<std::string>>(names); };
}

// Work over the one tenant "t" that changes nothing and counts its refreshes.
ScheduledWork CountingWork(int& refreshed) {
  return {Tenants({"t"}), [&refreshed](const std::string&, const std::string&) -> absl::StatusOr<bool> {
            ++refreshed;
            return false;
          }};
}

}  // namespace

TEST_CASE_METHOD(Replicas, "one replica runs a pass; the other finds the lease taken until it runs out",
                 "[opendata][schedule]") {
  int b_refreshed = 0;
  Scheduler b(store, clock, settings, CountingWork(b_refreshed));

  std::vector<std::string> seen;
  std::optional<Scheduler::Pass> b_meanwhile;
  Scheduler a(store, clock, settings,
              {Tenants({"t1", "t2"}),
               [&](const std::string& tenant, const std::string& slug) -> absl::StatusOr<bool> {
                 seen.push_back(DatasetId(tenant, slug));
                 // While A is in its pass, replica B looks.
                 if (seen.size() == 1) b_meanwhile = b.RunOnce().value();
                 if (slug == "uffici") return absl::UnavailableError("il catalogo non risponde");
                 return slug == "servizi";
               }});

  auto pass = a.RunOnce();
  REQUIRE(pass.ok());
  CHECK(pass->ran);
  CHECK_FALSE(pass->lease_lost);
  REQUIRE(b_meanwhile);
  CHECK_FALSE(b_meanwhile->ran);
  CHECK(b_refreshed == 0);
  // Every dataset of every tenant, a failure not stopping the others.
  CHECK(seen.size() == 2 * DatasetKinds().size());
  CHECK(pass->refreshed == static_cast<int>(seen.size()));
  CHECK(pass->failed == 2);
  CHECK(pass->changed == 2);

  // Not due again before the interval, on either replica.
  CHECK_FALSE(b.RunOnce()->ran);
  CHECK_FALSE(a.RunOnce()->ran);
  clock.Advance(absl::Minutes(59));
  CHECK_FALSE(b.RunOnce()->ran);
  clock.Advance(absl::Minutes(2));
  auto next = b.RunOnce();
  REQUIRE(next.ok());
  CHECK(next->ran);
  CHECK(b_refreshed == static_cast<int>(DatasetKinds().size()));
}

TEST_CASE_METHOD(Replicas, "a replica whose lease runs out stops, and another takes the pass over",
                 "[opendata][schedule]") {
  int b_refreshed = 0;
  Scheduler b(store, clock, settings, CountingWork(b_refreshed));
  int a_refreshed = 0;
  std::optional<Scheduler::Pass> b_after_expiry;
  Scheduler a(store, clock, settings,
              {Tenants({"t"}),
               [&](const std::string&, const std::string&) -> absl::StatusOr<bool> {
                 // A hangs on its first dataset past its lease: B takes over.
                 if (++a_refreshed == 1) {
                   clock.Advance(absl::Minutes(11));
                   b_after_expiry = b.RunOnce().value();
                 }
                 return false;
               }});
  auto pass = a.RunOnce();
  REQUIRE(pass.ok());
  CHECK(pass->ran);
  CHECK(pass->lease_lost);
  CHECK(a_refreshed == 1);  // A stopped at once
  REQUIRE(b_after_expiry);
  CHECK(b_after_expiry->ran);
  CHECK_FALSE(b_after_expiry->lease_lost);
  CHECK(b_refreshed == static_cast<int>(DatasetKinds().size()));
  // B's finish set the next run: A's late finish changed nothing.
  CHECK_FALSE(a.RunOnce()->ran);
  clock.Advance(absl::Minutes(61));
  CHECK(a.RunOnce()->ran);
}

TEST_CASE("scheduled passes over the real services: versions only when something changed", "[opendata][schedule]") {
  using namespace sportello;
  using namespace sportello::testing;
  Sandbox box;
  ManualClock clock(absl::Now());
  InProcessOptions options;
  options.clock = &clock;
  InProcessService svc("opendata", Migrations(), options);
  REQUIRE(outbox::ApplyMigrations(svc.core().pool, "opendata").ok());
  auto& store = svc.Make<OpenDataStore>(svc.core().pool, clock);
  auto& sources = svc.Make<Sources>(RequireEnv("SPORTELLO_TEST_CATALOGUE_ADDR"),
                                    RequireEnv("SPORTELLO_TEST_COMPLAINTS_ADDR"),
                                    RequireEnv("SPORTELLO_TEST_SURVEYS_ADDR"), TlsConfig{});
  auto zone = RomeTimeZone();
  REQUIRE(zone.ok());
  auto& service = svc.Make<OpenDataService>(store, sources, svc.Runner(v1::OpendataService::service_full_name()),
                                            *zone, clock, OpenDataSettings{});
  // The service's own credential: the monthly statistics are for staff only,
  // so a pass without it would fail on them.
  ScheduledWork work = service.Scheduled(RequireEnv("SPORTELLO_JWT_SECRET"));
  // Without an HS256 secret (SPORTELLO_JWKS in production) it has none: no schedule.
  CHECK_FALSE(service.Scheduled("").refresh);
  work.tenants = [&] { return absl::StatusOr<std::vector<std::string>>(std::vector<std::string>{box.tenant}); };
  Scheduler scheduler(store, clock, TestSchedule(), work);

  auto first = scheduler.RunOnce();
  REQUIRE(first.ok());
  CHECK(first->ran);
  CHECK(first->failed == 0);
  CHECK(first->changed == static_cast<int>(DatasetKinds().size()));
  for (const auto& kind : DatasetKinds()) {
    auto v = store.GetVersion(DatasetId(box.tenant, kind.slug), 0, true);
    INFO(kind.slug);
    REQUIRE(v.ok());
    CHECK(v->number == 1);
  }

  // An interval later, nothing changed at the sources: no new version.
  clock.Advance(absl::Hours(1) + absl::Seconds(1));
  auto second = scheduler.RunOnce();
  REQUIRE(second.ok());
  CHECK(second->ran);
  CHECK(second->failed == 0);
  CHECK(second->changed == 0);
  CHECK(store.GetVersion(DatasetId(box.tenant, "richieste-pubbliche"), 0, true)->number == 1);

  // A public report: the next pass makes version 2 of the public requests.
  boost::json::object report = box.Report("Buca davanti alla scuola");
  report["public"] = true;
  REQUIRE(PostJson(box.Path("/requests"), report).status == 200);
  CHECK_FALSE(scheduler.RunOnce()->ran);  // not due yet
  clock.Advance(absl::Hours(1) + absl::Seconds(1));
  auto third = scheduler.RunOnce();
  REQUIRE(third.ok());
  CHECK(third->ran);
  CHECK(third->changed >= 1);
  CHECK(store.GetVersion(DatasetId(box.tenant, "richieste-pubbliche"), 0, true)->number == 2);
  CHECK(store.GetVersion(DatasetId(box.tenant, "servizi"), 0, true)->number == 1);
}

TEST_CASE_METHOD(Replicas, "a replica stopping mid-pass leaves the job due for another", "[opendata][schedule]") {
  int a_refreshed = 0;
  std::unique_ptr<Scheduler> a;
  a = std::make_unique<Scheduler>(store, clock, settings,
                                  ScheduledWork{Tenants({"t"}), [&](const std::string&, const std::string&) {
                                                  if (++a_refreshed == 2) a->Stop();  // SIGTERM meanwhile
                                                  return absl::StatusOr<bool>(false);
                                                }});
  auto pass = a->RunOnce();
  REQUIRE(pass.ok());
  CHECK(pass->ran);
  CHECK(pass->lease_lost);
  CHECK(a_refreshed == 2);
  int b_refreshed = 0;
  Scheduler b(store, clock, settings, CountingWork(b_refreshed));
  // No interval to wait: B does the whole pass at once.
  CHECK(b.RunOnce()->ran);
  CHECK(b_refreshed == static_cast<int>(DatasetKinds().size()));
}
