#pragma once
// What every service process holds, built from its ServiceConfig in main():
// the database pool, the cache, the token verifier, the metrics and the
// worker pool. Members are declared so that the workers stop first and the
// pool closes last.
#include <functional>
#include <string_view>
#include <vector>

#include "common/auth/token.h"
#include "common/cache/changes.h"
#include "common/cache/redis.h"
#include "common/config.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/metrics.h"
#include "common/worker_pool.h"

namespace sportello {

struct ServiceCore {
  explicit ServiceCore(const ServiceConfig& config);

  // Waits for the database (CANCELLED when `give_up` says so: a SIGTERM
  // while PostgreSQL is still down), applies the schema's migrations and,
  // when the config asks for it, the demo data script.
  absl::Status Prepare(std::string_view schema, const std::vector<db::Migration>& migrations,
                       std::string_view demo_sql, const std::function<bool()>& give_up = {});

  const ServiceConfig config;
  db::Pool pool;
  cache::RedisCache cache;
  // Announces committed writes to the gateways' edge caches (RpcRunner does, after each write RPC).
  cache::ChangeAnnouncer changes;
  auth::TokenVerifier verifier;
  MetricsRegistry metrics;
  WorkerPool workers;
};

}  // namespace sportello
