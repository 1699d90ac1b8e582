// sportello-surveys: satisfaction surveys and their published indices.
#include "common/grpc/service_main.h"
#include "services/surveys/background.h"
#include "services/surveys/config.h"
#include "services/surveys/event_sink.h"
#include "services/surveys/service_spec.h"
#include "services/surveys/surveys_service.h"

namespace sportello::surveys {
struct Instance : ServiceInstance {
  Instance(const Config& c, ServiceContext& ctx)
      : store(ctx.pool, &ctx.metrics),
        catalogue(c.catalogue_addr, ctx.config.tls), complaints(c.complaints_addr, ctx.config.tls),
        service(store, catalogue, complaints, ctx.rpc, ctx.cache, ctx.clock, ctx.zone, c.service),
        sink(store, catalogue, ctx.RunnerFor(v1::EventSink::service_full_name()), ctx.clock, c.service),
        jobs(store, ctx.clock, c.purge) {}
  SurveyStore store;
  CatalogueClient catalogue;
  ComplaintsClient complaints;
  SurveysService service;
  EventSinkService sink;  // complaints' request.closed -> post-resolution invitations
  Background jobs;
  std::vector<grpc::Service*> GrpcServices() override { return {&service, &sink}; }
};
}  // namespace sportello::surveys

int main(int argc, char** argv) {
  using namespace sportello::surveys;
  return sportello::RunService<Config, Instance>(argc, argv, Spec());
}
