#pragma once
// Opening hours of an office, in Europe/Rome local time, and the question
// "is it open at this instant, until when, and when does it open next?".
// Pure domain code: no gRPC, no SQL, deterministic (the instant and the time
// zone are arguments).
//
// Precedence for a civil date: an exception for that date wins (closed, or
// its own intervals); else the seasonal period that contains the date (the
// first listed if several); else the weekly hours.
// Intervals are [opens, closes) in minutes after local midnight; closes may
// be 1440 ("24:00") so that an interval ends exactly at midnight, and an
// interval ending at 24:00 followed by one starting at 00:00 the next day is
// one continuous opening.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace sportello::catalogue {

struct TimeRange {
  int opens = 0;   // minutes after midnight, 0..1439
  int closes = 0;  // minutes after midnight, opens < closes <= 1440

  bool operator==(const TimeRange&) const = default;
};

struct WeeklyInterval {
  int day = 1;  // ISO weekday: 1 Monday ... 7 Sunday
  TimeRange range;

  bool operator==(const WeeklyInterval&) const = default;
};

// Hours that replace the weekly hours between two dates, both included
// (summer hours, August).
struct SeasonalHours {
  absl::CivilDay start, end;
  std::string label;
  std::vector<WeeklyInterval> weekly;

  bool operator==(const SeasonalHours&) const = default;
};

// One date with special hours or closed (holidays, the patron saint's day).
struct HoursException {
  absl::CivilDay date;
  bool closed = true;
  std::vector<TimeRange> ranges;  // when not closed
  std::string reason;

  bool operator==(const HoursException&) const = default;
};

struct OpeningHours {
  std::vector<WeeklyInterval> weekly;
  std::vector<SeasonalHours> seasonal;
  std::vector<HoursException> exceptions;

  bool operator==(const OpeningHours&) const = default;
};

struct Availability {
  bool open = false;
  std::optional<absl::Time> open_until;    // when open: the end of the current opening
  std::optional<absl::Time> next_opening;  // when closed: the next start, if any within a year
  std::string reason;                      // the exception's reason or season label in force, if any
};

// "08:30" -> 510; "24:00" -> 1440 (only when allow_24 is true).
std::optional<int> ParseClock(std::string_view text, bool allow_24);
std::string FormatClock(int minutes);  // 510 -> "08:30"

// Dates of seasons and exceptions, exactly "YYYY-MM-DD" naming an existing
// day: "2026-12-08"; not "2026-2-1", "+2026-02-01" or "2026-02-30" (which absl
// alone would take or normalise). FormatDate always writes four year digits
// ("0506-12-24", where absl writes "506-12-24"), so that what ParseDate took
// comes back from the stored JSON.
std::optional<absl::CivilDay> ParseDate(std::string_view text);
std::string FormatDate(absl::CivilDay day);

// INVALID_ARGUMENT with field violations under `field_prefix` ("office.hours")
// for overlapping or inverted intervals, bad weekdays, inverted seasons and
// duplicate exception dates.
absl::Status ValidateHours(const OpeningHours& hours, std::string_view field_prefix);

// The time ranges in force on a civil date, sorted, and the reason if any.
std::vector<TimeRange> RangesOn(const OpeningHours& hours, absl::CivilDay day, std::string* reason = nullptr);

// Whether the office is open at `at`, from the local wall time in `zone`.
// Across DST: a boundary on a wall time skipped by spring-forward (02:30 on
// the last Sunday of March) takes effect at the transition, when the clock
// jumps past it; a wall time repeated by fall-back counts twice (02:00-03:00
// on the last Sunday of October holds both hours). open_until follows a chain
// of openings across midnights for at most 14 days: a 24/7 office is open
// until local midnight 14 days after today.
Availability AvailabilityAt(const OpeningHours& hours, absl::Time at, const absl::TimeZone& zone);

// The Europe/Rome zone (common/clock.h).
using sportello::RomeTimeZone;

// Hours as JSON, as stored in the database (jsonb) and back:
// {"weekly":[{"day":1,"opens":"08:30","closes":"12:30"}],
//  "seasonal":[{"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[...]}],
//  "exceptions":[{"date":"2026-12-08","closed":true,"reason":"Immacolata"},
//                {"date":"2026-12-24","closed":false,"ranges":[{"opens":"08:30","closes":"11:00"}]}]}
// Absent or null arrays are empty. HoursFromJson checks the format only
// (types, "HH:MM", "YYYY-MM-DD", required members), with violations under
// "office.hours"; ValidateHours checks the rules.
// The exceptional closures in `after` that `before` did not have (a date
// newly closed): what the catalogue announces as `office.closed` events.
std::vector<HoursException> NewClosures(const OpeningHours& before, const OpeningHours& after);

std::string HoursToJson(const OpeningHours& hours);
absl::StatusOr<OpeningHours> HoursFromJson(std::string_view json);

}  // namespace sportello::catalogue
