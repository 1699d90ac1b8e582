#include "common/cache/rate_limit.h"

namespace sportello::cache {
namespace {

// KEYS[1] bucket; ARGV: burst, tokens per second. Uses Redis' clock so that
// replicas with skewed clocks share one bucket. Returns 1 when allowed.
constexpr const char* kTokenBucket = R"LUA(
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or t
tokens = math.min(burst, tokens + (t - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', t)
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 60)
return allowed
)LUA";

}  // namespace

bool RateLimiter::Allow(const std::string& key) {
  auto allowed = redis_.EvalInt(kTokenBucket, {"ratelimit:" + name_ + ":" + key},
                                {std::to_string(burst_), std::to_string(per_minute_ / 60.0)});
  return !allowed || *allowed == 1;
}

}  // namespace sportello::cache
