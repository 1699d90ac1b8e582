// common/cache/local_cache.h on a ManualClock, with a counting fetch: what
// it keeps and for how long (live, not live), what a drop does, a fetch
// racing a drop, the pending check, errors and the size bound.
#include "common/cache/local_cache.h"

#include <catch2/catch.hpp>

using namespace sportello;
using sportello::cache::LocalCache;

namespace {

struct Source {
  int calls = 0;
  std::string value = "uno";
  absl::Status failure;
  std::function<void()> during_fetch;
  absl::StatusOr<std::string> operator()() {
    ++calls;
    if (during_fetch) during_fetch();
    if (!failure.ok()) return failure;
    return value;
  }
};

}  // namespace

TEST_CASE("local cache: kept while live until dropped or live_ttl passes", "[cache][unit]") {
  ManualClock clock(absl::Now());
  LocalCache<std::string> cache(clock, {.live_ttl = absl::Seconds(30), .fallback_ttl = absl::Seconds(5)});
  cache.SetLive(true);
  Source src;
  auto fetch = [&] { return src(); };

  CHECK(*cache.Lookup("k", fetch) == "uno");
  src.value = "due";
  CHECK(*cache.Lookup("k", fetch) == "uno");
  CHECK(src.calls == 1);
  CHECK(cache.counts().hits == 1);
  CHECK(cache.counts().misses == 1);

  cache.DropAll();  // a write, or an announcement
  CHECK(*cache.Lookup("k", fetch) == "due");
  CHECK(src.calls == 2);

  clock.Advance(absl::Seconds(29));
  CHECK(src.calls == 2);
  CHECK(*cache.Lookup("k", fetch) == "due");
  clock.Advance(absl::Seconds(2));
  src.value = "tre";
  CHECK(*cache.Lookup("k", fetch) == "tre");
  CHECK(src.calls == 3);
}

TEST_CASE("local cache: not live, entries last fallback_ttl; back live drops everything", "[cache][unit]") {
  ManualClock clock(absl::Now());
  LocalCache<std::string> cache(clock, {.live_ttl = absl::Seconds(30), .fallback_ttl = absl::Seconds(5)});
  Source src;
  auto fetch = [&] { return src(); };
  CHECK_FALSE(cache.live());
  CHECK(*cache.Lookup("k", fetch) == "uno");
  CHECK(*cache.Lookup("k", fetch) == "uno");
  CHECK(src.calls == 1);
  clock.Advance(absl::Seconds(6));
  CHECK(*cache.Lookup("k", fetch) == "uno");
  CHECK(src.calls == 2);

  src.value = "due";
  cache.SetLive(true);  // a gap: anything may have changed
  CHECK(*cache.Lookup("k", fetch) == "due");
  CHECK(src.calls == 3);
  cache.SetLive(true);  // still live: nothing dropped
  CHECK(*cache.Lookup("k", fetch) == "due");
  CHECK(src.calls == 3);
}

TEST_CASE("local cache: fallback_ttl 0 serves nothing without the channel", "[cache][unit]") {
  ManualClock clock(absl::Now());
  LocalCache<std::string> cache(clock, {.live_ttl = absl::Seconds(30), .fallback_ttl = absl::ZeroDuration()});
  Source src;
  auto fetch = [&] { return src(); };
  cache.SetLive(true);
  CHECK(*cache.Lookup("k", fetch) == "uno");
  cache.SetLive(false);  // the channel is lost
  CHECK(*cache.Lookup("k", fetch) == "uno");
  CHECK(*cache.Lookup("k", fetch) == "uno");
  CHECK(src.calls == 3);
  CHECK(cache.counts().hits == 0);
}

TEST_CASE("local cache: live_ttl 0 keeps nothing", "[cache][unit]") {
  ManualClock clock(absl::Now());
  LocalCache<std::string> cache(clock, {.live_ttl = absl::ZeroDuration()});
  cache.SetLive(true);
  Source src;
  auto fetch = [&] { return src(); };
  CHECK(*cache.Lookup("k", fetch) == "uno");
  CHECK(*cache.Lookup("k", fetch) == "uno");
  CHECK(src.calls == 2);
  CHECK(cache.size() == 0);
}

TEST_CASE("local cache: a fetch racing a drop is not kept", "[cache][unit]") {
  ManualClock clock(absl::Now());
  LocalCache<std::string> cache(clock, {});
  cache.SetLive(true);
  Source src;
  auto fetch = [&] { return src(); };
  src.during_fetch = [&] { cache.DropAll(); };  // the write commits while the old answer is read
  CHECK(*cache.Lookup("k", fetch) == "uno");
  src.during_fetch = nullptr;
  src.value = "due";
  CHECK(*cache.Lookup("k", fetch) == "due");
  CHECK(src.calls == 2);
}

TEST_CASE("local cache: a pending announcement refuses the hit", "[cache][unit]") {
  ManualClock clock(absl::Now());
  LocalCache<std::string> cache(clock, {});
  cache.SetLive(true);
  bool pending = false;
  cache.SetPendingCheck([&] { return pending; });
  Source src;
  auto fetch = [&] { return src(); };
  CHECK(*cache.Lookup("k", fetch) == "uno");
  pending = true;
  src.value = "due";
  CHECK(*cache.Lookup("k", fetch) == "due");
  pending = false;
  CHECK(*cache.Lookup("k", fetch) == "due");
  CHECK(src.calls == 2);
}

TEST_CASE("local cache: NOT_FOUND is kept, other errors are not; full means cleared", "[cache][unit]") {
  ManualClock clock(absl::Now());
  LocalCache<std::string> cache(clock, {.max_entries = 2});
  cache.SetLive(true);
  Source src;
  auto fetch = [&] { return src(); };
  src.failure = absl::NotFoundError("sconosciuto");
  CHECK(absl::IsNotFound(cache.Lookup("a", fetch).status()));
  CHECK(absl::IsNotFound(cache.Lookup("a", fetch).status()));
  CHECK(src.calls == 1);
  src.failure = absl::UnavailableError("giù");
  CHECK(absl::IsUnavailable(cache.Lookup("b", fetch).status()));
  CHECK(absl::IsUnavailable(cache.Lookup("b", fetch).status()));
  CHECK(src.calls == 3);
  src.failure = absl::OkStatus();
  CHECK(cache.Lookup("b", fetch).ok());
  CHECK(cache.size() == 2);
  CHECK(cache.Lookup("c", fetch).ok());  // full: everything goes, then c
  CHECK(cache.size() == 1);
}

TEST_CASE("local cache: Peek answers only what a Lookup kept, fresh, and never fetches", "[cache][unit]") {
  ManualClock clock(absl::Now());
  LocalCache<std::string> cache(clock, {.live_ttl = absl::Seconds(30), .fallback_ttl = absl::Seconds(5)});
  cache.SetLive(true);
  Source src;
  auto fetch = [&] { return src(); };

  CHECK_FALSE(cache.Peek("k").has_value());
  CHECK(cache.counts().misses == 0);  // the Lookup that follows a miss counts it
  CHECK(*cache.Lookup("k", fetch) == "uno");
  auto held = cache.Peek("k");
  REQUIRE(held.has_value());
  CHECK(**held == "uno");
  CHECK(cache.counts().hits == 1);
  CHECK(src.calls == 1);

  bool pending = true;  // an announcement may be waiting: no hit
  cache.SetPendingCheck([&] { return pending; });
  CHECK_FALSE(cache.Peek("k").has_value());
  pending = false;
  CHECK(cache.Peek("k").has_value());

  clock.Advance(absl::Seconds(31));
  CHECK_FALSE(cache.Peek("k").has_value());
  CHECK(*cache.Lookup("k", fetch) == "uno");
  cache.DropAll();
  CHECK_FALSE(cache.Peek("k").has_value());

  src.failure = absl::NotFoundError("nessun ente");  // NOT_FOUND is kept like an answer
  CHECK(absl::IsNotFound(cache.Lookup("x", fetch).status()));
  held = cache.Peek("x");
  REQUIRE(held.has_value());
  CHECK(absl::IsNotFound(held->status()));
  CHECK(src.calls == 3);
}
