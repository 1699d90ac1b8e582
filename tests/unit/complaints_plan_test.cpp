// The decisions of plan.h, table-driven: routing, what a submission writes,
// what a message does, what a forwarded copy keeps, the duplicate radius.
#include "services/complaints/plan.h"

#include <catch2/catch.hpp>

#include "services/complaints/deadlines.h"
#include "services/complaints/lifecycle.h"

using namespace sportello::complaints;

namespace {
const absl::TimeZone kUtc = absl::UTCTimeZone();
const absl::Time kT0 = absl::FromCivil(absl::CivilSecond(2026, 11, 2, 9, 0, 0), kUtc);
}  // namespace

TEST_CASE("routing: the most specific rule, else the category's office", "[plan]") {
  const std::vector<RoutingRule> rules = {
      {"c_f027", "", "", "any"},
      {"c_f027", "", "complaint", "by-kind"},
      {"c_f027", "buche", "", "by-category"},
      {"c_f027", "buche", "report", "by-both"},
  };
  struct Case {
    std::vector<RoutingRule> rules;
    std::string category;
    Kind kind;
    std::string category_office, want;
  };
  const Case cases[] = {
      {rules, "buche", Kind::kReport, "cat", "by-both"},
      {rules, "buche", Kind::kComplaint, "cat", "by-category"},  // a category beats a kind
      {rules, "rifiuti", Kind::kComplaint, "cat", "by-kind"},
      {rules, "rifiuti", Kind::kReport, "cat", "any"},
      {{}, "rifiuti", Kind::kReport, "cat", "cat"},
      {{}, "", Kind::kSuggestion, "", ""},
      {{{"c_f027", "buche", "", "x"}}, "rifiuti", Kind::kReport, "", ""},
  };
  for (const Case& c : cases) {
    INFO(c.category << " " << KindName(c.kind));
    CHECK(RouteOffice(c.rules, c.category, c.kind, c.category_office) == c.want);
  }
}

TEST_CASE("a submission's plan: status, office, due time, history, proactive publication", "[plan]") {
  struct Case {
    const char* name;
    Kind kind;
    std::string category_office;
    int other_requesters;
    Status status;
    std::string office;
    size_t history;
    bool proactive;
  };
  const Case cases[] = {
      {"unrouted", Kind::kSuggestion, "", 0, Status::kReceived, "", 1, false},
      {"routed by the category", Kind::kReport, "ufficio-1", 0, Status::kAssigned, "ufficio-1", 2, false},
      {"third requester of an object", Kind::kCivicAccess, "", 2, Status::kReceived, "", 1, false},
      {"fourth requester of an object", Kind::kCivicAccess, "", 3, Status::kReceived, "", 1, true},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Request r;
    r.tenant = "c_f027";
    r.kind = c.kind;
    r.category = "buche";
    r.civic_access.object = "Il contratto dell'illuminazione pubblica";
    SubmissionFacts facts{kT0, kUtc, 30, {}, c.category_office, c.other_requesters};
    SubmissionPlan plan = PlanSubmission(r, facts);
    CHECK(plan.status == c.status);
    CHECK(plan.office_id == c.office);
    CHECK(plan.due_time == DueTime(kT0, 30, kUtc));
    REQUIRE(plan.history.size() == c.history);
    CHECK(plan.history[0].action == "submitted");
    CHECK(plan.history[0].time == kT0);
    if (c.history == 2) CHECK(plan.history[1].office_id == c.office);
    CHECK(plan.publish_proactively == c.proactive);
    CHECK(plan.access_key.empty() == (c.kind != Kind::kCivicAccess));
  }
}

TEST_CASE("messages: who sees them, the citizen's reply restarts the clock, the first answer", "[plan]") {
  CHECK(MessageVisibility(Actor::kCitizen, Visibility::kPublic) == Visibility::kCitizen);
  CHECK(MessageVisibility(Actor::kCitizen, std::nullopt) == Visibility::kCitizen);
  CHECK(MessageVisibility(Actor::kOperator, Visibility::kInternal) == Visibility::kInternal);
  CHECK_FALSE(MessageVisibility(Actor::kReferent, std::nullopt).has_value());

  struct Case {
    const char* name;
    Status status;
    Actor actor;
    Visibility visibility;
    bool resumes, first_answer;
  };
  const Case cases[] = {
      {"citizen answers when asked", Status::kWaitingCitizen, Actor::kCitizen, Visibility::kCitizen, true, false},
      {"citizen writes otherwise", Status::kInProgress, Actor::kCitizen, Visibility::kCitizen, false, false},
      {"office writes to the citizen", Status::kAssigned, Actor::kReferent, Visibility::kCitizen, false, true},
      {"office answers publicly", Status::kAssigned, Actor::kOperator, Visibility::kPublic, false, true},
      {"internal note", Status::kAssigned, Actor::kOperator, Visibility::kInternal, false, false},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Request r;
    r.status = c.status;
    r.due_time = kT0 + absl::Hours(24 * 10);
    if (c.status == Status::kWaitingCitizen) {
      r.paused_since = kT0;
      r.first_answer_time = kT0;  // asking the citizen was the office's answer
    }
    absl::Time now = kT0 + absl::Hours(48);
    MessageEffect effect = ApplyMessage(r, c.actor, c.visibility, now, kUtc);
    CHECK(effect.resumed_from.has_value() == c.resumes);
    if (c.resumes) {
      CHECK(r.status == Status::kInProgress);
      CHECK_FALSE(r.paused_since.has_value());
      CHECK(r.due_time == kT0 + absl::Hours(24 * 12));  // moved by the two days waited
    }
    // Set by this message only when it is the office's first answer.
    CHECK((r.first_answer_time == now) == c.first_answer);
  }
  // A first answer is never moved by later messages.
  Request answered;
  answered.status = Status::kInProgress;
  answered.first_answer_time = kT0;
  ApplyMessage(answered, Actor::kOperator, Visibility::kPublic, kT0 + absl::Hours(5), kUtc);
  CHECK(answered.first_answer_time == kT0);
}

TEST_CASE("the note of a status change: who sees it", "[plan]") {
  struct Case {
    Actor actor;
    bool has_note, public_note;
    Visibility want;
  };
  const Case cases[] = {
      {Actor::kOperator, false, false, Visibility::kPublic},   // the label alone
      {Actor::kCitizen, false, false, Visibility::kPublic},
      {Actor::kOperator, true, true, Visibility::kPublic},
      {Actor::kReferent, true, false, Visibility::kInternal},
      {Actor::kCitizen, true, true, Visibility::kCitizen},     // never public, even if asked
      {Actor::kCitizen, true, false, Visibility::kCitizen},
  };
  for (const Case& c : cases) {
    INFO(static_cast<int>(c.actor) << " note=" << c.has_note << " public=" << c.public_note);
    CHECK(StatusNoteVisibility(c.actor, c.has_note, c.public_note) == c.want);
  }
}

TEST_CASE("a forwarded copy keeps the citizen's request and starts again", "[plan]") {
  Request original;
  original.id = "uuid-1";
  original.number = "F027-2026-000001";
  original.tenant = "c_f027";
  original.kind = Kind::kReport;
  original.category = "buche";
  original.category_name = "Buche";
  original.subject = "Buca";
  original.description = "Una buca profonda";
  original.location = Location{40.5, 17.1};
  original.media_urls = {"https://example.it/foto.jpg"};
  original.status = Status::kInProgress;
  original.office_id = "ufficio-1";
  original.first_answer_time = kT0;
  original.reporter = Reporter{"Anna", "anna@example.it", "", ""};
  Request copy = ForwardedCopy(original, "c_d171");
  CHECK(copy.tenant == "c_d171");
  CHECK(copy.forwarded_from == original.number);
  CHECK(copy.subject == original.subject);
  CHECK(copy.description == original.description);
  CHECK(copy.location.has_value());
  CHECK(copy.media_urls == original.media_urls);
  CHECK(copy.reporter.has_value());
  CHECK(copy.status == Status::kReceived);
  CHECK(copy.office_id.empty());
  CHECK(copy.category.empty());
  CHECK(copy.category_name.empty());
  CHECK(copy.id.empty());
  CHECK(copy.number.empty());
  CHECK_FALSE(copy.first_answer_time.has_value());
}

TEST_CASE("possible duplicates: within 50 metres", "[plan]") {
  const Location here{40.5861, 17.1171};
  CHECK(WithinDuplicateRadius(here, here));
  CHECK(WithinDuplicateRadius(here, Location{40.5861 + 0.0004, 17.1171}));   // ~44 m north
  CHECK_FALSE(WithinDuplicateRadius(here, Location{40.5861 + 0.0005, 17.1171}));  // ~56 m
  CHECK_FALSE(WithinDuplicateRadius(here, Location{40.5861, 17.1171 + 0.0007}));  // ~59 m east
}
