#pragma once
// The transactional outbox every service that emits events uses. A change and
// the events that tell others about it are written in one transaction
// (Append), so an event exists exactly when its change does; the Relay
// (relay.h) then delivers them at least once, in order, to each configured
// sportello.v1.EventSink, and EventStreams (event_stream.h) serves them to
// partners over a server stream. Consumers de-duplicate by event id.
//
// Each service owns `<schema>.outbox` and `<schema>.outbox_cursors`. They are
// created by common's own migrations, applied per schema after the service's:
//
//   RETURN_IF_ERROR(db::ApplyMigrations(pool, "surveys", surveys::Migrations()));
//   RETURN_IF_ERROR(outbox::ApplyMigrations(pool, "surveys"));
//
// (recorded in <schema>.schema_migrations under versions 10001 and up, a
// range no service uses, so that a fix to the outbox tables reaches every
// service at once and no service copies their DDL).
//
// Order: readers keep a cursor "everything up to sequence N", which holds
// only if sequences become visible in order. Append takes a per-schema,
// transaction-scoped advisory lock before inserting, held until commit, so
// sequence order is commit order. Call it LAST in the transaction: the lock
// then covers only the inserts and the commit. The commit does not wait for
// the disk while it holds the lock (the pool's connections commit without
// waiting, then flush: db/pool.h, "Durability"), so writers are serialised
// for the length of an insert, not of a WAL flush. ReadAfter flushes what
// it read before handing it on: an event is delivered only once it is saved.
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/pool.h"
#include "common/outbox/event.h"

namespace sportello::outbox {

// True for a PostgreSQL schema name Sportello uses: [a-z0-9_], 1..63.
bool ValidSchema(std::string_view schema);

// Creates <schema>.outbox and <schema>.outbox_cursors (idempotent, under the
// migrations' lock). A service whose own migrations created tables of the
// same shape (complaints did) keeps them.
absl::Status ApplyMigrations(db::Pool& pool, std::string_view schema);

// Appends `events` in the caller's transaction, in order, under the
// commit-order lock (see above). Throws what libpqxx throws (the pool turns
// it into a status); nothing to do for an empty list.
void Append(pqxx::work& tx, std::string_view schema, const std::vector<NewEvent>& events);

// Append's statement as text, its values written in (quoted by `tx`), for a
// store that sends it last among other statements in one round trip. Empty
// for no events. `only_if[i]`, when given and not empty, is an SQL condition
// that events[i] needs to be appended (its change was made by a statement
// before it in the same transaction, e.g. "EXISTS (SELECT ...)").
std::string AppendSql(pqxx::transaction_base& tx, std::string_view schema, const std::vector<NewEvent>& events,
                      const std::vector<std::string>& only_if = {});

// The query that takes `schema`'s commit-order lock (the one Append takes),
// for a store that appends its event inside a larger statement: a SELECT to
// put in the FROM of its INSERT INTO <schema>.outbox, so that the lock is
// held before the sequence is drawn, e.g.
//   INSERT INTO complaints.outbox (tenant, type, subject, data, create_time)
//   SELECT ... FROM (<CommitOrderLockSql("complaints", {"hist"})>) AS commit_order, req
// `after` names the statement's other data-modifying CTEs (each with a
// RETURNING clause): the lock is taken once they have run. PostgreSQL runs
// CTEs in whatever order its plan takes, and took this lock first, holding
// it through every insert of the statement: one writer at a time, not just
// one commit at a time (pgbench, 32 writers on 2 cores: 1,214 tx/s with
// the lock taken last, 893 with it taken first; README "Benchmark").
std::string CommitOrderLockSql(std::string_view schema, const std::vector<std::string>& after = {});

// Up to `limit` events after `after_sequence`, in order; `tenant` empty: all.
absl::StatusOr<std::vector<Event>> ReadAfter(db::Pool& pool, std::string_view schema, std::string_view tenant,
                                             long long after_sequence, int limit);

}  // namespace sportello::outbox
