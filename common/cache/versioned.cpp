#include "common/cache/versioned.h"

namespace sportello::cache {

VersionedCache::Lookup VersionedCache::Get(const std::string& scope, const std::string& key) {
  Lookup out;
  if (!redis_.enabled()) return out;
  // No counter yet (or Redis unreachable) reads as version "0". Storing under
  // a version older than the current one is harmless: nobody reads it. The
  // counter never expires, so an old version cannot come back.
  out.version = redis_.Get(VersionKey(scope)).value_or("0");
  out.value = redis_.Get(prefix_ + ":" + scope + ":" + out.version + ":" + key);
  return out;
}

void VersionedCache::Put(const Lookup& at, const std::string& scope, const std::string& key,
                         const std::string& value) {
  if (at.version.empty()) return;
  redis_.Set(prefix_ + ":" + scope + ":" + at.version + ":" + key, value, ttl_);
}

void VersionedCache::Bump(const std::string& scope) { redis_.Increment(VersionKey(scope)); }

}  // namespace sportello::cache
