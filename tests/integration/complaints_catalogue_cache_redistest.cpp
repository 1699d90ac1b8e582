// The complaints service's catalogue cache subscribed to the real Redis of
// `./sportello test`: the catalogue's announcement, published as the
// catalogue publishes it, drops what was kept; with the channel unreachable
// the cache never goes live and keeps answers only fallback_ttl.
#include "services/complaints/catalogue_cache.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include <catch2/catch.hpp>

#include "common/cache/changes.h"
#include "common/cache/redis.h"
#include "common/grpc/rpc.h"
#include "tests/support/poll.h"
#include "tests/support/test_env.h"

using namespace sportello;
using namespace sportello::complaints;
using sportello::testing::PollUntil;
using sportello::testing::RequireEnv;

namespace {

class CountingCatalogue final : public Catalogue {
 public:
  absl::StatusOr<CategoryDefinition> GetCategory(const Caller&, const std::string&, const std::string& code) override {
    ++calls;
    return CategoryDefinition{code, "Buche stradali", "", 0, {}};
  }
  absl::StatusOr<TenantInfo> GetTenant(const Caller&, const std::string& code) override {
    ++calls;
    return TenantInfo{code, "Comune di prova", ""};
  }
  absl::StatusOr<std::string> OfficeTenant(const Caller&, const std::string&) override { return std::string(); }
  std::atomic<int> calls{0};
};

// A loopback port with nothing listening.
int DeadPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  socklen_t len = sizeof sa;
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  close(fd);
  return ntohs(sa.sin_port);
}

}  // namespace

TEST_CASE("complaints catalogue cache: the catalogue's announcements over Redis drop it", "[complaints][redis]") {
  const std::string url = RequireEnv("SPORTELLO_TEST_REDIS_URL");
  CountingCatalogue upstream;
  CachedCatalogue cache(upstream, SystemClock::Instance(), {.redis_url = url, .live_ttl = absl::Hours(1)});
  cache.Start();
  REQUIRE(PollUntil([&] { return cache.live(); }, absl::Seconds(10)));
  Caller caller;
  REQUIRE(cache.GetTenant(caller, "c_f027").ok());
  const int before = upstream.calls.load();

  // What the catalogue's RpcRunner publishes after a committed write.
  cache::RedisCache redis({.url = url});
  cache::ChangeAnnouncer catalogue(redis, "catalogue");
  REQUIRE(catalogue.Announce("c_f027", "UpdateTenant"));
  // Other tests' catalogue writes may drop it too: only "fetched again" counts.
  CHECK(PollUntil(
      [&] {
        REQUIRE(cache.GetTenant(caller, "c_f027").ok());
        return upstream.calls.load() > before;
      },
      absl::Seconds(10)));
}

TEST_CASE("complaints catalogue cache: without the channel answers are kept only fallback_ttl", "[complaints][redis]") {
  CountingCatalogue upstream;
  ManualClock clock(absl::Now());
  const std::string dead = "redis://127.0.0.1:" + std::to_string(DeadPort());
  CachedCatalogue cache(upstream, clock,
                        {.redis_url = dead, .live_ttl = absl::Hours(1), .fallback_ttl = absl::Seconds(5)});
  cache.Start();
  Caller caller;
  REQUIRE(cache.GetCategory(caller, "c_f027", "buche").ok());
  REQUIRE(cache.GetCategory(caller, "c_f027", "buche").ok());
  CHECK(upstream.calls.load() == 1);
  clock.Advance(absl::Seconds(6));
  REQUIRE(cache.GetCategory(caller, "c_f027", "buche").ok());
  CHECK(upstream.calls.load() == 2);
  CHECK_FALSE(cache.live());
}
