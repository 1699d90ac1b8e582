#pragma once
// Times between C++ and SQL, exactly: they travel as micro-seconds since the
// epoch (parameters from the injected Clock, never the database's now()), so
// a page's keyset compares the very numbers it was given. For stores only.
#include <optional>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/db/pool.h"

namespace sportello::db {

// $n (bigint micro-seconds) as a timestamptz.
inline std::string T(int n) {
  return absl::StrFormat("('epoch'::timestamptz + $%d::bigint * interval '1 microsecond')", n);
}
// The same for an optional time sent as text (MicrosText): "" is NULL.
inline std::string OptT(int n) {
  return absl::StrFormat("('epoch'::timestamptz + nullif($%d, '')::bigint * interval '1 microsecond')", n);
}
// A timestamptz column as micro-seconds AS `alias`; NULL as -1 (OptTime).
inline std::string Micros(const std::string& column, const std::string& alias) {
  return "coalesce((extract(epoch FROM " + column + ") * 1000000)::bigint, -1) AS " + alias;
}

inline long long Us(absl::Time t) { return static_cast<long long>(absl::ToUnixMicros(t)); }
inline std::string MicrosText(const std::optional<absl::Time>& t) {
  return t ? std::to_string(absl::ToUnixMicros(*t)) : "";
}
// A column read with Micros: -1 (NULL) is no time.
inline std::optional<absl::Time> OptTime(const pqxx::field& f) {
  long long v = f.as<long long>();
  if (v < 0) return std::nullopt;
  return absl::FromUnixMicros(v);
}

}  // namespace sportello::db
