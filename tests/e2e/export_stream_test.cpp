// The operators' CSV export through the gateway, end to end: more requests
// than the service reads in one batch (500) arrive complete, once each, as
// one chunked HTTP answer streamed from the gRPC server stream.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "absl/strings/str_split.h"
#include "tests/support/http_client.h"
#include "tests/support/sandbox.h"

namespace json = boost::json;
using namespace sportello::testing;

TEST_CASE("export: every request of a tenant, streamed in chunks past one batch", "[e2e][complaints][export]") {
  Sandbox box(SandboxOptions::Bare());
  constexpr int kRequests = 1100;  // over two batches of the service's 500 rows
  std::map<std::string, int> seen;
  for (int i = 0; i < kRequests; ++i) {
    json::object r = JsonObject(PostJson(box.Path("/requests"), {{"kind", "REQUEST_KIND_SUGGESTION"},
                                                                 {"subject", "Suggerimento " + std::to_string(i)},
                                                                 {"description", "Aprire il sabato"}}));
    seen[std::string(r.at("request").at("number").as_string())] = 0;
  }
  REQUIRE(seen.size() == kRequests);

  HttpReply csv = Get(box.Path("/requests:export"), Bearer(box.operator_token));
  REQUIRE(csv.status == 200);
  CHECK(csv.Header("content-type").rfind("text/csv", 0) == 0);
  CHECK(csv.Header("transfer-encoding") == "chunked");
  CHECK(csv.Header("content-disposition").find("attachment") != std::string::npos);

  std::vector<std::string> lines = absl::StrSplit(csv.body, '\n', absl::SkipEmpty());
  REQUIRE_FALSE(lines.empty());
  CHECK(lines[0].rfind("number,kind,category", 0) == 0);
  CHECK(lines.size() == kRequests + 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string number = lines[i].substr(0, lines[i].find(','));
    auto it = seen.find(number);
    INFO(lines[i]);
    REQUIRE(it != seen.end());
    ++it->second;
  }
  for (const auto& [number, count] : seen) {
    INFO(number);
    CHECK(count == 1);
  }
}
