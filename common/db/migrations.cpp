#include "common/db/migrations.h"

#include <cstdio>
#include <map>

#include "common/db/pool.h"
#include "common/log.h"

namespace sportello::db {
namespace {

std::string Checksum(std::string_view text) {
  // FNV-1a 64: stable across builds and platforms, enough to notice an edit.
  unsigned long long h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", h);
  return buf;
}

bool ValidSchemaName(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

absl::Status ApplyMigrations(Pool& pool, std::string_view schema, const std::vector<Migration>& migrations) {
  if (!ValidSchemaName(schema)) return absl::InvalidArgumentError("invalid schema name");
  const std::string s(schema);
  int applied_now = 0;
  absl::Status status = pool.Run([&](pqxx::connection& c) -> absl::Status {
    applied_now = 0;
    pqxx::work tx(c);
    // One lock for every service's migrations, not one per schema: they share
    // database-wide objects (CREATE EXTENSION IF NOT EXISTS is not safe when
    // two transactions run it at once).
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", std::string("sportello.migrations"));
    tx.exec("CREATE SCHEMA IF NOT EXISTS " + s);
    tx.exec("CREATE TABLE IF NOT EXISTS " + s +
            ".schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
            "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    std::map<int, std::string> done;
    for (const auto& row : tx.exec("SELECT version, checksum FROM " + s + ".schema_migrations")) {
      done[row[0].as<int>()] = row[1].as<std::string>();
    }
    for (const Migration& m : migrations) {
      std::string sum = Checksum(m.sql);
      if (auto it = done.find(m.version); it != done.end()) {
        if (it->second != sum) {
          return absl::FailedPreconditionError("migration " + s + "/" + std::to_string(m.version) +
                                               " was changed after it was applied");
        }
        continue;
      }
      tx.exec("SET LOCAL search_path TO " + s + ", public");
      tx.exec(std::string(m.sql));
      tx.exec_params("INSERT INTO " + s + ".schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                     m.version, std::string(m.name), sum);
      ++applied_now;
    }
    tx.commit();
    return absl::OkStatus();
  });
  if (status.ok()) {
    log::Info("migrations applied", {{"schema", schema}, {"applied", static_cast<long long>(applied_now)},
                                     {"known", static_cast<long long>(migrations.size())}});
  }
  return status;
}

absl::Status ApplyScript(Pool& pool, std::string_view sql) {
  return pool.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", std::string("sportello.demo_data"));
    tx.exec(std::string(sql));
    tx.commit();
    return absl::OkStatus();
  });
}

}  // namespace sportello::db
