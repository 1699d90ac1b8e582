#pragma once
// The PostgreSQL that ./sportello test started (SPORTELLO_TEST_PG_URL), for
// store tests: one pool per schema and test binary, with the schema's
// migrations and its outbox applied once, the way a service starts.
//
//   OpenDataStore store(MigratedPool("opendata", sportello::opendata::Migrations()));
#include <string>
#include <vector>

#include "common/db/migrations.h"
#include "common/db/pool.h"

namespace sportello::testing {

db::Pool& MigratedPool(const std::string& schema, const std::vector<db::Migration>& migrations, int size = 8);

}  // namespace sportello::testing
