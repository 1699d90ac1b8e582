// The surveys store against the real PostgreSQL: one response per invitation
// token under concurrent submissions, expiry read from the caller's clock,
// questions versioned at the first response, closed requests invited once
// (by event id and by request number), free text purged, facts for the indices.
#include "services/surveys/store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/outbox/outbox.h"
#include "services/surveys/service_spec.h"
#include "services/surveys/rules.h"
#include "services/surveys/templates.h"
#include "tests/support/pg.h"
#include "tests/support/poll.h"
#include "tests/support/test_env.h"

using namespace sportello;
using namespace sportello::surveys;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

absl::Time Start() { return absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), absl::UTCTimeZone()); }

db::Pool& TestPool() { return sportello::testing::MigratedPool("surveys", Migrations(), 8); }

Survey OpenSurvey(SurveyStore& store, const std::string& tenant, Template t, Access access, absl::Time now) {
  Survey s = FromTemplate(t);
  s.tenant = tenant;
  s.access = access;
  s.status = SurveyStatus::kOpen;
  auto created = store.Create(s, now);
  REQUIRE(created.ok());
  return *created;
}

NewResponse Stars(const Survey& s, int rating, absl::Time now) {
  NewResponse n;
  n.survey_id = s.id;
  n.tenant = s.tenant;
  n.version = s.version;
  n.channel = Channel::kWeb;
  n.headline = rating;
  n.answers = {{"rating", {}, rating, ""}, {"details", {}, std::nullopt, "Mario Rossi allo sportello è stato gentile"}};
  n.now = now;
  return n;
}

// Sessions of this tenant's answers waiting on a lock: other tests share the
// database (and the outbox's commit-order lock), so only the tenant's count.
long long WaitingAnswers(pqxx::transaction_base& tx, const std::string& tenant) {
  return tx.exec_params("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1",
                        "EXECUTE \"surveys.insert_open_response\"('" + tenant + "'%")[0][0]
      .as<long long>();
}

}  // namespace

TEST_CASE("surveys store: one response per token under concurrent submissions", "[surveys][pg]") {
  SurveyStore store(TestPool());
  ManualClock clock(Start());
  std::string tenant = UniqueName("s_");
  Survey s = OpenSurvey(store, tenant, Template::kStars, Access::kInvitation, clock.Now());
  std::string token = RandomToken();
  REQUIRE(store.MintInvitations({s.id, tenant, {Sha256Hex(token)}, Channel::kEmailLink, "", "",
                                 clock.Now(), clock.Now() + absl::Hours(24 * 30)}).ok());

  constexpr int kWriters = 8;
  std::atomic<int> stored{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      NewResponse n = Stars(s, 1 + i % 5, clock.Now());
      n.invitation_token_hash = Sha256Hex(token);
      auto r = store.InsertResponse(n);
      if (r.ok()) {
        ++stored;
      } else if (absl::IsAlreadyExists(r.status())) {
        ++refused;
      } else {
        ++other;
        UNSCOPED_INFO(r.status());
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(stored == 1);
  CHECK(refused == kWriters - 1);
  CHECK(other == 0);
  auto inv = store.InvitationByToken(Sha256Hex(token));
  REQUIRE(inv.ok());
  CHECK(inv->answered);
  auto facts = store.Facts(s.id, {"", "", Channel::kUnspecified, Start() - absl::Hours(1), Start() + absl::Hours(1)});
  REQUIRE(facts.ok());
  CHECK(facts->responses.size() == 1);
  CHECK(facts->invitations.size() == 1);
  CHECK(facts->invitations[0].answered);
  // One survey.answered, in the response's transaction: the refused answers left none.
  auto events = outbox::ReadAfter(TestPool(), "surveys", tenant, 0, 100);
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  const outbox::Event& e = (*events)[0];
  std::string data = e.data_json;  // as jsonb prints it: without its spaces
  data.erase(std::remove(data.begin(), data.end(), ' '), data.end());
  CHECK(e.type == "survey.answered");
  CHECK(e.subject == s.id);
  CHECK(data.find("\"survey_id\":\"" + s.id + "\"") != std::string::npos);
  CHECK(data.find("\"channel\":\"web\"") != std::string::npos);
  CHECK(data.find("\"headline\":") != std::string::npos);
  CHECK(e.data_json.find("Mario Rossi") == std::string::npos);  // no free text
  CHECK(e.data_json.find(Sha256Hex(token)) == std::string::npos);
  CHECK(e.data_json.find(token) == std::string::npos);
}

TEST_CASE("surveys store: invitations expire by the caller's clock and belong to their survey", "[surveys][pg]") {
  SurveyStore store(TestPool());
  ManualClock clock(Start());
  std::string tenant = UniqueName("s_");
  Survey s = OpenSurvey(store, tenant, Template::kNps, Access::kInvitation, clock.Now());
  Survey other = OpenSurvey(store, tenant, Template::kStars, Access::kInvitation, clock.Now());
  std::string token = RandomToken();
  REQUIRE(store.MintInvitations({s.id, tenant, {Sha256Hex(token)}, Channel::kCounter, "", "", clock.Now(),
                                 clock.Now() + absl::Hours(24)}).ok());
  NewResponse wrong = Stars(other, 4, clock.Now());
  wrong.invitation_token_hash = Sha256Hex(token);
  CHECK(store.InsertResponse(wrong).status().code() == absl::StatusCode::kNotFound);
  NewResponse unknown = Stars(other, 4, clock.Now());
  unknown.invitation_token_hash = Sha256Hex("never minted");
  CHECK(store.InsertResponse(unknown).status().code() == absl::StatusCode::kNotFound);

  clock.Advance(absl::Hours(25));
  NewResponse late;
  late.survey_id = s.id;
  late.tenant = tenant;
  late.version = s.version;
  late.headline = 9;
  late.answers = {{"recommend", {}, 9, ""}};
  late.invitation_token_hash = Sha256Hex(token);
  late.now = clock.Now();
  CHECK(store.InsertResponse(late).status().code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("surveys store: questions freeze at the first response", "[surveys][pg]") {
  SurveyStore store(TestPool());
  ManualClock clock(Start());
  std::string tenant = UniqueName("s_");
  Survey s = OpenSurvey(store, tenant, Template::kStars, Access::kAnonymous, clock.Now());
  auto edit = [&](int max_length) {
    return store.Update(s.id, clock.Now(), [&](Survey& x, bool has_responses) {
      auto questions = x.questions;
      questions[3].max_length = max_length;
      x.version = VersionAfterChange(x, questions, x.headline, has_responses);
      x.questions = questions;
      return absl::OkStatus();
    });
  };
  auto before = edit(150);  // nobody answered: the same version changes
  REQUIRE(before.ok());
  CHECK(before->version == 1);
  CHECK(before->questions[3].max_length == 150);

  REQUIRE(store.InsertResponse(Stars(s, 5, clock.Now())).ok());
  auto after = edit(300);
  REQUIRE(after.ok());
  CHECK(after->version == 2);
  auto v1 = store.GetVersion(s.id, 1);
  REQUIRE(v1.ok());
  CHECK(v1->questions[3].max_length == 150);  // what the first respondent saw
  // An answer checked against version 1 arrives after the change: refused, not misfiled.
  CHECK(store.InsertResponse(Stars(s, 4, clock.Now())).status().code() == absl::StatusCode::kAborted);
  auto versions = store.ResponsesOfVersion(s.id, 1, 100);
  REQUIRE(versions.ok());
  REQUIRE(versions->size() == 1);
  // The stored free text is never read back: only that one was given.
  bool text_seen = false;
  for (const auto& a : versions->at(0).answers) {
    if (a.question == "details") {
      CHECK(a.text == kTextGiven);
      text_seen = true;
    }
  }
  CHECK(text_seen);
}

TEST_CASE("surveys store: a closed request is invited once", "[surveys][pg]") {
  SurveyStore store(TestPool());
  ManualClock clock(Start());
  std::string tenant = UniqueName("s_");
  Survey fallback = FromTemplate(Template::kPostResolution);
  fallback.tenant = tenant;
  fallback.access = Access::kInvitation;
  fallback.status = SurveyStatus::kOpen;
  ClosedRequest c{UniqueName("ev"), tenant, "request.closed", "F027-2026-000042", "svc", "office-1",
                  Channel::kPhone, clock.Now(), clock.Now() + absl::Hours(24 * 30)};
  auto first = store.InviteClosedRequest(c, fallback);
  REQUIRE(first.ok());
  CHECK(*first == EventOutcome::kInvited);
  auto again = store.InviteClosedRequest(c, fallback);  // the same event delivered twice
  REQUIRE(again.ok());
  CHECK(*again == EventOutcome::kAlreadyProcessed);
  c.event_id = UniqueName("ev");  // the request re-closed: a new event, no new invitation
  auto reclosed = store.InviteClosedRequest(c, fallback);
  REQUIRE(reclosed.ok());
  CHECK(*reclosed == EventOutcome::kRequestHasOne);
  c.event_id = UniqueName("ev");
  c.request_number = "F027-2026-000043";
  auto other = store.InviteClosedRequest(c, fallback);
  REQUIRE(other.ok());
  CHECK(*other == EventOutcome::kInvited);

  auto inv = store.InvitationByRequest(tenant, "F027-2026-000042");
  REQUIRE(inv.ok());
  auto inv2 = store.InvitationByRequest(tenant, "F027-2026-000043");
  REQUIRE(inv2.ok());
  CHECK(inv->survey_id == inv2->survey_id);  // one post-resolution survey per tenant
  CHECK(inv->office_id == "office-1");
  CHECK(inv->channel == Channel::kPhone);
  auto survey = store.Get(inv->survey_id);
  REQUIRE(survey.ok());
  CHECK(survey->template_kind == Template::kPostResolution);

  NewResponse n;
  n.survey_id = survey->id;
  n.tenant = tenant;
  n.version = survey->version;
  n.headline = 4;
  n.answers = {{"solved", {"yes"}, std::nullopt, ""}, {"handling", {}, 4, ""}};
  n.request_number = "F027-2026-000042";
  n.office_id = inv->office_id;  // what the service copies from the invitation
  n.channel = inv->channel;
  n.now = clock.Now();
  REQUIRE(store.InsertResponse(n).ok());
  CHECK(store.InsertResponse(n).status().code() == absl::StatusCode::kAlreadyExists);
  auto facts = store.Facts(survey->id, {"", "office-1", Channel::kPhone, Start() - absl::Hours(1), Start() + absl::Hours(1)});
  REQUIRE(facts.ok());
  CHECK(facts->invitations.size() == 2);
  CHECK(facts->responses.size() == 1);
}

TEST_CASE("surveys store: an answer without invitation is stored whole or not at all", "[surveys][pg]") {
  SurveyStore store(TestPool());
  ManualClock clock(Start());
  std::string tenant = UniqueName("s_");
  Survey s = OpenSurvey(store, tenant, Template::kStars, Access::kAnonymous, clock.Now());
  auto events = [&] { return outbox::ReadAfter(TestPool(), "surveys", tenant, 0, 100)->size(); };
  auto responses = [&] { return store.ResponsesOfVersion(s.id, s.version, 100)->size(); };

  REQUIRE(store.InsertResponse(Stars(s, 5, clock.Now())).ok());
  CHECK(responses() == 1);
  CHECK(events() == 1);
  auto stored = store.ResponsesOfVersion(s.id, s.version, 100);
  REQUIRE(stored.ok());
  CHECK(stored->at(0).answers.size() == 2);  // the rating and the free text, in the same statement

  NewResponse unknown = Stars(s, 4, clock.Now());
  unknown.survey_id = "00000000-0000-4000-8000-00000000dead";
  CHECK(store.InsertResponse(unknown).status().code() == absl::StatusCode::kNotFound);

  SECTION("a close that holds the survey makes an answer arriving meanwhile wait, then refuses it") {
    std::atomic<bool> closing{false}, release{false};
    std::thread closer([&] {
      auto closed = store.Update(s.id, clock.Now(), [&](Survey& x, bool) {
        x.status = SurveyStatus::kClosed;
        closing = true;
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return absl::OkStatus();
      });
      CHECK(closed.ok());
    });
    REQUIRE(sportello::testing::PollUntil([&] { return closing.load(); }, absl::Seconds(10)));
    absl::StatusOr<std::string> late = absl::UnknownError("not run");
    std::thread answer([&] { late = store.InsertResponse(Stars(s, 2, clock.Now())); });
    // The answer is waiting on the survey's row, not past it.
    auto waiting = [&] {
      return TestPool().Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<bool> {
        return WaitingAnswers(tx, s.tenant) > 0;
      });
    };
    CHECK(sportello::testing::PollUntil([&] { return waiting().value_or(false); }, absl::Seconds(10)));
    release = true;
    closer.join();
    answer.join();
    CHECK(late.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(responses() == 1);
    CHECK(events() == 1);
  }

  SECTION("outside the survey's window nothing is stored") {
    // A consultation's window (the store's Update leaves it to them).
    REQUIRE(TestPool().Write([&](pqxx::work& tx) -> absl::Status {
      tx.exec_params("UPDATE surveys.surveys SET close_time = 'epoch'::timestamptz + $2::bigint * interval '1 microsecond'"
                     " WHERE id = $1::uuid", s.id, static_cast<long long>(absl::ToUnixMicros(clock.Now() + absl::Hours(1))));
      return absl::OkStatus();
    }).ok());
    CHECK(store.InsertResponse(Stars(s, 3, clock.Now() + absl::Hours(2))).status().code() ==
          absl::StatusCode::kFailedPrecondition);
    CHECK(responses() == 1);
    CHECK(events() == 1);
  }
}

TEST_CASE("surveys store: free text is purged after the retention, the rest stays", "[surveys][pg]") {
  SurveyStore store(TestPool());
  ManualClock clock(Start() - absl::Hours(24 * 4000));  // long before any other test's rows
  std::string tenant = UniqueName("s_");
  Survey s = OpenSurvey(store, tenant, Template::kStars, Access::kAnonymous, clock.Now());
  REQUIRE(store.InsertResponse(Stars(s, 3, clock.Now())).ok());
  auto purged = store.PurgeTexts(clock.Now() + absl::Seconds(1));
  REQUIRE(purged.ok());
  CHECK(*purged >= 1);
  auto rows = store.ResponsesOfVersion(s.id, 1, 10);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK(rows->at(0).answers.size() == 2);  // the rating, and that a text was given, stay
  CHECK(*store.PurgeTexts(clock.Now() + absl::Seconds(1)) == 0);
}

TEST_CASE("surveys store: lists page by keyset", "[surveys][pg]") {
  SurveyStore store(TestPool());
  ManualClock clock(Start());
  std::string tenant = UniqueName("s_");
  for (int i = 0; i < 5; ++i) {
    clock.Advance(absl::Minutes(1));
    OpenSurvey(store, tenant, Template::kFaces, Access::kAnonymous, clock.Now());
  }
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    auto page = store.List({tenant, std::nullopt, "", "", false}, 2, token);
    REQUIRE(page.ok());
    for (const auto& s : page->items) seen.insert(s.id);
    token = page->next_page_token;
    ++pages;
  } while (!token.empty() && pages < 10);
  CHECK(seen.size() == 5);
  CHECK(pages == 3);
}

TEST_CASE("surveys store: answers sent together share a transaction; each is stored or refused alone",
          "[surveys][pg]") {
  SurveyStore store(TestPool());
  ManualClock clock(Start());
  std::string tenant = UniqueName("s_");
  Survey open = OpenSurvey(store, tenant, Template::kStars, Access::kAnonymous, clock.Now());
  Survey closed = OpenSurvey(store, tenant, Template::kStars, Access::kAnonymous, clock.Now());
  REQUIRE(store.Update(closed.id, clock.Now(), [](Survey& x, bool) {
                 x.status = SurveyStatus::kClosed;
                 return absl::OkStatus();
               }).ok());
  auto events = [&] { return outbox::ReadAfter(TestPool(), "surveys", tenant, 0, 100)->size(); };
  auto responses = [&](const Survey& s) { return store.ResponsesOfVersion(s.id, s.version, 100)->size(); };

  // Two answers stop at their events behind this lock, each leading a
  // transaction of its own (the store runs two at once); the five sent
  // meanwhile then share one.
  pqxx::connection holder_connection(RequireEnv("SPORTELLO_TEST_PG_URL"));
  auto holder = std::make_unique<pqxx::work>(holder_connection);
  holder->exec(outbox::CommitOrderLockSql("surveys"));
  std::vector<std::thread> first;
  std::vector<absl::StatusOr<std::string>> first_results(2, absl::UnknownError("not run"));
  for (int i = 0; i < 2; ++i) {
    first.emplace_back([&, i] { first_results[i] = store.InsertResponse(Stars(open, 5, clock.Now())); });
  }
  auto waiting_on_lock = [&] {
    return TestPool().Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<long long> {
      return WaitingAnswers(tx, tenant);
    });
  };
  REQUIRE(sportello::testing::PollUntil([&] { return waiting_on_lock().value_or(0) == 2; }, absl::Seconds(10)));
  std::vector<NewResponse> rest;
  for (int i = 0; i < 5; ++i) rest.push_back(Stars(i == 2 ? closed : open, i + 1, clock.Now()));
  rest[4].partner_submission_id = "widget-1";
  std::vector<absl::StatusOr<std::string>> results(5, absl::UnknownError("not run"));
  std::vector<std::thread> sent;
  for (int i = 0; i < 5; ++i) sent.emplace_back([&, i] { results[i] = store.InsertResponse(rest[i]); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all five in line
  CHECK(responses(open) == 0);
  holder->commit();
  for (auto& t : first) t.join();
  for (auto& t : sent) t.join();
  for (const auto& r : first_results) CHECK(r.ok());
  CHECK(results[2].status().code() == absl::StatusCode::kFailedPrecondition);  // its survey is closed
  std::set<std::string> ids;
  for (int i : {0, 1, 3, 4}) {
    INFO(i);
    REQUIRE(results[i].ok());
    ids.insert(*results[i]);
  }
  CHECK(ids.size() == 4);
  CHECK(responses(open) == 6);
  CHECK(responses(closed) == 0);
  CHECK(events() == 6);  // one for each stored answer, none for the refused one
  auto again = store.FindPartnerSubmission(open.id, "widget-1");
  REQUIRE(again.ok());
  CHECK(*again == std::optional<std::string>(*results[4]));

  SECTION("a statement failing among them rolls all back, and each is then stored or refused alone") {
    // The second answer repeats a partner's submission id: the unique index refuses its statement.
    std::vector<NewResponse> more;
    for (int i = 0; i < 3; ++i) more.push_back(Stars(open, 3, clock.Now()));
    more[1].partner_submission_id = "widget-1";
    auto held = std::make_unique<pqxx::work>(holder_connection);
    held->exec(outbox::CommitOrderLockSql("surveys"));
    std::vector<std::thread> leaders;
    for (int i = 0; i < 2; ++i) {
      leaders.emplace_back([&] { CHECK(store.InsertResponse(Stars(open, 5, clock.Now())).ok()); });
    }
    REQUIRE(sportello::testing::PollUntil([&] { return waiting_on_lock().value_or(0) == 2; }, absl::Seconds(10)));
    std::vector<absl::StatusOr<std::string>> out(3, absl::UnknownError("not run"));
    std::vector<std::thread> line;
    for (int i = 0; i < 3; ++i) line.emplace_back([&, i] { out[i] = store.InsertResponse(more[i]); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    held->commit();
    for (auto& t : leaders) t.join();
    for (auto& t : line) t.join();
    CHECK(out[0].ok());
    CHECK(out[1].status().code() == absl::StatusCode::kAlreadyExists);
    CHECK(out[2].ok());
    CHECK(responses(open) == 10);
    CHECK(events() == 10);
  }
}
