#pragma once
// Helpers shared by the catalogue's store files (SQL side only).
#include <string>

#include "common/db/pool.h"

namespace sportello::catalogue::storage {

// True for the canonical 8-4-4-4-12 hex form; anything else cannot name a row.
bool LooksLikeUuid(const std::string& s);

// Appends one row to catalogue.changes. `before` / `after` are the row as
// jsonb text ("" for none); the diff keeps only the fields that differ.
void RecordChange(pqxx::work& tx, const std::string& tenant, const std::string& entity, const std::string& id,
                  const std::string& action, const std::string& actor, const std::string& before,
                  const std::string& after);

// SQL for a row's jsonb snapshot without derived columns.
inline constexpr const char* kSnapshot = " - 'search_vector' - 'create_time' - 'update_time'";

// SQL expression for a timestamptz column as microseconds since the epoch.
inline std::string Micros(const std::string& column) {
  return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
}

}  // namespace sportello::catalogue::storage
