#include "common/cache/changes.h"

#include <hiredis/hiredis.h>
#include <poll.h>

#include <cerrno>
#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "common/log.h"

namespace sportello::cache {
namespace {

std::string_view OrDash(std::string_view s) { return s.empty() ? std::string_view("-") : s; }

bool IsWord(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

std::string_view ReplyText(const redisReply* r) {
  if (r == nullptr || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS)) return {};
  return std::string_view(r->str, r->len);
}

}  // namespace

std::string EncodeChange(const Change& change) {
  std::string out(OrDash(change.service));
  out += ' ';
  out += OrDash(change.tenant);
  out += ' ';
  out += OrDash(change.kind);
  return out;
}

std::optional<Change> DecodeChange(std::string_view text) {
  std::vector<std::string_view> parts;
  for (size_t start = 0; parts.size() < 4;) {
    size_t space = text.find(' ', start);
    parts.push_back(text.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  if (parts.size() != 3) return std::nullopt;
  for (auto p : parts) {
    if (!IsWord(p)) return std::nullopt;
  }
  auto field = [](std::string_view s) { return s == "-" ? std::string() : std::string(s); };
  Change c{field(parts[0]), field(parts[1]), field(parts[2])};
  if (c.service.empty()) return std::nullopt;
  return c;
}

// Every service's channel, and the single channel of older releases (changes.h).
constexpr char kEveryServicePattern[] = "sportello:changes*";

std::string ChangesChannel(std::string_view service) { return kChangesChannelPrefix + std::string(service); }

ChangeAnnouncer::ChangeAnnouncer(RedisCache& redis, std::string service)
    : redis_(redis),
      service_(std::move(service)),
      line_("changes." + service_, 64, 1, [this](std::vector<Pending*>& line) { PublishAll(line); }) {}

bool ChangeAnnouncer::Announce(std::string_view tenant, std::string_view kind) {
  if (!redis_.enabled()) return false;
  Pending p{Change{service_, IsWord(tenant) ? std::string(tenant) : "", IsWord(kind) ? std::string(kind) : ""}};
  line_.Run(p);
  return p.told;
}

void ChangeAnnouncer::PublishAll(std::vector<Pending*>& line) {
  std::map<std::string, bool> told;  // each distinct change, published once
  for (Pending* p : line) {
    const std::string message = EncodeChange(p->change);
    auto it = told.find(message);
    if (it == told.end()) {
      it = told.emplace(message, redis_.Publish(ChangesChannel(service_), message).has_value()).first;
    }
    p->told = it->second;
  }
}

ChangeSubscriber::ChangeSubscriber(ChangeSubscriberOptions options, ChangeHandlers handlers)
    : options_(std::move(options)), handlers_(std::move(handlers)) {
  if (!options_.url.empty()) {
    address_ = ParseRedisUrl(options_.url);
    // Not the URL itself: it may carry a password.
    if (!address_) log::Error("invalid Redis URL for change announcements; the edge cache stays off");
  }
}

ChangeSubscriber::~ChangeSubscriber() { Stop(); }

void ChangeSubscriber::Start() {
  if (!address_ || thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void ChangeSubscriber::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool ChangeSubscriber::Pending() const {
  const uint64_t before = handling_.load();
  if (before % 2 == 1) return true;
  const int fd = fd_.load();
  if (fd < 0) return false;  // not subscribed: the cache is not live anyway
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 0) != 0) return true;  // bytes waiting (or an error: be safe)
  // Read meanwhile: its handling may not be over.
  return handling_.load() != before;
}

void ChangeSubscriber::Run() {
  bool warned = false;
  while (!Stopping()) {
    timeval tv = absl::ToTimeval(options_.timeout);
    redisContext* ctx = redisConnectWithTimeout(address_->host.c_str(), address_->port, tv);
    bool ok = ctx != nullptr && ctx->err == 0;
    if (ok) {
      redisSetTimeout(ctx, tv);
      if (!address_->password.empty()) {
        auto* r = static_cast<redisReply*>(redisCommand(ctx, "AUTH %b", address_->password.data(),
                                                        address_->password.size()));
        ok = r != nullptr && r->type != REDIS_REPLY_ERROR;
        if (r) freeReplyObject(r);
      }
    }
    if (ok) ok = Subscribe(ctx);
    if (ok) {
      log::Info("subscribed to change announcements", {{"channels", absl::StrJoin(Channels(), " ")}});
      warned = false;
      subscribed_ = true;
      if (handlers_.on_up) handlers_.on_up();
      fd_ = ctx->fd;
      Listen(ctx);
      fd_ = -1;
      subscribed_ = false;
      if (handlers_.on_down) handlers_.on_down();
      if (!Stopping()) log::Warn("change announcements lost; the edge cache is bypassed until resubscribed");
    } else if (!warned) {
      log::Warn("cannot subscribe to change announcements; the edge cache is bypassed",
                {{"error", ctx && ctx->err ? std::string(ctx->errstr) : std::string("refused")}});
      warned = true;
    }
    if (ctx) redisFree(ctx);
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, absl::ToChronoNanoseconds(options_.retry), [this] { return stop_.load(); });
  }
}

std::vector<std::string> ChangeSubscriber::Channels() const {
  if (options_.services.empty()) return {kEveryServicePattern};
  std::vector<std::string> out;
  for (const std::string& s : options_.services) out.push_back(ChangesChannel(s));
  return out;
}

bool ChangeSubscriber::Subscribe(redisContext* ctx) {
  // Every service: the pattern; else one SUBSCRIBE of each channel, each
  // confirmed by ["subscribe", channel, count] (["psubscribe", pattern, count]).
  const std::string confirmation = options_.services.empty() ? "psubscribe" : "subscribe";
  std::vector<std::string> command = {absl::AsciiStrToUpper(confirmation)};
  for (std::string& channel : Channels()) command.push_back(std::move(channel));
  if (!AppendCommand(ctx, command)) return false;
  for (size_t i = 1; i < command.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx, &raw) != REDIS_OK || raw == nullptr) return false;
    auto* r = static_cast<redisReply*>(raw);
    const bool confirmed =
        r->type == REDIS_REPLY_ARRAY && r->elements == 3 && ReplyText(r->element[0]) == confirmation;
    freeReplyObject(r);
    if (!confirmed) return false;
  }
  return true;
}

void ChangeSubscriber::Listen(redisContext* ctx) {
  using Clock = std::chrono::steady_clock;
  const auto ping_interval = absl::ToChronoNanoseconds(options_.ping_interval);
  const auto timeout = absl::ToChronoNanoseconds(options_.timeout);
  auto last_heard = Clock::now();
  std::optional<Clock::time_point> ping_sent;
  // Only this thread changes handling_: even again once what was read is handled.
  auto settle = [this] {
    if (handling_.load() % 2 == 1) handling_.fetch_add(1);
  };
  while (!Stopping()) {
    // Every complete reply already read.
    while (true) {
      void* raw = nullptr;
      if (redisReaderGetReply(ctx->reader, &raw) != REDIS_OK) return settle();  // protocol error
      if (raw == nullptr) break;
      auto* r = static_cast<redisReply*>(raw);
      // ["message", channel, payload] or ["pmessage", pattern, channel,
      // payload]; a PING answers ["pong", ""].
      const bool message = r->type == REDIS_REPLY_ARRAY &&
                           ((r->elements == 3 && ReplyText(r->element[0]) == "message") ||
                            (r->elements == 4 && ReplyText(r->element[0]) == "pmessage"));
      if (message) {
        std::string_view payload = ReplyText(r->element[r->elements - 1]);
        if (auto change = DecodeChange(payload)) {
          if (handlers_.on_change) handlers_.on_change(*change);
        } else {
          log::Warn("unreadable change announcement", {{"payload", payload.substr(0, 200)}});
        }
      }
      freeReplyObject(r);
    }
    settle();
    // Wakes at least every 100 ms to notice Stop().
    pollfd p{ctx->fd, POLLIN, 0};
    int n = poll(&p, 1, 100);
    if (n < 0 && errno != EINTR) return;
    auto now = Clock::now();
    if (n > 0) {
      // Odd until what was read is handled (the loop above): see Pending().
      handling_.fetch_add(1);
      if (redisBufferRead(ctx) != REDIS_OK) return settle();  // closed or broken
      last_heard = now;
      ping_sent.reset();
      continue;
    }
    if (ping_sent) {
      if (now - *ping_sent > timeout) return;  // silent: lost
    } else if (now - last_heard > ping_interval) {
      if (redisAppendCommand(ctx, "PING") != REDIS_OK) return;
      int done = 0;
      while (!done) {
        if (redisBufferWrite(ctx, &done) != REDIS_OK) return;
      }
      ping_sent = now;
    }
  }
}

}  // namespace sportello::cache
