// libFuzzer: opening-hours rules as stored (JSON) and their evaluation:
// what parses and validates is evaluated on a few days and round-trips to
// the same hours.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "absl/time/time.h"
#include "services/catalogue/opening_hours.h"

using namespace sportello::catalogue;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const absl::TimeZone zone = [] {
    absl::TimeZone z;
    if (!absl::LoadTimeZone("Europe/Rome", &z)) z = absl::UTCTimeZone();
    return z;
  }();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)ParseClock(input, true);
  auto hours = HoursFromJson(input);
  if (!hours.ok()) return 0;
  if (!ValidateHours(*hours, "hours").ok()) return 0;
  const absl::Time base = absl::FromUnixSeconds(1767225600);  // 2026-01-01
  for (int day = 0; day < 400; day += 37) {
    (void)AvailabilityAt(*hours, base + absl::Hours(24 * day + 10), zone);
  }
  auto again = HoursFromJson(HoursToJson(*hours));
  if (!again.ok() || !(*again == *hours)) std::abort();
  return 0;
}
