// Admission of partner event streams: one comune's staff cannot take every
// slot from the other comuni's partners (issue 12, finding 5).
#include "common/outbox/stream_quota.h"

#include <catch2/catch.hpp>

namespace sportello::outbox {
namespace {

TEST_CASE("many operators of one tenant leave room for other tenants' partners", "[outbox][quota]") {
  StreamQuota quota({16, 4, 2});
  int admitted = 0;
  for (int i = 0; i < 16; ++i) {
    if (!quota.Admit("c_a", "c_a/operatore-" + std::to_string(i))) ++admitted;
  }
  CHECK(admitted == 4);
  auto refused = quota.Admit("c_a", "c_a/operatore-99");
  REQUIRE(refused.has_value());
  CHECK(refused->find("ente") != std::string::npos);
  CHECK_FALSE(quota.Admit("c_b", "c_b/partner").has_value());
  CHECK(quota.Total() == 5);
}

TEST_CASE("one caller is capped, and a released stream frees its slots", "[outbox][quota]") {
  StreamQuota quota({3, 3, 2});
  CHECK_FALSE(quota.Admit("c_a", "c_a/p").has_value());
  CHECK_FALSE(quota.Admit("c_a", "c_a/p").has_value());
  CHECK(quota.Admit("c_a", "c_a/p").has_value());       // per caller
  CHECK_FALSE(quota.Admit("c_b", "c_b/p").has_value());
  CHECK(quota.Admit("c_c", "c_c/p").has_value());       // in total
  quota.Release("c_a", "c_a/p");
  CHECK_FALSE(quota.Admit("c_c", "c_c/p").has_value());
  CHECK(quota.Total() == 3);
}

}  // namespace
}  // namespace sportello::outbox
