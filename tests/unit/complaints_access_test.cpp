// The three kinds of access as pure domain code (services/complaints/access.h):
// terms in Europe/Rome across DST, the suspension for counter-interested
// parties, silence as refusal, refusals naming their exception, review, the
// register's semesters and the scrubbing of personal data.
#include <set>

#include <catch2/catch.hpp>

#include "absl/time/civil_time.h"
#include "common/status.h"
#include "services/complaints/access.h"
#include "services/complaints/deadlines.h"
#include "services/complaints/intake.h"
#include "services/complaints/lifecycle.h"
#include "services/complaints/plan.h"

using namespace sportello;
using namespace sportello::complaints;

namespace {

absl::TimeZone Rome() {
  absl::TimeZone z;
  REQUIRE(absl::LoadTimeZone("Europe/Rome", &z));
  return z;
}

absl::Time At(int y, int m, int d, int h, int min = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, min, 0), Rome());
}

// An access request received at `received`, due as the law says.
Request Access(Kind kind, absl::Time received) {
  Request r;
  r.kind = kind;
  r.number = "T-2026-000001";
  r.status = Status::kInProgress;
  r.create_time = received;
  r.due_time = DueTime(received, DeadlineDays(kind, 0), Rome());
  r.civic_access.object = "Contratto di manutenzione del verde";
  return r;
}

CounterParty Party(const std::string& name = "Impresa Verde Srl") {
  CounterParty p;
  p.name = name;
  p.channel = NoticeChannel::kPec;
  p.address = "impresaverde@pec.example.it";
  return p;
}

std::set<std::string> Fields(const absl::Status& s) {
  std::set<std::string> out;
  for (const auto& v : FieldViolations(s)) out.insert(v.field);
  return out;
}

}  // namespace

TEST_CASE("every kind of access has 30 days, counted in civil days in Europe/Rome across DST", "[access]") {
  struct Case {
    const char* name;
    Kind kind;
    absl::Time received, due;
  };
  const Case cases[] = {
      // 29 March 2026: clocks go forward; the due time stays at local midnight.
      {"documentary across spring DST", Kind::kDocumentaryAccess, At(2026, 3, 10, 10), At(2026, 4, 10, 0)},
      {"simple civic across spring DST", Kind::kSimpleCivicAccess, At(2026, 3, 10, 23, 30), At(2026, 4, 10, 0)},
      // 25 October 2026: clocks go back.
      {"FOIA across autumn DST", Kind::kCivicAccess, At(2026, 10, 1, 9), At(2026, 11, 1, 0)},
      {"FOIA on a 31-day month", Kind::kCivicAccess, At(2026, 1, 31, 12), At(2026, 3, 3, 0)},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(DeadlineDays(c.kind, 90) == 30);
    CHECK(DueTime(c.received, DeadlineDays(c.kind, 0), Rome()) == c.due);
  }
  CHECK(ObjectionDue(At(2026, 3, 25, 12), Rome()) == At(2026, 4, 5, 0));  // 10 days, over the spring change
  CHECK(ObjectionDue(At(2026, 10, 20, 8), Rome()) == At(2026, 10, 31, 0));
}

TEST_CASE("a counter-interested party suspends the term until it objects or its 10 days pass", "[access]") {
  const absl::Time received = At(2026, 3, 2, 9);
  const absl::Time notified = At(2026, 3, 5, 12);
  const absl::Time window_end = At(2026, 3, 16, 0);  // end of the 10th day after 5 March

  SECTION("an objection on the 4th day resumes the term: the due time moves by 4 days exactly") {
    Request r = Access(Kind::kCivicAccess, received);
    const absl::Time due = r.due_time;
    REQUIRE(NotifyCounterParty(r, Party(), notified, Rome()).ok());
    REQUIRE(r.civic_access.counter_parties.size() == 1);
    r.civic_access.counter_parties[0].id = 7;  // as stored
    CHECK(r.civic_access.counter_parties[0].objection_due == window_end);
    CHECK(r.paused_since == notified);
    CHECK(r.civic_access.suspended_until == window_end);
    CHECK_FALSE(IsOverdue(r, window_end - absl::Seconds(1)));  // suspended

    REQUIRE(RecordObjection(r, 7, "Segreto commerciale", notified + absl::Hours(96)).ok());
    CHECK_FALSE(r.paused_since.has_value());
    CHECK_FALSE(r.civic_access.suspended_until.has_value());
    CHECK(r.due_time == due + absl::Hours(96));
  }
  SECTION("no objection: the suspension ends with the window, whenever it is settled") {
    Request r = Access(Kind::kDocumentaryAccess, received);
    const absl::Time due = r.due_time;
    REQUIRE(NotifyCounterParty(r, Party(), notified, Rome()).ok());
    SettleSuspension(r, window_end - absl::Seconds(1));
    CHECK(r.paused_since.has_value());  // still within the window
    // Not settled yet, the term runs again all the same (the escalation gap):
    // overdue exactly after the due time moved on by the suspension.
    const absl::Time moved = due + (window_end - notified);
    CHECK_FALSE(IsOverdue(r, moved));
    CHECK(IsOverdue(r, moved + absl::Seconds(1)));
    SettleSuspension(r, At(2026, 3, 25, 10));
    CHECK_FALSE(r.paused_since.has_value());
    CHECK(r.due_time == due + (window_end - notified));
  }
  SECTION("two parties: the term resumes when the last window closes or both objected") {
    Request r = Access(Kind::kCivicAccess, received);
    const absl::Time due = r.due_time;
    REQUIRE(NotifyCounterParty(r, Party("Ditta Uno"), notified, Rome()).ok());
    REQUIRE(NotifyCounterParty(r, Party("Ditta Due"), notified + absl::Hours(48), Rome()).ok());
    r.civic_access.counter_parties[0].id = 1;
    r.civic_access.counter_parties[1].id = 2;
    CHECK(r.paused_since == notified);  // one pause, from the first notification
    CHECK(r.civic_access.suspended_until == At(2026, 3, 18, 0));
    REQUIRE(RecordObjection(r, 1, "", notified + absl::Hours(24)).ok());
    CHECK(r.civic_access.suspended_until == At(2026, 3, 18, 0));  // the second may still object
    REQUIRE(RecordObjection(r, 2, "", notified + absl::Hours(72)).ok());
    CHECK_FALSE(r.civic_access.suspended_until.has_value());
    CHECK(r.due_time == due + absl::Hours(72));
  }
  SECTION("an objection after its 10 days is refused with a field violation and changes nothing") {
    Request r = Access(Kind::kCivicAccess, received);
    REQUIRE(NotifyCounterParty(r, Party(), notified, Rome()).ok());
    r.civic_access.counter_parties[0].id = 3;
    Request before = r;
    absl::Status late = RecordObjection(r, 3, "tardiva", window_end + absl::Minutes(1));
    CHECK(absl::IsFailedPrecondition(late));
    CHECK(Fields(late) == std::set<std::string>{"counter_party_id"});
    CHECK(late.message().find("15/03/2026") != std::string::npos);
    CHECK_FALSE(r.civic_access.counter_parties[0].objection_time.has_value());
    CHECK(r.due_time == before.due_time);
    CHECK(absl::IsNotFound(RecordObjection(r, 99, "", notified)));
  }
  SECTION("who may have counter-interested parties, and when") {
    Request simple = Access(Kind::kSimpleCivicAccess, received);
    CHECK(absl::IsFailedPrecondition(NotifyCounterParty(simple, Party(), notified, Rome())));
    Request waiting = Access(Kind::kCivicAccess, received);
    waiting.status = Status::kWaitingCitizen;
    waiting.paused_since = notified;
    CHECK(absl::IsFailedPrecondition(NotifyCounterParty(waiting, Party(), notified, Rome())));
    Request nameless = Access(Kind::kCivicAccess, received);
    CounterParty bad = Party("  ");
    bad.address = "non-una-pec";
    absl::Status s = NotifyCounterParty(nameless, bad, notified, Rome());
    CHECK(Fields(s) == std::set<std::string>{"name", "address"});
    CHECK(nameless.civic_access.counter_parties.empty());
    CHECK_FALSE(nameless.paused_since.has_value());
  }
}

TEST_CASE("a documentary access unanswered in its term is refused by silence", "[access]") {
  const absl::Time received = At(2026, 3, 10, 10);
  Request r = Access(Kind::kDocumentaryAccess, received);
  CHECK_FALSE(SilentRefusal(r, At(2026, 4, 9, 23, 59)));
  CHECK(SilentRefusal(r, At(2026, 4, 10, 0, 1)));
  CHECK(EffectiveOutcome(r, At(2026, 4, 11, 0)) == AccessOutcome::kSilentRefusal);

  Request foia = Access(Kind::kCivicAccess, received);
  CHECK_FALSE(SilentRefusal(foia, At(2026, 5, 1, 0)));  // a FOIA past due is late, not refused

  Request decided = r;
  REQUIRE(DecideAccess(decided, {AccessOutcome::kGranted, AccessException::kNone, "", "", "2026-04-01"}).ok());
  CHECK_FALSE(SilentRefusal(decided, At(2026, 5, 1, 0)));

  Request suspended = r;
  REQUIRE(NotifyCounterParty(suspended, Party(), At(2026, 4, 5, 9), Rome()).ok());
  CHECK_FALSE(SilentRefusal(suspended, At(2026, 4, 12, 0)));  // the term is suspended
  // Suspended 5 April 09:00 to the end of 15 April: due moves from 10 April 00:00 by that much.
  CHECK_FALSE(SilentRefusal(suspended, At(2026, 4, 20, 0)));
  CHECK(SilentRefusal(suspended, At(2026, 4, 21, 0)));
}

TEST_CASE("deciding an access: a FOIA refusal names its exception, a simple civic access its link", "[access]") {
  struct Case {
    const char* name;
    Kind kind;
    AccessOutcome outcome;
    AccessException exception;
    std::string url;
    std::set<std::string> fields;  // empty: accepted
  };
  const Case cases[] = {
      {"FOIA granted", Kind::kCivicAccess, AccessOutcome::kGranted, AccessException::kNone, "", {}},
      {"FOIA refused without exception", Kind::kCivicAccess, AccessOutcome::kRefused, AccessException::kNone, "",
       {"exception"}},
      {"FOIA partly granted without exception", Kind::kCivicAccess, AccessOutcome::kPartiallyGranted,
       AccessException::kNone, "", {"exception"}},
      {"FOIA refused for personal data", Kind::kCivicAccess, AccessOutcome::kRefused, AccessException::kPersonalData,
       "", {}},
      {"FOIA refused for public safety", Kind::kCivicAccess, AccessOutcome::kRefused, AccessException::kPublicSafety,
       "", {}},
      {"FOIA granted with an exception", Kind::kCivicAccess, AccessOutcome::kGranted,
       AccessException::kCorrespondence, "", {"exception"}},
      {"FOIA published", Kind::kCivicAccess, AccessOutcome::kPublished, AccessException::kNone, "", {"outcome_code",
                                                                                                 "published_url"}},
      {"simple civic published with link", Kind::kSimpleCivicAccess, AccessOutcome::kPublished,
       AccessException::kNone, "https://comune.example.it/amministrazione-trasparente/bandi", {}},
      {"simple civic published without link", Kind::kSimpleCivicAccess, AccessOutcome::kPublished,
       AccessException::kNone, "", {"published_url"}},
      {"simple civic granted", Kind::kSimpleCivicAccess, AccessOutcome::kGranted, AccessException::kNone, "",
       {"outcome_code"}},
      {"documentary refused", Kind::kDocumentaryAccess, AccessOutcome::kRefused, AccessException::kNone, "", {}},
      {"documentary granted", Kind::kDocumentaryAccess, AccessOutcome::kGranted, AccessException::kNone, "", {}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Request r = Access(c.kind, At(2026, 3, 2, 9));
    absl::Status s = DecideAccess(r, {c.outcome, c.exception, "", c.url, "2026-03-20"});
    CHECK(Fields(s) == c.fields);
    if (c.fields.empty()) {
      REQUIRE(s.ok());
      CHECK(r.civic_access.outcome_code == c.outcome);
      CHECK(r.civic_access.outcome == AccessOutcomeLabel(c.outcome));
      CHECK(r.civic_access.decision_date == "2026-03-20");
    } else {
      CHECK(r.civic_access.outcome_code == AccessOutcome::kNone);
    }
  }
  Request suspended = Access(Kind::kCivicAccess, At(2026, 3, 2, 9));
  REQUIRE(NotifyCounterParty(suspended, Party(), At(2026, 3, 3, 9), Rome()).ok());
  CHECK(absl::IsFailedPrecondition(
      DecideAccess(suspended, {AccessOutcome::kGranted, AccessException::kNone, "", "", "2026-03-04"})));
  Request report;
  report.kind = Kind::kReport;
  CHECK(absl::IsFailedPrecondition(
      DecideAccess(report, {AccessOutcome::kGranted, AccessException::kNone, "", "", "2026-03-04"})));
}

TEST_CASE("review: a refused FOIA goes to the RPCT with 20 days of its own", "[access]") {
  Request r = Access(Kind::kCivicAccess, At(2026, 9, 1, 9));
  REQUIRE(DecideAccess(r, {AccessOutcome::kRefused, AccessException::kEconomicInterests, "", "", "2026-09-20"}).ok());
  r.status = Status::kResolved;
  r.resolved_time = At(2026, 9, 20, 10);
  // Asked 20 October; 25 October the clocks go back; due at the end of 9 November.
  REQUIRE(RequestReview(r, At(2026, 10, 20, 11), Rome()).ok());
  CHECK(r.status == Status::kUnderReview);
  CHECK(r.due_time == At(2026, 11, 10, 0));
  CHECK_FALSE(r.resolved_time.has_value());
  CHECK_FALSE(IsOverdue(r, At(2026, 11, 9, 23)));
  CHECK(IsOverdue(r, At(2026, 11, 10, 1)));
  CHECK(absl::IsFailedPrecondition(RequestReview(r, At(2026, 10, 21, 11), Rome())));  // once

  SECTION("the refusal confirmed keeps its exception") {
    REQUIRE(DecideReview(r, ReviewOutcome::kConfirmed, AccessException::kNone, "2026-11-05", At(2026, 11, 5, 9), Rome())
                .ok());
    CHECK(r.status == Status::kResolved);
    CHECK(r.civic_access.review_outcome == ReviewOutcome::kConfirmed);
    CHECK(r.civic_access.exception == AccessException::kEconomicInterests);
    CHECK(absl::IsFailedPrecondition(RequestReview(r, At(2026, 11, 6, 9), Rome())));
  }
  SECTION("granted on review: no exception") {
    CHECK(Fields(DecideReview(r, ReviewOutcome::kGranted, AccessException::kDefence, "2026-11-05", At(2026, 11, 5, 9),
                              Rome())) == std::set<std::string>{"exception"});
    REQUIRE(DecideReview(r, ReviewOutcome::kGranted, AccessException::kNone, "2026-11-05", At(2026, 11, 5, 9), Rome())
                .ok());
    CHECK(r.civic_access.exception == AccessException::kNone);
  }
  SECTION("no outcome") {
    CHECK(Fields(DecideReview(r, ReviewOutcome::kNone, AccessException::kNone, "2026-11-05", At(2026, 11, 5, 9),
                              Rome())) == std::set<std::string>{"outcome"});
    CHECK(r.status == Status::kUnderReview);
  }

  Request granted = Access(Kind::kCivicAccess, At(2026, 9, 1, 9));
  REQUIRE(DecideAccess(granted, {AccessOutcome::kGranted, AccessException::kNone, "", "", "2026-09-20"}).ok());
  CHECK(absl::IsFailedPrecondition(RequestReview(granted, At(2026, 9, 21, 9), Rome())));
  Request documentary = Access(Kind::kDocumentaryAccess, At(2026, 9, 1, 9));
  CHECK(absl::IsFailedPrecondition(RequestReview(documentary, At(2026, 12, 1, 9), Rome())));
  Request silent_foia = Access(Kind::kCivicAccess, At(2026, 9, 1, 9));
  CHECK(RequestReview(silent_foia, At(2026, 10, 5, 9), Rome()).ok());  // past its term unanswered
}

TEST_CASE("a submission: documentary access needs its interest, every access its object", "[access]") {
  Request documentary;
  documentary.kind = Kind::kDocumentaryAccess;
  documentary.subject = "Accesso agli atti";
  documentary.description = "Chiedo copia degli atti";
  documentary.civic_access.object = "Permesso di costruire n. 12/2025";
  absl::Status s = PrepareSubmission(documentary);
  CHECK(Fields(s) == std::set<std::string>{"access_interest"});
  documentary.civic_access.interest = "  Sono il proprietario del fondo confinante  ";
  REQUIRE(PrepareSubmission(documentary).ok());
  CHECK(documentary.civic_access.interest == "Sono il proprietario del fondo confinante");

  Request simple;
  simple.kind = Kind::kSimpleCivicAccess;
  simple.subject = "Bandi non pubblicati";
  simple.description = "Mancano i bandi di gara";
  CHECK(Fields(PrepareSubmission(simple)) == std::set<std::string>{"access_object"});
}

TEST_CASE("more than three requesters: FOIA and simple civic access count together", "[access]") {
  for (Kind kind : {Kind::kCivicAccess, Kind::kSimpleCivicAccess, Kind::kDocumentaryAccess}) {
    Request r;
    r.kind = kind;
    r.civic_access.object = "Bilancio consuntivo 2025";
    SubmissionFacts facts{At(2026, 3, 2, 9), Rome(), 30, {}, "", 3};
    SubmissionPlan plan = PlanSubmission(r, facts);
    INFO(KindName(kind));
    CHECK(plan.publish_proactively == (kind != Kind::kDocumentaryAccess));
    CHECK(plan.access_key.empty() == (kind == Kind::kDocumentaryAccess));
    CHECK(plan.due_time == At(2026, 4, 2, 0));
  }
}

TEST_CASE("the register: semesters and objects scrubbed of personal data", "[access]") {
  auto s1 = SemesterDays("2026-S1");
  REQUIRE(s1);
  CHECK(s1->first == absl::CivilDay(2026, 1, 1));
  CHECK(s1->second == absl::CivilDay(2026, 6, 30));
  auto s2 = SemesterDays("2025-S2");
  REQUIRE(s2);
  CHECK(s2->first == absl::CivilDay(2025, 7, 1));
  CHECK(s2->second == absl::CivilDay(2025, 12, 31));
  for (const char* bad : {"", "2026", "2026-S3", "2026-s1", "26-S1", "2026-S12", "abcd-S1"}) {
    INFO(bad);
    CHECK_FALSE(SemesterDays(bad).has_value());
  }

  struct Case {
    std::string in;
    std::vector<std::string> names;
    std::string out;
  };
  const Case cases[] = {
      {"Contratto di manutenzione del verde", {}, "Contratto di manutenzione del verde"},
      {"Esposto di Mario Rossi del 3 marzo", {"Mario Rossi"}, "Esposto di [omissis] del 3 marzo"},
      {"Pratica di ROSSI, via Roma", {"Mario Rossi"}, "Pratica di [omissis], via Roma"},
      {"Scrivere a mario.rossi@example.it.", {}, "Scrivere a [omissis]."},
      {"Codice RSSMRA80A01E986X: la pratica", {}, "Codice [omissis]: la pratica"},
      {"Telefono 099 880 1234 per info", {}, "Telefono [omissis] per info"},
      {"Delibera n. 12/2026 del 2026", {}, "Delibera n. 12/2026 del 2026"},
      {"Offerta di Impresa Verde Srl", {"Impresa Verde Srl"}, "Offerta di [omissis]"},
  };
  for (const Case& c : cases) {
    INFO(c.in);
    CHECK(ScrubPersonalData(c.in, c.names) == c.out);
  }
}

TEST_CASE("access names round-trip", "[access]") {
  for (AccessOutcome o : {AccessOutcome::kGranted, AccessOutcome::kPartiallyGranted, AccessOutcome::kRefused,
                          AccessOutcome::kPublished, AccessOutcome::kSilentRefusal}) {
    CHECK(AccessOutcomeFromName(AccessOutcomeName(o)) == o);
    CHECK_FALSE(AccessOutcomeLabel(o).empty());
  }
  for (AccessException e : {AccessException::kPublicSafety, AccessException::kPersonalData,
                            AccessException::kCorrespondence, AccessException::kEconomicInterests}) {
    CHECK(AccessExceptionFromName(AccessExceptionName(e)) == e);
    CHECK(AccessExceptionLabel(e).find("art. 5-bis") == 0);
  }
  CHECK(NoticeChannelFromName("pec") == NoticeChannel::kPec);
  CHECK(KindFromName("documentary_access") == Kind::kDocumentaryAccess);
  CHECK(KindFromName("simple_civic_access") == Kind::kSimpleCivicAccess);
  CHECK(StatusFromName("under_review") == Status::kUnderReview);
}
