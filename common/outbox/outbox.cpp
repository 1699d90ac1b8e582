#include "common/outbox/outbox.h"

#include <cstdlib>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/db/migrations.h"
#include "common/status.h"

namespace sportello::outbox {
namespace {

// Statements depend on the schema, so they cannot be db::Statements (those are
// registered once per program and prepared on every connection); they are
// built from a checked schema name and sent with parameters.
std::string Qualified(std::string_view schema, std::string_view table) {
  if (!ValidSchema(schema)) {
    // A programming error (the schema is a constant of the service), not input.
    std::fprintf(stderr, "outbox: invalid schema name '%.*s'\n", static_cast<int>(schema.size()), schema.data());
    std::abort();
  }
  return std::string(schema) + "." + std::string(table);
}

// Runs with search_path = <schema>, public (see db::ApplyMigrations).
constexpr std::string_view kOutboxTables = R"SQL(
CREATE TABLE IF NOT EXISTS outbox (
  sequence    bigserial PRIMARY KEY,
  event_id    uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  tenant      text NOT NULL,
  type        text NOT NULL,
  subject     text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}',
  create_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS outbox_tenant_idx ON outbox (tenant, sequence);

-- One row per subscriber: the last sequence it acknowledged, and the lease
-- of the relay replica delivering to it now (NULL: nobody).
CREATE TABLE IF NOT EXISTS outbox_cursors (
  subscriber    text PRIMARY KEY,
  last_sequence bigint NOT NULL DEFAULT 0,
  leased_until  timestamptz,
  lease_token   text NOT NULL DEFAULT '',
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text NOT NULL DEFAULT '',
  update_time   timestamptz NOT NULL DEFAULT now()
);
)SQL";

const std::vector<db::Migration>& OutboxMigrations() {
  static const std::vector<db::Migration> kMigrations = {{10001, "outbox_tables", kOutboxTables}};
  return kMigrations;
}

}  // namespace

bool ValidSchema(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

absl::Status ApplyMigrations(db::Pool& pool, std::string_view schema) {
  if (!ValidSchema(schema)) return absl::InvalidArgumentError("invalid schema name");
  return db::ApplyMigrations(pool, schema, OutboxMigrations());
}

std::string CommitOrderLockSql(std::string_view schema, const std::vector<std::string>& after) {
  Qualified(schema, "outbox");  // aborts on a name that is not a schema's
  // Two-key form: its own key space, apart from single-key advisory locks.
  std::string lock =
      "SELECT pg_advisory_xact_lock(hashtext('sportello.outbox'), hashtext('" + std::string(schema) + "'))";
  if (after.empty()) return lock;
  // The count reads every row the CTEs return, so they have run; the WHERE
  // needs it before the lock is computed, and an aggregate is never pulled up.
  std::string rows;
  for (const std::string& cte : after) rows += (rows.empty() ? "" : " UNION ALL ") + ("SELECT 1 FROM " + cte);
  return lock + " FROM (SELECT count(*) AS n FROM (" + rows + ") AS w) AS written WHERE written.n >= 0";
}

std::string AppendSql(pqxx::transaction_base& tx, std::string_view schema, const std::vector<NewEvent>& events,
                      const std::vector<std::string>& only_if) {
  if (events.empty()) return "";
  std::string values;
  for (size_t i = 0; i < events.size(); ++i) {
    const NewEvent& e = events[i];
    const std::string keep = i < only_if.size() && !only_if[i].empty() ? "(" + only_if[i] + ")" : "true";
    values += absl::StrCat(i == 0 ? "" : ", ", "(", i, ", ", tx.quote(e.tenant), ", ", tx.quote(e.type), ", ",
                           tx.quote(e.subject), ", ", tx.quote(e.data_json.empty() ? std::string("{}") : e.data_json),
                           ", ", absl::ToUnixMicros(e.time), ", ", keep, ")");
  }
  // One statement for all: the sequence is drawn in the ORDER BY's order,
  // after the lock (the join's other side) is held. Exact micro-seconds
  // (to_timestamp(double) rounds).
  return "INSERT INTO " + Qualified(schema, "outbox") +
         " (tenant, type, subject, data, create_time) SELECT e.tenant, e.type, e.subject, e.data::jsonb,"
         " 'epoch'::timestamptz + e.micros::bigint * interval '1 microsecond' FROM (" +
         CommitOrderLockSql(schema) + ") AS commit_order, (VALUES " + values +
         ") AS e(n, tenant, type, subject, data, micros, keep) WHERE e.keep ORDER BY e.n";
}

void Append(pqxx::work& tx, std::string_view schema, const std::vector<NewEvent>& events) {
  if (!events.empty()) tx.exec(AppendSql(tx, schema, events));
}

absl::StatusOr<std::vector<Event>> ReadAfter(db::Pool& pool, std::string_view schema, std::string_view tenant,
                                             long long after_sequence, int limit) {
  const std::string sql =
      "SELECT sequence, event_id::text AS id, tenant, type, subject, data::text AS data, "
      "(extract(epoch FROM create_time) * 1000000)::bigint AS micros FROM " +
      Qualified(schema, "outbox") + " WHERE ($1 = '' OR tenant = $1) AND sequence > $2 ORDER BY sequence LIMIT $3";
  auto events = pool.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<Event>> {
    std::vector<Event> out;
    for (const auto& r : tx.exec_params(sql, std::string(tenant), after_sequence, limit)) {
      out.push_back({r["sequence"].as<long long>(), r["id"].as<std::string>(), r["tenant"].as<std::string>(),
                     r["type"].as<std::string>(), r["subject"].as<std::string>(), r["data"].as<std::string>(),
                     absl::FromUnixMicros(r["micros"].as<long long>())});
    }
    return out;
  });
  // Their commits may not be on disk yet (db/pool.h, "Durability"): an event
  // delivered and then lost in a crash would leave its sequence to another.
  if (events.ok() && !events->empty()) RETURN_IF_ERROR(pool.FlushCommitted());
  return events;
}

}  // namespace sportello::outbox
