// The migrations runner against the real PostgreSQL of ./sportello test.
#include "common/db/migrations.h"

#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include <catch2/catch.hpp>

#include "common/db/pool.h"
#include "tests/support/test_env.h"

using sportello::db::Migration;
using sportello::db::Pool;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

long long Scalar(Pool& pool, const std::string& sql) {
  long long value = -1;
  absl::Status s = pool.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    value = tx.exec(sql).at(0).at(0).as<long long>();
    return absl::OkStatus();
  });
  REQUIRE(s.ok());
  return value;
}

std::vector<Migration> TwoMigrations(const char* sleep_sql = "") {
  static std::string first;
  first = std::string(sleep_sql) + "CREATE TABLE visits (id serial PRIMARY KEY, note text NOT NULL);";
  return {{1, "visits", first}, {2, "first_visit", "INSERT INTO visits (note) VALUES ('prima');"}};
}

}  // namespace

TEST_CASE("migrations apply once, and a second run changes nothing", "[migrations]") {
  Pool pool(RequireEnv("SPORTELLO_TEST_PG_URL"), 2);
  std::string schema = UniqueName("mig_");
  auto migrations = TwoMigrations();

  REQUIRE(sportello::db::ApplyMigrations(pool, schema, migrations).ok());
  CHECK(Scalar(pool, "SELECT count(*) FROM " + schema + ".schema_migrations") == 2);
  CHECK(Scalar(pool, "SELECT count(*) FROM " + schema + ".visits") == 1);

  REQUIRE(sportello::db::ApplyMigrations(pool, schema, migrations).ok());
  CHECK(Scalar(pool, "SELECT count(*) FROM " + schema + ".schema_migrations") == 2);
  CHECK(Scalar(pool, "SELECT count(*) FROM " + schema + ".visits") == 1);
}

TEST_CASE("a migration edited after it was applied is refused", "[migrations]") {
  Pool pool(RequireEnv("SPORTELLO_TEST_PG_URL"), 1);
  std::string schema = UniqueName("mig_");
  REQUIRE(sportello::db::ApplyMigrations(pool, schema, TwoMigrations()).ok());
  std::vector<Migration> edited = TwoMigrations();
  edited[1].sql = "INSERT INTO visits (note) VALUES ('modificata');";
  CHECK(sportello::db::ApplyMigrations(pool, schema, edited).code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Scalar(pool, "SELECT count(*) FROM " + schema + ".visits") == 1);
}

TEST_CASE("a failing migration leaves nothing behind", "[migrations]") {
  Pool pool(RequireEnv("SPORTELLO_TEST_PG_URL"), 1);
  std::string schema = UniqueName("mig_");
  std::vector<Migration> broken = TwoMigrations();
  broken.push_back({3, "broken", "INSERT INTO no_such_table VALUES (1);"});
  CHECK_FALSE(sportello::db::ApplyMigrations(pool, schema, broken).ok());
  // The whole run was one transaction: not even the schema exists.
  CHECK(Scalar(pool, "SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'") == 0);
}

namespace {

// Runs `work` in two forked processes at once (two replicas starting
// together) and checks that both succeeded.
void InTwoProcesses(const std::function<absl::Status()>& work) {
  std::vector<pid_t> children;
  for (int i = 0; i < 2; ++i) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) _exit(work().ok() ? 0 : 1);
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
}

}  // namespace

TEST_CASE("two processes migrating the same schema at once apply each file once", "[migrations]") {
  const std::string url = RequireEnv("SPORTELLO_TEST_PG_URL");
  const std::string schema = UniqueName("mig_");
  InTwoProcesses([&] {
    // The sleep inside the first migration widens the window for a race.
    Pool pool(url, 1);
    return sportello::db::ApplyMigrations(pool, schema, TwoMigrations("SELECT pg_sleep(0.5);"));
  });
  Pool pool(url, 1);
  CHECK(Scalar(pool, "SELECT count(*) FROM " + schema + ".schema_migrations") == 2);
  CHECK(Scalar(pool, "SELECT count(*) FROM " + schema + ".visits") == 1);
}

// Two replicas starting at once both load the demo data: a script that adds a
// row only WHERE NOT EXISTS adds it once (ApplyScript's lock), where two
// concurrent transactions would each see no row and add one.
TEST_CASE("two replicas loading the demo data at once apply it once", "[migrations]") {
  const std::string url = RequireEnv("SPORTELLO_TEST_PG_URL");
  const std::string schema = UniqueName("demo_");
  Pool pool(url, 2);
  REQUIRE(sportello::db::ApplyMigrations(pool, schema, TwoMigrations()).ok());
  // The sleep between the insert and the commit widens the window for a race.
  const std::string script = "INSERT INTO " + schema + ".visits (note) SELECT 'demo' WHERE NOT EXISTS "
                             "(SELECT 1 FROM " + schema + ".visits WHERE note = 'demo'); SELECT pg_sleep(0.5);";
  InTwoProcesses([&] {
    Pool own(url, 1);
    return sportello::db::ApplyScript(own, script);
  });
  CHECK(Scalar(pool, "SELECT count(*) FROM " + schema + ".visits WHERE note = 'demo'") == 1);
}
