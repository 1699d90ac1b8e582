#pragma once
// Rate limits as token buckets in Redis, shared by every replica: each key
// holds up to `burst` tokens, refilled at `per_minute`; a call takes one.
// Redis unreachable: the call is allowed (a limit is protection, not the
// system of record, and must never refuse a citizen because Redis is down).
//
//   RateLimiter submissions(redis, "complaints:submit", 20, 10);
//   if (!submissions.Allow(tenant + "|" + client_ip)) return absl::ResourceExhaustedError(...);
#include <string>

#include "common/cache/redis.h"

namespace sportello::cache {

class RateLimiter {
 public:
  RateLimiter(RedisCache& redis, std::string name, double per_minute, int burst)
      : redis_(redis), name_(std::move(name)), per_minute_(per_minute), burst_(burst) {}

  bool Allow(const std::string& key);

 private:
  RedisCache& redis_;
  std::string name_;
  double per_minute_;
  int burst_;
};

}  // namespace sportello::cache
