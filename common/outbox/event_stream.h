#pragma once
// The partners' server stream of a service's events (outbox.h): a caller
// names a tenant and a cursor (the last sequence it received) and gets that
// tenant's events after it, in order, as they are committed, without polling
// us. Capped (stream_quota.h): at most `max_streams` open streams in the
// process, `max_per_tenant` for the callers of one tenant and `max_per_caller`
// per caller (the token's tenant and subject), so neither one partner nor one
// comune's staff can take every slot; each poll reads at most `batch_size`.
//
//   grpc::ServerWriteReactor<v1::Event>* MyService::StreamEvents(Ctx* ctx, const Req* req) {
//     return streams_.Serve(rpc_, ctx, "StreamEvents", req->tenant(), req->after_sequence(),
//                           {auth::Role::kPartner, auth::Role::kOperator});
//   }
//
// One thread per open stream, which polls the outbox and waits for each write
// to complete (back-pressure); streams are few and capped.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"
#include "common/auth/token.h"
#include "common/grpc/rpc.h"
#include "common/outbox/stream_quota.h"
#include "sportello/v1/common.pb.h"

namespace sportello::db {
class Pool;
}

namespace sportello::outbox {

struct StreamLimits {
  int max_streams = 16;
  int max_per_caller = 2;
  int batch_size = 100;
  absl::Duration poll = absl::Milliseconds(500);
  int max_per_tenant = 4;  // of max_streams, for callers with one token tenant
};

class EventStreams {
 public:
  EventStreams(db::Pool& pool, std::string schema, StreamLimits limits = {});

  // The stream of `tenant`'s events after `after_sequence`, for a caller
  // authorized as `method` and staff of `tenant` in one of `roles`; a refusal
  // with the canonical status otherwise, RESOURCE_EXHAUSTED when a cap is reached.
  grpc::ServerWriteReactor<sportello::v1::Event>* Serve(const RpcRunner& rpc, grpc::CallbackServerContext* ctx,
                                                        std::string_view method, std::string_view tenant,
                                                        long long after_sequence,
                                                        std::initializer_list<auth::Role> roles);

  // Streams open now (tests, metrics).
  int OpenCount() const;

  using Counts = StreamQuota;

 private:
  db::Pool& pool_;
  std::string schema_;
  StreamLimits limits_;
  std::shared_ptr<Counts> counts_;
};

}  // namespace sportello::outbox
