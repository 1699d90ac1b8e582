#pragma once
// Change announcements from the services to the gateways' edge caches, over
// Redis pub/sub, one channel a service (ChangesChannel: "sportello:changes:
// catalogue"). After a committed write a service announces which service
// changed, for which tenant and which kind of resource (the RPC that wrote);
// every gateway (subscribed to every service's channel) drops what it holds
// from that service. A cache of one service's answers subscribes to that
// service's channel alone, so the writes of the others never wake it.
//
// Pub/sub delivers only to connected subscribers, at most once: a subscriber
// that loses its connection must assume it missed announcements.
// ChangeSubscriber says so through on_down (the cache stops serving) and
// on_up once it is subscribed again (the cache drops everything, then serves).
//
//   ChangeAnnouncer changes(core.cache, "catalogue");
//   changes.Announce("c_f027", "UpdateOffice");        // after the commit
//
//   ChangeSubscriber sub({.url = redis_url},     // .services = {"catalogue"}: that one's only
//                        {.on_change = [&](const Change& c) { cache.Drop(c.service); },
//                         .on_up = [&] { cache.SetLive(true); },
//                         .on_down = [&] { cache.SetLive(false); }});
//   sub.Start();   // on_up / on_down / on_change run on the subscriber's thread
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "common/cache/redis.h"
#include "common/group_commit.h"

namespace sportello::cache {

// A service's channel is the prefix and its name. Subscribing to every
// service is the pattern "sportello:changes*", which also matches the one
// channel of releases before 2026-12 ("sportello:changes"): a gateway
// upgraded first keeps hearing services not yet upgraded.
inline constexpr char kChangesChannelPrefix[] = "sportello:changes:";
std::string ChangesChannel(std::string_view service);

struct Change {
  std::string service;  // "catalogue": the gateway's upstream name
  std::string tenant;   // the writer's tenant, "" when unknown
  std::string kind;     // what was written: the RPC, "UpdateOffice"
};

// "catalogue c_f027 UpdateOffice" ("-" for an empty field); DecodeChange
// refuses anything else.
std::string EncodeChange(const Change& change);
std::optional<Change> DecodeChange(std::string_view text);

// The publishing side, one per service process (ServiceCore::changes).
// Redis is never the system of record: a failed announcement leaves the
// write standing; the gateways' entry lifetime bounds what they may miss.
// Writers announcing while a PUBLISH is under way wait in line and then share
// one (common/group_commit.h): the same change announced by several of them
// is published once, after all of their writes, so every gateway is woken
// once for them, not once each.
class ChangeAnnouncer {
 public:
  ChangeAnnouncer(RedisCache& redis, std::string service);
  // False when Redis could not be told. Returns once it is.
  bool Announce(std::string_view tenant, std::string_view kind);
  const std::string& service() const { return service_; }

 private:
  struct Pending {
    Change change;
    bool told = false;
  };
  void PublishAll(std::vector<Pending*>& line);

  RedisCache& redis_;
  std::string service_;
  GroupCommit<Pending> line_;
};

struct ChangeSubscriberOptions {
  std::string url;                                   // redis://...; empty: never connects
  std::vector<std::string> services = {};            // whose announcements; empty: every service's
  absl::Duration timeout = absl::Milliseconds(500);  // connect, subscribe, and the answer to a PING
  absl::Duration ping_interval = absl::Seconds(1);   // a silent connection is checked this often
  absl::Duration retry = absl::Milliseconds(500);    // between connection attempts
};

struct ChangeHandlers {
  std::function<void(const Change&)> on_change = nullptr;
  std::function<void()> on_up = nullptr;    // subscribed (again): nothing was heard before this
  std::function<void()> on_down = nullptr;  // the channel is lost: announcements may be missed from now on
};

// A thread holding one subscribed connection, reconnecting after a failure.
// A connection that answers neither a message nor a PING within `timeout` is
// dropped as lost (Redis stopped, or the network swallows packets).
class ChangeSubscriber {
 public:
  ChangeSubscriber(ChangeSubscriberOptions options, ChangeHandlers handlers);
  ~ChangeSubscriber();
  void Start();
  void Stop();  // idempotent; on_down has run if on_up had
  bool subscribed() const { return subscribed_.load(); }
  // True when an announcement may have arrived and not been handled yet:
  // bytes wait on the connection, or the thread is handling some. A cache
  // asks before serving a hit, so that a write announced before its writer
  // heard OK is never hidden by a subscriber thread that has not run yet.
  // One poll(2) with no wait; safe from any thread.
  bool Pending() const;

 private:
  void Run();
  bool Subscribe(struct redisContext* ctx);  // false: the connection is no good
  std::vector<std::string> Channels() const;  // the channels it subscribes to, or the pattern
  // Returns when the connection fails or Stop() is called.
  void Listen(struct redisContext* ctx);
  bool Stopping() const { return stop_.load(); }

  ChangeSubscriberOptions options_;
  ChangeHandlers handlers_;
  std::optional<RedisAddress> address_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> subscribed_{false};
  std::atomic<int> fd_{-1};              // the subscribed connection's socket
  std::atomic<uint64_t> handling_{0};    // odd while reading and handling announcements
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace sportello::cache
