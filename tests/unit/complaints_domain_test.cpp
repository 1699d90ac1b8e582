#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status.h"
#include "services/complaints/deadlines.h"
#include "services/complaints/intake.h"
#include "services/complaints/lifecycle.h"

using namespace sportello::complaints;
using absl::StatusCode;

namespace {

constexpr Status kAllStatuses[] = {Status::kReceived,  Status::kAcknowledged, Status::kAssigned,
                                   Status::kInProgress, Status::kWaitingCitizen, Status::kResolved,
                                   Status::kClosed,    Status::kRejected,     Status::kDuplicate,
                                   Status::kWithdrawn, Status::kReopened,     Status::kForwarded};
constexpr Actor kAllActors[] = {Actor::kOperator, Actor::kReferent, Actor::kCitizen, Actor::kSystem};

std::string Name(Status s) { return std::string(StatusName(s)); }
std::string Name(Actor a) {
  switch (a) {
    case Actor::kOperator: return "operator";
    case Actor::kReferent: return "referent";
    case Actor::kCitizen: return "citizen";
    case Actor::kSystem: return "system";
  }
  return "?";
}
std::string Message(const absl::Status& s) { return std::string(s.message()); }

absl::Time At(int y, int mo, int d, int h, int mi, const absl::TimeZone& tz) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), tz);
}

absl::TimeZone Rome() {
  absl::TimeZone tz;
  REQUIRE(absl::LoadTimeZone("Europe/Rome", &tz));
  return tz;
}

absl::Time Utc(const char* rfc3339) {
  absl::Time t;
  std::string err;
  REQUIRE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err));
  return t;
}

// The lifecycle as the rules state it, written out independently of the
// implementation: (from, to) -> actors (system counts as operator).
using O = Actor;
const std::map<std::pair<Status, Status>, std::set<Actor>>& Spec() {
  using S = Status;
  static const auto* const kSpec = new std::map<std::pair<Status, Status>, std::set<Actor>>{
      {{S::kReceived, S::kAcknowledged}, {O::kOperator}},
      {{S::kReceived, S::kRejected}, {O::kOperator}},
      {{S::kReceived, S::kDuplicate}, {O::kOperator}},
      {{S::kReceived, S::kWithdrawn}, {O::kCitizen}},
      {{S::kAcknowledged, S::kRejected}, {O::kOperator}},
      {{S::kAcknowledged, S::kDuplicate}, {O::kOperator}},
      {{S::kAcknowledged, S::kWithdrawn}, {O::kCitizen}},
      {{S::kAssigned, S::kInProgress}, {O::kOperator, O::kReferent}},
      {{S::kAssigned, S::kWaitingCitizen}, {O::kOperator, O::kReferent}},
      {{S::kAssigned, S::kResolved}, {O::kOperator, O::kReferent}},
      {{S::kAssigned, S::kRejected}, {O::kOperator}},
      {{S::kAssigned, S::kDuplicate}, {O::kOperator}},
      {{S::kAssigned, S::kWithdrawn}, {O::kCitizen}},
      {{S::kInProgress, S::kWaitingCitizen}, {O::kOperator, O::kReferent}},
      {{S::kInProgress, S::kResolved}, {O::kOperator, O::kReferent}},
      {{S::kInProgress, S::kDuplicate}, {O::kOperator}},
      {{S::kInProgress, S::kWithdrawn}, {O::kCitizen}},
      {{S::kWaitingCitizen, S::kInProgress}, {O::kOperator, O::kReferent, O::kCitizen}},
      {{S::kWaitingCitizen, S::kResolved}, {O::kOperator, O::kReferent}},
      {{S::kWaitingCitizen, S::kWithdrawn}, {O::kCitizen}},
      {{S::kResolved, S::kClosed}, {O::kOperator}},
      {{S::kResolved, S::kInProgress}, {O::kOperator}},
      {{S::kResolved, S::kReopened}, {O::kCitizen}},
      {{S::kClosed, S::kReopened}, {O::kOperator, O::kCitizen}},
      {{S::kRejected, S::kReopened}, {O::kOperator}},
      {{S::kDuplicate, S::kReopened}, {O::kOperator}},
      {{S::kReopened, S::kAcknowledged}, {O::kOperator}},
      {{S::kReopened, S::kRejected}, {O::kOperator}},
      {{S::kReopened, S::kDuplicate}, {O::kOperator}},
      {{S::kReopened, S::kInProgress}, {O::kOperator, O::kReferent}},
      {{S::kReopened, S::kWithdrawn}, {O::kCitizen}},
  };
  return *kSpec;
}

bool Terminal(Status s) {
  return s == Status::kClosed || s == Status::kRejected || s == Status::kDuplicate || s == Status::kWithdrawn ||
         s == Status::kForwarded;
}

StatusCode Expected(Status from, Status to, Actor actor) {
  if (from == to || to == Status::kAssigned) return StatusCode::kFailedPrecondition;
  if (to == Status::kForwarded) {
    if (Terminal(from)) return StatusCode::kFailedPrecondition;
    return actor == Actor::kSystem ? StatusCode::kOk : StatusCode::kPermissionDenied;
  }
  auto it = Spec().find({from, to});
  if (it == Spec().end()) return StatusCode::kFailedPrecondition;
  const Actor as = actor == Actor::kSystem ? Actor::kOperator : actor;
  return it->second.count(as) ? StatusCode::kOk : StatusCode::kPermissionDenied;
}

// A request in `status`, closed a day before `now`, with an office.
Request InStatus(Status status, absl::Time now) {
  Request r;
  r.status = status;
  r.office_id = "office-1";
  r.closed_time = now - absl::Hours(24);
  return r;
}

}  // namespace

// ---------------------------------------------------------------- lifecycle

TEST_CASE("every move for every actor follows the lifecycle table", "[lifecycle]") {
  const absl::Time now = Utc("2026-05-01T10:00:00Z");
  int ok = 0, denied = 0, impossible = 0;
  for (Status from : kAllStatuses) {
    for (Status to : kAllStatuses) {
      for (Actor actor : kAllActors) {
        TransitionContext ctx;
        ctx.actor = actor;
        ctx.now = now;
        const absl::Status got = CheckTransition(InStatus(from, now), to, ctx);
        INFO(Name(from) << " -> " << Name(to) << " by " << Name(actor) << ": " << got);
        const StatusCode want = Expected(from, to, actor);
        CHECK(got.code() == want);
        if (!got.ok()) CHECK_FALSE(got.message().empty());
        ok += want == StatusCode::kOk;
        denied += want == StatusCode::kPermissionDenied;
        impossible += want == StatusCode::kFailedPrecondition;
      }
    }
  }
  // The table exercises all three outcomes.
  CHECK(ok > 0);
  CHECK(denied > 0);
  CHECK(impossible > 0);
}

TEST_CASE("an allowed and a refused move from each status, with readable errors", "[lifecycle]") {
  struct Case {
    Status from, to;
    Actor actor;
    StatusCode want;
    std::string message_part;  // for errors
  };
  const std::vector<Case> cases = {
      {Status::kReceived, Status::kAcknowledged, Actor::kOperator, StatusCode::kOk, ""},
      {Status::kReceived, Status::kAcknowledged, Actor::kCitizen, StatusCode::kPermissionDenied, "«Presa in carico»"},
      {Status::kReceived, Status::kResolved, Actor::kOperator, StatusCode::kFailedPrecondition, "«Ricevuta»"},
      {Status::kAcknowledged, Status::kWithdrawn, Actor::kCitizen, StatusCode::kOk, ""},
      {Status::kAcknowledged, Status::kWithdrawn, Actor::kOperator, StatusCode::kPermissionDenied, "«Ritirata»"},
      {Status::kAcknowledged, Status::kInProgress, Actor::kOperator, StatusCode::kFailedPrecondition,
       "«In lavorazione»"},
      {Status::kAssigned, Status::kInProgress, Actor::kReferent, StatusCode::kOk, ""},
      {Status::kAssigned, Status::kRejected, Actor::kReferent, StatusCode::kPermissionDenied, "referente"},
      {Status::kAssigned, Status::kClosed, Actor::kOperator, StatusCode::kFailedPrecondition, "«Assegnata»"},
      {Status::kInProgress, Status::kWaitingCitizen, Actor::kReferent, StatusCode::kOk, ""},
      {Status::kInProgress, Status::kDuplicate, Actor::kReferent, StatusCode::kPermissionDenied, "«Duplicata»"},
      {Status::kInProgress, Status::kRejected, Actor::kOperator, StatusCode::kFailedPrecondition, "«Respinta»"},
      {Status::kWaitingCitizen, Status::kInProgress, Actor::kCitizen, StatusCode::kOk, ""},
      {Status::kWaitingCitizen, Status::kResolved, Actor::kCitizen, StatusCode::kPermissionDenied, "cittadino"},
      {Status::kWaitingCitizen, Status::kClosed, Actor::kOperator, StatusCode::kFailedPrecondition,
       "«In attesa del cittadino»"},
      {Status::kResolved, Status::kClosed, Actor::kOperator, StatusCode::kOk, ""},
      {Status::kResolved, Status::kInProgress, Actor::kOperator, StatusCode::kOk, ""},
      {Status::kResolved, Status::kReopened, Actor::kCitizen, StatusCode::kOk, ""},
      {Status::kResolved, Status::kClosed, Actor::kReferent, StatusCode::kPermissionDenied, "«Chiusa»"},
      {Status::kResolved, Status::kWithdrawn, Actor::kCitizen, StatusCode::kFailedPrecondition, "«Risolta»"},
      {Status::kClosed, Status::kReopened, Actor::kOperator, StatusCode::kOk, ""},
      {Status::kClosed, Status::kReopened, Actor::kReferent, StatusCode::kPermissionDenied, "«Riaperta»"},
      {Status::kClosed, Status::kInProgress, Actor::kOperator, StatusCode::kFailedPrecondition, "«Chiusa»"},
      {Status::kRejected, Status::kReopened, Actor::kOperator, StatusCode::kOk, ""},
      {Status::kRejected, Status::kReopened, Actor::kCitizen, StatusCode::kPermissionDenied, "«Respinta»"},
      {Status::kRejected, Status::kAcknowledged, Actor::kOperator, StatusCode::kFailedPrecondition, "«Respinta»"},
      {Status::kDuplicate, Status::kReopened, Actor::kSystem, StatusCode::kOk, ""},
      {Status::kDuplicate, Status::kReopened, Actor::kReferent, StatusCode::kPermissionDenied, "«Duplicata»"},
      {Status::kDuplicate, Status::kClosed, Actor::kOperator, StatusCode::kFailedPrecondition, "«Duplicata»"},
      {Status::kReopened, Status::kAcknowledged, Actor::kOperator, StatusCode::kOk, ""},
      {Status::kReopened, Status::kInProgress, Actor::kReferent, StatusCode::kOk, ""},
      {Status::kReopened, Status::kInProgress, Actor::kCitizen, StatusCode::kPermissionDenied, "«Riaperta»"},
      {Status::kReopened, Status::kClosed, Actor::kOperator, StatusCode::kFailedPrecondition, "«Riaperta»"},
      {Status::kWithdrawn, Status::kReopened, Actor::kCitizen, StatusCode::kFailedPrecondition, "«Ritirata»"},
      {Status::kWithdrawn, Status::kReopened, Actor::kOperator, StatusCode::kFailedPrecondition, "«Ritirata»"},
      {Status::kForwarded, Status::kReopened, Actor::kOperator, StatusCode::kFailedPrecondition, "«Inoltrata»"},
      // Forwarding: the system alone, from any status that is not terminal.
      {Status::kInProgress, Status::kForwarded, Actor::kSystem, StatusCode::kOk, ""},
      {Status::kResolved, Status::kForwarded, Actor::kSystem, StatusCode::kOk, ""},
      {Status::kReceived, Status::kForwarded, Actor::kOperator, StatusCode::kPermissionDenied, "«Inoltrata»"},
      {Status::kClosed, Status::kForwarded, Actor::kSystem, StatusCode::kFailedPrecondition, "«Chiusa»"},
      // The same status, and assignment through CheckTransition.
      {Status::kInProgress, Status::kInProgress, Actor::kOperator, StatusCode::kFailedPrecondition, "già"},
      {Status::kReceived, Status::kAssigned, Actor::kOperator, StatusCode::kFailedPrecondition, "assegnazione"},
  };
  const absl::Time now = Utc("2026-05-01T10:00:00Z");
  for (const Case& c : cases) {
    TransitionContext ctx;
    ctx.actor = c.actor;
    ctx.now = now;
    const absl::Status got = CheckTransition(InStatus(c.from, now), c.to, ctx);
    INFO(Name(c.from) << " -> " << Name(c.to) << " by " << Name(c.actor) << ": " << got);
    CHECK(got.code() == c.want);
    if (!c.message_part.empty()) CHECK(Message(got).find(c.message_part) != std::string::npos);
  }
}

TEST_CASE("the citizen may reopen a closed request only within the window", "[lifecycle]") {
  const absl::Time closed = Utc("2026-03-01T09:00:00Z");
  Request r;
  r.status = Status::kClosed;
  r.closed_time = closed;
  struct Case {
    Actor actor;
    absl::Duration after_closure;
    StatusCode want;
  };
  const std::vector<Case> cases = {
      {Actor::kCitizen, absl::Hours(24 * 29), StatusCode::kOk},
      {Actor::kCitizen, absl::Hours(24 * 30), StatusCode::kOk},  // the window's last instant
      {Actor::kCitizen, absl::Hours(24 * 30) + absl::Seconds(1), StatusCode::kFailedPrecondition},
      {Actor::kCitizen, absl::Hours(24 * 31), StatusCode::kFailedPrecondition},
      {Actor::kOperator, absl::Hours(24 * 31), StatusCode::kOk},
      {Actor::kOperator, absl::Hours(24 * 3650), StatusCode::kOk},
  };
  for (const Case& c : cases) {
    TransitionContext ctx;
    ctx.actor = c.actor;
    ctx.now = closed + c.after_closure;
    const absl::Status got = CheckTransition(r, Status::kReopened, ctx);
    INFO(Name(c.actor) << " after " << absl::FormatDuration(c.after_closure) << ": " << got);
    CHECK(got.code() == c.want);
  }

  SECTION("the refusal says why") {
    TransitionContext ctx;
    ctx.actor = Actor::kCitizen;
    ctx.now = closed + absl::Hours(24 * 40);
    const absl::Status got = CheckTransition(r, Status::kReopened, ctx);
    CHECK(Message(got).find("30 giorni") != std::string::npos);
    CHECK(Message(got).find("nuova richiesta") != std::string::npos);
  }
  SECTION("a shorter window configured") {
    TransitionContext ctx;
    ctx.actor = Actor::kCitizen;
    ctx.citizen_reopen_window = absl::Hours(24 * 7);
    ctx.now = closed + absl::Hours(24 * 8);
    CHECK(CheckTransition(r, Status::kReopened, ctx).code() == StatusCode::kFailedPrecondition);
    ctx.now = closed + absl::Hours(24 * 6);
    CHECK(CheckTransition(r, Status::kReopened, ctx).ok());
  }
  SECTION("without a closure time the citizen cannot reopen, the operator can") {
    r.closed_time.reset();
    TransitionContext ctx;
    ctx.actor = Actor::kCitizen;
    ctx.now = closed;
    CHECK(CheckTransition(r, Status::kReopened, ctx).code() == StatusCode::kFailedPrecondition);
    ctx.actor = Actor::kOperator;
    CHECK(CheckTransition(r, Status::kReopened, ctx).ok());
  }
}

TEST_CASE("a reopened request goes in progress only with an office", "[lifecycle]") {
  Request r;
  r.status = Status::kReopened;
  TransitionContext ctx;
  ctx.actor = Actor::kOperator;
  const absl::Status without = CheckTransition(r, Status::kInProgress, ctx);
  CHECK(without.code() == StatusCode::kFailedPrecondition);
  CHECK(Message(without).find("ufficio") != std::string::npos);
  ctx.actor = Actor::kCitizen;
  CHECK(CheckTransition(r, Status::kInProgress, ctx).code() == StatusCode::kPermissionDenied);
  r.office_id = "office-1";
  ctx.actor = Actor::kReferent;
  CHECK(CheckTransition(r, Status::kInProgress, ctx).ok());
}

TEST_CASE("assignment: operators, from the open statuses", "[lifecycle]") {
  const std::set<Status> assignable = {Status::kReceived,   Status::kAcknowledged, Status::kReopened,
                                       Status::kAssigned,   Status::kInProgress,   Status::kWaitingCitizen};
  for (Status s : kAllStatuses) {
    Request r;
    r.status = s;
    for (Actor actor : kAllActors) {
      const absl::Status got = CheckAssign(r, actor);
      INFO(Name(s) << " by " << Name(actor) << ": " << got);
      if (!assignable.count(s)) {
        CHECK(got.code() == StatusCode::kFailedPrecondition);
        CHECK(Message(got).find(std::string(StatusLabel(s))) != std::string::npos);
      } else if (actor == Actor::kOperator || actor == Actor::kSystem) {
        CHECK(got.ok());
      } else {
        CHECK(got.code() == StatusCode::kPermissionDenied);
      }
    }
  }
}

TEST_CASE("allowed transitions for a user interface", "[lifecycle]") {
  using V = std::vector<Status>;
  struct Case {
    Status from;
    Actor actor;
    V want;
  };
  const std::vector<Case> cases = {
      {Status::kReceived, Actor::kOperator, V{Status::kAcknowledged, Status::kRejected, Status::kDuplicate}},
      {Status::kReceived, Actor::kCitizen, V{Status::kWithdrawn}},
      {Status::kReceived, Actor::kReferent, V{}},
      {Status::kWaitingCitizen, Actor::kCitizen, V{Status::kInProgress, Status::kWithdrawn}},
      {Status::kAssigned, Actor::kReferent, V{Status::kInProgress, Status::kWaitingCitizen, Status::kResolved}},
      {Status::kResolved, Actor::kSystem, V{Status::kInProgress, Status::kClosed, Status::kForwarded}},
      {Status::kClosed, Actor::kCitizen, V{Status::kReopened}},
      {Status::kWithdrawn, Actor::kOperator, V{}},
      {Status::kForwarded, Actor::kSystem, V{}},
  };
  for (const Case& c : cases) {
    INFO(Name(c.from) << " by " << Name(c.actor));
    CHECK(AllowedTransitions(c.from, c.actor) == c.want);
  }
}

TEST_CASE("terminal and answered statuses", "[lifecycle]") {
  for (Status s : kAllStatuses) {
    INFO(Name(s));
    CHECK(IsTerminal(s) == Terminal(s));
    CHECK(CountsAsAnswered(s) == (Terminal(s) || s == Status::kResolved));
  }
}

TEST_CASE("wire names and labels", "[lifecycle]") {
  CHECK(StatusName(Status::kWaitingCitizen) == "waiting_citizen");
  CHECK(StatusLabel(Status::kWaitingCitizen) == "In attesa del cittadino");
  CHECK(StatusLabel(Status::kAcknowledged) == "Presa in carico");
  CHECK(KindName(Kind::kCivicAccess) == "civic_access");
  CHECK(ChannelName(Channel::kPartner) == "partner");
  for (Status s : kAllStatuses) {
    CHECK(StatusFromName(StatusName(s)) == s);
    CHECK_FALSE(StatusLabel(s).empty());
  }
  for (Kind k : {Kind::kComplaint, Kind::kReport, Kind::kSuggestion, Kind::kPraise, Kind::kInformation,
                 Kind::kCivicAccess}) {
    CHECK(KindFromName(KindName(k)) == k);
  }
  for (Channel c : {Channel::kWeb, Channel::kApp, Channel::kCounter, Channel::kPhone, Channel::kEmail,
                    Channel::kSocial, Channel::kPartner}) {
    CHECK(ChannelFromName(ChannelName(c)) == c);
  }
  CHECK_FALSE(StatusFromName("open").has_value());
  CHECK_FALSE(StatusFromName("").has_value());
  CHECK_FALSE(KindFromName("Complaint").has_value());
  CHECK_FALSE(ChannelFromName("fax").has_value());
}

// ---------------------------------------------------------------- deadlines

TEST_CASE("deadline days by kind and category", "[deadlines]") {
  CHECK(DeadlineDays(Kind::kCivicAccess, 60) == 30);
  CHECK(DeadlineDays(Kind::kCivicAccess, 0) == 30);
  CHECK(DeadlineDays(Kind::kReport, 15) == 15);
  CHECK(DeadlineDays(Kind::kComplaint, 0) == kDefaultDeadlineDays);
}

TEST_CASE("due at local midnight ending the last day", "[deadlines]") {
  const absl::TimeZone rome = Rome();
  struct Case {
    std::string what;
    absl::Time received;
    int days;
    absl::Time want;
  };
  const std::vector<Case> cases = {
      {"plain, winter", At(2026, 1, 10, 15, 0, rome), 30, Utc("2026-02-09T23:00:00Z")},
      {"DST spring crossing", At(2026, 3, 20, 10, 0, rome), 30, Utc("2026-04-19T22:00:00Z")},
      {"DST autumn crossing", At(2026, 10, 10, 9, 0, rome), 30, Utc("2026-11-09T23:00:00Z")},
      {"end of month into February", At(2026, 1, 31, 12, 0, rome), 30, Utc("2026-03-02T23:00:00Z")},
      {"leap year", At(2028, 1, 31, 12, 0, rome), 30, Utc("2028-03-01T23:00:00Z")},
      {"zero days: end of the same day", At(2026, 1, 31, 12, 0, rome), 0, Utc("2026-01-31T23:00:00Z")},
      // 23:30 UTC is already the next day in Rome: the local day counts.
      {"received after local midnight", Utc("2026-03-20T23:30:00Z"), 30, Utc("2026-04-20T22:00:00Z")},
      {"end of year", At(2026, 12, 15, 8, 0, rome), 30, Utc("2027-01-14T23:00:00Z")},
  };
  for (const Case& c : cases) {
    INFO(c.what << ": " << absl::FormatTime(DueTime(c.received, c.days, rome)));
    CHECK(DueTime(c.received, c.days, rome) == c.want);
  }
}

TEST_CASE("a pause moves the due time by its length", "[deadlines]") {
  const absl::Time due = Utc("2026-04-19T22:00:00Z");
  const absl::Time paused = Utc("2026-04-01T08:00:00Z");
  CHECK(ExtendForPause(due, paused, paused + absl::Hours(24 * 5) + absl::Minutes(30)) ==
        due + absl::Hours(24 * 5) + absl::Minutes(30));
  CHECK(ExtendForPause(due, paused, paused) == due);
  CHECK(ExtendForPause(due, paused, paused - absl::Hours(1)) == due);
}

TEST_CASE("overdue: open, not paused, past due", "[deadlines]") {
  const absl::Time due = Utc("2026-04-19T22:00:00Z");
  struct Case {
    std::string what;
    Status status;
    bool paused;
    absl::Time now;
    bool want;
  };
  const std::vector<Case> cases = {
      {"in progress, past due", Status::kInProgress, false, due + absl::Seconds(1), true},
      {"in progress, exactly due", Status::kInProgress, false, due, false},
      {"in progress, before due", Status::kInProgress, false, due - absl::Hours(1), false},
      {"received, past due", Status::kReceived, false, due + absl::Hours(24), true},
      {"reopened, past due", Status::kReopened, false, due + absl::Hours(24), true},
      {"waiting for the citizen (paused)", Status::kWaitingCitizen, true, due + absl::Hours(24 * 10), false},
      {"resolved (answered)", Status::kResolved, false, due + absl::Hours(24 * 10), false},
      {"closed", Status::kClosed, false, due + absl::Hours(24 * 10), false},
      {"withdrawn", Status::kWithdrawn, false, due + absl::Hours(24 * 10), false},
  };
  for (const Case& c : cases) {
    Request r;
    r.status = c.status;
    r.due_time = due;
    if (c.paused) r.paused_since = due - absl::Hours(24);
    INFO(c.what);
    CHECK(IsOverdue(r, c.now) == c.want);
  }
}

// ---------------------------------------------------------------- intake

namespace {

Request ValidReport() {
  Request r;
  r.kind = Kind::kReport;
  r.category = " buche-stradali ";
  r.subject = "  Buca in via Roma  ";
  r.description = "Buca profonda\r\ndavanti al civico 3.\tPericolosa per i motorini. ";
  r.location = Location{40.5870, 17.1165};
  r.address = " Via Roma 3, Massafra ";
  r.media_urls = {"https://example.org/foto1.jpg", " http://example.org/foto2.jpg "};
  r.reporter = Reporter{" Mario Rossi ", "mario.rossi@example.org", "+39 099 123-4567", " rssmra85t10a562s "};
  return r;
}

std::vector<std::string> ViolatedFields(Request r) {
  std::vector<std::string> out;
  for (const auto& v : sportello::FieldViolations(PrepareSubmission(r))) out.push_back(v.field);
  return out;
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("a valid submission is trimmed and normalised", "[intake]") {
  Request r = ValidReport();
  const absl::Status st = PrepareSubmission(r);
  INFO(st);
  REQUIRE(st.ok());
  CHECK(r.subject == "Buca in via Roma");
  CHECK(r.category == "buche-stradali");
  CHECK(r.description == "Buca profonda\ndavanti al civico 3.\tPericolosa per i motorini.");
  CHECK(r.address == "Via Roma 3, Massafra");
  CHECK(r.media_urls[1] == "http://example.org/foto2.jpg");
  REQUIRE(r.reporter.has_value());
  CHECK(r.reporter->name == "Mario Rossi");
  CHECK(r.reporter->fiscal_code == "RSSMRA85T10A562S");

  SECTION("an all-blank reporter is dropped") {
    Request anon = ValidReport();
    anon.reporter = Reporter{" ", "", " ", ""};
    REQUIRE(PrepareSubmission(anon).ok());
    CHECK_FALSE(anon.reporter.has_value());
  }
}

TEST_CASE("each invalid field is reported with its path", "[intake]") {
  using V = std::vector<std::string>;
  struct Case {
    std::string what;
    std::function<void(Request&)> change;
    V want;
  };
  const std::vector<Case> cases = {
      {"valid", [](Request&) {}, V{}},
      {"subject missing on a complaint", [](Request& r) { r.kind = Kind::kComplaint; r.subject = "  "; },
       V{"subject"}},
      {"subject may be left to the category name on a report", [](Request& r) { r.subject = ""; }, V{}},
      {"subject of 200 characters", [](Request& r) { r.subject = Repeat("à", 200); }, V{}},
      {"subject of 201 characters", [](Request& r) { r.subject = Repeat("à", 201); }, V{"subject"}},
      {"subject on two lines", [](Request& r) { r.subject = "Buca\nin via Roma"; }, V{"subject"}},
      {"description missing", [](Request& r) { r.description = " \n "; }, V{"description"}},
      {"description of 4000 characters", [](Request& r) { r.description = Repeat("è", 4000); }, V{}},
      {"description of 4001 characters", [](Request& r) { r.description = Repeat("è", 4001); }, V{"description"}},
      {"description with a control character", [](Request& r) { r.description = "Buca\x07profonda"; },
       V{"description"}},
      {"description with a C1 control character", [](Request& r) { r.description = "Buca\xC2\x85profonda"; },
       V{"description"}},
      {"description not UTF-8", [](Request& r) { r.description = "Buca \xE0 profonda"; }, V{"description"}},
      {"report without a category", [](Request& r) { r.category = " "; }, V{"category"}},
      {"complaint without a category", [](Request& r) { r.kind = Kind::kComplaint; r.category = ""; }, V{}},
      {"latitude out of range", [](Request& r) { r.location->latitude = 90.5; }, V{"location.latitude"}},
      {"longitude out of range", [](Request& r) { r.location->longitude = -180.1; }, V{"location.longitude"}},
      {"latitude not a number",
       [](Request& r) { r.location->latitude = std::numeric_limits<double>::quiet_NaN(); },
       V{"location.latitude"}},
      {"media URL not http", [](Request& r) { r.media_urls[1] = "ftp://example.org/foto.jpg"; }, V{"media_urls[1]"}},
      {"media URL not a URL", [](Request& r) { r.media_urls[0] = "foto.jpg"; }, V{"media_urls[0]"}},
      {"reporter e-mail", [](Request& r) { r.reporter->email = "mario.rossi@"; }, V{"reporter.email"}},
      {"reporter phone too short", [](Request& r) { r.reporter->phone = "12 34"; }, V{"reporter.phone"}},
      {"reporter phone with letters", [](Request& r) { r.reporter->phone = "099 CASA 1234"; }, V{"reporter.phone"}},
      {"reporter fiscal code check character", [](Request& r) { r.reporter->fiscal_code = "RSSMRA85T10A562T"; },
       V{"reporter.fiscal_code"}},
      {"reporter name on two lines", [](Request& r) { r.reporter->name = "Mario\nRossi"; }, V{"reporter.name"}},
      {"address too long", [](Request& r) { r.address = Repeat("a", 201); }, V{"address"}},
      {"civic access without its object",
       [](Request& r) {
         r.kind = Kind::kCivicAccess;
         r.civic_access.object = "  ";
       },
       V{"access_object"}},
      {"civic access with its object",
       [](Request& r) {
         r.kind = Kind::kCivicAccess;
         r.civic_access.object = "Delibera n. 12/2026";
       },
       V{}},
      {"several at once",
       [](Request& r) {
         r.kind = Kind::kComplaint;
         r.subject = "";
         r.description = "";
         r.reporter->email = "x";
       },
       V{"subject", "description", "reporter.email"}},
  };
  for (const Case& c : cases) {
    Request r = ValidReport();
    c.change(r);
    INFO(c.what);
    CHECK(ViolatedFields(r) == c.want);
  }
}

TEST_CASE("violations carry Italian descriptions", "[intake]") {
  Request r = ValidReport();
  r.kind = Kind::kComplaint;
  r.description = "";
  r.reporter->fiscal_code = "RSSMRA85T10A562T";
  const auto violations = sportello::FieldViolations(PrepareSubmission(r));
  REQUIRE(violations.size() == 2);
  CHECK(violations[0].description == "la descrizione è obbligatoria");
  CHECK(violations[1].description.find("carattere di controllo") != std::string::npos);
}

TEST_CASE("Italian fiscal codes", "[intake]") {
  struct Case {
    std::string code;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"RSSMRA85T10A562S", true},
      {"rssmra85t10a562s", true},       // upper-cased first
      {"RSS MRA 85T10 A562S", true},    // spaces dropped
      {"MRTMTT25D09F205Z", true},
      {"BNCGLI80A41H501C", true},       // a woman: day + 40
      {"RSSMRA85T10A56NH", true},       // omocodic: the last digit 2 as N
      {"RSSMRA85T10A5SNT", true},       // omocodic twice
      {"RSSMRA85T10A562T", false},      // wrong check character
      {"RSSMRA85T10A56NS", false},      // omocodic, check character of the original
      {"RSSMRA85T10A562", false},       // 15 characters
      {"RSSMRA85T10A562SX", false},     // 17 characters
      {"RSSMRA85T10A56AS", false},      // A is not an omocodia letter
      {"RSSMR485T10A562S", false},      // digit where a letter goes
      {"RSSMRA85Z10A562S", false},      // Z is not a month
      {"RSSMRA85T35A562S", false},      // day 35
      {"RSSMRA85T10A562!", false},
      {"12345678903", true},            // numeric, partita IVA check digit
      {"00743110157", true},
      {"12345678901", false},
      {"1234567890A", false},
  };
  for (const Case& c : cases) {
    Request r = ValidReport();
    r.reporter->fiscal_code = c.code;
    INFO(c.code);
    CHECK(ViolatedFields(r) == (c.valid ? std::vector<std::string>{} : std::vector<std::string>{"reporter.fiscal_code"}));
  }
}

namespace {

CategoryDefinition Potholes() {
  using T = AttributeDefinition::Type;
  CategoryDefinition c;
  c.service_code = "buche-stradali";
  c.attributes = {
      {"larghezza", T::kNumber, true, {}},
      {"rilevata_il", T::kDatetime, false, {}},
      {"tipo", T::kSingleValueList, true, {"buca", "tombino"}},
      {"lati", T::kMultiValueList, false, {"nord", "sud", "est", "ovest"}},
      {"note", T::kText, false, {}},
      {"civico", T::kString, false, {}},
  };
  return c;
}

}  // namespace

TEST_CASE("attribute answers against the category", "[intake]") {
  using A = std::map<std::string, std::vector<std::string>>;
  using V = std::vector<std::string>;
  struct Case {
    std::string what;
    A answers;
    V want;
  };
  const std::vector<Case> cases = {
      {"required only", A{{"larghezza", {"40"}}, {"tipo", {"buca"}}}, V{}},
      {"everything",
       A{{"larghezza", {"-0.5"}},
         {"rilevata_il", {"2026-03-20T10:00:00+01:00"}},
         {"tipo", {"tombino"}},
         {"lati", {"nord", "est"}},
         {"note", {"profonda"}},
         {"civico", {"3"}}},
       V{}},
      {"required missing", A{{"tipo", {"buca"}}}, V{"attributes[larghezza]"}},
      {"required blank", A{{"larghezza", {""}}, {"tipo", {"buca"}}}, V{"attributes[larghezza]"}},
      {"required empty list", A{{"larghezza", {"40"}}, {"tipo", {}}}, V{"attributes[tipo]"}},
      {"bad number", A{{"larghezza", {"quaranta"}}, {"tipo", {"buca"}}}, V{"attributes[larghezza]"}},
      {"number not finite", A{{"larghezza", {"inf"}}, {"tipo", {"buca"}}}, V{"attributes[larghezza]"}},
      {"bad datetime", A{{"larghezza", {"40"}}, {"tipo", {"buca"}}, {"rilevata_il", {"20/03/2026 10:00"}}},
       V{"attributes[rilevata_il]"}},
      {"datetime without offset", A{{"larghezza", {"40"}}, {"tipo", {"buca"}}, {"rilevata_il", {"2026-03-20T10:00:00"}}},
       V{"attributes[rilevata_il]"}},
      {"value not allowed", A{{"larghezza", {"40"}}, {"tipo", {"frana"}}}, V{"attributes[tipo]"}},
      {"two values for a single list", A{{"larghezza", {"40"}}, {"tipo", {"buca", "tombino"}}},
       V{"attributes[tipo]"}},
      {"two values for a number", A{{"larghezza", {"40", "50"}}, {"tipo", {"buca"}}}, V{"attributes[larghezza]"}},
      {"multi list ok", A{{"larghezza", {"40"}}, {"tipo", {"buca"}}, {"lati", {"nord", "sud", "ovest"}}}, V{}},
      {"multi list value not allowed", A{{"larghezza", {"40"}}, {"tipo", {"buca"}}, {"lati", {"nord", "alto"}}},
       V{"attributes[lati]"}},
      {"unknown code", A{{"larghezza", {"40"}}, {"tipo", {"buca"}}, {"colore", {"nero"}}}, V{"attributes[colore]"}},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    V got;
    for (const auto& v : sportello::FieldViolations(CheckAttributes(Potholes(), c.answers))) got.push_back(v.field);
    CHECK(got == c.want);
  }
  CHECK(CheckAttributes(Potholes(), A{{"tipo", {"buca"}}}).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("civic-access objects normalised for comparison", "[intake]") {
  struct Case {
    std::string in, want;
  };
  const std::vector<Case> cases = {
      {"Copia della delibera n. 12/2026 sull'illuminazione", "delibera n 12 2026 illuminazione"},
      {"delibera n 12 2026 illuminazione", "delibera n 12 2026 illuminazione"},
      {"  DELIBERA   N° 12 / 2026 — sull’ILLUMINAZIONE!  ", "delibera n 12 2026 illuminazione"},
      {"Verbali della CITTÀ: perché è così?", "verbali citta perche cosi"},
      {"Documenti relativi all'appalto per la mensa", "appalto mensa"},
      {"Società Façade", "societa façade"},
      {"il la di", ""},
      {"", ""},
  };
  for (const Case& c : cases) {
    INFO(c.in);
    CHECK(NormalizeAccessObject(c.in) == c.want);
  }
  CHECK(NormalizeAccessObject("Copia della delibera n. 12/2026 sull'illuminazione") ==
        NormalizeAccessObject("delibera n 12 2026 illuminazione"));
}

TEST_CASE("proactive publication after more than three requesters", "[intake]") {
  CHECK_FALSE(ShouldPublishProactively(1));
  CHECK_FALSE(ShouldPublishProactively(3));
  CHECK(ShouldPublishProactively(4));
}

TEST_CASE("request numbers", "[intake]") {
  struct Case {
    std::string tenant, want;
  };
  const std::vector<Case> cases = {
      {"c_f027", "F027"}, {"u_gravine", "GRAVINE"}, {"x_ab-12", "AB12"}, {"f027", "F027"}, {"ab_cd", "ABCD"},
  };
  for (const Case& c : cases) {
    INFO(c.tenant);
    CHECK(NumberPrefix(c.tenant) == c.want);
  }
  CHECK(FormatNumber("F027", 2026, 123) == "F027-2026-000123");
  CHECK(FormatNumber("F027", 2026, 0) == "F027-2026-000000");
  CHECK(FormatNumber("GRAVINE", 2027, 1234567) == "GRAVINE-2027-1234567");
}

TEST_CASE("distance between two points", "[intake]") {
  const Location a{40.5870, 17.1165};
  // 0.00045° of latitude: 6371008.8 m × 0.00045 × π / 180 ≈ 50.04 m.
  const Location b{40.58745, 17.1165};
  CHECK(DistanceMeters(a, b) == Approx(50.04).margin(0.05));
  CHECK(DistanceMeters(a, a) == 0.0);
  CHECK(DistanceMeters(a, b) == Approx(DistanceMeters(b, a)));
  // A degree of longitude on the equator: 6371008.8 m × π / 180.
  CHECK(DistanceMeters(Location{0, 0}, Location{0, 1}) == Approx(111195.08).margin(0.01));
  // Antipodes: half the circumference.
  CHECK(DistanceMeters(Location{0, 0}, Location{0, 180}) == Approx(20015114.44).margin(0.01));
}

TEST_CASE("attributes, media URLs and the category are bounded", "[intake][limits]") {
  using V = std::vector<std::string>;
  Request many_values = ValidReport();
  many_values.attributes["tipo"] = std::vector<std::string>(10000, "buca");
  CHECK(ViolatedFields(many_values) == V{"attributes[tipo]"});
  Request long_value = ValidReport();
  long_value.attributes["tipo"] = {std::string(kMaxAttributeValue + 1, 'x')};
  CHECK(ViolatedFields(long_value) == V{"attributes[tipo]"});
  Request many_codes = ValidReport();
  for (int i = 0; i < 1000; ++i) many_codes.attributes["a" + std::to_string(i)] = {"x"};
  CHECK(ViolatedFields(many_codes) == V{"attributes"});
  Request media = ValidReport();
  media.media_urls = std::vector<std::string>(1000, "https://example.org/foto.jpg");
  CHECK(ViolatedFields(media) == V{"media_urls"});
  Request long_url = ValidReport();
  long_url.media_urls = {"https://example.org/" + std::string(kMaxMediaUrl, 'a')};
  CHECK(ViolatedFields(long_url) == V{"media_urls[0]"});
  Request category = ValidReport();
  category.category = std::string(2600, 'c');
  CHECK(ViolatedFields(category) == V{"category"});
  // At the limits a submission passes.
  Request edge = ValidReport();
  edge.attributes["tipo"] = std::vector<std::string>(kMaxAttributeValues, std::string(kMaxAttributeValue, 'x'));
  edge.media_urls = std::vector<std::string>(kMaxMediaUrls, "https://example.org/foto.jpg");
  CHECK(ViolatedFields(edge).empty());
}
