#include "common/cache/redis.h"

#include <hiredis/hiredis.h>

#include <boost/url/parse.hpp>

#include "common/crypto.h"
#include "common/log.h"

namespace sportello::cache {

struct RedisCache::Connection {
  redisContext* ctx = nullptr;
  ~Connection() {
    if (ctx) redisFree(ctx);
  }
};

struct RedisCache::Reply {
  redisReply* r = nullptr;
  ~Reply() {
    if (r) freeReplyObject(r);
  }
};

namespace {

timeval Timeval(absl::Duration d) { return absl::ToTimeval(d); }

long long NowMicros() { return absl::ToUnixMicros(absl::Now()); }

}  // namespace

std::optional<RedisAddress> ParseRedisUrl(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "redis") return std::nullopt;
  RedisAddress out;
  if (!parsed->host().empty()) out.host = parsed->host();
  if (parsed->has_port()) out.port = parsed->port_number();
  if (parsed->has_password()) out.password = parsed->password();
  std::string path = parsed->path();
  if (path.size() > 1) out.db = std::atoi(path.c_str() + 1);
  return out;
}

RedisCache::RedisCache(RedisOptions options)
    : options_(std::move(options)), connections_(std::max(1, options_.connections)) {
  if (options_.url.empty()) return;
  auto address = ParseRedisUrl(options_.url);
  if (!address) {
    // Not the URL itself: it may carry a password.
    log::Error("invalid Redis URL (redis://[:password@]host:port/db expected); cache disabled");
    options_.url.clear();
    return;
  }
  host_ = address->host;
  port_ = address->port;
  password_ = address->password;
  db_ = address->db;
}

RedisCache::~RedisCache() = default;

bool AppendCommand(redisContext* ctx, const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  return redisAppendCommandArgv(ctx, static_cast<int>(argv.size()), ptrs.data(), lens.data()) == REDIS_OK;
}

std::unique_ptr<RedisCache::Reply> RedisCache::Command(const std::vector<std::string>& argv, std::string* error) {
  if (!enabled() || NowMicros() < down_until_us_.load(std::memory_order_relaxed)) return nullptr;
  auto lease = connections_.Acquire(options_.timeout);
  if (!lease) return nullptr;
  std::unique_ptr<Connection>& conn = lease->get();
  auto fail = [&](std::string_view what) -> std::unique_ptr<Reply> {
    // Copied before the context that owns the text is freed.
    std::string err = conn && conn->ctx && conn->ctx->err ? conn->ctx->errstr : "";
    conn.reset();
    long long until = NowMicros() + absl::ToInt64Microseconds(options_.backoff);
    if (down_until_us_.exchange(until) < NowMicros()) {
      log::Warn("redis unavailable; serving without cache", {{"what", what}, {"error", err}});
    }
    return nullptr;
  };
  auto run = [&](const std::vector<std::string>& args) -> std::unique_ptr<Reply> {
    void* raw = nullptr;
    if (!AppendCommand(conn->ctx, args) || redisGetReply(conn->ctx, &raw) != REDIS_OK || raw == nullptr) {
      return nullptr;
    }
    auto reply = std::make_unique<Reply>();
    reply->r = static_cast<redisReply*>(raw);
    return reply;
  };
  if (!conn) {
    conn = std::make_unique<Connection>();
    conn->ctx = redisConnectWithTimeout(host_.c_str(), port_, Timeval(options_.timeout));
    if (!conn->ctx || conn->ctx->err) return fail("connect");
    redisSetTimeout(conn->ctx, Timeval(options_.timeout));
    if (!password_.empty()) {
      auto r = run({"AUTH", password_});
      if (!r || r->r->type == REDIS_REPLY_ERROR) return fail("auth");
    }
    if (db_ != 0) {
      auto r = run({"SELECT", std::to_string(db_)});
      if (!r || r->r->type == REDIS_REPLY_ERROR) return fail("select");
    }
  }
  auto reply = run(argv);
  if (!reply) return fail(argv.empty() ? "" : argv[0]);
  if (reply->r->type == REDIS_REPLY_ERROR) {
    if (error != nullptr) {
      error->assign(reply->r->str, reply->r->len);
    } else {
      log::Warn("redis error reply", {{"command", argv[0]}, {"error", std::string_view(reply->r->str, reply->r->len)}});
    }
    return nullptr;
  }
  return reply;
}

std::unique_ptr<RedisCache::Reply> RedisCache::Eval(const std::string& script, const std::vector<std::string>& keys,
                                                    const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"EVALSHA", Sha1Hex(script), std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  std::string error;
  auto reply = Command(argv, &error);
  if (reply == nullptr && error.rfind("NOSCRIPT", 0) == 0) {
    // Not loaded yet (a new or restarted Redis): EVAL runs it and keeps it.
    argv[0] = "EVAL";
    argv[1] = script;
    return Command(argv);
  }
  if (reply == nullptr && !error.empty()) {
    log::Warn("redis error reply", {{"command", std::string_view("EVALSHA")}, {"error", error}});
  }
  return reply;
}

std::optional<std::string> RedisCache::Get(const std::string& key) {
  auto reply = Command({"GET", key});
  if (!reply || reply->r->type != REDIS_REPLY_STRING) return std::nullopt;
  return std::string(reply->r->str, reply->r->len);
}

bool RedisCache::Set(const std::string& key, const std::string& value, absl::Duration ttl) {
  long long ms = std::max<long long>(1, absl::ToInt64Milliseconds(ttl));
  return Command({"SET", key, value, "PX", std::to_string(ms)}) != nullptr;
}

bool RedisCache::Delete(const std::string& key) { return Command({"DEL", key}) != nullptr; }

std::optional<long long> RedisCache::Increment(const std::string& key) {
  auto reply = Command({"INCR", key});
  if (!reply || reply->r->type != REDIS_REPLY_INTEGER) return std::nullopt;
  return reply->r->integer;
}

std::optional<long long> RedisCache::EvalInt(const std::string& script, const std::vector<std::string>& keys,
                                             const std::vector<std::string>& args) {
  auto reply = Eval(script, keys, args);
  if (!reply || reply->r->type != REDIS_REPLY_INTEGER) return std::nullopt;
  return reply->r->integer;
}

std::optional<std::vector<std::optional<std::string>>> RedisCache::EvalStrings(
    const std::string& script, const std::vector<std::string>& keys, const std::vector<std::string>& args) {
  auto reply = Eval(script, keys, args);
  if (!reply || reply->r->type != REDIS_REPLY_ARRAY) return std::nullopt;
  std::vector<std::optional<std::string>> out;
  for (size_t i = 0; i < reply->r->elements; ++i) {
    const redisReply* e = reply->r->element[i];
    if (e->type == REDIS_REPLY_STRING) {
      out.emplace_back(std::string(e->str, e->len));
    } else if (e->type == REDIS_REPLY_NIL) {
      out.emplace_back(std::nullopt);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::optional<long long> RedisCache::Publish(const std::string& channel, const std::string& message) {
  auto reply = Command({"PUBLISH", channel, message});
  if (!reply || reply->r->type != REDIS_REPLY_INTEGER) return std::nullopt;
  return reply->r->integer;
}

}  // namespace sportello::cache
