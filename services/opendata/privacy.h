#pragma once
// The privacy rules of the open datasets, in plain C++ (no gRPC, no SQL):
// what leaves the office as open data never identifies a person.
//   - counts under k (default 3) are suppressed, and so is, within each
//     group whose total is published, the smallest other count whenever a
//     group would hold a single suppressed cell (its total would reveal it);
//   - positions are snapped to the centre of a 250 m cell; a (cell, category,
//     month) group of fewer than k records is coarsened to 1 km, and if still
//     under k left without position;
//   - dates to the day (Europe/Rome);
//   - free text scrubbed of e-mail addresses, phone numbers and fiscal codes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace sportello::opendata {

inline constexpr int kDefaultK = 3;

// One count of a table. `groups` names the published totals it adds up to
// (e.g. "month=2026-11"); a cell may be in several.
struct CountCell {
  std::vector<std::string> groups;
  int64_t count = 0;
  bool suppressed = false;
};

// Primary suppression (0 < count < k) then secondary suppression until no
// published total has exactly one suppressed cell. Zeros are never secret,
// but can be suppressed as the complement when nothing else is left.
void SuppressSmallCounts(std::vector<CountCell>& cells, int k = kDefaultK);

struct LatLon {
  double latitude = 0;
  double longitude = 0;
};

// The centre of the `meters` cell holding `p` (an equal-angle grid with a
// cell height of `meters` and a width of `meters` at the cell row's latitude).
LatLon SnapToGrid(LatLon p, double meters);

// A record to place: its exact position (if any), category and month.
struct PlacedRecord {
  std::optional<LatLon> position;
  std::string category;
  std::string month;  // "2026-11"
};

// The published positions, in the records' order: 250 m cells, coarsened to
// 1 km where the (cell, category, month) group has fewer than k records, and
// nullopt where even the 1 km group has fewer than k.
std::vector<std::optional<LatLon>> CoarsenPositions(const std::vector<PlacedRecord>& records, int k = kDefaultK);

// "2026-11-24": the day of `t` in `zone`; "" for InfinitePast (no date).
std::string DayOf(absl::Time t, absl::TimeZone zone);
// "2026-11".
std::string MonthOf(absl::Time t, absl::TimeZone zone);

// `text` with e-mail addresses, phone numbers and Italian fiscal codes
// replaced by "[omissis]".
std::string Scrub(std::string_view text);

}  // namespace sportello::opendata
