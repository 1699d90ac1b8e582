#pragma once
// PostgreSQL connection pool (libpqxx 6.4). Included only by stores and the
// migrations runner: it is the one header that exposes <pqxx/pqxx>.
//
// Run() lends a connection to a function and turns every libpqxx exception
// into an absl::Status, so no exception escapes a store:
//   unique violation -> ALREADY_EXISTS, foreign key / check / not-null ->
//   FAILED_PRECONDITION or INVALID_ARGUMENT, broken connection -> UNAVAILABLE,
//   anything else -> INTERNAL (logged, never sent).
// A connection found broken is dropped and opened again on next use, so the
// pool recovers by itself after PostgreSQL restarts. When the connection
// broke before the function's transaction committed, the function runs once
// more on a fresh connection (its transaction was rolled back).
#include <functional>
#include <string>

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/resource_pool.h"

namespace sportello::db {

class Pool {
 public:
  Pool(std::string url, int size, absl::Duration acquire_timeout = absl::Seconds(5));

  absl::Status Run(const std::function<absl::Status(pqxx::connection&)>& fn);

  // Waits until a connection opens, up to `timeout`; for start-up ordering.
  absl::Status WaitReady(absl::Duration timeout);

 private:
  std::string url_;
  absl::Duration acquire_timeout_;
  ResourcePool<pqxx::connection> slots_;
};

// Micro-seconds since the epoch, for reading timestamptz columns as
// `(extract(epoch from col) * 1000000)::bigint`.
absl::Time TimeFromMicros(long long micros);

}  // namespace sportello::db
