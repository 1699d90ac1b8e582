#include "common/grpc/service_core.h"

#include "common/log.h"

namespace sportello {

ServiceCore::ServiceCore(const ServiceConfig& c)
    : config(c),
      pool(c.pg_url, c.pg_pool_size),
      cache(cache::RedisOptions{.url = c.redis_url, .timeout = absl::Seconds(c.redis_timeout_s)}),
      changes(cache, c.service_name),
      verifier([&c] {
        auth::VerifierOptions o;
        o.hs256_secret = c.jwt_secret;
        o.jwks = c.jwks;
        o.issuer = c.jwt_issuer;
        o.audience = c.jwt_audience;
        return o;
      }()),
      workers(c.workers, static_cast<size_t>(c.worker_queue)) {}

absl::Status ServiceCore::Prepare(std::string_view schema, const std::vector<db::Migration>& migrations,
                                  std::string_view demo_sql, const std::function<bool()>& give_up) {
  if (absl::Status s = pool.WaitReady(absl::Seconds(60), give_up); !s.ok()) return s;
  if (absl::Status s = db::ApplyMigrations(pool, schema, migrations); !s.ok()) return s;
  if (config.demo_data && !demo_sql.empty()) {
    if (absl::Status s = db::ApplyScript(pool, demo_sql); !s.ok()) return s;
    log::Info("demo data loaded", {{"schema", schema}});
  }
  return absl::OkStatus();
}

}  // namespace sportello
