#include "services/opendata/privacy.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <tuple>

#include "absl/strings/str_format.h"

namespace sportello::opendata {

void SuppressSmallCounts(std::vector<CountCell>& cells, int k) {
  for (auto& c : cells) {
    if (c.count > 0 && c.count < k) c.suppressed = true;
  }
  // Group -> indices of its cells.
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i = 0; i < cells.size(); ++i) {
    for (const auto& g : cells[i].groups) groups[g].push_back(i);
  }
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& [name, members] : groups) {
      int suppressed = 0;
      for (size_t i : members) suppressed += cells[i].suppressed ? 1 : 0;
      if (suppressed != 1) continue;
      // The complement: the smallest published count, non-zero first (a
      // suppressed zero hides nothing), ties by position for determinism.
      std::optional<size_t> pick;
      for (size_t i : members) {
        if (cells[i].suppressed) continue;
        if (!pick) {
          pick = i;
          continue;
        }
        const auto key = [&](size_t j) { return std::make_tuple(cells[j].count == 0, cells[j].count, j); };
        if (key(i) < key(*pick)) pick = i;
      }
      if (pick) {
        cells[*pick].suppressed = true;
        changed = true;
      }
    }
  }
}

namespace {
constexpr double kMetersPerDegree = 111320.0;
constexpr double kPi = 3.14159265358979323846;
}  // namespace

LatLon SnapToGrid(LatLon p, double meters) {
  const double dlat = meters / kMetersPerDegree;
  const double row = std::floor(p.latitude / dlat);
  const double lat = (row + 0.5) * dlat;
  const double dlon = meters / (kMetersPerDegree * std::cos(lat * kPi / 180.0));
  const double col = std::floor(p.longitude / dlon);
  return {lat, (col + 0.5) * dlon};
}

std::vector<std::optional<LatLon>> CoarsenPositions(const std::vector<PlacedRecord>& records, int k) {
  using Key = std::tuple<double, double, std::string, std::string>;
  auto key_of = [](LatLon cell, const PlacedRecord& r) {
    return Key{cell.latitude, cell.longitude, r.category, r.month};
  };
  std::vector<std::optional<LatLon>> out(records.size());
  std::map<Key, int> fine, coarse;
  for (const auto& r : records) {
    if (!r.position) continue;
    ++fine[key_of(SnapToGrid(*r.position, 250), r)];
    ++coarse[key_of(SnapToGrid(*r.position, 1000), r)];
  }
  for (size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    if (!r.position) continue;
    LatLon f = SnapToGrid(*r.position, 250);
    if (fine[key_of(f, r)] >= k) {
      out[i] = f;
      continue;
    }
    LatLon c = SnapToGrid(*r.position, 1000);
    if (coarse[key_of(c, r)] >= k) out[i] = c;
  }
  return out;
}

std::string DayOf(absl::Time t, absl::TimeZone zone) {
  if (t == absl::InfinitePast()) return "";
  return absl::FormatTime("%Y-%m-%d", t, zone);
}

std::string MonthOf(absl::Time t, absl::TimeZone zone) { return absl::FormatTime("%Y-%m", t, zone); }

std::string Scrub(std::string_view text) {
  static const std::regex kEmail(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})");
  // Codice fiscale, omocodia letters allowed in the digit positions.
  static const std::regex kFiscalCode(
      R"(\b[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]\b)");
  // Italian phone numbers: landlines start with 0, mobiles with 3, after an
  // optional +39 / 0039; 7 to 12 digits with spaces, dots, dashes or slashes
  // between groups. Dates ("2026-03-04") and small numbers are left alone.
  static const std::regex kPhone(R"((?:(?:\+|\b00)39[ .-]?|\b)[03]\d{1,3}(?:[ ./-]?\d){5,8}\b)");
  std::string s(text);
  s = std::regex_replace(s, kEmail, "[omissis]");
  s = std::regex_replace(s, kFiscalCode, "[omissis]");
  s = std::regex_replace(s, kPhone, "[omissis]");
  return s;
}

}  // namespace sportello::opendata
