#pragma once
// The complaints service's background work, on one thread: delivering the
// outbox to each configured subscriber (at least once, in order, resuming
// from its cursor after any restart), flagging overdue requests once,
// purging personal data past the retention period and idempotency answers
// after a day. Every replica runs it;
// row locks with SKIP LOCKED keep them from doing the same work twice.
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "services/complaints/store.h"

namespace sportello::complaints {

struct BackgroundSettings {
  std::map<std::string, std::string> subscribers;  // name -> host:port of a sportello.v1.EventSink
  std::string subscriber_token;                    // bearer token presented to subscribers
  absl::Duration delivery_interval = absl::Seconds(1);
  absl::Duration escalation_interval = absl::Seconds(30);
  absl::Duration purge_interval = absl::Hours(1);
  absl::Duration retention = absl::Hours(24 * 365);
};

// "audit=127.0.0.1:7001,dispatch=dispatch:50055" -> {audit: ..., dispatch: ...};
// entries without "=" are ignored and reported in `bad`.
std::map<std::string, std::string> ParseSubscribers(const std::string& text, std::string* bad);

class Background {
 public:
  Background(RequestStore& store, BackgroundSettings settings);
  ~Background();  // stops and joins

 private:
  void Loop();
  void DeliverAll();

  struct Sinks;
  RequestStore& store_;
  BackgroundSettings settings_;
  std::unique_ptr<Sinks> sinks_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sportello::complaints
