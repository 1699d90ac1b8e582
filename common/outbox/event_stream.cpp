#include "common/outbox/event_stream.h"

#include <condition_variable>
#include <thread>

#include "common/grpc/status.h"
#include "common/outbox/event_proto.h"
#include "common/outbox/outbox.h"

namespace sportello::outbox {
namespace {

class Refusal final : public grpc::ServerWriteReactor<sportello::v1::Event> {
 public:
  explicit Refusal(const grpc::Status& s) { Finish(s); }
  void OnDone() override { delete this; }
};

class Stream final : public grpc::ServerWriteReactor<sportello::v1::Event> {
 public:
  Stream(db::Pool& pool, std::string schema, std::string tenant, long long after, StreamLimits limits,
         std::shared_ptr<EventStreams::Counts> counts, std::string caller_tenant, std::string caller_key)
      : pool_(pool),
        schema_(std::move(schema)),
        tenant_(std::move(tenant)),
        cursor_(after),
        limits_(limits),
        counts_(std::move(counts)),
        caller_tenant_(std::move(caller_tenant)),
        caller_key_(std::move(caller_key)) {
    thread_ = std::thread([this] { Loop(); });
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (!ok) cancelled_ = true;
    cv_.notify_all();
  }
  void OnCancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    cv_.notify_all();
  }
  void OnDone() override {
    thread_.join();
    counts_->Release(caller_tenant_, caller_key_);
    delete this;
  }

 private:
  void Loop() {
    while (true) {
      {
        std::lock_guard lock(mu_);
        if (cancelled_) break;
      }
      auto events = ReadAfter(pool_, schema_, tenant_, cursor_, limits_.batch_size);
      if (!events.ok()) {
        Finish(ToGrpcStatus(events.status()));
        return;
      }
      for (const Event& e : *events) {
        std::unique_lock lock(mu_);
        if (cancelled_) break;
        EventToProto(e, &event_);
        writing_ = true;
        StartWrite(&event_);
        // The next event only once this one is written: back-pressure.
        cv_.wait(lock, [this] { return !writing_ || cancelled_; });
        if (cancelled_) break;
        cursor_ = e.sequence;
      }
      std::unique_lock lock(mu_);
      if (cancelled_) break;
      if (events->empty()) {
        cv_.wait_for(lock, absl::ToChronoMilliseconds(limits_.poll), [this] { return cancelled_; });
      }
    }
    // A write may still be pending after a cancellation: Finish waits for it.
    Finish(grpc::Status::CANCELLED);
  }

  db::Pool& pool_;
  const std::string schema_, tenant_;
  long long cursor_;
  const StreamLimits limits_;
  std::shared_ptr<EventStreams::Counts> counts_;
  const std::string caller_tenant_, caller_key_;
  sportello::v1::Event event_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool writing_ = false, cancelled_ = false;
  std::thread thread_;
};

}  // namespace

EventStreams::EventStreams(db::Pool& pool, std::string schema, StreamLimits limits)
    : pool_(pool),
      schema_(std::move(schema)),
      limits_(limits),
      counts_(std::make_shared<Counts>(
          StreamQuota::Limits{limits.max_streams, limits.max_per_tenant, limits.max_per_caller})) {}

grpc::ServerWriteReactor<sportello::v1::Event>* EventStreams::Refuse(const grpc::Status& status) {
  return new Refusal(status);
}

int EventStreams::OpenCount() const { return counts_->Total(); }

grpc::ServerWriteReactor<sportello::v1::Event>* EventStreams::Open(const Caller& caller, const std::string& tenant,
                                                                   long long after_sequence) {
  std::string key = caller.principal.tenant + "/" + caller.principal.subject;
  if (auto refused = counts_->Admit(caller.principal.tenant, key)) {
    return Refuse(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, *refused));
  }
  return new Stream(pool_, schema_, tenant, after_sequence, limits_, counts_, caller.principal.tenant, std::move(key));
}

}  // namespace sportello::outbox
