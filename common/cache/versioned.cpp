#include "common/cache/versioned.h"

namespace sportello::cache {

namespace {

// The version and the entry under it in one round trip (it was two GETs).
// No counter yet reads as version "0". Storing under a version older than
// the current one is harmless: nobody reads it. The counter never expires,
// so an old version cannot come back.
constexpr char kGetScript[] =
    "local v = redis.call('GET', KEYS[1]) or '0' "
    "return {v, redis.call('GET', ARGV[1] .. ':' .. v .. ':' .. ARGV[2])}";

}  // namespace

VersionedCache::Lookup VersionedCache::Get(const std::string& scope, const std::string& key) {
  Lookup out;
  if (!redis_.enabled()) return out;
  auto got = redis_.EvalStrings(kGetScript, {VersionKey(scope)}, {prefix_ + ":" + scope, key});
  // Redis unreachable: a miss, and nothing stored afterwards (version empty).
  if (!got || got->size() != 2 || !(*got)[0]) return out;
  out.version = *(*got)[0];
  out.value = std::move((*got)[1]);
  return out;
}

void VersionedCache::Put(const Lookup& at, const std::string& scope, const std::string& key,
                         const std::string& value) {
  if (at.version.empty()) return;
  redis_.Set(prefix_ + ":" + scope + ":" + at.version + ":" + key, value, ttl_);
}

void VersionedCache::Bump(const std::string& scope) { redis_.Increment(VersionKey(scope)); }

}  // namespace sportello::cache
