#pragma once
// The surveys service as a consumer of events (sportello.v1.EventSink): each
// `request.closed` of a complaint or a report becomes one invitation to the
// tenant's post-resolution survey, tied to the request's service (its
// category), office and intake channel. Idempotent by event id and by
// request number: a redelivered event, or a request closed again, adds none.
// Only public data arrives here; the citizen reaches the invitation with
// the request's own tracking token.
#include <memory>

#include "common/clock.h"
#include "common/grpc/rpc.h"
#include "services/surveys/catalogue_client.h"
#include "services/surveys/config.h"
#include "services/surveys/store.h"
#include "sportello/v1/common.grpc.pb.h"

namespace sportello::surveys {

class EventSinkService final : public ::sportello::v1::EventSink::CallbackService {
 public:
  // `rpc` carries sportello.v1.EventSink's access rules (ServiceContext::RunnerFor).
  EventSinkService(SurveyStore& store, CatalogueClient& catalogue, std::unique_ptr<RpcRunner> rpc,
                   const Clock& clock, SurveysSettings settings);

  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* ctx, const ::sportello::v1::Event* event,
                                    ::sportello::v1::DeliverResponse* response) override;

 private:
  SurveyStore& store_;
  CatalogueClient& catalogue_;
  std::unique_ptr<RpcRunner> rpc_owned_;
  RpcRunner& rpc_;
  const Clock& clock_;
  SurveysSettings settings_;
};

// The complaints intake channel ("web", "app", "counter", "phone", "email",
// "social", "partner") as a survey channel.
Channel ChannelFromIntake(std::string_view intake);

}  // namespace sportello::surveys
