#pragma once
// Deadlines of requests, counted in calendar days in Europe/Rome. A request
// is due at the end (24:00) of the day `days` after the day it was received;
// the clock stops while the office waits for the citizen, and the due time
// moves by exactly the time spent waiting. Pure domain code.
#include <optional>

#include "absl/time/time.h"
#include "services/complaints/model.h"

namespace sportello::complaints {

inline constexpr int kDefaultDeadlineDays = 30;
inline constexpr int kCivicAccessDeadlineDays = 30;  // every kind of access: d.lgs. 33/2013 art. 5 c.6, l. 241/1990 art. 25

// The deadline in days for a kind and the category's legal deadline
// (0 when the category states none): civic access always 30 by law;
// otherwise the category's, else the default.
int DeadlineDays(Kind kind, int category_deadline_days);

// End of the civil day (local midnight) `days` days after `received`'s local day.
absl::Time DueTime(absl::Time received, int days, const absl::TimeZone& zone);

// The due time after a pause from `paused_since` to `resumed`.
absl::Time ExtendForPause(absl::Time due, absl::Time paused_since, absl::Time resumed);

// Overdue: not answered (see CountsAsAnswered), not paused, and `now` past
// due. A counter-party suspension whose window passed counts as ended, the
// due time moved on by it, even before SettleSuspension stored that.
bool IsOverdue(const Request& request, absl::Time now);

}  // namespace sportello::complaints
