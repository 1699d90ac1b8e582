#pragma once
// Schema migrations. Each service owns one PostgreSQL schema and ships its
// files services/<name>/migrations/NNNN_what.sql, compiled into the binary by
// sportello_embed_migrations() (cmake/sportello.cmake).
//
// ApplyMigrations() runs in one transaction under a transaction-scoped
// advisory lock shared by every service, so N replicas of N services may
// start at once: one applies at a time, the others wait and then find
// nothing (more) to do. Applied files
// are recorded in <schema>.schema_migrations with a checksum; a file edited
// after it was applied is refused (FAILED_PRECONDITION), never re-run.
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace sportello::db {

class Pool;

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

absl::Status ApplyMigrations(Pool& pool, std::string_view schema, const std::vector<Migration>& migrations);

// Runs an idempotent SQL script (demo data) in one transaction, under a
// transaction-scoped advisory lock: replicas starting at once apply it one
// after the other, so "INSERT ... WHERE NOT EXISTS" in a script sees the
// rows the other replica wrote instead of adding them a second time.
absl::Status ApplyScript(Pool& pool, std::string_view sql);

}  // namespace sportello::db
