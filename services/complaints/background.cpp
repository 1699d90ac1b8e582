#include "services/complaints/background.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_split.h"
#include "common/grpc/status.h"
#include "common/log.h"
#include "sportello/v1/common.grpc.pb.h"

namespace sportello::complaints {

struct Background::Sinks {
  std::map<std::string, std::unique_ptr<sportello::v1::EventSink::Stub>> stubs;
};

std::map<std::string, std::string> ParseSubscribers(const std::string& text, std::string* bad) {
  std::map<std::string, std::string> out;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    if (kv.first.empty() || kv.second.empty()) {
      if (bad) *bad += std::string(entry) + " ";
      continue;
    }
    out[kv.first] = kv.second;
  }
  return out;
}

Background::Background(RequestStore& store, BackgroundSettings settings)
    : store_(store), settings_(std::move(settings)), sinks_(std::make_unique<Sinks>()) {
  for (const auto& [name, address] : settings_.subscribers) {
    sinks_->stubs[name] =
        sportello::v1::EventSink::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  }
  thread_ = std::thread([this] { Loop(); });
}

Background::~Background() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Background::DeliverAll() {
  for (auto& [name, stub] : sinks_->stubs) {
    auto delivered = store_.DeliverPending(name, 100, [&](const EventRecord& e) -> absl::Status {
      sportello::v1::Event event;
      event.set_id(e.event_id);
      event.set_sequence(e.sequence);
      event.set_type(e.type);
      event.set_tenant(e.tenant);
      event.set_subject(e.subject);
      *event.mutable_time() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(e.time));
      (void)google::protobuf::util::JsonStringToMessage(e.data_json, event.mutable_data());
      grpc::ClientContext ctx;
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
      if (!settings_.subscriber_token.empty()) ctx.AddMetadata("authorization", "Bearer " + settings_.subscriber_token);
      sportello::v1::DeliverResponse ack;
      return FromGrpcStatus(stub->Deliver(&ctx, event, &ack));
    });
    if (!delivered.ok()) {
      log::Warn("event delivery failed", {{"subscriber", name}, {"error", std::string(delivered.status().message())}});
    }
  }
}

void Background::Loop() {
  absl::Time next_escalation = absl::Now(), next_purge = absl::Now() + absl::Minutes(1);
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, absl::ToChronoMilliseconds(settings_.delivery_interval), [this] { return stopping_; })) {
        return;
      }
    }
    DeliverAll();
    absl::Time now = absl::Now();
    if (now >= next_escalation) {
      next_escalation = now + settings_.escalation_interval;
      auto flagged = store_.EscalateOverdue(now, 200);
      if (flagged.ok() && *flagged > 0) log::Info("overdue requests escalated", {{"count", (long long)*flagged}});
    }
    if (now >= next_purge) {
      next_purge = now + settings_.purge_interval;
      auto purged = store_.PurgePersonalData("", now - settings_.retention);
      if (purged.ok() && *purged > 0) log::Info("personal data purged", {{"requests", *purged}});
      // A retry comes within minutes; after a day the stored answer (with its
      // tracking token) is only a liability.
      auto forgotten = store_.ForgetIdempotencyKeys(now - absl::Hours(24));
      if (forgotten.ok() && *forgotten > 0) log::Info("idempotency keys forgotten", {{"count", *forgotten}});
    }
  }
}

}  // namespace sportello::complaints
