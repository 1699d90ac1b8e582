#pragma once
// PostgreSQL connection pool (libpqxx 6.4). Included only by stores and the
// migrations runner: it is the one header that exposes <pqxx/pqxx>.
//
// Run() lends a connection to a function and turns every libpqxx exception
// into an absl::Status, so no exception escapes a store:
//   unique violation -> ALREADY_EXISTS, foreign key / check / not-null ->
//   FAILED_PRECONDITION or INVALID_ARGUMENT, broken connection -> UNAVAILABLE,
//   anything else -> INTERNAL (logged, never sent).
// Stores follow one idiom: SQL as named Statements beside the method that
// runs them (prepared once per connection), Read/Write lending a transaction
// and returning absl::Status or StatusOr, columns read by name:
//
//   const db::Statement kSelectOffice{"catalogue.select_office",
//       "SELECT id::text AS id, name FROM catalogue.offices WHERE id = $1::uuid"};
//
//   absl::StatusOr<Office> OfficeStore::Get(const std::string& id) {
//     return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Office> {
//       auto rows = db::Exec(tx, kSelectOffice, id);
//       if (rows.empty()) return absl::NotFoundError("ufficio non trovato");
//       return OfficeFromRow(rows[0]);   // r["name"].as<std::string>()
//     });
//   }
//
// Write() commits only when the function returns OK; any other status rolls
// the transaction back, so a store can refuse half-way and change nothing.
//
// A connection found broken is dropped and opened again on next use, so the
// pool recovers by itself after PostgreSQL restarts. When the connection
// broke before the function's transaction committed, the function runs once
// more on a fresh connection (its transaction was rolled back).
//
// Durability: the pool's connections commit without waiting for the disk
// (synchronous_commit off), and Write, Autocommit and Run return only after
// one more statement, on the same connection, whose own commit does wait and
// so flushes the WAL past theirs. So no lock is held through a disk flush: the
// outbox's commit-order lock (common/outbox/outbox.h) and every row lock
// are released when the commit is written, and concurrent writers share
// their flushes. What a caller is told is saved is on disk; another
// connection may see a commit a moment before it is (a crash in that moment
// loses it, and nobody was told it was saved). When the connection breaks
// before the flush has answered, the write is in doubt: UNAVAILABLE, never
// run again.
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/resource_pool.h"

namespace sportello::db {

// A named SQL statement. Declared as a namespace-scope constant, it registers
// itself; every pooled connection prepares each registered statement, so a
// statement is parsed and planned once per connection, not once per call.
// Names are unique across the program ("<schema>.<what>").
class Statement {
 public:
  Statement(std::string name, std::string sql);
  const std::string& name() const { return name_; }
  const std::string& sql() const { return sql_; }

 private:
  std::string name_, sql_;
};

// Runs a registered statement with positional parameters.
template <typename... Args>
pqxx::result Exec(pqxx::transaction_base& tx, const Statement& statement, Args&&... args) {
  return tx.exec_prepared(statement.name(), std::forward<Args>(args)...);
}

// A text[] parameter's value: `{"a","b"}`, every item quoted and escaped,
// so that any text (a comma, a brace, a quote, NULL) stays one item. A
// prepared statement that reads it behind a subquery, `ANY(CAST((SELECT
// $1::text[]) AS text[]))`, keeps its generic plan: seeing the array's
// length, PostgreSQL would plan again for each new length.
std::string TextArray(const std::vector<std::string>& items);

// Runs a statement that commits by itself (in Pool::Autocommit): when the
// connection breaks before its answer, the statement may have committed, so
// the pool answers UNAVAILABLE and does not run the work again.
namespace internal {
// Runs `run` (a statement that commits by itself), a broken connection
// reported as in doubt.
template <typename F>
pqxx::result Committing(F&& run) {
  try {
    return run();
  } catch (const pqxx::broken_connection& e) {
    throw pqxx::in_doubt_error(std::string("connection lost while committing: ") + e.what());
  }
}
}  // namespace internal

template <typename... Args>
pqxx::result ExecCommitting(pqxx::nontransaction& tx, const Statement& statement, Args&&... args) {
  return internal::Committing([&] { return tx.exec_prepared(statement.name(), std::forward<Args>(args)...); });
}

// The same for several statements sent as one string (one round trip, one
// implicit transaction: all of them commit, or none); returns the last one's
// rows.
inline pqxx::result ExecCommitting(pqxx::nontransaction& tx, const std::string& statements) {
  return internal::Committing([&] { return tx.exec(statements); });
}

// A registered statement as SQL text, `EXECUTE "<name>"(<args>)` with the
// arguments written in as literals (quoted by `tx`): to send several with
// ExecCommitting above, still planned once per connection (prepared here on
// the connection's first use: libpqxx prepares lazily, EXECUTE cannot).
template <typename... Args>
std::string ExecuteSql(pqxx::transaction_base& tx, const Statement& statement, const Args&... args) {
  tx.conn().prepare_now(statement.name());
  std::string sql = "EXECUTE " + tx.quote_name(statement.name()) + "(";
  const char* separator = "";
  ((sql += separator, sql += tx.quote(args), separator = ", "), ...);
  return sql + ")";
}

namespace internal {
inline absl::Status StatusOf(const absl::Status& s) { return s; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace internal

class Pool {
 public:
  Pool(std::string url, int size, absl::Duration acquire_timeout = absl::Seconds(5));

  // Lends a read-only transaction; `fn` returns absl::Status or StatusOr<T>.
  template <typename F>
  auto Read(F&& fn) -> std::invoke_result_t<F&, pqxx::read_transaction&> {
    return InTransaction<pqxx::read_transaction>(fn);
  }

  // Lends a read-write transaction, committed when `fn` returns OK.
  template <typename F>
  auto Write(F&& fn) -> std::invoke_result_t<F&, pqxx::work&> {
    return InTransaction<pqxx::work>(fn);
  }

  // Lends a connection in autocommit mode (pqxx::nontransaction): nothing is
  // sent to begin or end, each statement commits on its own. For work whose
  // writes fit in one statement (a data-modifying WITH), reads first: one
  // round trip per statement where Write costs two more. The writing
  // statement goes through ExecCommitting, so that a connection breaking
  // under it is reported as in doubt and never run again.
  template <typename F>
  auto Autocommit(F&& fn) -> std::invoke_result_t<F&, pqxx::nontransaction&> {
    return InTransaction<pqxx::nontransaction>(fn);
  }

  // Lends a connection in autocommit mode for reads alone: each statement
  // sees a snapshot of its own and costs one round trip, where Read's
  // transaction costs two more (BEGIN READ ONLY, ROLLBACK). For one statement,
  // or several that need not agree. Nothing is flushed: never write with it.
  template <typename F>
  auto ReadAutocommit(F&& fn) -> std::invoke_result_t<F&, pqxx::nontransaction&> {
    return InTransaction<pqxx::nontransaction, /*flush=*/false>(fn);
  }

  // Lends the connection itself (COPY, several transactions, migrations);
  // durable like Write when `fn` returns OK.
  absl::Status Run(const std::function<absl::Status(pqxx::connection&)>& fn);

  // Returns once every commit made before the call, on any connection, is on
  // disk. For readers that hand what they read to another system (the
  // outbox relay): what they read may have been committed a moment ago.
  absl::Status FlushCommitted();

  // Waits until a connection opens, up to `timeout`, for start-up ordering;
  // CANCELLED as soon as `give_up` (when given) returns true.
  absl::Status WaitReady(absl::Duration timeout, const std::function<bool()>& give_up = {});

 private:
  // A work is committed when `fn` returns OK; whatever may have written (not
  // a read_transaction, nor a read in autocommit) is then flushed.
  template <typename Tx, bool flush = !std::is_same_v<Tx, pqxx::read_transaction>, typename F>
  auto InTransaction(F& fn) -> std::invoke_result_t<F&, Tx&> {
    using Result = std::invoke_result_t<F&, Tx&>;
    std::optional<Result> result;
    absl::Status status = Lend([&](pqxx::connection& c) {
      {
        Tx tx(c);
        result.emplace(fn(tx));
        if constexpr (std::is_same_v<Tx, pqxx::work>) {
          if (internal::StatusOf(*result).ok()) tx.commit();
        }
      }
      if constexpr (flush) {
        if (internal::StatusOf(*result).ok()) WaitForDisk(c);
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return Result(status);
    return std::move(*result);
  }

  // Run without the flush.
  absl::Status Lend(const std::function<absl::Status(pqxx::connection&)>& fn);
  // Commits, synchronously, a statement that writes WAL: the WAL is then on
  // disk up to it, past every earlier commit. A connection lost meanwhile
  // throws pqxx::in_doubt_error.
  static void WaitForDisk(pqxx::connection& c);

  std::string url_;
  absl::Duration acquire_timeout_;
  ResourcePool<pqxx::connection> slots_;
};

// Micro-seconds since the epoch, for reading timestamptz columns as
// `(extract(epoch from col) * 1000000)::bigint`.
absl::Time TimeFromMicros(long long micros);

}  // namespace sportello::db
