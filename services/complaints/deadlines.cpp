#include "services/complaints/deadlines.h"

#include "absl/time/civil_time.h"
#include "services/complaints/access.h"
#include "services/complaints/lifecycle.h"

namespace sportello::complaints {

int DeadlineDays(Kind kind, int category_deadline_days) {
  if (IsAccessKind(kind)) return kCivicAccessDeadlineDays;
  if (category_deadline_days > 0) return category_deadline_days;
  return kDefaultDeadlineDays;
}

absl::Time DueTime(absl::Time received, int days, const absl::TimeZone& zone) {
  // Count civil days, not 24-hour periods, so a DST change in between does not
  // shift the deadline off midnight.
  const absl::CivilDay day = absl::ToCivilDay(received, zone);
  return absl::FromCivil(absl::CivilSecond(day + days + 1), zone);
}

absl::Time ExtendForPause(absl::Time due, absl::Time paused_since, absl::Time resumed) {
  if (resumed <= paused_since) return due;
  return due + (resumed - paused_since);
}

bool IsOverdue(const Request& request, absl::Time now) {
  if (CountsAsAnswered(request.status)) return false;
  absl::Time due = request.due_time;
  if (request.paused_since) {
    // A counter-party suspension ends by itself when its window passes
    // (access.h), whether or not anyone touched the request since: from
    // then on the term runs again, moved on by the suspension.
    const std::optional<absl::Time>& until = request.civic_access.suspended_until;
    if (!until || now < *until) return false;
    due = ExtendForPause(due, *request.paused_since, *until);
  }
  return now > due;
}

}  // namespace sportello::complaints
