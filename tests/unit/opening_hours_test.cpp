#include "services/catalogue/opening_hours.h"

#include <catch2/catch.hpp>

#include "absl/time/civil_time.h"
#include "common/status.h"

using namespace sportello::catalogue;

namespace {

const absl::TimeZone& Rome() {
  static const absl::TimeZone zone = [] {
    auto tz = RomeTimeZone();
    if (!tz.ok()) FAIL(std::string(tz.status().message()));
    return *tz;
  }();
  return zone;
}

absl::Time Local(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), Rome());
}

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

std::string Show(std::optional<absl::Time> t) {
  if (!t) return "none";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", *t, Rome());
}

WeeklyInterval W(int day, int opens, int closes) { return {day, {opens, closes}}; }

constexpr int H(int h, int m = 0) { return h * 60 + m; }

// Monday to Friday 08:30-12:30; Monday and Thursday also 15:00-17:00.
OpeningHours Office() {
  OpeningHours h;
  for (int d = 1; d <= 5; ++d) h.weekly.push_back(W(d, H(8, 30), H(12, 30)));
  h.weekly.push_back(W(1, H(15), H(17)));
  h.weekly.push_back(W(4, H(15), H(17)));
  return h;
}

struct Expect {
  const char* what;
  absl::Time at;
  bool open;
  std::optional<absl::Time> until;  // open_until when open, next_opening when closed
  std::string reason;
};

void CheckAll(const OpeningHours& hours, const std::vector<Expect>& cases) {
  for (const auto& c : cases) {
    INFO(c.what << " at " << Show(c.at));
    const Availability a = AvailabilityAt(hours, c.at, Rome());
    CHECK(a.open == c.open);
    CHECK(a.reason == c.reason);
    if (c.open) {
      CHECK(Show(a.open_until) == Show(c.until));
      CHECK_FALSE(a.next_opening.has_value());
    } else {
      CHECK(Show(a.next_opening) == Show(c.until));
      CHECK_FALSE(a.open_until.has_value());
    }
  }
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const auto& v : sportello::FieldViolations(status)) out.push_back(v.field);
  return out;
}

}  // namespace

TEST_CASE("clock strings are strict HH:MM", "[opening_hours]") {
  struct Case {
    const char* text;
    bool allow_24;
    std::optional<int> minutes;
  };
  const Case cases[] = {
      {"08:30", false, 510},       {"00:00", false, 0},          {"23:59", false, 1439},
      {"24:00", true, 1440},       {"24:00", false, std::nullopt}, {"24:01", true, std::nullopt},
      {"25:00", true, std::nullopt}, {"12:60", false, std::nullopt}, {"8:30", false, std::nullopt},
      {"08:3", false, std::nullopt}, {"0830", false, std::nullopt},  {"08-30", false, std::nullopt},
      {" 08:30", false, std::nullopt}, {"08:30 ", false, std::nullopt}, {"+8:30", false, std::nullopt},
      {"ab:cd", false, std::nullopt}, {"", false, std::nullopt},
  };
  for (const auto& c : cases) {
    INFO(c.text << " allow_24=" << c.allow_24);
    CHECK(ParseClock(c.text, c.allow_24) == c.minutes);
  }
  CHECK(FormatClock(0) == "00:00");
  CHECK(FormatClock(510) == "08:30");
  CHECK(FormatClock(1439) == "23:59");
  CHECK(FormatClock(1440) == "24:00");
  for (int m = 0; m <= 1440; ++m) {
    INFO(m);
    REQUIRE(ParseClock(FormatClock(m), true) == m);
  }
}

TEST_CASE("the Europe/Rome zone loads", "[opening_hours]") {
  auto tz = RomeTimeZone();
  REQUIRE(tz.ok());
  CHECK(tz->name() == "Europe/Rome");
}

TEST_CASE("weekly hours: open, closed, until when and next opening", "[opening_hours]") {
  // 2026-02-02 is a Monday; February is CET (UTC+1).
  CheckAll(Office(), {
      {"Monday before opening", Local(2026, 2, 2, 8, 29), false, Local(2026, 2, 2, 8, 30), ""},
      {"Monday at opening", Local(2026, 2, 2, 8, 30), true, Local(2026, 2, 2, 12, 30), ""},
      {"Monday mid-morning", Local(2026, 2, 2, 11, 0), true, Local(2026, 2, 2, 12, 30), ""},
      {"Monday at closing", Local(2026, 2, 2, 12, 30), false, Local(2026, 2, 2, 15, 0), ""},
      {"Monday afternoon", Local(2026, 2, 2, 16, 59), true, Local(2026, 2, 2, 17, 0), ""},
      {"Monday evening", Local(2026, 2, 2, 17, 0), false, Local(2026, 2, 3, 8, 30), ""},
      {"Tuesday afternoon, no afternoon hours", Local(2026, 2, 3, 15, 0), false, Local(2026, 2, 4, 8, 30), ""},
      {"Friday after closing", Local(2026, 2, 6, 13, 0), false, Local(2026, 2, 9, 8, 30), ""},
      {"Saturday", Local(2026, 2, 7, 10, 0), false, Local(2026, 2, 9, 8, 30), ""},
      {"Sunday just before midnight", Local(2026, 2, 8, 23, 59), false, Local(2026, 2, 9, 8, 30), ""},
  });
  // Seconds count: 08:29:59 is still closed, 12:29:59 still open.
  CHECK_FALSE(AvailabilityAt(Office(), Local(2026, 2, 2, 8, 29) + absl::Seconds(59), Rome()).open);
  CHECK(AvailabilityAt(Office(), Local(2026, 2, 2, 12, 29) + absl::Seconds(59), Rome()).open);
}

TEST_CASE("the ranges in force on a date are sorted", "[opening_hours]") {
  OpeningHours h;
  h.weekly = {W(1, H(15), H(17)), W(2, H(9), H(10)), W(1, H(8, 30), H(12, 30))};
  std::string reason = "stale";
  const auto ranges = RangesOn(h, absl::CivilDay(2026, 2, 2), &reason);
  REQUIRE(ranges.size() == 2);
  CHECK(ranges[0] == TimeRange{H(8, 30), H(12, 30)});
  CHECK(ranges[1] == TimeRange{H(15), H(17)});
  CHECK(reason.empty());
  CHECK(RangesOn(h, absl::CivilDay(2026, 2, 7)).empty());
}

TEST_CASE("an opening ending at 24:00 continues into one starting at 00:00", "[opening_hours]") {
  // Friday 2026-02-06 20:00-24:00, Saturday 00:00-24:00, Sunday 00:00-06:00.
  OpeningHours h;
  h.weekly = {W(5, H(20), 1440), W(6, 0, 1440), W(7, 0, H(6))};
  CheckAll(h, {
      {"Friday night", Local(2026, 2, 6, 23, 0), true, Local(2026, 2, 8, 6, 0), ""},
      {"Saturday just after midnight", Local(2026, 2, 7, 0, 0), true, Local(2026, 2, 8, 6, 0), ""},
      {"Sunday early", Local(2026, 2, 8, 5, 0), true, Local(2026, 2, 8, 6, 0), ""},
      {"Sunday after", Local(2026, 2, 8, 6, 0), false, Local(2026, 2, 13, 20, 0), ""},
  });

  // A gap after midnight breaks the chain.
  OpeningHours gap;
  gap.weekly = {W(5, H(20), 1440), W(6, H(0, 30), H(2))};
  CheckAll(gap, {
      {"Friday night", Local(2026, 2, 6, 23, 0), true, Local(2026, 2, 7, 0, 0), ""},
      {"in the gap", Local(2026, 2, 7, 0, 10), false, Local(2026, 2, 7, 0, 30), ""},
  });
}

TEST_CASE("a 24/7 office is open until the 14-day horizon", "[opening_hours]") {
  OpeningHours h;
  for (int d = 1; d <= 7; ++d) h.weekly.push_back(W(d, 0, 1440));
  const Availability a = AvailabilityAt(h, Local(2026, 2, 2, 10, 0), Rome());
  CHECK(a.open);
  CHECK(Show(a.open_until) == Show(Local(2026, 2, 16, 0, 0)));
}

TEST_CASE("an exception closes a normally open day", "[opening_hours]") {
  OpeningHours h = Office();
  h.exceptions = {{absl::CivilDay(2026, 12, 8), true, {}, "Immacolata"}};
  CheckAll(h, {
      {"Monday before", Local(2026, 12, 7, 17, 0), false, Local(2026, 12, 9, 8, 30), ""},
      {"on the holiday", Local(2026, 12, 8, 10, 0), false, Local(2026, 12, 9, 8, 30), "Immacolata"},
      {"the day after", Local(2026, 12, 9, 10, 0), true, Local(2026, 12, 9, 12, 30), ""},
  });
  std::string reason;
  CHECK(RangesOn(h, absl::CivilDay(2026, 12, 8), &reason).empty());
  CHECK(reason == "Immacolata");
  // Closed wins over ranges listed by mistake (ValidateHours rejects them).
  h.exceptions[0].ranges = {{H(9), H(10)}};
  CHECK(RangesOn(h, absl::CivilDay(2026, 12, 8)).empty());
}

TEST_CASE("an exception with special hours replaces the day's hours", "[opening_hours]") {
  OpeningHours h = Office();
  h.exceptions = {
      {absl::CivilDay(2026, 12, 24), false, {{H(8, 30), H(11)}}, "Vigilia di Natale"},
      {absl::CivilDay(2026, 12, 25), true, {}, "Natale"},
  };
  CheckAll(h, {
      {"Christmas Eve morning", Local(2026, 12, 24, 10, 0), true, Local(2026, 12, 24, 11, 0), "Vigilia di Natale"},
      // No Thursday afternoon that day, Christmas closed, then the weekend.
      {"Christmas Eve after", Local(2026, 12, 24, 11, 0), false, Local(2026, 12, 28, 8, 30), "Vigilia di Natale"},
      {"Christmas", Local(2026, 12, 25, 9, 0), false, Local(2026, 12, 28, 8, 30), "Natale"},
  });
}

TEST_CASE("a seasonal period replaces the weekly hours", "[opening_hours]") {
  OpeningHours h = Office();
  SeasonalHours summer{absl::CivilDay(2026, 7, 1), absl::CivilDay(2026, 8, 31), "orario estivo", {}};
  for (int d = 1; d <= 5; ++d) summer.weekly.push_back(W(d, H(8), H(13)));
  h.seasonal = {summer};
  CheckAll(h, {
      {"June, weekly hours", Local(2026, 6, 30, 8, 15), false, Local(2026, 6, 30, 8, 30), ""},
      {"first day of the season", Local(2026, 7, 1, 8, 15), true, Local(2026, 7, 1, 13, 0), "orario estivo"},
      {"July morning", Local(2026, 7, 15, 8, 15), true, Local(2026, 7, 15, 13, 0), "orario estivo"},
      {"July afternoon", Local(2026, 7, 15, 14, 0), false, Local(2026, 7, 16, 8, 0), "orario estivo"},
      {"summer Monday has no afternoon", Local(2026, 7, 13, 15, 30), false, Local(2026, 7, 14, 8, 0),
       "orario estivo"},
      {"last Friday of the season", Local(2026, 8, 28, 14, 0), false, Local(2026, 8, 31, 8, 0), "orario estivo"},
      {"last day of the season", Local(2026, 8, 31, 12, 45), true, Local(2026, 8, 31, 13, 0), "orario estivo"},
      {"the day after it ends", Local(2026, 9, 1, 8, 15), false, Local(2026, 9, 1, 8, 30), ""},
      {"the day after, open", Local(2026, 9, 1, 12, 15), true, Local(2026, 9, 1, 12, 30), ""},
  });
}

TEST_CASE("the first listed season wins and an exception beats a season", "[opening_hours]") {
  OpeningHours h;
  h.seasonal = {
      {absl::CivilDay(2026, 7, 1), absl::CivilDay(2026, 7, 31), "luglio", {W(3, H(9), H(10))}},
      {absl::CivilDay(2026, 6, 1), absl::CivilDay(2026, 8, 31), "estate", {W(3, H(11), H(12))}},
  };
  h.exceptions = {{absl::CivilDay(2026, 7, 22), false, {{H(16), H(17)}}, "evento"}};
  std::string reason;
  CHECK(RangesOn(h, absl::CivilDay(2026, 7, 15), &reason) == std::vector<TimeRange>{{H(9), H(10)}});
  CHECK(reason == "luglio");
  CHECK(RangesOn(h, absl::CivilDay(2026, 8, 5), &reason) == std::vector<TimeRange>{{H(11), H(12)}});
  CHECK(reason == "estate");
  CHECK(RangesOn(h, absl::CivilDay(2026, 7, 22), &reason) == std::vector<TimeRange>{{H(16), H(17)}});
  CHECK(reason == "evento");
}

TEST_CASE("next opening across a closure of the whole of August", "[opening_hours]") {
  OpeningHours by_season = Office();
  by_season.seasonal = {{absl::CivilDay(2026, 8, 1), absl::CivilDay(2026, 8, 31), "chiusura estiva", {}}};
  OpeningHours by_exceptions = Office();
  for (absl::CivilDay d(2026, 8, 1); d <= absl::CivilDay(2026, 8, 31); ++d) {
    by_exceptions.exceptions.push_back({d, true, {}, "ferie"});
  }
  CheckAll(by_season, {
      {"last day of July", Local(2026, 7, 31, 13, 0), false, Local(2026, 9, 1, 8, 30), ""},
      {"mid-August", Local(2026, 8, 17, 10, 0), false, Local(2026, 9, 1, 8, 30), "chiusura estiva"},
  });
  CheckAll(by_exceptions, {
      {"last day of July", Local(2026, 7, 31, 13, 0), false, Local(2026, 9, 1, 8, 30), ""},
      {"mid-August", Local(2026, 8, 17, 10, 0), false, Local(2026, 9, 1, 8, 30), "ferie"},
  });
}

TEST_CASE("no hours at all: closed with no next opening", "[opening_hours]") {
  const Availability a = AvailabilityAt(OpeningHours{}, Local(2026, 2, 2, 10, 0), Rome());
  CHECK_FALSE(a.open);
  CHECK_FALSE(a.open_until.has_value());
  CHECK_FALSE(a.next_opening.has_value());
  CHECK(a.reason.empty());
}

TEST_CASE("next opening is searched up to 366 days ahead", "[opening_hours]") {
  OpeningHours near, far, past;
  near.exceptions = {{absl::CivilDay(2027, 1, 30), false, {{H(9), H(10)}}, ""}};
  far.exceptions = {{absl::CivilDay(2027, 3, 1), false, {{H(9), H(10)}}, ""}};
  past.exceptions = {{absl::CivilDay(2025, 3, 1), false, {{H(9), H(10)}}, ""}};
  const absl::Time at = Local(2026, 2, 2, 10, 0);
  CHECK(Show(AvailabilityAt(near, at, Rome()).next_opening) == Show(Local(2027, 1, 30, 9, 0)));
  CHECK_FALSE(AvailabilityAt(far, at, Rome()).next_opening.has_value());
  CHECK_FALSE(AvailabilityAt(past, at, Rome()).next_opening.has_value());
}

TEST_CASE("spring forward: 2026-03-29, 02:00 CET becomes 03:00 CEST", "[opening_hours][dst]") {
  OpeningHours h;
  h.weekly = {W(7, H(8), H(12))};
  CheckAll(h, {
      {"07:59 CEST", Utc(2026, 3, 29, 5, 59), false, Utc(2026, 3, 29, 6, 0), ""},
      {"08:00 CEST", Utc(2026, 3, 29, 6, 0), true, Utc(2026, 3, 29, 10, 0), ""},
      {"01:30 CET, before the jump", Utc(2026, 3, 29, 0, 30), false, Utc(2026, 3, 29, 6, 0), ""},
      {"the Sunday before, CET", Utc(2026, 3, 22, 6, 30), false, Utc(2026, 3, 22, 7, 0), ""},
  });

  // 00:00-24:00 that day lasts 23 real hours.
  OpeningHours all_day;
  all_day.exceptions = {{absl::CivilDay(2026, 3, 29), false, {{0, 1440}}, ""}};
  const Availability before = AvailabilityAt(all_day, Utc(2026, 3, 28, 12, 0), Rome());
  REQUIRE(before.next_opening.has_value());
  CHECK(*before.next_opening == Utc(2026, 3, 28, 23, 0));
  const Availability during = AvailabilityAt(all_day, *before.next_opening, Rome());
  REQUIRE(during.open_until.has_value());
  CHECK(*during.open_until == Utc(2026, 3, 29, 22, 0));
  CHECK(*during.open_until - *before.next_opening == absl::Hours(23));

  // An opening at a wall time that never happens starts at the jump.
  OpeningHours gap;
  gap.exceptions = {{absl::CivilDay(2026, 3, 29), false, {{H(2, 30), H(4)}}, ""}};
  CheckAll(gap, {
      {"01:30 CET", Utc(2026, 3, 29, 0, 30), false, Utc(2026, 3, 29, 1, 0), ""},
      {"03:00 CEST", Utc(2026, 3, 29, 1, 0), true, Utc(2026, 3, 29, 2, 0), ""},
  });
  // An interval entirely inside the skipped hour never opens.
  OpeningHours lost;
  lost.exceptions = {{absl::CivilDay(2026, 3, 29), false, {{H(2), H(2, 30)}}, ""}};
  CheckAll(lost, {{"01:30 CET", Utc(2026, 3, 29, 0, 30), false, std::nullopt, ""}});
}

TEST_CASE("fall back: 2026-10-25, 03:00 CEST becomes 02:00 CET", "[opening_hours][dst]") {
  OpeningHours h;
  h.weekly = {W(7, H(8), H(12))};
  CheckAll(h, {
      {"07:59 CET", Utc(2026, 10, 25, 6, 59), false, Utc(2026, 10, 25, 7, 0), ""},
      {"08:00 CET", Utc(2026, 10, 25, 7, 0), true, Utc(2026, 10, 25, 11, 0), ""},
  });

  // 00:00-24:00 that day lasts 25 real hours.
  OpeningHours all_day;
  all_day.exceptions = {{absl::CivilDay(2026, 10, 25), false, {{0, 1440}}, ""}};
  const Availability during = AvailabilityAt(all_day, Utc(2026, 10, 24, 22, 0), Rome());
  CHECK(during.open);
  REQUIRE(during.open_until.has_value());
  CHECK(*during.open_until - Utc(2026, 10, 24, 22, 0) == absl::Hours(25));

  // 02:00-03:00 holds both 02:xx hours: 00:00Z to 02:00Z.
  OpeningHours twice;
  twice.exceptions = {{absl::CivilDay(2026, 10, 25), false, {{H(2), H(3)}}, ""}};
  CheckAll(twice, {
      {"01:30 CEST", Utc(2026, 10, 24, 23, 30), false, Utc(2026, 10, 25, 0, 0), ""},
      {"02:00 CEST", Utc(2026, 10, 25, 0, 0), true, Utc(2026, 10, 25, 2, 0), ""},
      {"02:30 CEST", Utc(2026, 10, 25, 0, 30), true, Utc(2026, 10, 25, 2, 0), ""},
      {"02:30 CET", Utc(2026, 10, 25, 1, 30), true, Utc(2026, 10, 25, 2, 0), ""},
      {"03:00 CET", Utc(2026, 10, 25, 2, 0), false, std::nullopt, ""},
  });

  // 01:00-02:30 is open twice: 01:00-02:30 CEST, then 02:00-02:30 CET.
  OpeningHours repeated;
  repeated.exceptions = {{absl::CivilDay(2026, 10, 25), false, {{H(1), H(2, 30)}}, ""}};
  CheckAll(repeated, {
      {"01:00 CEST", Utc(2026, 10, 24, 23, 0), true, Utc(2026, 10, 25, 0, 30), ""},
      {"02:45 CEST", Utc(2026, 10, 25, 0, 45), false, Utc(2026, 10, 25, 1, 0), ""},
      {"02:10 CET", Utc(2026, 10, 25, 1, 10), true, Utc(2026, 10, 25, 1, 30), ""},
  });
}

TEST_CASE("valid hours pass validation", "[opening_hours]") {
  OpeningHours h = Office();
  h.weekly.push_back(W(2, H(12, 30), H(13)));  // touches 08:30-12:30
  h.seasonal = {{absl::CivilDay(2026, 7, 1), absl::CivilDay(2026, 7, 1), "un giorno", {W(3, 0, 1440)}}};
  h.exceptions = {{absl::CivilDay(2026, 12, 8), true, {}, ""},
                  {absl::CivilDay(2026, 12, 24), false, {{H(8), H(9)}, {H(9), H(10)}}, ""}};
  CHECK(ValidateHours(h, "office.hours").ok());
  CHECK(ValidateHours(OpeningHours{}, "office.hours").ok());
}

TEST_CASE("each invalid rule is reported with its field path", "[opening_hours]") {
  // Base: weekly[0..6] from Office(), one season, two exceptions.
  auto base = [] {
    OpeningHours h = Office();
    h.seasonal = {{absl::CivilDay(2026, 7, 1), absl::CivilDay(2026, 8, 31), "estate", {W(1, H(8), H(13))}}};
    h.exceptions = {{absl::CivilDay(2026, 12, 8), true, {}, "Immacolata"},
                    {absl::CivilDay(2026, 12, 24), false, {{H(8, 30), H(11)}}, ""}};
    return h;
  };
  struct Case {
    const char* what;
    void (*mutate)(OpeningHours&);
    const char* field;
  };
  const Case cases[] = {
      {"weekday 0", [](OpeningHours& h) { h.weekly[0].day = 0; }, "office.hours.weekly[0].day"},
      {"weekday 8", [](OpeningHours& h) { h.weekly[3].day = 8; }, "office.hours.weekly[3].day"},
      {"negative opening", [](OpeningHours& h) { h.weekly[1].range.opens = -1; }, "office.hours.weekly[1].opens"},
      {"opening at 24:00", [](OpeningHours& h) { h.weekly[1].range = {1440, 1440}; }, "office.hours.weekly[1].opens"},
      {"closing after 24:00", [](OpeningHours& h) { h.weekly[2].range.closes = 1441; },
       "office.hours.weekly[2].closes"},
      {"empty interval", [](OpeningHours& h) { h.weekly[2].range.closes = H(8, 30); },
       "office.hours.weekly[2].closes"},
      {"inverted interval", [](OpeningHours& h) { h.weekly[2].range = {H(12), H(9)}; },
       "office.hours.weekly[2].closes"},
      {"overlap on Monday", [](OpeningHours& h) { h.weekly.push_back(W(1, H(12), H(13))); },
       "office.hours.weekly[7].opens"},
      {"overlap listed first", [](OpeningHours& h) { h.weekly.insert(h.weekly.begin(), W(1, H(16), H(18))); },
       "office.hours.weekly[0].opens"},
      {"interval inside another", [](OpeningHours& h) { h.weekly.push_back(W(4, H(9), H(10))); },
       "office.hours.weekly[7].opens"},
      {"season ends before it starts", [](OpeningHours& h) { h.seasonal[0].end = absl::CivilDay(2026, 6, 30); },
       "office.hours.seasonal[0].end"},
      {"season with a bad weekday", [](OpeningHours& h) { h.seasonal[0].weekly[0].day = 9; },
       "office.hours.seasonal[0].weekly[0].day"},
      {"season with overlapping intervals", [](OpeningHours& h) { h.seasonal[0].weekly.push_back(W(1, H(12), H(14))); },
       "office.hours.seasonal[0].weekly[1].opens"},
      {"two exceptions on one date", [](OpeningHours& h) { h.exceptions[1].date = absl::CivilDay(2026, 12, 8); },
       "office.hours.exceptions[1].date"},
      {"closed with ranges", [](OpeningHours& h) { h.exceptions[0].ranges = {{H(9), H(10)}}; },
       "office.hours.exceptions[0].ranges"},
      {"open without ranges", [](OpeningHours& h) { h.exceptions[1].ranges.clear(); },
       "office.hours.exceptions[1].ranges"},
      {"exception with an inverted range", [](OpeningHours& h) { h.exceptions[1].ranges[0] = {H(11), H(10)}; },
       "office.hours.exceptions[1].ranges[0].closes"},
      {"exception with overlapping ranges", [](OpeningHours& h) { h.exceptions[1].ranges.push_back({H(10), H(12)}); },
       "office.hours.exceptions[1].ranges[1].opens"},
  };
  REQUIRE(ValidateHours(base(), "office.hours").ok());
  for (const auto& c : cases) {
    INFO(c.what);
    OpeningHours h = base();
    c.mutate(h);
    const absl::Status status = ValidateHours(h, "office.hours");
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Fields(status) == std::vector<std::string>{c.field});
  }
}

TEST_CASE("validation reports every violation, in Italian, under the given prefix", "[opening_hours]") {
  OpeningHours h;
  h.weekly = {W(1, H(9), H(12)), W(1, H(11), H(13)), W(0, H(9), H(10))};
  const auto violations = sportello::FieldViolations(ValidateHours(h, "sede.orari"));
  REQUIRE(violations.size() == 2);
  CHECK(violations[0].field == "sede.orari.weekly[2].day");
  CHECK(violations[1] == sportello::FieldViolation{"sede.orari.weekly[1].opens", "gli intervalli si sovrappongono"});
  CHECK(Fields(ValidateHours(h, "")) == std::vector<std::string>{"weekly[2].day", "weekly[1].opens"});
}

TEST_CASE("JSON has the documented shape and round-trips", "[opening_hours][json]") {
  OpeningHours small;
  small.weekly = {W(1, H(8, 30), H(12, 30))};
  small.exceptions = {{absl::CivilDay(2026, 12, 8), true, {}, "Immacolata"},
                      {absl::CivilDay(2026, 12, 24), false, {{H(8, 30), H(11)}}, ""}};
  CHECK(HoursToJson(small) ==
        R"({"weekly":[{"day":1,"opens":"08:30","closes":"12:30"}],"seasonal":[],)"
        R"("exceptions":[{"date":"2026-12-08","closed":true,"reason":"Immacolata"},)"
        R"({"date":"2026-12-24","closed":false,"ranges":[{"opens":"08:30","closes":"11:00"}]}]})");

  OpeningHours full = Office();
  full.weekly.push_back(W(6, H(20), 1440));
  full.seasonal = {{absl::CivilDay(2026, 7, 1), absl::CivilDay(2026, 8, 31), "orario estivo \"luglio\" è",
                    {W(1, H(8), H(13)), W(5, 0, 1440)}},
                   {absl::CivilDay(2027, 8, 1), absl::CivilDay(2027, 8, 31), "", {}}};
  full.exceptions = {{absl::CivilDay(2026, 12, 8), true, {}, "Immacolata"},
                     {absl::CivilDay(2026, 12, 24), false, {{H(8, 30), H(11)}, {H(14), 1440}}, "Vigilia"},
                     {absl::CivilDay(2027, 1, 1), true, {}, ""}};
  auto back = HoursFromJson(HoursToJson(full));
  REQUIRE(back.ok());
  CHECK(*back == full);
  CHECK(HoursToJson(*back) == HoursToJson(full));

  auto empty = HoursFromJson(HoursToJson(OpeningHours{}));
  REQUIRE(empty.ok());
  CHECK(*empty == OpeningHours{});
}

// Found by fuzz_opening_hours (tests/fuzz/regressions/fuzz_opening_hours/):
// "0506-12-24" parsed and validated, but absl wrote it back as "506-12-24",
// which the parser refuses: hours stored once could never be read again.
TEST_CASE("dates before the year 1000 round-trip with four digits", "[opening_hours][json][fuzz]") {
  auto h = HoursFromJson(R"({"exceptions":[{"date":"0506-12-24","closed":true}],)"
                         R"("seasonal":[{"start":"0999-07-01","end":"0999-08-31"}]})");
  REQUIRE(h.ok());
  REQUIRE(ValidateHours(*h, "hours").ok());
  CHECK(h->exceptions.at(0).date == absl::CivilDay(506, 12, 24));
  const std::string stored = HoursToJson(*h);
  CHECK(stored.find(R"("date":"0506-12-24")") != std::string::npos);
  auto back = HoursFromJson(stored);
  REQUIRE(back.ok());
  CHECK(*back == *h);
  CHECK(FormatDate(absl::CivilDay(7, 1, 2)) == "0007-01-02");
}

TEST_CASE("dates are exactly YYYY-MM-DD of an existing day", "[opening_hours][json]") {
  CHECK(ParseDate("2026-12-08") == absl::CivilDay(2026, 12, 8));
  CHECK(ParseDate("0000-01-01") == absl::CivilDay(0, 1, 1));
  for (const char* bad : {"506-12-24", "2026-2-01", "+2026-02-01", "2026-02-30", "2026-13-01", "2026-12-8 ",
                          "12026-01-01", "2026/12/08", ""}) {
    INFO(bad);
    CHECK_FALSE(ParseDate(bad).has_value());
  }
}

TEST_CASE("JSON from the header example parses", "[opening_hours][json]") {
  auto h = HoursFromJson(R"({"weekly":[{"day":1,"opens":"08:30","closes":"12:30"}],
    "seasonal":[{"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[]}],
    "exceptions":[{"date":"2026-12-08","closed":true,"reason":"Immacolata"},
                  {"date":"2026-12-24","closed":false,"ranges":[{"opens":"08:30","closes":"11:00"}]}]})");
  REQUIRE(h.ok());
  REQUIRE(h->weekly.size() == 1);
  CHECK(h->weekly[0] == W(1, 510, 750));
  REQUIRE(h->seasonal.size() == 1);
  CHECK(h->seasonal[0].start == absl::CivilDay(2026, 7, 1));
  CHECK(h->seasonal[0].end == absl::CivilDay(2026, 8, 31));
  CHECK(h->seasonal[0].label == "orario estivo");
  REQUIRE(h->exceptions.size() == 2);
  CHECK(h->exceptions[0].closed);
  CHECK(h->exceptions[0].reason == "Immacolata");
  CHECK_FALSE(h->exceptions[1].closed);
  CHECK(h->exceptions[1].ranges == std::vector<TimeRange>{{510, 660}});
}

TEST_CASE("missing or null arrays are empty", "[opening_hours][json]") {
  for (const char* text : {"{}", R"({"weekly":null,"seasonal":null,"exceptions":null})",
                           R"({"seasonal":[{"start":"2026-07-01","end":"2026-07-02"}]})"}) {
    INFO(text);
    auto h = HoursFromJson(text);
    REQUIRE(h.ok());
    CHECK(h->weekly.empty());
    CHECK(h->exceptions.empty());
  }
}

TEST_CASE("malformed JSON is INVALID_ARGUMENT with the field path", "[opening_hours][json]") {
  struct Case {
    const char* json;
    const char* field;
  };
  const Case cases[] = {
      {"not json", "office.hours"},
      {R"({"weekly":[)", "office.hours"},
      {"[]", "office.hours"},
      {R"({"weekly":{}})", "office.hours.weekly"},
      {R"({"weekly":[1]})", "office.hours.weekly[0]"},
      {R"({"weekly":[{"day":"1","opens":"08:30","closes":"12:30"}]})", "office.hours.weekly[0].day"},
      {R"({"weekly":[{"day":1.5,"opens":"08:30","closes":"12:30"}]})", "office.hours.weekly[0].day"},
      {R"({"weekly":[{"day":99999999999,"opens":"08:30","closes":"12:30"}]})", "office.hours.weekly[0].day"},
      {R"({"weekly":[{"opens":"08:30","closes":"12:30"}]})", "office.hours.weekly[0].day"},
      {R"({"weekly":[{"day":1,"opens":"8:30","closes":"12:30"}]})", "office.hours.weekly[0].opens"},
      {R"({"weekly":[{"day":1,"opens":"24:00","closes":"24:00"}]})", "office.hours.weekly[0].opens"},
      {R"({"weekly":[{"day":1,"opens":510,"closes":"12:30"}]})", "office.hours.weekly[0].opens"},
      {R"({"weekly":[{"day":1,"opens":"08:30","closes":"24:30"}]})", "office.hours.weekly[0].closes"},
      {R"({"weekly":[{"day":1,"opens":"08:30"}]})", "office.hours.weekly[0].closes"},
      {R"({"seasonal":[{"start":"2026-7-01","end":"2026-08-31"}]})", "office.hours.seasonal[0].start"},
      {R"({"seasonal":[{"start":"2026-07-01","end":"2026-02-30"}]})", "office.hours.seasonal[0].end"},
      {R"({"seasonal":[{"start":"2026-07-01","end":"2026-08-31T00:00"}]})", "office.hours.seasonal[0].end"},
      {R"({"seasonal":[{"start":"2026-07-01 ","end":"2026-08-31"}]})", "office.hours.seasonal[0].start"},
      {R"({"seasonal":[{"start":"+2026-07-01","end":"2026-08-31"}]})", "office.hours.seasonal[0].start"},
      {R"({"seasonal":[{"start":"2026-07-01","end":"2026-08-31","label":3}]})", "office.hours.seasonal[0].label"},
      {R"({"seasonal":[{"start":"2026-07-01","end":"2026-08-31","weekly":[{"day":1,"opens":"08:00","closes":"x"}]}]})",
       "office.hours.seasonal[0].weekly[0].closes"},
      {R"({"exceptions":[{"closed":true}]})", "office.hours.exceptions[0].date"},
      {R"({"exceptions":[{"date":"2026-12-08"}]})", "office.hours.exceptions[0].closed"},
      {R"({"exceptions":[{"date":"2026-12-08","closed":"yes"}]})", "office.hours.exceptions[0].closed"},
      {R"({"exceptions":[{"date":"2026-12-08","closed":true,"reason":5}]})", "office.hours.exceptions[0].reason"},
      {R"({"exceptions":[{"date":"2026-12-08","closed":false,"ranges":"08:30-11:00"}]})",
       "office.hours.exceptions[0].ranges"},
      {R"({"exceptions":[{"date":"2026-12-08","closed":false,"ranges":[{"opens":"8.30","closes":"11:00"}]}]})",
       "office.hours.exceptions[0].ranges[0].opens"},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    auto h = HoursFromJson(c.json);
    REQUIRE_FALSE(h.ok());
    CHECK(h.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(Fields(h.status()) == std::vector<std::string>{c.field});
  }
}
