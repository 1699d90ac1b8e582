// The Redis client against a real redis-server that this test starts, stops
// and starts again, so the outage is real and affects no other test.
#include "common/cache/redis.h"
#include "common/cache/changes.h"
#include "common/cache/rate_limit.h"
#include "common/crypto.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/poll.h"
#include "tests/support/processes.h"
#include "tests/support/test_env.h"

using sportello::cache::RedisCache;
using sportello::cache::RedisOptions;

namespace {

// redis-server takes a moment to listen after fork/exec.
bool EventuallyPings(RedisCache& cache) {
  return sportello::testing::PollUntil([&] { return cache.Set("ping", "1", absl::Seconds(5)); }, absl::Seconds(5),
                                       absl::Milliseconds(50));
}

// Sends one inline command to the Redis on `port` and reads its first reply
// line ("+OK"); "" when it cannot.
std::string RawCommand(int port, const std::string& command) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string line = command + "\r\n";
    if (write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size())) {
      char c;
      while (read(fd, &c, 1) == 1 && c != '\r') reply += c;
    }
  }
  close(fd);
  return reply;
}

}  // namespace

TEST_CASE("the Redis client caches, and an outage is only a miss", "[redis]") {
  sportello::testing::RedisProcess server;
  server.Start();
  RedisCache cache(RedisOptions{.url = server.url(),
                                .timeout = absl::Milliseconds(200),
                                .backoff = absl::Milliseconds(300)});
  REQUIRE(EventuallyPings(cache));

  SECTION("commands work while Redis is up") {
    CHECK(cache.Set("k", std::string("v\0binary", 8), absl::Seconds(10)));
    CHECK(cache.Get("k") == std::string("v\0binary", 8));
    CHECK(cache.Increment("counter") == 1);
    CHECK(cache.Increment("counter") == 2);
    CHECK(cache.EvalInt("return redis.call('INCRBY', KEYS[1], ARGV[1])", {"counter"}, {"5"}) == 7);
    // Known by its SHA-1 from now on; a Redis that forgot it is sent it again.
    CHECK(cache.EvalInt("return redis.call('INCRBY', KEYS[1], ARGV[1])", {"counter"}, {"5"}) == 12);
    REQUIRE(RawCommand(server.port(), "SCRIPT FLUSH") == "+OK");
    CHECK(cache.EvalInt("return redis.call('INCRBY', KEYS[1], ARGV[1])", {"counter"}, {"5"}) == 17);
    CHECK(RawCommand(server.port(), "SCRIPT EXISTS " +
                                        sportello::Sha1Hex("return redis.call('INCRBY', KEYS[1], ARGV[1])")) ==
          "*1");
    CHECK(cache.Delete("k"));
    CHECK_FALSE(cache.Get("k").has_value());
  }

  SECTION("with Redis stopped every call is a miss, then it comes back") {
    REQUIRE(cache.Set("kept", "1", absl::Seconds(60)));
    server.Stop();
    CHECK_FALSE(cache.Get("kept").has_value());
    CHECK_FALSE(cache.Set("other", "1", absl::Seconds(60)));
    CHECK_FALSE(cache.Increment("n").has_value());
    CHECK_FALSE(cache.Delete("kept"));
    // Within the back-off the client does not even try: still a miss.
    CHECK_FALSE(cache.Get("kept").has_value());

    server.Start();
    REQUIRE(EventuallyPings(cache));
    CHECK(cache.Set("again", "yes", absl::Seconds(60)));
    CHECK(cache.Get("again") == std::string("yes"));
  }
}

TEST_CASE("a cache with no URL is disabled and always misses", "[redis]") {
  RedisCache cache(RedisOptions{.url = ""});
  CHECK_FALSE(cache.enabled());
  CHECK_FALSE(cache.Set("k", "v", absl::Seconds(1)));
  CHECK_FALSE(cache.Get("k").has_value());
}

TEST_CASE("the Redis of ./sportello test answers", "[redis]") {
  RedisCache cache(RedisOptions{.url = sportello::testing::RequireEnv("SPORTELLO_TEST_REDIS_URL")});
  std::string key = sportello::testing::UniqueName("test:");
  REQUIRE(cache.Set(key, "valore", absl::Seconds(30)));
  CHECK(cache.Get(key) == std::string("valore"));
}

TEST_CASE("the rate limiter lets a burst through, then refuses, per key", "[redis][ratelimit]") {
  RedisCache cache(RedisOptions{.url = sportello::testing::RequireEnv("SPORTELLO_TEST_REDIS_URL")});
  sportello::cache::RateLimiter limiter(cache, sportello::testing::UniqueName("test"), 6, 3);  // 3 now, 1 per 10 s
  CHECK(limiter.Allow("1.2.3.4"));
  CHECK(limiter.Allow("1.2.3.4"));
  CHECK(limiter.Allow("1.2.3.4"));
  CHECK_FALSE(limiter.Allow("1.2.3.4"));
  CHECK(limiter.Allow("5.6.7.8"));  // another key has its own bucket
}

TEST_CASE("with Redis unreachable the rate limiter allows", "[redis][ratelimit]") {
  RedisCache cache(RedisOptions{.url = "redis://127.0.0.1:1/0"});
  sportello::cache::RateLimiter limiter(cache, "down", 1, 1);
  for (int i = 0; i < 5; ++i) CHECK(limiter.Allow("k"));
}

TEST_CASE("change announcements: one service's subscriber hears that service alone, a gateway's every one",
          "[redis][changes]") {
  using namespace sportello::cache;
  sportello::testing::RedisProcess server;
  server.Start();
  RedisCache redis(RedisOptions{.url = server.url()});
  REQUIRE(EventuallyPings(redis));

  struct Heard {
    std::mutex mu;
    std::vector<std::string> changes;  // "service kind"
    void Add(const Change& c) {
      std::lock_guard lock(mu);
      changes.push_back(c.service + " " + c.kind);
    }
    std::vector<std::string> Get() {
      std::lock_guard lock(mu);
      return changes;
    }
  } of_catalogue, of_every;
  ChangeSubscriber catalogue_only({.url = server.url(), .services = {"catalogue"}},
                                  {.on_change = [&](const Change& c) { of_catalogue.Add(c); }});
  ChangeSubscriber every({.url = server.url()}, {.on_change = [&](const Change& c) { of_every.Add(c); }});
  catalogue_only.Start();
  every.Start();
  REQUIRE(sportello::testing::PollUntil([&] { return catalogue_only.subscribed() && every.subscribed(); },
                                        absl::Seconds(5)));

  ChangeAnnouncer complaints(redis, "complaints"), catalogue(redis, "catalogue");
  REQUIRE(complaints.Announce("c_f027", "SubmitRequest"));
  REQUIRE(catalogue.Announce("c_f027", "UpdateOffice"));
  // A service of a release before per-service channels, during an upgrade.
  REQUIRE(redis.Publish("sportello:changes", EncodeChange({"surveys", "c_f027", "CreateSurvey"})));
  REQUIRE(sportello::testing::PollUntil([&] { return of_every.Get().size() == 3; }, absl::Seconds(5)));
  CHECK(of_every.Get() ==
        std::vector<std::string>{"complaints SubmitRequest", "catalogue UpdateOffice", "surveys CreateSurvey"});
  // Published after the others on the same connection: heard after them, if at all.
  REQUIRE(catalogue.Announce("c_f027", "UpdateTenant"));
  REQUIRE(sportello::testing::PollUntil([&] { return of_catalogue.Get().size() >= 2; }, absl::Seconds(5)));
  CHECK(of_catalogue.Get() == std::vector<std::string>{"catalogue UpdateOffice", "catalogue UpdateTenant"});
  catalogue_only.Stop();
  every.Stop();
}

TEST_CASE("writers announcing the same change while one is being published share the next publish",
          "[redis][changes]") {
  using namespace sportello::cache;
  sportello::testing::RedisProcess server;
  server.Start();
  RedisCache redis(RedisOptions{.url = server.url(), .timeout = absl::Seconds(5)});
  REQUIRE(EventuallyPings(redis));
  std::mutex mu;
  std::vector<std::string> heard;
  ChangeSubscriber every({.url = server.url()}, {.on_change = [&](const Change& c) {
                           std::lock_guard lock(mu);
                           heard.push_back(c.tenant + " " + c.kind);
                         }});
  every.Start();
  REQUIRE(sportello::testing::PollUntil([&] { return every.subscribed(); }, absl::Seconds(5)));
  auto count = [&] {
    std::lock_guard lock(mu);
    return heard.size();
  };

  // Redis holds every PUBLISH for 600 ms: the first announcement waits for
  // it, the seven sent meanwhile wait in line behind it.
  REQUIRE(RawCommand(server.port(), "CLIENT PAUSE 600 WRITE") == "+OK");
  ChangeAnnouncer complaints(redis, "complaints");
  std::vector<std::future<bool>> told;
  told.push_back(std::async(std::launch::async, [&] { return complaints.Announce("c_f027", "SubmitRequest"); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  for (int i = 0; i < 6; ++i) {
    told.push_back(std::async(std::launch::async, [&] { return complaints.Announce("c_f027", "SubmitRequest"); }));
  }
  told.push_back(std::async(std::launch::async, [&] { return complaints.Announce("c_a662", "SubmitRequest"); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  CHECK(count() == 0);
  for (auto& t : told) CHECK(t.get());  // each returns once its change is published
  REQUIRE(sportello::testing::PollUntil([&] { return count() >= 3; }, absl::Seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::lock_guard lock(mu);
  // The first alone, then the line's two distinct changes once each.
  REQUIRE(heard.size() == 3);
  CHECK(heard[0] == "c_f027 SubmitRequest");
  CHECK(std::count(heard.begin() + 1, heard.end(), "c_f027 SubmitRequest") == 1);
  CHECK(std::count(heard.begin() + 1, heard.end(), "c_a662 SubmitRequest") == 1);
  every.Stop();
}
