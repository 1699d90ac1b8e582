// The complaints store against the real PostgreSQL: numbering under
// concurrency, escalation of overdue requests exactly once (with its outbox
// event), and the retention purge. The outbox itself: outbox_pgtest.cpp.
#include "services/complaints/store.h"

#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/outbox/outbox.h"
#include "tests/support/test_env.h"

namespace sportello::complaints {
const std::vector<db::Migration>& Migrations();
}

using namespace sportello::complaints;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

NewRequest Sample(const std::string& tenant) {
  NewRequest n;
  n.request.tenant = tenant;
  n.request.kind = Kind::kSuggestion;
  n.request.subject = "Più panchine in piazza";
  n.request.description = "Suggerisco di aggiungere panchine.";
  n.request.reporter = Reporter{"Anna Prova", "anna@example.it", "", ""};
  n.token_hash = UniqueName("hash");
  n.deadline_days = 30;
  return n;
}

std::string NoAnswer(const Request&) { return ""; }

void Exec(sportello::db::Pool& pool, const std::string& sql) {
  REQUIRE(pool.Run([&](pqxx::connection& c) {
                pqxx::work tx(c);
                tx.exec(sql);
                tx.commit();
                return absl::OkStatus();
              }).ok());
}

}  // namespace

TEST_CASE("complaints store: numbers, escalation, outbox and purge", "[complaints][store]") {
  sportello::db::Pool pool(RequireEnv("SPORTELLO_TEST_PG_URL"), 4);
  REQUIRE(sportello::db::ApplyMigrations(pool, "complaints", Migrations()).ok());
  REQUIRE(sportello::outbox::ApplyMigrations(pool, "complaints").ok());
  absl::TimeZone rome;
  REQUIRE(absl::LoadTimeZone("Europe/Rome", &rome));
  RequestStore store(pool, rome);
  std::string tenant = UniqueName("c_");

  SECTION("concurrent submissions get distinct consecutive numbers") {
    std::vector<std::string> numbers(8);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        auto s = store.Submit(Sample(tenant), NoAnswer);
        if (s.ok()) numbers[i] = s->request.number;
      });
    }
    for (auto& t : threads) t.join();
    std::set<std::string> unique(numbers.begin(), numbers.end());
    CHECK(unique.size() == 8);
    CHECK_FALSE(unique.count(""));
    std::string year = absl::FormatTime("%Y", absl::Now(), rome);
    std::string prefix = tenant.substr(2);
    for (auto& c : prefix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(unique.count(prefix + "-" + year + "-000001") == 1);
    CHECK(unique.count(prefix + "-" + year + "-000008") == 1);
  }

  SECTION("an overdue request is escalated once, with an event") {
    auto s = store.Submit(Sample(tenant), NoAnswer);
    REQUIRE(s.ok());
    Exec(pool, "UPDATE complaints.requests SET due_time = now() - interval '1 day' WHERE number = '" +
                   s->request.number + "'");
    REQUIRE(store.EscalateOverdue(absl::Now(), 1000).ok());
    auto again = store.EscalateOverdue(absl::Now(), 1000);
    REQUIRE(again.ok());
    auto events = sportello::outbox::ReadAfter(pool, "complaints", tenant, 0, 100);
    REQUIRE(events.ok());
    int overdue = 0;
    for (const auto& e : *events) overdue += e.type == "request.overdue" && e.subject == s->request.number;
    CHECK(overdue == 1);
    auto history = store.History(s->request.number, true);
    REQUIRE(history.ok());
    CHECK(history->back().action == "escalated");
    // Citizens do not see internal escalations.
    auto public_history = store.History(s->request.number, false);
    REQUIRE(public_history.ok());
    CHECK(public_history->back().action != "escalated");
  }

  SECTION("the purge removes closed requests' reporters only") {
    auto open = store.Submit(Sample(tenant), NoAnswer);
    auto closed = store.Submit(Sample(tenant), NoAnswer);
    REQUIRE(open.ok());
    REQUIRE(closed.ok());
    Exec(pool, "UPDATE complaints.requests SET status = 'closed', closed_time = now() - interval '2 years' "
               "WHERE number = '" + closed->request.number + "'");
    auto purged = store.PurgePersonalData(tenant, absl::Now() - absl::Hours(24 * 365));
    REQUIRE(purged.ok());
    CHECK(*purged == 1);
    auto kept = store.Get(open->request.number, true);
    REQUIRE(kept.ok());
    REQUIRE(kept->reporter.has_value());
    CHECK(kept->reporter->email == "anna@example.it");
    auto gone = store.Get(closed->request.number, true);
    REQUIRE(gone.ok());
    CHECK_FALSE(gone->reporter.has_value());
    CHECK(gone->subject == "Più panchine in piazza");  // the request and its figures stay
  }
}
