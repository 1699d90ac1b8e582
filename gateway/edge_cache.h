#pragma once
// The gateway's edge cache: public, anonymous GET answers held in memory, so
// that the pages municipal websites read over and over (service cards,
// offices, search, Open311 service lists, dataset metadata, feeds) are
// answered without a gRPC call.
//
// What may be cached is decided here, with correctness first (EdgeScopeOf):
// - only GET (and HEAD, answered from the same entry) without Authorization,
//   Cookie or an api_key, on an allow-list of routes whose anonymous answer
//   is the same for everyone and carries no personal data (kCacheableRpcs),
//   plus the read-only compatibility layers (Open311 service lists, feeds,
//   DCAT, CKAN);
// - only a 200 with a body, no Set-Cookie, no Cache-Control private or
//   no-store (EdgeCache::Storable).
// Entries are keyed by path and query as sent, Accept, Accept-Language and
// Host (feeds name their host), and tagged with the upstream service whose
// data they show ("*" for the compatibility layers, which may read several).
//
// Freshness: the services announce each committed write
// (common/cache/changes.h) and the gateway drops the entries of that service
// (Drop); a write through this gateway also drops them before it is answered.
// A miss stores its answer only if no drop happened since it began (the
// generation check), so a read racing with a write never stores the old
// data. Without the announcement channel the cache is not live: every
// request bypasses it, and SetLive(true) after a resubscription drops
// everything first. Entries also expire after `ttl`, which bounds what a lost
// announcement (a service that could not reach Redis) can leave behind.
//
//   EdgeCache cache({.max_bytes = 64 << 20, .ttl = std::chrono::seconds(60)});
//   auto scope = EdgeScopeOf(routes, request);     // nullopt: pass through
//   auto found = cache.Find(CacheKey(request));    // kHit: found.response
//   ... on a miss, later: cache.Store(key, scope->tag, found.generation, response);
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iterator>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "gateway/routes.h"
#include "gateway/transcoder.h"

namespace sportello::gateway {

struct EdgeCacheOptions {
  size_t max_bytes = 64 << 20;  // keys, headers and bodies; least recently used go first
  std::chrono::milliseconds ttl{60000};
};

// What a request means to the cache.
struct EdgeScope {
  bool cacheable = false;  // a GET that may be answered from the cache
  std::string tag;         // the upstream service ("catalogue"), or "*": several or unknown
  // Shorter than the cache's own for answers that change with the clock and
  // no write (a scheduled message enters the feeds at its publish_time):
  // they are late by at most this much.
  std::chrono::milliseconds ttl{0};  // 0: the cache's
};

// The lifetime of answers that depend on the clock (feeds, ListPublished).
inline constexpr std::chrono::milliseconds kClockBoundTtl{5000};

// nullopt for requests the cache has nothing to do with (builtins, OPTIONS,
// a GET that must not be cached); for a write, the tag to drop after it.
std::optional<EdgeScope> EdgeScopeOf(const RouteTable& routes, const HttpRequest& request);

// Path and query, Accept, Accept-Language and Host, one per line.
std::string CacheKey(const HttpRequest& request);
// Cache-Control: no-cache or Pragma: no-cache (RFC 9111 5.2.1.4): the client
// wants the origin's answer (the bench's uncached rows send it).
bool WantsRefresh(const HttpRequest& request);

class EdgeCache {
 public:
  enum class Outcome { kHit, kMiss, kBypass };
  struct Found {
    Outcome outcome = Outcome::kBypass;
    std::shared_ptr<const HttpResponse> response;  // on a hit
    uint64_t generation = 0;                       // on a miss: give it back to Store
  };

  explicit EdgeCache(EdgeCacheOptions options);

  // `refresh` (a request's Cache-Control: no-cache): a miss whatever is held,
  // so the answer is fetched and stored anew.
  Found Find(const std::string& key, bool refresh = false);
  // Keeps a copy of `response` if it is Storable, the cache is live and
  // nothing was dropped since the Find that returned `generation`.
  // `ttl` (0: the cache's) shortens this entry's life.
  bool Store(const std::string& key, const std::string& tag, uint64_t generation, const HttpResponse& response,
             std::chrono::milliseconds ttl = std::chrono::milliseconds(0));
  // Drops the entries tagged `tag` and those tagged "*"; "*" drops everything.
  void Drop(const std::string& tag);
  // Asked (outside the lock) before a hit is served: true turns it into a
  // miss. ChangeSubscriber::Pending: an announcement that has arrived but
  // not been handled yet must not be overtaken by the reader it concerns.
  void SetPendingCheck(std::function<bool()> pending) { pending_ = std::move(pending); }
  // Not live: every Find bypasses and nothing is stored. Becoming live drops everything.
  void SetLive(bool live);
  bool live() const;

  static bool Storable(const HttpResponse& response);

  struct Stats {
    uint64_t hits = 0, misses = 0, bypasses = 0, stored = 0, drops = 0, evictions = 0;
    size_t entries = 0, bytes = 0;
    bool live = false;
  };
  Stats stats() const;
  // Prometheus text lines: sportello_gateway_cache_{hits,misses,bypasses,...}.
  std::string RenderMetrics() const;

 private:
  struct Entry {
    std::string key;
    std::string tag;
    std::shared_ptr<const HttpResponse> response;
    size_t bytes = 0;
    std::chrono::steady_clock::time_point expires;
  };
  using List = std::list<Entry>;
  void EraseLocked(List::iterator it);

  const EdgeCacheOptions options_;
  std::function<bool()> pending_;
  mutable std::mutex mu_;
  List lru_;  // most recently used first
  std::unordered_map<std::string, List::iterator> index_;
  size_t bytes_ = 0;
  uint64_t generation_ = 0;  // bumped by every drop and every change of liveness
  bool live_ = false;
  std::atomic<uint64_t> hits_{0}, misses_{0}, bypasses_{0}, stored_{0}, drops_{0}, evictions_{0};
};

}  // namespace sportello::gateway
