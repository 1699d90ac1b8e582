#include "services/complaints/workflow.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"
#include "common/status.h"

#include "services/complaints/deadlines.h"
#include "services/complaints/lifecycle.h"

namespace sportello::complaints {
absl::Status CheckForwardTarget(const std::string& from, const std::string& from_parent, const std::string& to,
                                const std::string& to_parent) {
  if (to.empty() || to == from) return absl::InvalidArgumentError("indicare un altro ente dell'Unione");
  const std::string& from_unione = from_parent.empty() ? from : from_parent;
  const std::string& to_unione = to_parent.empty() ? to : to_parent;
  if (from_unione != to_unione) {
    return absl::FailedPreconditionError("si può inoltrare solo a un ente della stessa Unione");
  }
  return absl::OkStatus();
}

bool ValidCivilDate(const std::string& s) {
  absl::CivilDay d;
  return s.size() == 10 && absl::ParseCivilTime(s, &d);
}

absl::Status DecideAccess(Request& r, std::string outcome, const std::string& date) {
  if (r.kind != Kind::kCivicAccess) {
    return absl::FailedPreconditionError("solo le richieste di accesso civico hanno un esito da registrare");
  }
  outcome = std::string(absl::StripAsciiWhitespace(outcome));
  std::vector<FieldViolation> violations;
  if (outcome.empty() || outcome.size() > 200) violations.push_back({"outcome", "esito obbligatorio (max 200)"});
  if (!ValidCivilDate(date)) violations.push_back({"decision_date", "data non valida, usare AAAA-MM-GG"});
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  r.civic_access.outcome = outcome;
  r.civic_access.decision_date = date;
  return absl::OkStatus();
}

std::optional<Actor> ResolveActor(const auth::Principal& caller, const Request& request, bool token_matches) {
  using auth::Role;
  if (caller.IsStaffOf(request.tenant, {Role::kOperator})) return Actor::kOperator;  // admin included
  if (caller.IsStaffOf(request.tenant, {Role::kReferent}) && !request.office_id.empty() &&
      caller.office == request.office_id) {
    return Actor::kReferent;
  }
  if (token_matches) return Actor::kCitizen;
  return std::nullopt;
}

void ApplyStatus(Request& r, Status to, absl::Time now, const absl::TimeZone& zone, int reopen_days) {
  Status from = r.status;
  if (from == Status::kWaitingCitizen && r.paused_since) {
    r.due_time = ExtendForPause(r.due_time, *r.paused_since, now);
    r.paused_since.reset();
  }
  switch (to) {
    case Status::kWaitingCitizen:
      r.paused_since = now;
      break;
    case Status::kResolved:
      r.resolved_time = now;
      break;
    case Status::kReopened:
      r.resolved_time.reset();
      r.closed_time.reset();
      r.due_time = DueTime(now, reopen_days, zone);
      break;
    default:
      break;
  }
  if (IsTerminal(to)) r.closed_time = now;
  // Back to work (reopened, or resolved -> in progress): no longer answered,
  // so neither resolved nor closed; the deadline runs (and may be past).
  if (!CountsAsAnswered(to)) {
    r.resolved_time.reset();
    r.closed_time.reset();
  }
  // The first move by the office past acknowledgement is its first answer.
  if (!r.first_answer_time && to != Status::kAcknowledged && to != Status::kAssigned && to != Status::kWithdrawn &&
      to != Status::kReopened) {
    r.first_answer_time = now;
  }
  r.status = to;
}

}  // namespace sportello::complaints
