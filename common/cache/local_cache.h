#pragma once
// A small map in a process's memory in front of a slower source (a gRPC
// call, Redis, PostgreSQL), kept fresh by the change announcements on Redis
// (common/cache/changes.h): the owner subscribes and calls DropAll() on every
// announcement that concerns it, SetLive(true/false) when the channel comes
// up or goes down, and DropAll() itself after its own committed writes
// (read-your-writes without waiting for the announcement to come back).
//
// While live, an entry expires after `live_ttl`, which bounds what a lost
// announcement can leave behind; while not live (Redis down, or not
// subscribed yet) after `fallback_ttl` (0: nothing is served), and going
// live again drops everything first. A lookup racing with a drop never
// stores the old answer (generation check), and a hit is refused while an
// announcement may be waiting on the wire (SetPendingCheck, usually
// ChangeSubscriber::Pending). NOT_FOUND is kept like an answer; other
// errors are not kept.
//
//   LocalCache<std::string> cache(clock, {.live_ttl = absl::Seconds(30)});
//   absl::StatusOr<std::string> bytes = cache.Lookup(key, [&] { return Load(key); });
//   ...
//   cache.DropAll();   // after a committed write, and on an announcement
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace sportello::cache {

struct LocalCacheOptions {
  absl::Duration live_ttl = absl::Seconds(60);     // while live; 0: nothing is kept
  absl::Duration fallback_ttl = absl::Seconds(5);  // while not live; 0: nothing is served
  size_t max_entries = 10000;                      // when full, everything goes
};

struct LocalCacheCounts {
  uint64_t hits = 0, misses = 0;
};

template <typename T>
class LocalCache {
 public:
  using Counts = LocalCacheCounts;

  LocalCache(const Clock& clock, LocalCacheOptions options) : clock_(clock), options_(options) {}

  // The value held for `key`, else what `fetch()` (an absl::StatusOr<T>)
  // returns, kept when OK or NOT_FOUND and no drop happened meanwhile.
  template <typename Fetch>
  absl::StatusOr<T> Lookup(const std::string& key, const Fetch& fetch) {
    if (options_.live_ttl <= absl::ZeroDuration()) return fetch();
    uint64_t generation;
    {
      std::lock_guard lock(mu_);
      auto it = map_.find(key);
      if (it != map_.end() && FreshLocked(it->second)) {
        ++counts_.hits;
        return it->second.value;
      }
      ++counts_.misses;
      generation = generation_;
    }
    const absl::Time fetched = clock_.Now();
    absl::StatusOr<T> value = fetch();
    if (value.ok() || absl::IsNotFound(value.status())) {
      std::lock_guard lock(mu_);
      // A drop since the fetch began: the answer may predate the write.
      if (generation == generation_) {
        if (map_.size() >= options_.max_entries && map_.count(key) == 0) map_.clear();
        map_.insert_or_assign(key, Entry{value, fetched});
      }
    }
    return value;
  }

  // The value held for `key`, if any is fresh, without fetching (a miss is
  // not counted: the Lookup that follows counts it).
  std::optional<absl::StatusOr<T>> Peek(const std::string& key) {
    if (options_.live_ttl <= absl::ZeroDuration()) return std::nullopt;
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end() || !FreshLocked(it->second)) return std::nullopt;
    ++counts_.hits;
    return it->second.value;
  }

  void DropAll() {
    std::lock_guard lock(mu_);
    DropAllLocked();
  }

  // The channel came up (drop everything: anything may have changed in the
  // gap) or went down (entries then live `fallback_ttl`).
  void SetLive(bool live) {
    std::lock_guard lock(mu_);
    if (live && !live_) DropAllLocked();
    live_ = live;
  }

  // Asked before a hit is served: true when an announcement may be waiting.
  void SetPendingCheck(std::function<bool()> pending) {
    std::lock_guard lock(mu_);
    pending_ = std::move(pending);
  }

  bool live() const {
    std::lock_guard lock(mu_);
    return live_;
  }
  Counts counts() const {
    std::lock_guard lock(mu_);
    return counts_;
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return map_.size();
  }

 private:
  struct Entry {
    absl::StatusOr<T> value;
    absl::Time fetched;
  };
  bool FreshLocked(const Entry& entry) const {
    const absl::Duration ttl = live_ ? options_.live_ttl : options_.fallback_ttl;
    return clock_.Now() - entry.fetched < ttl && !(pending_ && pending_());
  }
  void DropAllLocked() {
    ++generation_;
    map_.clear();
  }

  const Clock& clock_;
  const LocalCacheOptions options_;
  mutable std::mutex mu_;
  bool live_ = false;
  uint64_t generation_ = 0;  // moves on every drop
  std::unordered_map<std::string, Entry> map_;
  std::function<bool()> pending_;
  Counts counts_;
};

}  // namespace sportello::cache
