// bench/run.sh has pgbench make a submission's writes under the outbox's
// commit-order lock, written out by hand (pgbench cannot call C++). It must be
// the lock the services take, or `gateway/writes` compares with other work.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "common/outbox/outbox.h"

namespace {

// The file with every run of whitespace made one space, as the SQL is built.
std::string FlatText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string flat;
  for (char c : text.str()) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (space && (flat.empty() || flat.back() == ' ')) continue;
    flat += space ? ' ' : c;
  }
  return flat;
}

}  // namespace

TEST_CASE("the bench's submission writes take the services' commit-order lock") {
  const std::string bench = FlatText(SPORTELLO_SOURCE_DIR "/bench/run.sh");
  REQUIRE(bench.find("SUBMIT_WRITES_SQL=") != std::string::npos);
  CHECK(bench.find(sportello::outbox::CommitOrderLockSql("bench")) != std::string::npos);
}
