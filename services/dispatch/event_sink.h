#pragma once
// The dispatch service as a consumer of events (sportello.v1.EventSink):
// opendata's `dataset.published` and the catalogue's `office.closed` (an
// office's exceptional closure) become drafts on the tenant's feed accounts,
// authored by "sistema", for the communication team to edit, submit and a
// manager to approve: never sent by themselves. Idempotent by event id (the
// draft's origin): a redelivered event adds none. Other events are taken
// and ignored.
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/grpc/rpc.h"
#include "services/dispatch/store.h"
#include "sportello/v1/common.grpc.pb.h"

namespace sportello::dispatch {

class EventSinkService final : public ::sportello::v1::EventSink::CallbackService {
 public:
  // `rpc` carries sportello.v1.EventSink's access rules (ServiceContext::RunnerFor).
  EventSinkService(DispatchStore& store, std::unique_ptr<RpcRunner> rpc, const Clock& clock,
                   std::string public_base_url);

  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* ctx, const ::sportello::v1::Event* event,
                                    ::sportello::v1::DeliverResponse* response) override;

 private:
  DispatchStore& store_;
  std::unique_ptr<RpcRunner> rpc_;
  const Clock& clock_;
  std::string public_base_url_;
};

}  // namespace sportello::dispatch
