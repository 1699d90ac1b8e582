#include "tests/support/pg.h"

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <mutex>

#include "common/outbox/outbox.h"
#include "tests/support/test_env.h"

namespace sportello::testing {

db::Pool& MigratedPool(const std::string& schema, const std::vector<db::Migration>& migrations, int size) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<db::Pool>> pools;
  std::lock_guard lock(mu);
  auto& pool = pools[schema];
  if (!pool) {
    pool = std::make_unique<db::Pool>(RequireEnv("SPORTELLO_TEST_PG_URL"), size);
    REQUIRE(db::ApplyMigrations(*pool, schema, migrations).ok());
    REQUIRE(outbox::ApplyMigrations(*pool, schema).ok());
  }
  return *pool;
}

}  // namespace sportello::testing
