// The shared outbox against the real PostgreSQL, delivering over real gRPC to
// an EventSink served in this process: order equals commit order under
// concurrent writers, a failing subscriber gets the same events again, two
// relays (two replicas) never deliver at the same time, and a restarted relay
// resumes from the cursor, after a dead replica's lease runs out.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "common/outbox/outbox.h"
#include "common/outbox/relay.h"
#include "sportello/v1/common.grpc.pb.h"
#include "tests/support/poll.h"
#include "tests/support/test_env.h"

using namespace sportello;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

// A subscriber: records what it acknowledges, refuses while told to, and
// notes how many deliveries ever ran at once.
class RecordingSink final : public v1::EventSink::Service {
 public:
  grpc::Status Deliver(grpc::ServerContext*, const v1::Event* event, v1::DeliverResponse*) override {
    int now = ++in_flight_;
    int seen = max_in_flight_.load();
    while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
    }
    // A little work per event, so that two relays delivering at once would overlap.
    std::this_thread::sleep_for(std::chrono::milliseconds(work_ms_));
    --in_flight_;
    std::lock_guard lock(mu_);
    attempts_.push_back(event->id());
    if (event->sequence() == fail_at_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "subscriber down");
    acked_.push_back(*event);
    return grpc::Status::OK;
  }

  std::vector<v1::Event> Acked() {
    std::lock_guard lock(mu_);
    return acked_;
  }
  std::vector<std::string> Attempts() {
    std::lock_guard lock(mu_);
    return attempts_;
  }
  void FailAt(long long sequence) {
    std::lock_guard lock(mu_);
    fail_at_ = sequence;
  }
  int MaxInFlight() const { return max_in_flight_.load(); }
  int work_ms_ = 0;

 private:
  std::mutex mu_;
  std::vector<v1::Event> acked_;
  std::vector<std::string> attempts_;
  long long fail_at_ = -1;
  std::atomic<int> in_flight_{0}, max_in_flight_{0};
};

struct SinkServer {
  RecordingSink sink;
  std::unique_ptr<grpc::Server> server;
  std::string address;

  SinkServer() {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&sink);
    server = builder.BuildAndStart();
    address = "127.0.0.1:" + std::to_string(port);
  }
  ~SinkServer() { server->Shutdown(); }
};

void AppendOne(db::Pool& pool, const std::string& schema, const std::string& subject) {
  auto s = pool.Write([&](pqxx::work& tx) -> absl::Status {
    outbox::Append(tx, schema, {{"c_test", "thing.happened", subject, R"({"n":1})", absl::Now()}});
    return absl::OkStatus();
  });
  REQUIRE(s.ok());
}

outbox::RelaySettings Settings(const std::string& schema, const std::string& subscriber, const std::string& address) {
  outbox::RelaySettings settings;
  settings.schema = schema;
  settings.subscribers = {{subscriber, address}};
  settings.batch_size = 10;
  return settings;
}

}  // namespace

TEST_CASE("outbox: commit order, redelivery, one replica at a time, restart", "[outbox][pg]") {
  db::Pool pool(RequireEnv("SPORTELLO_TEST_PG_URL"), 12);
  const std::string schema = UniqueName("outbox_t");
  REQUIRE(outbox::ApplyMigrations(pool, schema).ok());
  REQUIRE(outbox::ApplyMigrations(pool, schema).ok());  // idempotent: replicas start at once

  SECTION("what ReadAfter hands on is on disk, though its commit did not wait") {
    // Another writer's commit, made without waiting for the disk, as the
    // pool's are: visible at once, flushed later by the WAL writer.
    for (int i = 0; i < 20; ++i) {
      pqxx::connection writer(RequireEnv("SPORTELLO_TEST_PG_URL"));
      {
        pqxx::work tx(writer);
        tx.exec("SET LOCAL synchronous_commit = off");
        outbox::Append(tx, schema, {{"c_test", "thing.happened", "async/" + std::to_string(i), "", absl::Now()}});
        tx.commit();
      }
      pqxx::nontransaction after(writer);
      const std::string committed =
          after.exec("SELECT pg_current_wal_insert_lsn()::text").at(0).at(0).as<std::string>();
      auto batch = outbox::ReadAfter(pool, schema, "", 0, 1000);
      REQUIRE(batch.ok());
      CHECK(batch->size() == static_cast<size_t>(i + 1));
      pqxx::connection other(RequireEnv("SPORTELLO_TEST_PG_URL"));
      pqxx::nontransaction q(other);
      CHECK(q.exec_params("SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn", committed).at(0).at(0).as<bool>());
    }
  }

  SECTION("a statement that appends its event waits for the commit-order lock only once the rest is written") {
    REQUIRE(pool.Write([&](pqxx::work& tx) -> absl::Status {
                  tx.exec("CREATE TABLE " + schema + ".things (id bigserial PRIMARY KEY, name text NOT NULL)");
                  return absl::OkStatus();
                }).ok());
    // A thing and its event in one statement, as the complaints and surveys stores write theirs.
    auto statement = [&](const std::vector<std::string>& after, const std::string& name) {
      return "WITH thing AS (INSERT INTO " + schema + ".things (name) VALUES ('" + name + "') RETURNING id, name) "
             "INSERT INTO " + schema + ".outbox (tenant, type, subject) SELECT 'c_test', 'thing.made', thing.name "
             "FROM (" + outbox::CommitOrderLockSql(schema, after) + ") AS commit_order, thing";
    };
    // Whether a statement, stopped on the commit-order lock held below, has
    // written anything yet: its transaction has an id once it has.
    auto wrote_before_waiting = [&](const std::string& sql) {
      pqxx::connection holder_connection(RequireEnv("SPORTELLO_TEST_PG_URL"));
      pqxx::work holder(holder_connection);
      holder.exec(outbox::CommitOrderLockSql(schema));
      pqxx::connection writer(RequireEnv("SPORTELLO_TEST_PG_URL"));
      const int pid = writer.backendpid();
      std::thread run([&] {
        pqxx::nontransaction tx(writer);
        tx.exec(sql);
      });
      std::optional<bool> wrote;
      pqxx::connection watcher(RequireEnv("SPORTELLO_TEST_PG_URL"));
      sportello::testing::PollUntil(
          [&] {
            pqxx::nontransaction q(watcher);
            auto rows = q.exec_params(
                "SELECT backend_xid IS NOT NULL FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'advisory'", pid);
            if (!rows.empty()) wrote = rows[0][0].as<bool>();
            return wrote.has_value();
          },
          absl::Seconds(10));
      holder.commit();
      run.join();
      return wrote;
    };
    // Without `after` PostgreSQL takes the lock before the insert it joins.
    CHECK(wrote_before_waiting(statement({}, "first")) == std::optional<bool>(false));
    CHECK(wrote_before_waiting(statement({"thing"}, "last")) == std::optional<bool>(true));
    auto events = outbox::ReadAfter(pool, schema, "", 0, 10);
    REQUIRE(events.ok());
    REQUIRE(events->size() == 2);
    CHECK((*events)[1].subject == "last");
  }

  SECTION("a reader following the cursor sees every event once, in order, under concurrent writers") {
    constexpr int kWriters = 6, kPerWriter = 40;
    std::atomic<bool> done{false};
    std::vector<outbox::Event> seen;
    std::atomic<int> errors{0};
    std::thread reader([&] {
      long long cursor = 0;
      while (true) {
        bool last_round = done.load();
        auto batch = outbox::ReadAfter(pool, schema, "", cursor, 1000);
        if (!batch.ok()) {
          ++errors;
          return;
        }
        for (const auto& e : *batch) {
          seen.push_back(e);
          cursor = e.sequence;
        }
        if (last_round && batch->empty()) return;
      }
    });
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        for (int i = 0; i < kPerWriter; ++i) {
          // Work before the events, in the same transaction, as a store does.
          auto s = pool.Write([&](pqxx::work& tx) -> absl::Status {
            tx.exec("SELECT pg_sleep(0.001)");
            outbox::Append(tx, schema, {{"c_test", "thing.happened", std::to_string(w) + "/" + std::to_string(i),
                                         "", absl::Now()}});
            // A wider gap between the sequence and the commit for half the
            // writers: without the lock, sequences would show up out of order.
            if (w % 2 == 1) tx.exec("SELECT pg_sleep(0.002)");
            return absl::OkStatus();
          });
          if (!s.ok()) ++errors;
        }
      });
    }
    for (auto& t : writers) t.join();
    done = true;
    reader.join();
    REQUIRE(errors.load() == 0);
    // A sequence made visible after a higher one would have been skipped by the cursor.
    CHECK(seen.size() == static_cast<size_t>(kWriters * kPerWriter));
    std::set<std::string> ids;
    for (size_t i = 0; i < seen.size(); ++i) {
      ids.insert(seen[i].id);
      if (i > 0) CHECK(seen[i].sequence > seen[i - 1].sequence);
    }
    CHECK(ids.size() == seen.size());
  }

  SECTION("a failing subscriber gets the same events again, in order") {
    SinkServer server;
    for (int i = 0; i < 5; ++i) AppendOne(pool, schema, "e" + std::to_string(i));
    auto events = outbox::ReadAfter(pool, schema, "", 0, 100);
    REQUIRE(events.ok());
    REQUIRE(events->size() == 5);
    outbox::Relay relay(pool, SystemClock::Instance(), Settings(schema, "audit", server.address));
    server.sink.FailAt((*events)[2].sequence);
    auto first = relay.DeliverOnce("audit");
    REQUIRE(first.ok());
    CHECK(*first == 2);
    server.sink.FailAt(-1);
    auto second = relay.DeliverOnce("audit");
    REQUIRE(second.ok());
    CHECK(*second == 3);
    auto acked = server.sink.Acked();
    REQUIRE(acked.size() == 5);
    for (size_t i = 0; i < acked.size(); ++i) CHECK(acked[i].id() == (*events)[i].id);
    // The third event was offered twice, with the same id; the others once.
    auto attempts = server.sink.Attempts();
    CHECK(std::count(attempts.begin(), attempts.end(), (*events)[2].id) == 2);
    CHECK(std::count(attempts.begin(), attempts.end(), (*events)[3].id) == 1);
    CHECK(acked[0].data().fields().at("n").number_value() == 1);
  }

  SECTION("two relays (two replicas) never deliver to one subscriber at the same time") {
    SinkServer server;
    server.sink.work_ms_ = 2;
    constexpr int kEvents = 60;
    for (int i = 0; i < kEvents; ++i) AppendOne(pool, schema, "p" + std::to_string(i));
    outbox::Relay a(pool, SystemClock::Instance(), Settings(schema, "dispatch", server.address));
    outbox::Relay b(pool, SystemClock::Instance(), Settings(schema, "dispatch", server.address));
    std::atomic<int> total{0}, errors{0};
    auto run = [&](outbox::Relay& relay) {
      absl::Time deadline = absl::Now() + absl::Seconds(60);
      while (total.load() < kEvents && absl::Now() < deadline) {
        auto n = relay.DeliverOnce("dispatch");
        if (!n.ok()) {
          ++errors;
          return;
        }
        total += *n;
      }
    };
    std::thread ta([&] { run(a); }), tb([&] { run(b); });
    ta.join();
    tb.join();
    REQUIRE(errors.load() == 0);
    CHECK(total.load() == kEvents);
    CHECK(server.sink.MaxInFlight() == 1);
    auto acked = server.sink.Acked();
    REQUIRE(acked.size() == static_cast<size_t>(kEvents));  // no failure: nothing twice
    for (size_t i = 1; i < acked.size(); ++i) CHECK(acked[i].sequence() > acked[i - 1].sequence());
  }

  SECTION("a restarted relay resumes from the cursor, once a dead replica's lease has run out") {
    SinkServer server;
    for (int i = 0; i < 15; ++i) AppendOne(pool, schema, "r" + std::to_string(i));
    {
      outbox::Relay before(pool, SystemClock::Instance(), Settings(schema, "feeds", server.address));
      auto n = before.DeliverOnce("feeds");  // one batch of 10, then "restart"
      REQUIRE(n.ok());
      CHECK(*n == 10);
    }
    // A replica claimed the subscriber and died without releasing it.
    ManualClock clock(absl::Now());
    REQUIRE(pool.Write([&](pqxx::work& tx) -> absl::Status {
                  tx.exec_params("UPDATE " + schema + ".outbox_cursors SET lease_token = 'dead', leased_until = "
                                 "now() + interval '30 seconds' WHERE subscriber = 'feeds'");
                  return absl::OkStatus();
                }).ok());
    outbox::Relay after(pool, clock, Settings(schema, "feeds", server.address));
    auto blocked = after.DeliverOnce("feeds");
    REQUIRE(blocked.ok());
    CHECK(*blocked == 0);
    clock.Advance(absl::Seconds(31));
    auto resumed = after.DeliverOnce("feeds");
    REQUIRE(resumed.ok());
    CHECK(*resumed == 5);
    auto acked = server.sink.Acked();
    REQUIRE(acked.size() == 15);
    std::set<std::string> ids;
    for (const auto& e : acked) ids.insert(e.id());
    CHECK(ids.size() == 15);  // the restart re-sent nothing acknowledged
  }

  SECTION("a subscriber that names event types is called for those alone, and its cursor moves past the rest") {
    SinkServer server;
    auto append = [&](const std::string& type, const std::string& subject) {
      REQUIRE(pool.Write([&](pqxx::work& tx) -> absl::Status {
                    outbox::Append(tx, schema, {{"c_test", type, subject, R"({"n":1})", absl::Now()}});
                    return absl::OkStatus();
                  }).ok());
    };
    for (int i = 0; i < 12; ++i) append(i % 4 == 3 ? "request.closed" : "request.created", "t" + std::to_string(i));
    outbox::RelaySettings settings = Settings(schema, "surveys", server.address);
    settings.subscribers[0].types = {"request.closed"};
    outbox::Relay relay(pool, SystemClock::Instance(), settings);
    auto first = relay.DeliverOnce("surveys");  // a batch of 10: t3 and t7 are closed
    REQUIRE(first.ok());
    CHECK(*first == 10);
    auto second = relay.DeliverOnce("surveys");
    REQUIRE(second.ok());
    CHECK(*second == 2);
    auto third = relay.DeliverOnce("surveys");  // nothing left: the cursor is past the skipped ones too
    REQUIRE(third.ok());
    CHECK(*third == 0);
    auto acked = server.sink.Acked();
    REQUIRE(acked.size() == 3);
    CHECK(acked[0].subject() == "t3");
    CHECK(acked[1].subject() == "t7");
    CHECK(acked[2].subject() == "t11");
    CHECK(server.sink.Attempts().size() == 3);  // never offered another type
  }

  SECTION("the relay's thread delivers what is appended, and stops") {
    SinkServer server;
    outbox::Relay relay(pool, SystemClock::Instance(), Settings(schema, "live", server.address));
    relay.Start();
    AppendOne(pool, schema, "live-1");
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (server.sink.Acked().empty() && absl::Now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    relay.Stop();
    REQUIRE(server.sink.Acked().size() == 1);
    CHECK(server.sink.Acked()[0].subject() == "live-1");
  }

  SECTION("subscribers are read from configuration") {
    auto parsed = outbox::ParseSubscribers(" audit=127.0.0.1:7001, dispatch=dispatch:50055 ");
    REQUIRE(parsed.ok());
    REQUIRE(parsed->size() == 2);
    CHECK((*parsed)[1].name == "dispatch");
    CHECK((*parsed)[1].address == "dispatch:50055");
    CHECK_FALSE(outbox::ParseSubscribers("audit").ok());
    CHECK_FALSE(outbox::ParseSubscribers("a=x:1,a=y:2").ok());
    CHECK_FALSE(outbox::ParseSubscribers("bad name=x:1").ok());
    CHECK((*parsed)[0].types.empty());
    CHECK((*parsed)[0].Wants("anything.at_all"));

    auto typed = outbox::ParseSubscribers("surveys[request.closed|request.reopened]=10.0.0.1:50053,10.0.0.2:50053");
    REQUIRE(typed.ok());
    REQUIRE(typed->size() == 1);
    CHECK((*typed)[0].name == "surveys");
    CHECK((*typed)[0].address == "10.0.0.1:50053,10.0.0.2:50053");
    CHECK((*typed)[0].types == std::set<std::string>{"request.closed", "request.reopened"});
    CHECK((*typed)[0].Wants("request.reopened"));
    CHECK_FALSE((*typed)[0].Wants("request.created"));
    for (const char* bad : {"surveys[]=x:1", "surveys[request.closed=x:1", "surveys[a||b]=x:1",
                            "surveys[request closed]=x:1", "[request.closed]=x:1"}) {
      auto refused = outbox::ParseSubscribers(bad);
      CHECK_FALSE(refused.ok());
      CHECK(absl::StrContains(refused.status().message(), bad));
    }
  }

  REQUIRE(pool.Write([&](pqxx::work& tx) -> absl::Status {
                tx.exec("DROP SCHEMA " + schema + " CASCADE");
                return absl::OkStatus();
              }).ok());
}
