#pragma once
// Cache-aside with versioned keys. Every entry is stored under the current
// version of its scope; a write bumps the version (INCR), which makes every
// entry of the scope unreachable at once, on every replica, with no list of
// keys to delete. An entry stored by a reader that raced with a write sits
// under the old version and is never read. Old entries expire by TTL.
//
//   auto hit = cache.Get("catalogue", key);
//   if (hit.value) return Parse(*hit.value);
//   ... load from PostgreSQL ...
//   cache.Put(hit, "catalogue", key, bytes);   // stored under the version read before loading
//   ...
//   cache.Bump("catalogue");                   // after a committed write
//
// Redis down: Get misses, Put and Bump do nothing; reads go to PostgreSQL.
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/cache/redis.h"

namespace sportello::cache {

class VersionedCache {
 public:
  struct Lookup {
    std::string version;               // empty when Redis could not be asked
    std::optional<std::string> value;  // the entry, on a hit
  };

  VersionedCache(RedisCache& redis, std::string prefix, absl::Duration ttl)
      : redis_(redis), prefix_(std::move(prefix)), ttl_(ttl) {}

  Lookup Get(const std::string& scope, const std::string& key);
  void Put(const Lookup& at, const std::string& scope, const std::string& key, const std::string& value);
  void Bump(const std::string& scope);

 private:
  std::string VersionKey(const std::string& scope) const { return prefix_ + ":ver:" + scope; }
  RedisCache& redis_;
  std::string prefix_;
  absl::Duration ttl_;
};

}  // namespace sportello::cache
