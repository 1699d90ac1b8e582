#pragma once
// Redis client for cache-aside reads, rate limits and de-duplication.
// Redis is never the system of record: every failure (Redis down, slow,
// refusing) is reported as a miss / false / nullopt, never as an error the
// caller must handle, and after a failure the client stops trying for a
// short back-off so an outage costs callers nothing but the miss.
//
//   RedisCache cache({.url = "redis://127.0.0.1:56379/0", .timeout = absl::Milliseconds(200)});
//   if (auto hit = cache.Get("catalogue:v1:tenant:c_f027")) { ... }
//   cache.Set("catalogue:v1:tenant:c_f027", bytes, absl::Minutes(5));
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/resource_pool.h"

struct redisContext;

namespace sportello::cache {

// Where a redis://[:password@]host:port[/db] URL points; nullopt when it is
// not such a URL.
struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;
  int db = 0;
};
std::optional<RedisAddress> ParseRedisUrl(const std::string& url);

// Queues `argv` as one command (binary-safe) on `ctx`, for redisGetReply;
// false when hiredis refuses it.
bool AppendCommand(redisContext* ctx, const std::vector<std::string>& argv);

struct RedisOptions {
  std::string url;                                  // redis://[:password@]host:port[/db]; empty disables
  absl::Duration timeout = absl::Milliseconds(200);  // connect and each command
  absl::Duration backoff = absl::Seconds(1);         // no attempts this long after a failure
  int connections = 4;
};

class RedisCache {
 public:
  explicit RedisCache(RedisOptions options);
  ~RedisCache();

  std::optional<std::string> Get(const std::string& key);
  bool Set(const std::string& key, const std::string& value, absl::Duration ttl);
  bool Delete(const std::string& key);
  std::optional<long long> Increment(const std::string& key);
  // EVAL of a Lua script returning an integer.
  std::optional<long long> EvalInt(const std::string& script, const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args);
  // EVAL of a Lua script returning an array of strings and nils (each nil
  // a nullopt); nullopt on failure or any other reply.
  std::optional<std::vector<std::optional<std::string>>> EvalStrings(const std::string& script,
                                                                     const std::vector<std::string>& keys,
                                                                     const std::vector<std::string>& args);
  // PUBLISH: the number of subscribers that received it; nullopt on failure.
  std::optional<long long> Publish(const std::string& channel, const std::string& message);

  bool enabled() const { return !options_.url.empty(); }

 private:
  struct Reply;
  struct Connection;
  // Runs one command; nullptr on any failure (and the back-off starts). An
  // error reply is a failure without back-off, logged unless `error` is
  // given, which then receives its text.
  std::unique_ptr<Reply> Command(const std::vector<std::string>& argv, std::string* error = nullptr);
  // A script by its SHA-1 (EVALSHA), sent whole (EVAL) only when Redis does
  // not know it yet: a script is parsed and hashed by Redis once, not at every call.
  std::unique_ptr<Reply> Eval(const std::string& script, const std::vector<std::string>& keys,
                              const std::vector<std::string>& args);

  RedisOptions options_;
  std::string host_, password_;
  int port_ = 6379, db_ = 0;
  ResourcePool<Connection> connections_;
  std::atomic<long long> down_until_us_{0};
};

}  // namespace sportello::cache
