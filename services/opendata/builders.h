#pragma once
// From what the source services answer (plain structs, filled by
// sources.cpp from their gRPC answers) to each dataset's table, with the
// privacy rules applied. Plain C++: no gRPC, no SQL.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/opendata/privacy.h"
#include "services/opendata/table.h"

namespace sportello::opendata {

struct ServiceRecord {
  std::string id, name, short_description, office_id;
  std::vector<std::string> themes, channels;
  int interactivity_level = 0;
  int legal_deadline_days = 0;
  std::string online_url;
};
Table ServicesTable(const std::vector<ServiceRecord>& services);

struct OfficeRecord {
  std::string id, name, street, postal_code, municipality, province, phone, email, pec, website;
  std::optional<LatLon> position;  // the office's own, public position
  std::string weekly_hours;        // "lun 08:30-12:30; mar ..."
};
Table OfficesTable(const std::vector<OfficeRecord>& offices);

// One month's figures from complaints' statistics.
struct MonthStats {
  std::string month;  // "2026-11"
  int64_t total = 0;
  // dimension ("tipo", "categoria", "canale", "stato") -> key -> count
  std::vector<std::tuple<std::string, std::string, int64_t>> counts;
  double median_hours_first_answer = 0;
  double median_hours_resolution = 0;
};
// Long format: month, dimension, value, count (empty when suppressed), plus
// one "totale" row per month with the medians. Each (month, dimension) is a
// group whose total is published: secondary suppression within it.
Table MonthlyTable(const std::vector<MonthStats>& months, int k = kDefaultK);

struct PublicRequestRecord {
  std::string kind, category, status, office_id;
  absl::Time created = absl::InfinitePast(), closed = absl::InfinitePast();
  std::optional<LatLon> position;  // exact: coarsened here
};
Table PublicRequestsTable(const std::vector<PublicRequestRecord>& requests, absl::TimeZone zone, int k = kDefaultK);

// The published satisfaction indices of one survey in one month, as the
// surveys service answers them (its own threshold already applied: a
// suppressed cell carries no figures).
struct IndexFigures {
  bool suppressed = false;
  int64_t responses = 0;
  std::optional<double> mean, top_box, nps;
};
struct SurveyMonthRecord {
  std::string month;       // "2026-11"
  std::string survey_id;
  std::string instrument;  // "stelle", "faccine", "nps", ...
  IndexFigures total;
  // dimension ("servizio", "canale"), key (a service id, "web"; "-" not stated), figures
  std::vector<std::tuple<std::string, std::string, IndexFigures>> groups;
};
// Long format like MonthlyTable: month, survey, instrument, dimension, value,
// responses, mean, satisfied share, NPS; a "totale" row per (month, survey),
// then its groups. The rules of the other datasets on top of the surveys'
// own: a total under k hides its whole block, group counts under k are
// suppressed with secondary suppression within each (month, survey,
// dimension), and a suppressed count takes its figures with it. A (month,
// survey) without any group had no responses: no rows.
Table SatisfactionTable(const std::vector<SurveyMonthRecord>& records, int k = kDefaultK);

struct RegisterRecord {
  std::string object, request_date, outcome, decision_date;
  bool publish_proactively = false;
};
// The semester "2026-S1" / "2026-S2" of a date "YYYY-MM-DD".
std::string SemesterOf(const std::string& date);
Table RegisterTable(const std::vector<RegisterRecord>& entries);

struct ProactiveRecord {
  std::string object;
  int year = 0;
  int requesters = 0;
  std::string document_url;
};
Table ProactiveTable(const std::vector<ProactiveRecord>& entries);

}  // namespace sportello::opendata

namespace sportello::opendata {
// Register objects asked for by more than three requesters in `year`
// (entries whose request_date falls in it), grouped by the scrubbed object
// compared case- and space-insensitively; or flagged by the complaints
// service. By object.
std::vector<ProactiveRecord> ProactiveCandidates(const std::vector<RegisterRecord>& entries, int year);
}  // namespace sportello::opendata
