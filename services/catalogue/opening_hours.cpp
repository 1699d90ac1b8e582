#include "services/catalogue/opening_hours.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"

namespace sportello::catalogue {
namespace {

// An opening chained across midnights is followed at most this far: a 24/7
// office is reported open until local midnight 14 days after today.
constexpr int kOpenUntilHorizonDays = 14;
// How far ahead next_opening is searched.
constexpr int kNextOpeningHorizonDays = 366;

int IsoWeekday(absl::CivilDay day) { return static_cast<int>(absl::GetWeekday(day)) + 1; }

std::vector<TimeRange> DayRanges(const std::vector<WeeklyInterval>& weekly, int iso_day) {
  std::vector<TimeRange> out;
  for (const auto& w : weekly) {
    if (w.day == iso_day) out.push_back(w.range);
  }
  return out;
}

// True when the local civil time `cs` lies inside a range in force on its date.
bool OpenAtCivil(const OpeningHours& hours, absl::CivilSecond cs) {
  const absl::CivilDay day(cs);
  const int64_t sec = cs - absl::CivilSecond(day);
  for (const auto& r : RangesOn(hours, day)) {
    if (int64_t{r.opens} * 60 <= sec && sec < int64_t{r.closes} * 60) return true;
  }
  return false;
}

bool OpenAt(const OpeningHours& hours, absl::Time t, const absl::TimeZone& zone) {
  return OpenAtCivil(hours, zone.At(t).cs);
}

// The first instant at which the local clock reads `cs` or later. A wall time
// skipped by spring-forward (02:30 on the last Sunday of March) is "reached"
// at the transition itself, when the clock jumps from 02:00 to 03:00; a wall
// time repeated by fall-back is first reached with the summer offset.
absl::Time FirstReach(absl::CivilSecond cs, const absl::TimeZone& zone) {
  const absl::TimeZone::TimeInfo ti = zone.At(cs);
  return ti.kind == absl::TimeZone::TimeInfo::SKIPPED ? ti.trans : ti.pre;
}

// Every instant at which the local clock reaches `cs`: one, or two when the
// wall time is repeated (the interval 02:00-03:00 on the fall-back Sunday
// starts twice).
void AppendInstants(absl::CivilSecond cs, const absl::TimeZone& zone, std::vector<absl::Time>& out) {
  const absl::TimeZone::TimeInfo ti = zone.At(cs);
  switch (ti.kind) {
    case absl::TimeZone::TimeInfo::UNIQUE: out.push_back(ti.pre); break;
    case absl::TimeZone::TimeInfo::SKIPPED: out.push_back(ti.trans); break;
    case absl::TimeZone::TimeInfo::REPEATED:
      out.push_back(ti.pre);
      out.push_back(ti.post);
      break;
  }
}

// The first instant after `at`, and not after `limit`, at which OpenAt
// equals `want_open`. Whether the office is open changes only when the local
// clock reaches an interval boundary or jumps at a zone transition, so only
// those instants are examined, in chronological order, generated one civil
// day at a time from `first_day` through `last_day`.
std::optional<absl::Time> FindChange(const OpeningHours& hours, const absl::TimeZone& zone, absl::Time at,
                                     absl::CivilDay first_day, absl::CivilDay last_day, absl::Time limit,
                                     bool want_open) {
  std::vector<absl::Time> pending;
  absl::TimeZone::CivilTransition transition;
  std::optional<absl::Time> next_transition;
  if (zone.NextTransition(at, &transition)) next_transition = zone.At(transition.to).trans;

  // Examines pending instants before `safe`; the rest wait for later days.
  auto drain = [&](absl::Time safe) -> std::optional<absl::Time> {
    while (next_transition && *next_transition < safe && *next_transition <= limit) {
      pending.push_back(*next_transition);
      next_transition.reset();
      if (zone.NextTransition(pending.back(), &transition)) next_transition = zone.At(transition.to).trans;
    }
    std::sort(pending.begin(), pending.end());
    auto it = pending.begin();
    for (; it != pending.end() && *it < safe; ++it) {
      if (*it <= at || *it > limit) continue;
      if (OpenAt(hours, *it, zone) == want_open) return *it;
    }
    pending.erase(pending.begin(), it);
    return std::nullopt;
  };

  for (absl::CivilDay day = first_day; day <= last_day; ++day) {
    const absl::CivilSecond midnight(day);
    for (const auto& r : RangesOn(hours, day)) {
      AppendInstants(midnight + int64_t{r.opens} * 60, zone, pending);
      AppendInstants(midnight + int64_t{r.closes} * 60, zone, pending);
    }
    // Boundaries of later days are never before the clock first reads their
    // midnight.
    const absl::Time safe = FirstReach(absl::CivilSecond(day + 1), zone);
    if (safe > limit) break;
    if (auto found = drain(safe)) return found;
  }
  return drain(absl::InfiniteFuture());
}

std::string Path(std::string_view prefix, std::string_view rest) {
  if (prefix.empty()) return std::string(rest);
  return absl::StrCat(absl::string_view(prefix.data(), prefix.size()), ".",
                      absl::string_view(rest.data(), rest.size()));
}

std::string Indexed(std::string_view base, std::string_view name, size_t i) {
  return Path(base, absl::StrCat(absl::string_view(name.data(), name.size()), "[", i, "]"));
}

// One range at `path` (".opens" / ".closes" are appended); true if valid.
bool ValidateRange(const TimeRange& r, const std::string& path, std::vector<FieldViolation>& out) {
  if (r.opens < 0 || r.opens >= 1440) {
    out.push_back({path + ".opens", "orario di apertura non valido (00:00-23:59)"});
    return false;
  }
  if (r.closes > 1440) {
    out.push_back({path + ".closes", "orario di chiusura non valido (fino a 24:00)"});
    return false;
  }
  if (r.closes <= r.opens) {
    out.push_back({path + ".closes", "la chiusura deve seguire l'apertura"});
    return false;
  }
  return true;
}

// Ranges of one day with their field paths: reports each range that starts
// before an earlier-starting one has closed. Touching ranges are fine.
void ValidateNoOverlap(std::vector<std::pair<TimeRange, std::string>> day, std::vector<FieldViolation>& out) {
  std::stable_sort(day.begin(), day.end(),
                   [](const auto& a, const auto& b) { return a.first.opens < b.first.opens; });
  int open_until = -1;
  for (const auto& [range, path] : day) {
    if (range.opens < open_until) out.push_back({path + ".opens", "gli intervalli si sovrappongono"});
    open_until = std::max(open_until, range.closes);
  }
}

void ValidateWeekly(const std::vector<WeeklyInterval>& weekly, const std::string& base,
                    std::vector<FieldViolation>& out) {
  std::vector<std::pair<TimeRange, std::string>> by_day[8];
  for (size_t i = 0; i < weekly.size(); ++i) {
    const std::string path = Indexed(base, "weekly", i);
    const WeeklyInterval& w = weekly[i];
    bool ok = true;
    if (w.day < 1 || w.day > 7) {
      out.push_back({path + ".day", "giorno della settimana non valido (1 lunedì - 7 domenica)"});
      ok = false;
    }
    ok = ValidateRange(w.range, path, out) && ok;
    if (ok) by_day[w.day].emplace_back(w.range, path);
  }
  for (auto& day : by_day) ValidateNoOverlap(std::move(day), out);
}

// --- JSON -------------------------------------------------------------------

namespace json = boost::json;

constexpr std::string_view kJsonPrefix = "office.hours";

json::object RangeToJson(const TimeRange& r) {
  json::object o;
  o["opens"] = FormatClock(r.opens);
  o["closes"] = FormatClock(r.closes);
  return o;
}

json::array WeeklyToJson(const std::vector<WeeklyInterval>& weekly) {
  json::array a;
  for (const auto& w : weekly) {
    json::object o;
    o["day"] = w.day;
    o["opens"] = FormatClock(w.range.opens);
    o["closes"] = FormatClock(w.range.closes);
    a.push_back(std::move(o));
  }
  return a;
}

std::string_view View(const json::string& s) { return std::string_view(s.data(), s.size()); }

// Reads the members of one JSON object, collecting violations as it goes.
class Reader {
 public:
  Reader(const json::object& object, std::string path, std::vector<FieldViolation>& out)
      : object_(object), path_(std::move(path)), out_(out) {}

  const std::string& path() const { return path_; }
  std::string Field(std::string_view key) const { return Path(path_, key); }

  // The member, or null when absent (a violation when `required`).
  const json::value* Get(std::string_view key, bool required) const {
    const json::value* v = object_.if_contains(key);
    if (v == nullptr && required) out_.push_back({Field(key), "campo obbligatorio"});
    return v;
  }

  void Int(std::string_view key, int& target) const {
    const json::value* v = Get(key, true);
    if (v == nullptr) return;
    if (v->is_int64() && v->get_int64() >= std::numeric_limits<int>::min() &&
        v->get_int64() <= std::numeric_limits<int>::max()) {
      target = static_cast<int>(v->get_int64());
    } else {
      out_.push_back({Field(key), "deve essere un numero intero"});
    }
  }

  void Bool(std::string_view key, bool& target) const {
    const json::value* v = Get(key, true);
    if (v == nullptr) return;
    if (v->is_bool()) {
      target = v->get_bool();
    } else {
      out_.push_back({Field(key), "deve essere true o false"});
    }
  }

  void String(std::string_view key, std::string& target) const {
    const json::value* v = Get(key, false);
    if (v == nullptr || v->is_null()) return;
    if (v->is_string()) {
      target = std::string(View(v->get_string()));
    } else {
      out_.push_back({Field(key), "deve essere un testo"});
    }
  }

  void Clock(std::string_view key, bool allow_24, int& target) const {
    const json::value* v = Get(key, true);
    if (v == nullptr) return;
    std::optional<int> minutes;
    if (v->is_string()) minutes = ParseClock(View(v->get_string()), allow_24);
    if (minutes) {
      target = *minutes;
    } else {
      out_.push_back({Field(key), allow_24 ? "orario non valido (HH:MM, fino a 24:00)" : "orario non valido (HH:MM)"});
    }
  }

  void Date(std::string_view key, absl::CivilDay& target) const {
    const json::value* v = Get(key, true);
    if (v == nullptr) return;
    std::optional<absl::CivilDay> day;
    if (v->is_string()) day = ParseDate(View(v->get_string()));
    if (day) {
      target = *day;
    } else {
      out_.push_back({Field(key), "data non valida (AAAA-MM-GG)"});
    }
  }

  // Calls `each(reader_of_element, index)` for every object in the array
  // member `key`; absent or null means empty.
  template <typename F>
  void Array(std::string_view key, F each) const {
    const json::value* v = Get(key, false);
    if (v == nullptr || v->is_null()) return;
    if (!v->is_array()) {
      out_.push_back({Field(key), "deve essere un elenco"});
      return;
    }
    const json::array& a = v->get_array();
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string path = Indexed(path_, key, i);
      if (!a[i].is_object()) {
        out_.push_back({path, "deve essere un oggetto"});
        continue;
      }
      each(Reader(a[i].get_object(), path, out_));
    }
  }

 private:
  const json::object& object_;
  std::string path_;
  std::vector<FieldViolation>& out_;
};

std::vector<WeeklyInterval> WeeklyFromJson(const Reader& parent) {
  std::vector<WeeklyInterval> weekly;
  parent.Array("weekly", [&](const Reader& r) {
    WeeklyInterval w;
    r.Int("day", w.day);
    r.Clock("opens", false, w.range.opens);
    r.Clock("closes", true, w.range.closes);
    weekly.push_back(w);
  });
  return weekly;
}

}  // namespace

std::optional<int> ParseClock(std::string_view text, bool allow_24) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h == 24 && m == 0 && allow_24) return 1440;
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string FormatClock(int minutes) { return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60); }

std::optional<absl::CivilDay> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  absl::CivilDay day;
  if (!absl::ParseCivilTime(absl::string_view(text.data(), text.size()), &day)) return std::nullopt;
  if (FormatDate(day) != text) return std::nullopt;  // 2026-02-30 was normalised to 2026-03-02
  return day;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::Status ValidateHours(const OpeningHours& hours, std::string_view field_prefix) {
  std::vector<FieldViolation> out;
  const std::string prefix(field_prefix);
  ValidateWeekly(hours.weekly, prefix, out);

  for (size_t i = 0; i < hours.seasonal.size(); ++i) {
    const SeasonalHours& s = hours.seasonal[i];
    const std::string path = Indexed(prefix, "seasonal", i);
    if (s.end < s.start) out.push_back({path + ".end", "la fine del periodo precede l'inizio"});
    ValidateWeekly(s.weekly, path, out);
  }

  for (size_t i = 0; i < hours.exceptions.size(); ++i) {
    const HoursException& e = hours.exceptions[i];
    const std::string path = Indexed(prefix, "exceptions", i);
    for (size_t j = 0; j < i; ++j) {
      if (hours.exceptions[j].date == e.date) {
        out.push_back({path + ".date", "data già presente in un'altra eccezione"});
        break;
      }
    }
    if (e.closed && !e.ranges.empty()) {
      out.push_back({path + ".ranges", "un giorno di chiusura non può avere orari"});
    } else if (!e.closed && e.ranges.empty()) {
      out.push_back({path + ".ranges", "indicare almeno un orario di apertura"});
    }
    std::vector<std::pair<TimeRange, std::string>> day;
    for (size_t j = 0; j < e.ranges.size(); ++j) {
      const std::string range_path = Indexed(path, "ranges", j);
      if (ValidateRange(e.ranges[j], range_path, out)) day.emplace_back(e.ranges[j], range_path);
    }
    ValidateNoOverlap(std::move(day), out);
  }

  if (out.empty()) return absl::OkStatus();
  return InvalidArgument(std::move(out));
}

std::vector<TimeRange> RangesOn(const OpeningHours& hours, absl::CivilDay day, std::string* reason) {
  std::vector<TimeRange> ranges;
  std::string why;
  auto exception = std::find_if(hours.exceptions.begin(), hours.exceptions.end(),
                                [&](const HoursException& e) { return e.date == day; });
  if (exception != hours.exceptions.end()) {
    if (!exception->closed) ranges = exception->ranges;
    why = exception->reason;
  } else {
    auto season = std::find_if(hours.seasonal.begin(), hours.seasonal.end(),
                               [&](const SeasonalHours& s) { return s.start <= day && day <= s.end; });
    if (season != hours.seasonal.end()) {
      ranges = DayRanges(season->weekly, IsoWeekday(day));
      why = season->label;
    } else {
      ranges = DayRanges(hours.weekly, IsoWeekday(day));
    }
  }
  std::sort(ranges.begin(), ranges.end(), [](const TimeRange& a, const TimeRange& b) {
    return std::pair(a.opens, a.closes) < std::pair(b.opens, b.closes);
  });
  if (reason != nullptr) *reason = std::move(why);
  return ranges;
}

Availability AvailabilityAt(const OpeningHours& hours, absl::Time at, const absl::TimeZone& zone) {
  Availability a;
  const absl::CivilSecond local = zone.At(at).cs;
  const absl::CivilDay today(local);
  RangesOn(hours, today, &a.reason);
  a.open = OpenAtCivil(hours, local);
  // Start a day early: a boundary of yesterday (its 24:00) may lie after `at`
  // when midnight itself is repeated by a transition.
  if (a.open) {
    const absl::CivilDay last = today + (kOpenUntilHorizonDays - 1);
    const absl::Time limit = FirstReach(absl::CivilSecond(last + 1), zone);
    a.open_until = FindChange(hours, zone, at, today - 1, last, limit, false).value_or(limit);
  } else {
    const absl::CivilDay last = today + kNextOpeningHorizonDays;
    a.next_opening =
        FindChange(hours, zone, at, today - 1, last, FirstReach(absl::CivilSecond(last + 1), zone), true);
  }
  return a;
}

std::string HoursToJson(const OpeningHours& hours) {
  json::object root;
  root["weekly"] = WeeklyToJson(hours.weekly);

  json::array seasonal;
  for (const auto& s : hours.seasonal) {
    json::object o;
    o["start"] = FormatDate(s.start);
    o["end"] = FormatDate(s.end);
    o["label"] = s.label;
    o["weekly"] = WeeklyToJson(s.weekly);
    seasonal.push_back(std::move(o));
  }
  root["seasonal"] = std::move(seasonal);

  json::array exceptions;
  for (const auto& e : hours.exceptions) {
    json::object o;
    o["date"] = FormatDate(e.date);
    o["closed"] = e.closed;
    if (!e.closed || !e.ranges.empty()) {
      json::array ranges;
      for (const auto& r : e.ranges) ranges.push_back(RangeToJson(r));
      o["ranges"] = std::move(ranges);
    }
    if (!e.reason.empty()) o["reason"] = e.reason;
    exceptions.push_back(std::move(o));
  }
  root["exceptions"] = std::move(exceptions);
  return json::serialize(root);
}

absl::StatusOr<OpeningHours> HoursFromJson(std::string_view text) {
  const std::string prefix(kJsonPrefix);
  boost::system::error_code ec;
  const json::value root = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return InvalidArgument({{prefix, "JSON non valido: " + ec.message()}});
  if (!root.is_object()) return InvalidArgument({{prefix, "deve essere un oggetto"}});

  std::vector<FieldViolation> out;
  const Reader reader(root.get_object(), prefix, out);
  OpeningHours hours;
  hours.weekly = WeeklyFromJson(reader);
  reader.Array("seasonal", [&](const Reader& r) {
    SeasonalHours s;
    r.Date("start", s.start);
    r.Date("end", s.end);
    r.String("label", s.label);
    s.weekly = WeeklyFromJson(r);
    hours.seasonal.push_back(std::move(s));
  });
  reader.Array("exceptions", [&](const Reader& r) {
    HoursException e;
    r.Date("date", e.date);
    r.Bool("closed", e.closed);
    r.Array("ranges", [&](const Reader& rr) {
      TimeRange range;
      rr.Clock("opens", false, range.opens);
      rr.Clock("closes", true, range.closes);
      e.ranges.push_back(range);
    });
    r.String("reason", e.reason);
    hours.exceptions.push_back(std::move(e));
  });

  if (!out.empty()) return InvalidArgument(std::move(out));
  return hours;
}

std::vector<HoursException> NewClosures(const OpeningHours& before, const OpeningHours& after) {
  std::vector<HoursException> out;
  for (const HoursException& e : after.exceptions) {
    if (!e.closed) continue;
    bool known = std::any_of(before.exceptions.begin(), before.exceptions.end(),
                             [&](const HoursException& b) { return b.closed && b.date == e.date; });
    if (!known) out.push_back(e);
  }
  return out;
}

}  // namespace sportello::catalogue
