#pragma once
// Decisions about a request that the store and the handlers only carry out:
// where a new request goes and what is written with it, what a message does,
// what a forwarded copy keeps, which nearby request may be the same one.
// Pure domain code, table-tested (tests/unit/complaints_plan_test.cpp).
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/complaints/model.h"

namespace sportello::complaints {

// A tenant's routing rule: requests of `kind` in `category` go to `office_id`;
// an empty category or kind matches any.
struct RoutingRule {
  std::string tenant, category, kind, office_id;
};

// The office a new request goes to: the most specific matching rule (category
// and kind, then category, then kind, then neither), else the category's own
// office from the catalogue, else none ("").
std::string RouteOffice(const std::vector<RoutingRule>& rules, const std::string& category, Kind kind,
                        const std::string& category_office);

// What the store reads before it decides (inside the submission's transaction).
struct SubmissionFacts {
  absl::Time now;
  absl::TimeZone zone;
  int deadline_days = 30;                // DeadlineDays(kind, category's)
  std::vector<RoutingRule> rules;        // the tenant's
  std::string category_office;           // the catalogue's office for the category
  int other_access_requesters = 0;       // civic access: distinct others asking the same object this year
};

// Everything the store writes for a new request.
struct SubmissionPlan {
  Status status = Status::kReceived;
  std::string office_id;
  absl::Time due_time;
  std::string access_key;                // civic access: the normalised object; "" otherwise
  bool publish_proactively = false;      // and then every request of that object in the year too
  std::vector<HistoryRecord> history;    // "submitted", then "assigned" when routed
};

SubmissionPlan PlanSubmission(const Request& request, const SubmissionFacts& facts);

// The visibility a message is stored with: citizens write to the office only
// (whatever they ask); staff must choose one. nullopt: staff chose none.
std::optional<Visibility> MessageVisibility(Actor actor, std::optional<Visibility> requested);

// The visibility of the note that goes with a status change: the label alone
// (no note) is public; a staff member's note is public when they say so,
// internal otherwise; a citizen's own words reach the office, not the public.
Visibility StatusNoteVisibility(Actor actor, bool has_note, bool public_note);

// What a message changes on the request, applied to it: the citizen's reply
// to a request waiting for them puts it back in progress, restarting the
// clock (the returned status change is to be recorded); the office's first
// message the citizen can see is its first answer.
struct MessageEffect {
  std::optional<Status> resumed_from;  // set when the message moved the request to in progress
};
MessageEffect ApplyMessage(Request& request, Actor actor, Visibility visibility, absl::Time now,
                           const absl::TimeZone& zone);

// The copy a forwarded request becomes at `to_tenant`: the citizen's words,
// place, attachments and personal data travel; status, office, category
// (categories are per tenant: the receiving URP classifies it), deadlines and
// answers start again there.
Request ForwardedCopy(const Request& original, const std::string& to_tenant);

// Possible duplicates: open public requests of the same category within this
// distance of a new one.
inline constexpr double kDuplicateRadiusMeters = 50;
bool WithinDuplicateRadius(const Location& a, const Location& b);

}  // namespace sportello::complaints
