#pragma once
// The lifecycle of a request as a state machine: which moves exist and who
// may make each. Pure domain code.
//
//   received ─▶ acknowledged ─▶ assigned ─▶ in_progress ⇄ waiting_citizen
//        │            │             │            │
//        └────────────┴─────────────┴────────────┴─▶ resolved ─▶ closed ─▶ reopened ─▶ …
//   rejected / duplicate / withdrawn / forwarded end a request (operators may reopen
//   rejected and duplicate ones; the citizen may reopen a closed one within the window).
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/complaints/model.h"

namespace sportello::complaints {

struct TransitionContext {
  Actor actor = Actor::kOperator;
  // Citizens may reopen a closed request within this many days of closure.
  absl::Duration citizen_reopen_window = absl::Hours(24 * 30);
  absl::Time now;
};

// OK when `actor` may move `request` to `to`; FAILED_PRECONDITION when the
// move does not exist from the current status; PERMISSION_DENIED when it
// exists but not for this actor. Assignment is not a transition (see
// CheckAssign); the move to kAssigned happens through it.
absl::Status CheckTransition(const Request& request, Status to, const TransitionContext& ctx);

// Assigning (or reassigning) to an office: operators only, from received,
// acknowledged, reopened, assigned, in_progress or waiting_citizen.
absl::Status CheckAssign(const Request& request, Actor actor);

// The statuses reachable from `from` for `actor` (for user interfaces and tests).
// Conditions that depend on the request (the citizen's reopen window, an office
// assigned before a reopened request goes in progress) are not applied, and
// kAssigned is never listed: see CheckAssign.
std::vector<Status> AllowedTransitions(Status from, Actor actor);

// Requests in these statuses are done: no deadline runs, nothing is overdue.
bool IsTerminal(Status s);       // closed, rejected, duplicate, withdrawn, forwarded
bool CountsAsAnswered(Status s); // resolved or any terminal status
// Every status for which CountsAsAnswered holds (for the SQL's "open" and "overdue").
std::vector<Status> AnsweredStatuses();

// Wire spellings, lower case: "waiting_citizen", "civic_access", "partner".
std::string_view StatusName(Status s);
std::string_view KindName(Kind k);
std::string_view ChannelName(Channel c);
std::optional<Status> StatusFromName(std::string_view name);
std::optional<Kind> KindFromName(std::string_view name);
std::optional<Channel> ChannelFromName(std::string_view name);

// Italian label for the history and the citizen: "In lavorazione".
std::string_view StatusLabel(Status s);

}  // namespace sportello::complaints
