#include "services/dispatch/blackout.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "common/status.h"

namespace sportello::dispatch {

bool Covers(const Blackout& b, const std::string& tenant, absl::Time at) {
  if (at < b.starts_at || at >= b.ends_at) return false;
  return std::find(b.tenants.begin(), b.tenants.end(), tenant) != b.tenants.end();
}

std::optional<Blackout> CoveringBlackout(const std::vector<Blackout>& periods, const std::string& tenant,
                                         absl::Time at) {
  for (const Blackout& b : periods) {
    if (Covers(b, tenant, at)) return b;
  }
  return std::nullopt;
}

bool MayGoOut(const Message& m, const std::vector<Blackout>& periods, absl::Time now) {
  if (!CoveringBlackout(periods, m.tenant, now)) return true;
  return m.indispensable && absl::StripAsciiWhitespace(m.blackout_justification).size() >= 10 &&
         !m.approvals.empty();
}

absl::Status CheckBlackout(const Blackout& b) {
  std::vector<FieldViolation> v;
  if (absl::StripAsciiWhitespace(b.name).empty()) v.push_back({"name", "indicare la consultazione"});
  if (b.ends_at <= b.starts_at) v.push_back({"ends_at", "la fine deve seguire l'inizio"});
  if (b.tenants.empty()) v.push_back({"tenants", "indicare almeno un ente"});
  if (!v.empty()) return InvalidArgument(std::move(v));
  return absl::OkStatus();
}

}  // namespace sportello::dispatch
