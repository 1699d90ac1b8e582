// The dispatch store and worker against the real PostgreSQL and loopback
// platforms: draft -> approval -> one delivery per account on every channel;
// two workers never claim one delivery; 429 then success; 401 to the dead
// letter and the account marked; a worker killed while sending gives no
// duplicate on Mastodon or to a webhook receiver, and an uncertain delivery
// on Telegram. Time is a ManualClock in 2099, so the running service's own
// worker (real time) never finds these deliveries due.
#include <functional>
#include <map>
#include <set>
#include <utility>
#include <thread>

#include <catch2/catch.hpp>

#include "absl/strings/escaping.h"
#include "common/clock.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/outbox/outbox.h"
#include "common/status.h"
#include "services/dispatch/approval.h"
#include "services/dispatch/background.h"
#include "services/dispatch/length.h"
#include "services/dispatch/service_spec.h"
#include "services/dispatch/store.h"
#include "tests/dispatch/fake_platforms.h"

using namespace sportello::dispatch;
using sportello::ManualClock;
using sportello::testing::FakePlatforms;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

struct Env {
  Env() : pool(RequireEnv("SPORTELLO_TEST_PG_URL"), 4) {
    REQUIRE(sportello::db::ApplyMigrations(pool, "dispatch", Migrations()).ok());
    REQUIRE(sportello::outbox::ApplyMigrations(pool, "dispatch").ok());
  }
  sportello::db::Pool pool;
  ManualClock clock{absl::FromCivil(absl::CivilSecond(2099, 1, 1, 9, 0, 0), absl::UTCTimeZone()) +
                    absl::Seconds(std::rand() % 100000)};
  std::optional<Keyring> keyring = *Keyring::Parse("t1:" + absl::Base64Escape(std::string(32, '\x07')), "t1");
  DispatchStore store{pool, clock};
  CurlSender sender{CurlSettings{.timeout = absl::Seconds(5)}, [] { return absl::Now(); }};

  WorkerSettings Settings(const std::string& tenant) {
    WorkerSettings s;
    s.tenant = tenant;
    s.enabled = false;  // RunOnce by hand
    s.retry.base = absl::Seconds(2);
    return s;
  }

  Account AddAccount(const std::string& tenant, Channel c, const std::string& endpoint, const std::string& secret) {
    Account a;
    a.tenant = tenant;
    a.channel = c;
    a.handle = c == Channel::kEmail ? "urp@comune.example.it" : "@comune_test";
    a.endpoint = endpoint;
    if (c == Channel::kEmail) a.recipients = {"iscritti@example.org"};
    a.credential = secret.empty() ? "" : *keyring->Seal(secret);
    auto saved = store.CreateAccount(a);
    REQUIRE(saved.ok());
    return *saved;
  }

  // Draft by "anna", approved by "bruno": the deliveries are queued.
  Message Approved(const std::string& tenant, const std::vector<Account>& accounts, const std::string& text) {
    Message m;
    m.tenant = tenant;
    m.title = "Avviso";
    m.text = text;
    m.link = "https://comune.example.it/avviso";
    for (const auto& a : accounts) {
      m.account_ids.push_back(a.id);
      m.variants.push_back(DeriveVariant(a, m.text, m.link));
    }
    Create(m, Actor{"anna", true, false}, clock.Now());
    auto created = store.CreateMessage(m);
    REQUIRE(created.ok());
    auto done = store.UpdateMessage(created->id, [&](Message& x, MessageEffects& fx) -> absl::Status {
      RETURN_IF_ERROR(Submit(x, Actor{"anna", true, false}, clock.Now()));
      auto ok = Approve(x, Actor{"bruno", false, true}, 1, clock.Now());
      RETURN_IF_ERROR(ok.status());
      for (const Variant& v : x.variants) fx.deliveries.push_back(NewDelivery{v.account_id, v.text, clock.Now()});
      fx.publish = true;
      fx.publish_time = clock.Now();
      return absl::OkStatus();
    });
    REQUIRE(done.ok());
    return *done;
  }

  DeliveryView Only(const Message& m) {
    auto list = store.DeliveriesOf(m.id);
    REQUIRE(list.ok());
    REQUIRE(list->size() == 1);
    return list->front();
  }
};

}  // namespace

TEST_CASE("Draft -> approval -> delivered once on every channel, with the legal record") {
  Env env;
  FakePlatforms fakes;
  std::string tenant = UniqueName("t_");
  std::vector<Account> accounts = {
      env.AddAccount(tenant, Channel::kTelegram, fakes.HttpBase(), sportello::testing::kTelegramToken),
      env.AddAccount(tenant, Channel::kMastodon, fakes.HttpBase(), sportello::testing::kMastodonToken),
      env.AddAccount(tenant, Channel::kWebhook, fakes.HttpBase() + "/hook", sportello::testing::kWebhookSecret),
      env.AddAccount(tenant, Channel::kEmail, fakes.SmtpUrl(), ""),
  };
  CHECK(accounts[0].credential.rfind("v1.t1.", 0) == 0);  // sealed at rest
  Message m = env.Approved(tenant, accounts, "Domani scuole chiuse per allerta meteo.");
  CHECK(m.state == MessageState::kApproved);

  Worker worker(env.store, env.sender, env.keyring, nullptr, env.clock, env.Settings(tenant));
  CHECK(worker.RunOnce() == 4);
  auto list = env.store.DeliveriesOf(m.id);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 4);
  for (const auto& v : *list) {
    INFO(ChannelName(v.channel) << ": " << v.delivery.last_error);
    CHECK(v.delivery.state == DeliveryState::kSent);
    CHECK(v.delivery.attempts == 1);
    REQUIRE(v.log.size() == 1);
    CHECK(v.log[0].outcome == "sent");
  }
  CHECK(fakes.Count("telegram") == 1);
  CHECK(fakes.Count("mastodon") == 1);
  CHECK(fakes.Count("webhook") == 1);
  CHECK(fakes.Count("mail") == 1);
  CHECK(worker.RunOnce() == 0);  // nothing sent twice
  CHECK(fakes.Count("telegram") == 1);

  auto saved = env.store.GetMessage(m.id);
  REQUIRE(saved.ok());
  CHECK(saved->sent);
  std::vector<std::string> steps;
  for (const Step& s : saved->history) steps.push_back(s.action + ":" + s.who);
  CHECK(steps == std::vector<std::string>{"create:anna", "submit:anna", "approve:bruno"});
  Edit e;
  e.text = "troppo tardi";
  CHECK(env.store.UpdateMessage(m.id, [&](Message& x, MessageEffects&) {
    return ApplyEdit(x, e, Actor{"anna", true, false}, env.clock.Now());
  }).status().code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("Two workers never claim the same delivery") {
  Env env;
  std::string tenant = UniqueName("t_");
  Account hook = env.AddAccount(tenant, Channel::kWebhook, "http://127.0.0.1:1/hook", "");
  for (int i = 0; i < 30; ++i) env.Approved(tenant, {hook}, "Messaggio " + std::to_string(i));
  std::vector<std::string> a, b;
  auto claim = [&](std::vector<std::string>& out) {
    while (true) {
      auto c = env.store.ClaimDue(3, tenant);
      REQUIRE(c.ok());
      if (c->empty()) return;
      for (const auto& x : *c) {
        if (x.delivery.tenant == tenant) out.push_back(x.delivery.id);
      }
    }
  };
  std::thread t1([&] { claim(a); });
  std::thread t2([&] { claim(b); });
  t1.join();
  t2.join();
  std::set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  CHECK(a.size() + b.size() == 30);
  CHECK(all.size() == 30);  // no id claimed twice
}

// Replica A claims a batch and sends it one by one; each call takes a long
// time (less than the lease, as configuration requires), so the second
// delivery starts after the batch's claim is older than the lease. Replica B
// runs meanwhile. Without renewing each claim before its call, B settled the
// second delivery as interrupted and sent it again while A was sending it.
TEST_CASE("Two replicas' workers: a slow batch is sent once, each claim renewed before its call") {
  Env env;
  std::string tenant = UniqueName("t_");
  Account hook = env.AddAccount(tenant, Channel::kWebhook, "http://127.0.0.1:1/hook", "");
  Message m1 = env.Approved(tenant, {hook}, "Primo avviso");
  Message m2 = env.Approved(tenant, {hook}, "Secondo avviso");

  struct SlowSender : Sender {
    ManualClock& clock;
    std::map<std::string, int> sends;  // delivery id -> calls
    std::function<void()> during_second_call;
    explicit SlowSender(ManualClock& c) : clock(c) {}
    Attempt Send(const Outgoing& out) override {
      ++sends[out.delivery.id];
      clock.Advance(absl::Seconds(70));  // under the 2-minute lease
      int calls = 0;
      for (const auto& [id, n] : sends) calls += n;
      if (calls == 2 && during_second_call) std::exchange(during_second_call, nullptr)();
      Attempt a;
      a.kind = Attempt::Kind::kDone;
      a.http_status = 200;
      return a;
    }
  } slow(env.clock);
  WorkerSettings settings = env.Settings(tenant);
  settings.lease = absl::Minutes(2);
  Worker a(env.store, slow, env.keyring, nullptr, env.clock, settings);
  Worker b(env.store, slow, env.keyring, nullptr, env.clock, settings);
  slow.during_second_call = [&] { b.RunOnce(); };
  CHECK(a.RunOnce() == 2);
  env.clock.Advance(absl::Minutes(10));  // anything B could still resend is due now
  b.RunOnce();
  b.RunOnce();
  REQUIRE(slow.sends.size() == 2);
  for (const auto& [id, n] : slow.sends) {
    INFO(id);
    CHECK(n == 1);
  }
  for (const Message& m : {m1, m2}) {
    DeliveryView v = env.Only(m);
    CHECK(v.delivery.state == DeliveryState::kSent);
    CHECK(v.delivery.attempts == 1);
    REQUIRE(v.log.size() == 1);
    CHECK(v.log[0].outcome == "sent");
  }
}

TEST_CASE("429 waits as long as asked, then succeeds; 401 goes to the dead letter and marks the account") {
  Env env;
  FakePlatforms fakes;
  std::string tenant = UniqueName("t_");
  Account tg = env.AddAccount(tenant, Channel::kTelegram, fakes.HttpBase(), sportello::testing::kTelegramToken);
  Message m = env.Approved(tenant, {tg}, "Avviso");
  fakes.Script("/bot", {429});
  Worker worker(env.store, env.sender, env.keyring, nullptr, env.clock, env.Settings(tenant));
  worker.RunOnce();
  DeliveryView v = env.Only(m);
  CHECK(v.delivery.state == DeliveryState::kPending);
  CHECK(v.delivery.next_attempt_at == env.clock.Now() + absl::Seconds(7));
  env.clock.Advance(absl::Seconds(6));
  worker.RunOnce();
  CHECK(env.Only(m).delivery.attempts == 1);  // not yet
  env.clock.Advance(absl::Seconds(2));
  worker.RunOnce();
  v = env.Only(m);
  CHECK(v.delivery.state == DeliveryState::kSent);
  CHECK(v.delivery.attempts == 2);
  REQUIRE(v.log.size() == 2);
  CHECK(v.log[0].outcome == "retry");
  CHECK(v.log[0].status == 429);
  CHECK(fakes.Count("telegram") == 1);

  Account wrong = env.AddAccount(tenant, Channel::kTelegram, fakes.HttpBase(), "999:revoked");
  Message m2 = env.Approved(tenant, {wrong}, "Avviso 2");
  worker.RunOnce();
  CHECK(env.Only(m2).delivery.state == DeliveryState::kDead);
  CHECK(env.store.GetAccount(wrong.id)->status == AccountStatus::kNeedsCredentials);
  auto dead = env.store.ListDeliveries(tenant, DeliveryState::kDead, 10, "");
  REQUIRE(dead.ok());
  REQUIRE(dead->items.size() == 1);
  // An operator retries it: pending again, the decision in its log.
  auto retried = env.store.Resolve(dead->items[0].delivery.id, true, "operatore");
  REQUIRE(retried.ok());
  CHECK(retried->delivery.state == DeliveryState::kPending);
  CHECK(retried->log.back().outcome == "operator-retry");
  CHECK(env.store.Resolve(dead->items[0].delivery.id, true, "operatore").status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("A worker killed while sending: no duplicate on Mastodon or a webhook, uncertain on Telegram") {
  Env env;
  FakePlatforms fakes;
  std::string tenant = UniqueName("t_");
  Account masto = env.AddAccount(tenant, Channel::kMastodon, fakes.HttpBase(), sportello::testing::kMastodonToken);
  Account hook = env.AddAccount(tenant, Channel::kWebhook, fakes.HttpBase() + "/hook", sportello::testing::kWebhookSecret);
  Account tg = env.AddAccount(tenant, Channel::kTelegram, fakes.HttpBase(), sportello::testing::kTelegramToken);
  Message m = env.Approved(tenant, {masto, hook, tg}, "Avviso importante");

  // The first worker claims, calls the platforms, and dies before recording.
  auto claimed = env.store.ClaimDue(10, tenant);
  REQUIRE(claimed.ok());
  int mine = 0;
  for (const Claimed& c : *claimed) {
    if (c.delivery.tenant != tenant) continue;
    ++mine;
    env.sender.Send(Outgoing{c.delivery, c.account, *env.keyring->Open(c.account.credential), c.text, c.title, c.link});
  }
  REQUIRE(mine == 3);
  CHECK(fakes.Count("mastodon") == 1);
  CHECK(fakes.Count("webhook") == 1);
  CHECK(fakes.Count("telegram") == 1);

  Worker worker(env.store, env.sender, env.keyring, nullptr, env.clock, env.Settings(tenant));
  env.clock.Advance(absl::Minutes(3));  // past the lease
  worker.RunOnce();                      // recovers
  worker.RunOnce();                      // resends what is safe to resend
  auto list = env.store.DeliveriesOf(m.id);
  REQUIRE(list.ok());
  for (const auto& v : *list) {
    INFO(ChannelName(v.channel));
    if (v.channel == Channel::kTelegram) {
      CHECK(v.delivery.state == DeliveryState::kUncertain);
    } else {
      CHECK(v.delivery.state == DeliveryState::kSent);
      CHECK(v.delivery.attempts == 2);
    }
  }
  CHECK(fakes.Count("mastodon") == 1);  // the same Idempotency-Key: the same status
  auto hooks = fakes.Log().at("webhook").as_array();
  REQUIRE(hooks.size() == 2);           // delivered twice, with one webhook-id
  CHECK(hooks[1].at("duplicate").as_bool());
  CHECK(hooks[0].at("id") == hooks[1].at("id"));
  CHECK(fakes.Count("telegram") == 1);  // never resent blindly
}

TEST_CASE("A message approved before a blackout but due inside it is held when due, not sent") {
  Env env;
  FakePlatforms fakes;
  std::string tenant = UniqueName("t_");
  Account hook = env.AddAccount(tenant, Channel::kWebhook, fakes.HttpBase() + "/hook", sportello::testing::kWebhookSecret);
  absl::Time t0 = env.clock.Now();
  // Approved now for t0 + 2h: no blackout exists yet, so approval queues it.
  auto approve_for = [&](const std::string& text, absl::Time due, bool indispensable) {
    Message m;
    m.tenant = tenant;
    m.title = "Avviso";
    m.text = text;
    m.account_ids = {hook.id};
    m.variants = {DeriveVariant(hook, m.text, "")};
    m.scheduled_at = due;
    m.indispensable = indispensable;
    if (indispensable) m.blackout_justification = "informazione indispensabile sulla viabilità";
    Create(m, Actor{"anna", true, false}, env.clock.Now());
    auto created = env.store.CreateMessage(m);
    REQUIRE(created.ok());
    auto done = env.store.UpdateMessage(created->id, [&](Message& x, MessageEffects& fx) -> absl::Status {
      RETURN_IF_ERROR(Submit(x, Actor{"anna", true, false}, env.clock.Now()));
      RETURN_IF_ERROR(Approve(x, Actor{"bruno", false, true}, 1, env.clock.Now()).status());
      fx.deliveries.push_back(NewDelivery{hook.id, x.text, due});
      fx.publish = true;
      fx.publish_time = due;
      return absl::OkStatus();
    });
    REQUIRE(done.ok());
    REQUIRE(done->state == MessageState::kApproved);
    return *done;
  };
  Message plain = approve_for("Festa patronale: il programma", t0 + absl::Hours(2), false);
  Message needed = approve_for("Strada chiusa per frana", t0 + absl::Hours(2), true);
  // Then an admin sets a blackout from t0 + 1h to t0 + 10h.
  auto period = env.store.CreateBlackout(
      Blackout{"", "Elezioni comunali", t0 + absl::Hours(1), t0 + absl::Hours(10), {tenant}}, "admin");
  REQUIRE(period.ok());

  Worker worker(env.store, env.sender, env.keyring, nullptr, env.clock, env.Settings(tenant));
  env.clock.Advance(absl::Hours(2) + absl::Seconds(1));
  worker.RunOnce();
  DeliveryView held = env.Only(plain);
  CHECK(held.delivery.state == DeliveryState::kHeld);
  CHECK(held.delivery.attempts == 0);
  REQUIRE_FALSE(held.log.empty());
  CHECK(held.log.back().outcome == "held");
  auto after = env.store.GetMessage(plain.id);
  REQUIRE(after.ok());
  CHECK(after->state == MessageState::kHeld);
  CHECK(after->history.back().action == "hold");
  CHECK_FALSE(after->sent);
  // The indispensable one, with an approved justification, went out.
  CHECK(env.Only(needed).delivery.state == DeliveryState::kSent);
  CHECK(fakes.Count("webhook") == 1);
  // The period's report lists the held message; the feed does not show it.
  auto report = env.store.BlackoutReport(*period, tenant);
  REQUIRE(report.ok());
  REQUIRE(report->first.size() == 1);
  CHECK(report->first[0].id == plain.id);
  auto published = env.store.ListPublished(tenant, 10, "");
  REQUIRE(published.ok());
  REQUIRE(published->items.size() == 1);
  CHECK(published->items[0].id == needed.id);

  // After the period it goes back to a manager, never out by itself.
  env.clock.Advance(absl::Hours(9));
  worker.RunOnce();
  after = env.store.GetMessage(plain.id);
  REQUIRE(after.ok());
  CHECK(after->state == MessageState::kSubmitted);
  CHECK(env.Only(plain).delivery.state == DeliveryState::kHeld);
  CHECK(fakes.Count("webhook") == 1);
  // A manager approves it again: the held delivery is queued and sent once.
  auto again = env.store.UpdateMessage(plain.id, [&](Message& x, MessageEffects& fx) -> absl::Status {
    RETURN_IF_ERROR(Approve(x, Actor{"bruno", false, true}, 1, env.clock.Now()).status());
    fx.deliveries.push_back(NewDelivery{hook.id, x.text, env.clock.Now()});
    return absl::OkStatus();
  });
  REQUIRE(again.ok());
  worker.RunOnce();
  CHECK(env.Only(plain).delivery.state == DeliveryState::kSent);
  CHECK(fakes.Count("webhook") == 2);
}
