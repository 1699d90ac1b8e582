#pragma once
// Delivers a schema's outbox (outbox.h) to each configured subscriber, at
// least once and in order, over sportello.v1.EventSink; a background thread
// that every replica of a service runs.
//
// Per subscriber, one pass (DeliverOnce):
//   1. claim: in a short transaction, take the subscriber's cursor row with
//      FOR UPDATE SKIP LOCKED unless another replica's lease is still running,
//      set `leased_until` = now + lease and a fresh lease token, commit;
//   2. read the next batch after the cursor (no lock kept);
//   3. deliver event by event with no transaction open and no row locked,
//      stopping at the first failure and before the lease could run out
//      (each call's deadline ends inside the lease);
//   4. advance the cursor to the last acknowledged event and release the
//      lease, only if the lease token is still ours.
// So two replicas never deliver to one subscriber at once, a failing
// subscriber gets the same events again on the next pass, and a restart of
// either side resumes from the cursor (a crashed replica's lease expires).
// Leases compare the replicas' clocks: keep them within a fraction of the
// lease (NTP does).
//
// Subscribers come from configuration, SPORTELLO_<SERVICE>_SUBSCRIBERS =
// "name=host:port,...": see ParseSubscribers. A subscriber with several
// replicas lists them all (or one dns:/// name): the relay's channel balances
// over them, and one replica down does not stop delivery. A subscriber's name is its
// cursor: renaming one replays every event to it. A subscriber that names the
// event types it wants ("surveys[request.closed]=...") is called for those
// alone; its cursor moves past the others as if they had been delivered.
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/tls_config.h"
#include "common/clock.h"
#include "common/outbox/event.h"

namespace sportello::db {
class Pool;
}

namespace sportello::outbox {

// Where events go. Deliver returns OK once the consumer has the event.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual absl::Status Deliver(const Event& event, absl::Duration timeout) = 0;
};

// A sportello.v1.EventSink at `address`, presenting `bearer_token` when set.
std::unique_ptr<Sink> GrpcSink(const std::string& address, const std::string& bearer_token,
                               const TlsConfig& tls = {});

struct Subscriber {
  std::string name;     // [a-z0-9_-], the cursor's key
  std::string address;  // its EventSink: host:port, several, or dns:///name:port (common/grpc/target.h)
  std::set<std::string> types = {};  // the event types it wants; empty: every event

  bool Wants(const std::string& type) const { return types.empty() || types.count(type) > 0; }
};

// "audit=127.0.0.1:7001, dispatch=dispatch:50055" -> two subscribers;
// "surveys=10.0.0.1:50053,10.0.0.2:50053,audit=dns:///audit:7001" -> two,
// the first with two replicas (an entry without "=" continues the previous
// one's addresses); "surveys[request.closed|request.reopened]=surveys:50053"
// -> one, called for those two event types only. INVALID_ARGUMENT naming the
// bad entries (no name, empty or odd name or type, a name given twice, an
// address ChannelTarget refuses).
absl::StatusOr<std::vector<Subscriber>> ParseSubscribers(std::string_view text);

struct RelaySettings {
  std::string schema = "";                // the service's schema: "complaints"
  std::vector<Subscriber> subscribers = {};
  std::string bearer_token = "";          // presented to the subscribers
  TlsConfig tls = {};                     // how to reach them (plaintext when not enabled)
  int batch_size = 100;                   // events read per pass
  absl::Duration poll_interval = absl::Seconds(1);
  absl::Duration lease = absl::Seconds(30);
  absl::Duration call_timeout = absl::Seconds(5);  // one Deliver call
};

class Relay {
 public:
  // Delivers through gRPC, one GrpcSink per configured subscriber.
  Relay(db::Pool& pool, const Clock& clock, RelaySettings settings);
  // Delivers through the given sinks (by subscriber name); of settings.subscribers
  // only the event types are used.
  Relay(db::Pool& pool, const Clock& clock, RelaySettings settings,
        std::map<std::string, std::shared_ptr<Sink>> sinks);
  ~Relay();  // Stop()

  // Starts the background thread (every poll_interval: a pass per subscriber,
  // repeated at once while full batches come). Stop() wakes it and joins.
  void Start();
  void Stop();

  // One pass for one subscriber (see above): how many events its cursor moved
  // past (delivered, or not of a type it wants); 0 as well when another
  // replica holds the lease. Errors are the database's; a failing subscriber
  // is not an error here (logged, and retried).
  absl::StatusOr<int> DeliverOnce(const std::string& subscriber);

 private:
  struct Claim {
    long long last_sequence = 0;
    std::string token;
    absl::Time until;
  };
  absl::StatusOr<std::optional<Claim>> TakeLease(const std::string& subscriber);
  void Loop();

  db::Pool& pool_;
  const Clock& clock_;
  RelaySettings settings_;
  std::map<std::string, std::shared_ptr<Sink>> sinks_;
  std::map<std::string, Subscriber> subscribers_;  // by name: the event types each wants
  std::string claim_sql_, release_sql_, ensure_sql_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sportello::outbox
