#include "common/outbox/event_stream.h"

#include "common/grpc/status.h"
#include "common/grpc/stream_writer.h"
#include "common/outbox/event_proto.h"
#include "common/outbox/outbox.h"
#include "common/tenancy.h"

namespace sportello::outbox {
namespace {

using EventProto = sportello::v1::Event;

// Polls the outbox after the cursor and writes each event before reading on.
grpc::Status StreamEvents(db::Pool& pool, const std::string& schema, const std::string& tenant, long long cursor,
                          const StreamLimits& limits, StreamSink<EventProto>& sink) {
  sportello::v1::Event message;
  while (true) {
    auto events = ReadAfter(pool, schema, tenant, cursor, limits.batch_size);
    if (!events.ok()) return ToGrpcStatus(events.status());
    for (const Event& e : *events) {
      EventToProto(e, &message);
      if (!sink.Send(message)) return grpc::Status::CANCELLED;
      cursor = e.sequence;
    }
    if (events->empty() && !sink.Wait(limits.poll)) return grpc::Status::CANCELLED;
  }
}

}  // namespace

EventStreams::EventStreams(db::Pool& pool, std::string schema, StreamLimits limits)
    : pool_(pool),
      schema_(std::move(schema)),
      limits_(limits),
      counts_(std::make_shared<Counts>(
          StreamQuota::Limits{limits.max_streams, limits.max_per_tenant, limits.max_per_caller})) {}

int EventStreams::OpenCount() const { return counts_->Total(); }

grpc::ServerWriteReactor<sportello::v1::Event>* EventStreams::Serve(const RpcRunner& rpc,
                                                                    grpc::CallbackServerContext* ctx,
                                                                    std::string_view method, std::string_view tenant,
                                                                    long long after_sequence,
                                                                    std::initializer_list<auth::Role> roles) {
  auto caller = rpc.Authorize(ctx, method);
  if (!caller.ok()) return RefuseStream<EventProto>(ToGrpcStatus(caller.status()));
  auto canonical = CanonicalTenant(tenant);
  if (!canonical.ok()) return RefuseStream<EventProto>(ToGrpcStatus(canonical.status()));
  if (absl::Status s = auth::CheckStaffOf(caller->principal, *canonical, roles); !s.ok()) {
    return RefuseStream<EventProto>(ToGrpcStatus(s));
  }
  std::string key = caller->principal.tenant + "/" + caller->principal.subject;
  if (auto refused = counts_->Admit(caller->principal.tenant, key)) {
    return RefuseStream<EventProto>(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, *refused));
  }
  auto produce = [this, tenant = *canonical, after_sequence](StreamSink<EventProto>& sink) {
    return StreamEvents(pool_, schema_, tenant, after_sequence, limits_, sink);
  };
  return StartStream<EventProto>(
      produce, [counts = counts_, caller_tenant = caller->principal.tenant, key] {
        counts->Release(caller_tenant, key);
      });
}

}  // namespace sportello::outbox
