// The complaints store against the real PostgreSQL, with time from a
// ManualClock: numbering under concurrency, escalation of overdue requests
// exactly once (with its outbox event), the retention purge, both with two
// replicas' stores running them at once, and a request
// moved back from resolved to in progress counting as open again. Each
// section works in its own tenant; background jobs are scoped to it. The
// outbox itself: outbox_pgtest.cpp.
#include "services/complaints/store.h"

#include <algorithm>
#include <functional>
#include <future>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "common/clock.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/outbox/outbox.h"
#include "services/complaints/background.h"
#include "services/complaints/deadlines.h"
#include "services/complaints/intake.h"
#include "services/complaints/service_spec.h"
#include "services/complaints/workflow.h"
#include "tests/support/poll.h"
#include "tests/support/test_env.h"

using namespace sportello::complaints;
using sportello::ManualClock;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

constexpr absl::Duration kDay = absl::Hours(24);

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

// Moves a request as the service would, at the clock's time.
Request MoveTo(RequestStore& store, const std::string& number, Status to, const ManualClock& clock,
               const absl::TimeZone& zone) {
  auto moved = store.Update(number, [&](Request& r, Mutation& m) -> absl::Status {
    Status from = r.status;
    ApplyStatus(r, to, clock.Now(), zone, 30);
    m.history.push_back({0, clock.Now(), "operatore", "status_changed", from, to, Visibility::kPublic, "", ""});
    return absl::OkStatus();
  });
  REQUIRE(moved.ok());
  return *moved;
}

int CountOverdueEvents(sportello::db::Pool& pool, const std::string& tenant, const std::string& number) {
  auto events = sportello::outbox::ReadAfter(pool, "complaints", tenant, 0, 1000);
  REQUIRE(events.ok());
  int overdue = 0;
  for (const auto& e : *events) overdue += e.type == "request.overdue" && e.subject == number;
  return overdue;
}

}  // namespace

TEST_CASE("complaints store: numbers, escalation, purge, reopened work", "[complaints][store]") {
  sportello::db::Pool pool(RequireEnv("SPORTELLO_TEST_PG_URL"), 4);
  REQUIRE(sportello::db::ApplyMigrations(pool, "complaints", Migrations()).ok());
  REQUIRE(sportello::outbox::ApplyMigrations(pool, "complaints").ok());
  absl::TimeZone rome;
  REQUIRE(absl::LoadTimeZone("Europe/Rome", &rome));
  ManualClock clock(absl::Now());
  RequestStore store(pool, rome, clock);
  std::string tenant = UniqueName("c_");
  BackgroundSettings jobs_settings;
  jobs_settings.tenant = tenant;  // never touch other tests' requests with our clock
  jobs_settings.retention = 365 * kDay;

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
    std::string year = absl::FormatTime("%Y", clock.Now(), rome);
    std::string prefix = tenant.substr(2);
    for (auto& c : prefix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(unique.count(prefix + "-" + year + "-000001") == 1);
    CHECK(unique.count(prefix + "-" + year + "-000008") == 1);
  }

  SECTION("a submission waiting to commit does not hold its tenant's counter") {
    // Every complaints event waits behind this transaction's commit-order
    // lock, so the submission below stops at its last step, before its commit.
    pqxx::connection holder_connection(RequireEnv("SPORTELLO_TEST_PG_URL"));
    pqxx::work holder(holder_connection);
    holder.exec(sportello::outbox::CommitOrderLockSql("complaints"));
    auto submitted = std::async(std::launch::async, [&] { return store.Submit(Sample(tenant), NoAnswer); });
    auto counter = [&] {
      return pool.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<long long> {
        auto rows = tx.exec_params("SELECT last FROM complaints.counters WHERE tenant = $1", tenant);
        return rows.empty() ? 0LL : rows[0][0].as<long long>();
      });
    };
    // The number is drawn and committed while the request is not: the next
    // submission to this tenant could take its own number meanwhile.
    CHECK(sportello::testing::PollUntil([&] { return *counter() == 1; }, absl::Seconds(10)));
    CHECK(submitted.wait_for(std::chrono::milliseconds(200)) == std::future_status::timeout);
    holder.commit();
    auto s = submitted.get();
    REQUIRE(s.ok());
    CHECK(s->request.number ==
          FormatNumber(NumberPrefix(tenant), static_cast<int>(absl::ToCivilYear(clock.Now(), rome).year()), 1));
  }

  SECTION("one submission writes the request, reporter, history and event; numbers keep every digit") {
    REQUIRE(store.SetRoutingRule({tenant, "", "suggestion", "ufficio-urp"}).ok());
    const int year = static_cast<int>(absl::ToCivilYear(clock.Now(), rome).year());
    REQUIRE(pool.Write([&](pqxx::work& tx) {
                  tx.exec_params("INSERT INTO complaints.counters (tenant, year, last) VALUES ($1, $2, 999999)", tenant,
                                 year);
                  return absl::OkStatus();
                }).ok());
    auto s = store.Submit(Sample(tenant), NoAnswer);
    REQUIRE(s.ok());
    CHECK(s->request.number == FormatNumber(NumberPrefix(tenant), year, 1000000));
    CHECK(s->request.status == Status::kAssigned);  // routed by the rule, as PlanSubmission says
    CHECK(s->request.office_id == "ufficio-urp");
    CHECK(s->request.create_time == clock.Now());
    auto staff = store.Get(s->request.number, true);
    REQUIRE(staff.ok());
    REQUIRE(staff->reporter.has_value());
    CHECK(staff->reporter->email == "anna@example.it");
    auto history = store.History(s->request.number, true, 10, "");
    REQUIRE(history.ok());
    REQUIRE(history->items.size() == 2);
    CHECK(history->items[0].action == "submitted");
    CHECK(history->items[1].action == "assigned");
    CHECK(history->items[1].office_id == "ufficio-urp");
    auto events = sportello::outbox::ReadAfter(pool, "complaints", tenant, 0, 10);
    REQUIRE(events.ok());
    REQUIRE(events->size() == 1);
    CHECK((*events)[0].type == "request.created");
    CHECK((*events)[0].subject == s->request.number);
    CHECK((*events)[0].data_json.find("\"number\": \"" + s->request.number + "\"") != std::string::npos);
    CHECK((*events)[0].data_json.find("\"office_id\": \"ufficio-urp\"") != std::string::npos);
  }

  // Submits `waiting` at once, in line behind two submissions that stop at
  // their events (each leading a transaction of its own: RequestStore runs two
  // at once), so that the five then share one transaction, whose numbers are
  // 3 to 2 + waiting.size(). Returns their results.
  auto submit_in_line = [&](std::vector<NewRequest>& waiting) {
    pqxx::connection holder_connection(RequireEnv("SPORTELLO_TEST_PG_URL"));
    auto holder = std::make_unique<pqxx::work>(holder_connection);
    holder->exec(sportello::outbox::CommitOrderLockSql("complaints"));
    auto counter = [&] {
      return pool.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<long long> {
        auto rows = tx.exec_params("SELECT last FROM complaints.counters WHERE tenant = $1", tenant);
        return rows.empty() ? 0LL : rows[0][0].as<long long>();
      });
    };
    std::vector<std::future<absl::StatusOr<Submitted>>> first, rest;
    for (int i = 0; i < 2; ++i) {
      first.push_back(std::async(std::launch::async, [&] { return store.Submit(Sample(tenant), NoAnswer); }));
    }
    REQUIRE(sportello::testing::PollUntil([&] { return *counter() == 2; }, absl::Now() + absl::Seconds(10)));
    for (auto& n : waiting) rest.push_back(std::async(std::launch::async, [&] { return store.Submit(n, NoAnswer); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all in line
    CHECK(*counter() == 2);
    holder->commit();
    for (auto& f : first) REQUIRE(f.get().ok());
    std::vector<absl::StatusOr<Submitted>> results;
    for (auto& f : rest) results.push_back(f.get());
    return results;
  };
  auto in_line = [&] {
    std::vector<NewRequest> waiting;
    for (int i = 0; i < 5; ++i) {
      waiting.push_back(Sample(tenant));
      waiting.back().request.subject = "Richiesta " + std::to_string(i);
      if (i == 1) waiting.back().request.location = Location{40.58, 17.11};
      if (i == 3) waiting.back().request.reporter.reset();
    }
    return waiting;
  };
  auto count_subject = [&](const std::string& subject) {
    return *pool.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<long long> {
      return tx.exec_params("SELECT count(*) FROM complaints.requests WHERE tenant = $1 AND subject = $2", tenant,
                            subject)[0][0]
          .as<long long>();
    });
  };
  const int year = static_cast<int>(absl::ToCivilYear(clock.Now(), rome).year());

  SECTION("a statement failing in a shared transaction rolls all of it back; each is then stored alone, once") {
    // The third in line will be numbered 5, which is taken.
    REQUIRE(pool.Write([&](pqxx::work& tx) {
                  tx.exec_params("INSERT INTO complaints.requests (tenant, number, kind, subject, description, "
                                 "channel, status, token_hash, due_time) VALUES ($1, $2, 'suggestion', 'occupa', "
                                 "'', 'web', 'received', 'x', now())",
                                 tenant, FormatNumber(NumberPrefix(tenant), year, 5));
                  return absl::OkStatus();
                }).ok());
    std::vector<NewRequest> waiting = in_line();
    std::vector<absl::StatusOr<Submitted>> results = submit_in_line(waiting);
    std::set<std::string> numbers;
    for (int i = 0; i < 5; ++i) {
      INFO(i);
      REQUIRE(results[i].ok());
      const Request& r = results[i]->request;
      CHECK(r.subject == "Richiesta " + std::to_string(i));
      CHECK(r.create_time == clock.Now());
      // 3..7 were drawn by the transaction that failed; none of its rows stayed.
      CHECK(r.number > FormatNumber(NumberPrefix(tenant), year, 7));
      CHECK(count_subject(r.subject) == 1);
      numbers.insert(r.number);
      auto stored = store.Get(r.number, true);
      REQUIRE(stored.ok());
      CHECK(stored->reporter.has_value() == (i != 3));
      CHECK(stored->location.has_value() == (i == 1));
      auto history = store.History(r.number, true, 10, "");
      REQUIRE(history.ok());
      REQUIRE_FALSE(history->items.empty());
      CHECK(history->items[0].action == "submitted");
    }
    CHECK(numbers.size() == 5);
    auto events = sportello::outbox::ReadAfter(pool, "complaints", tenant, 0, 100);
    REQUIRE(events.ok());
    std::multiset<std::string> created;
    for (const auto& e : *events) {
      if (e.type != "request.created") continue;
      created.insert(e.subject);
      CHECK(e.data_json.find("\"number\": \"" + e.subject + "\"") != std::string::npos);
    }
    CHECK(created.size() == 7);  // the two first and these five, once each
    for (const auto& number : numbers) CHECK(created.count(number) == 1);
  }

  SECTION("submissions sharing a transaction are each stored whole; a bad one fails alone") {
    std::vector<NewRequest> waiting = in_line();
    waiting[2].request.description = "testo \xff non UTF-8";  // refused by libpq's quoting
    std::vector<absl::StatusOr<Submitted>> results = submit_in_line(waiting);
    CHECK_FALSE(results[2].ok());
    CHECK(count_subject("Richiesta 2") == 0);
    for (int i : {0, 1, 3, 4}) {
      INFO(i);
      REQUIRE(results[i].ok());
      CHECK(results[i]->request.subject == "Richiesta " + std::to_string(i));
      CHECK(count_subject(results[i]->request.subject) == 1);
    }
  }

  SECTION("alone, submissions share transactions under load: numbers and events add up") {
    std::vector<std::future<absl::StatusOr<Submitted>>> sent;
    for (int i = 0; i < 40; ++i) {
      sent.push_back(std::async(std::launch::async, [&] { return store.Submit(Sample(tenant), NoAnswer); }));
    }
    std::set<std::string> numbers;
    for (auto& f : sent) {
      auto s = f.get();
      REQUIRE(s.ok());
      numbers.insert(s->request.number);
    }
    REQUIRE(numbers.size() == 40);
    CHECK(*numbers.begin() == FormatNumber(NumberPrefix(tenant), year, 1));
    CHECK(*numbers.rbegin() == FormatNumber(NumberPrefix(tenant), year, 40));
    auto events = sportello::outbox::ReadAfter(pool, "complaints", tenant, 0, 100);
    REQUIRE(events.ok());
    std::set<std::string> created;
    for (const auto& e : *events) created.insert(e.subject);
    CHECK(created == numbers);
  }

  SECTION("the staff's search finds % and _ literally, not as wildcards") {
    auto with_subject = [&](const std::string& subject) {
      NewRequest n = Sample(tenant);
      n.request.subject = subject;
      auto s = store.Submit(n, NoAnswer);
      REQUIRE(s.ok());
      return s->request.number;
    };
    const std::string percent = with_subject("Sconto del 50% sulla TARI");
    const std::string underscore = with_subject("Campo via_roma");
    with_subject("Sconto del 500 sulla TARI");
    with_subject("Campo viaXroma");
    with_subject("Barra \\ rovescia");
    auto search = [&](const std::string& text) {
      RequestFilter f;
      f.tenant = tenant;
      f.text = text;
      auto page = store.List(f, 50, "");
      REQUIRE(page.ok());
      std::vector<std::string> numbers;
      for (const auto& r : page->items) numbers.push_back(r.number);
      return numbers;
    };
    CHECK(search("50%") == std::vector<std::string>{percent});
    CHECK(search("via_roma") == std::vector<std::string>{underscore});
    CHECK(search("%").size() == 1);
    CHECK(search("_").size() == 1);
    CHECK(search("\\").size() == 1);
    CHECK(search("").size() == 5);
  }

  SECTION("times are the clock's, not the database's") {
    clock.Set(absl::FromUnixSeconds(1767225600) + absl::Microseconds(123457));  // 2026-01-01 00:00:00.123457 UTC
    auto s = store.Submit(Sample(tenant), NoAnswer);
    REQUIRE(s.ok());
    CHECK(s->request.create_time == clock.Now());
    CHECK(s->request.due_time == DueTime(clock.Now(), 30, rome));
    auto history = store.History(s->request.number, true, 200, "");
    REQUIRE(history.ok());
    CHECK(history->items.front().time == clock.Now());
  }

  SECTION("an overdue request is escalated once, with an event, when the clock passes its due time") {
    auto s = store.Submit(Sample(tenant), NoAnswer);
    REQUIRE(s.ok());
    Background jobs(store, clock, jobs_settings);
    clock.Advance(29 * kDay);
    jobs.RunOnce();
    CHECK(CountOverdueEvents(pool, tenant, s->request.number) == 0);
    clock.Advance(3 * kDay);
    jobs.RunOnce();
    jobs.RunOnce();
    CHECK(CountOverdueEvents(pool, tenant, s->request.number) == 1);
    auto history = store.History(s->request.number, true, 200, "");
    REQUIRE(history.ok());
    CHECK(history->items.back().action == "escalated");
    // Citizens do not see internal escalations.
    auto public_history = store.History(s->request.number, false, 200, "");
    REQUIRE(public_history.ok());
    CHECK(public_history->items.back().action != "escalated");
  }

  SECTION("the purge removes the reporters of requests closed longer than the retention") {
    auto open = store.Submit(Sample(tenant), NoAnswer);
    auto closed = store.Submit(Sample(tenant), NoAnswer);
    REQUIRE(open.ok());
    REQUIRE(closed.ok());
    MoveTo(store, closed->request.number, Status::kResolved, clock, rome);
    MoveTo(store, closed->request.number, Status::kClosed, clock, rome);
    Background jobs(store, clock, jobs_settings);
    clock.Advance(364 * kDay);
    jobs.RunOnce();
    auto still = store.Get(closed->request.number, true);
    REQUIRE(still.ok());
    CHECK(still->reporter.has_value());  // within the retention
    clock.Advance(2 * kDay);
    jobs.RunOnce();
    auto kept = store.Get(open->request.number, true);
    REQUIRE(kept.ok());
    REQUIRE(kept->reporter.has_value());
    CHECK(kept->reporter->email == "anna@example.it");
    auto gone = store.Get(closed->request.number, true);
    REQUIRE(gone.ok());
    CHECK_FALSE(gone->reporter.has_value());
    CHECK(gone->subject == "Più panchine in piazza");  // the request and its figures stay
  }

  SECTION("two replicas escalating and purging at once act on each request once") {
    constexpr int kRequests = 12;
    std::vector<std::string> numbers;
    for (int i = 0; i < kRequests; ++i) {
      auto s = store.Submit(Sample(tenant), NoAnswer);
      REQUIRE(s.ok());
      numbers.push_back(s->request.number);
    }
    // The other replica: connections of its own, the same database.
    sportello::db::Pool other_pool(RequireEnv("SPORTELLO_TEST_PG_URL"), 4);
    RequestStore other(other_pool, rome, clock);
    RequestStore* replicas[2] = {&store, &other};
    // Both run their job to the end at once, in small batches; the totals add up to the work.
    auto both = [&](const std::function<absl::StatusOr<long long>(RequestStore&)>& job) {
      long long done[2] = {0, 0};
      bool failed[2] = {false, false};
      std::vector<std::thread> threads;
      for (int i = 0; i < 2; ++i) {
        threads.emplace_back([&, i] {
          while (true) {
            auto n = job(*replicas[i]);
            if (!n.ok()) failed[i] = true;
            if (!n.ok() || *n == 0) return;
            done[i] += *n;
          }
        });
      }
      for (auto& t : threads) t.join();
      CHECK_FALSE(failed[0]);
      CHECK_FALSE(failed[1]);
      return done[0] + done[1];
    };
    clock.Advance(32 * kDay);
    CHECK(both([&](RequestStore& r) -> absl::StatusOr<long long> {
            auto n = r.EscalateOverdue(clock.Now(), 3, tenant);
            if (!n.ok()) return n.status();
            return static_cast<long long>(*n);
          }) == kRequests);
    for (const auto& number : numbers) {
      INFO(number);
      CHECK(CountOverdueEvents(pool, tenant, number) == 1);
      auto history = store.History(number, true, 200, "");
      REQUIRE(history.ok());
      CHECK(std::count_if(history->items.begin(), history->items.end(),
                          [](const auto& h) { return h.action == "escalated"; }) == 1);
    }
    for (const auto& number : numbers) {
      MoveTo(store, number, Status::kResolved, clock, rome);
      MoveTo(store, number, Status::kClosed, clock, rome);
    }
    clock.Advance(366 * kDay);
    CHECK(both([&](RequestStore& r) { return r.PurgePersonalData(tenant, clock.Now() - 365 * kDay); }) == kRequests);
    for (const auto& number : numbers) {
      auto gone = store.Get(number, true);
      REQUIRE(gone.ok());
      CHECK_FALSE(gone->reporter.has_value());
    }
  }

  SECTION("history, routing rules and the access register are paged") {
    auto s = store.Submit(Sample(tenant), NoAnswer);
    REQUIRE(s.ok());
    for (int i = 0; i < 4; ++i) {
      REQUIRE(store.Update(s->request.number, [&](Request& r, Mutation& m) -> absl::Status {
                     m.history.push_back({0, clock.Now(), "operatore", "message", std::nullopt, std::nullopt,
                                          Visibility::kPublic, "nota " + std::to_string(i), ""});
                     return absl::OkStatus();
                   }).ok());
    }
    std::vector<long long> ids;
    std::string token;
    int pages = 0;
    do {
      auto page = store.History(s->request.number, true, 2, token);
      REQUIRE(page.ok());
      for (const auto& h : page->items) ids.push_back(h.id);
      token = page->next_page_token;
      ++pages;
    } while (!token.empty() && pages < 10);
    CHECK(ids.size() == 5);  // submitted + 4 notes
    CHECK(pages == 3);
    CHECK(std::is_sorted(ids.begin(), ids.end()));
    CHECK(std::set<long long>(ids.begin(), ids.end()).size() == ids.size());

    for (const char* category : {"", "buche", "rifiuti"}) {
      REQUIRE(store.SetRoutingRule({tenant, category, "", "ufficio"}).ok());
    }
    auto first = store.ListRoutingRules(tenant, 2, "");
    REQUIRE(first.ok());
    REQUIRE(first->items.size() == 2);
    REQUIRE_FALSE(first->next_page_token.empty());
    auto second = store.ListRoutingRules(tenant, 2, first->next_page_token);
    REQUIRE(second.ok());
    REQUIRE(second->items.size() == 1);
    CHECK(second->items[0].category == "rifiuti");
    CHECK(second->next_page_token.empty());
    CHECK_FALSE(store.ListRoutingRules(tenant, 2, "non-un-token!").ok());

    for (int i = 0; i < 3; ++i) {
      NewRequest access = Sample(tenant);
      access.request.kind = Kind::kCivicAccess;
      access.request.civic_access.object = "Delibera numero " + std::to_string(i);
      REQUIRE(store.Submit(access, NoAnswer).ok());
    }
    std::string today = absl::FormatTime("%Y-%m-%d", clock.Now(), rome);
    std::vector<std::string> numbers;
    token.clear();
    pages = 0;
    do {
      auto page = store.AccessRegister({tenant, today, today, std::nullopt, std::nullopt}, 2, token);
      REQUIRE(page.ok());
      for (const auto& e : page->items) numbers.push_back(e.request.number);
      token = page->next_page_token;
      ++pages;
    } while (!token.empty() && pages < 10);
    CHECK(numbers.size() == 3);
    CHECK(pages == 2);
    CHECK(std::set<std::string>(numbers.begin(), numbers.end()).size() == 3);
  }

  SECTION("a request moved back from resolved to in progress is open: overdue everywhere, never purged") {
    auto s = store.Submit(Sample(tenant), NoAnswer);
    REQUIRE(s.ok());
    const std::string number = s->request.number;
    clock.Advance(kDay);
    MoveTo(store, number, Status::kResolved, clock, rome);
    clock.Advance(kDay);
    Request back = MoveTo(store, number, Status::kInProgress, clock, rome);
    CHECK_FALSE(back.resolved_time.has_value());
    clock.Advance(40 * kDay);
    // The API's definition...
    CHECK(IsOverdue(back, clock.Now()));
    // ...and the SQL's: the operators' list, the figures and the escalation agree.
    RequestFilter overdue;
    overdue.tenant = tenant;
    overdue.overdue_only = true;
    auto listed = store.List(overdue, 50, "");
    REQUIRE(listed.ok());
    REQUIRE(listed->items.size() == 1);
    CHECK(listed->items[0].number == number);
    auto stats = store.GetStats(tenant, clock.Now() - 400 * kDay, clock.Now());
    REQUIRE(stats.ok());
    CHECK(stats->overdue_now == 1);
    Background jobs(store, clock, jobs_settings);
    jobs.RunOnce();
    CHECK(CountOverdueEvents(pool, tenant, number) == 1);
    // Years later, still being worked on: the reporter stays.
    clock.Advance(400 * kDay);
    jobs.RunOnce();
    auto kept = store.Get(number, true);
    REQUIRE(kept.ok());
    CHECK(kept->reporter.has_value());
  }
}
