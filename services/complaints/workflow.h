#pragma once
// Who is acting on a request, and what a status change does to its times.
// Pure domain code, used by the service for every move.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/token.h"
#include "services/complaints/model.h"

namespace sportello::complaints {

// Staff of the request's tenant act as operators (operator or admin role) or
// as the referent of the assigned office; otherwise the tracking token makes
// the caller the citizen. nullopt: none of these (the caller learns nothing).
std::optional<Actor> ResolveActor(const auth::Principal& caller, const Request& request, bool token_matches);

// The network of URPs: a request may be forwarded between members of one
// unione, or between the unione and its members. `*_parent` is the tenant's
// unione ("" for an unione or a tenant outside any).
absl::Status CheckForwardTarget(const std::string& from, const std::string& from_parent, const std::string& to,
                                const std::string& to_parent);

// A strict "YYYY-MM-DD" that names a real day.
bool ValidCivilDate(const std::string& s);

// Records the outcome of a civic-access request for the register: FAILED_
// PRECONDITION for other kinds, INVALID_ARGUMENT for an empty or long outcome
// or a bad date. The outcome is trimmed.
absl::Status DecideAccess(Request& request, std::string outcome, const std::string& decision_date);

// Staff see everything, personal data included.
inline bool IsStaff(Actor a) { return a == Actor::kOperator || a == Actor::kReferent || a == Actor::kSystem; }

// Applies a status change that CheckTransition allowed: the status and the
// times that follow from it (the clock pauses while waiting for the citizen
// and the due time moves on; resolution, closure, reopening with a new
// deadline of `reopen_days`).
void ApplyStatus(Request& request, Status to, absl::Time now, const absl::TimeZone& zone, int reopen_days);

}  // namespace sportello::complaints
