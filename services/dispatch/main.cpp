// sportello-dispatch: institutional messages on the official channels.
#include "common/grpc/service_main.h"
#include "services/dispatch/config.h"
#include "services/dispatch/dispatch_service.h"
#include "services/dispatch/event_sink.h"
#include "services/dispatch/service_spec.h"
namespace sportello::dispatch {

struct Instance : ServiceInstance {
  Instance(const Config& c, ServiceContext& ctx)
      : keyring(c.keyring), store(ctx.pool, ctx.clock), sender(c.curl, [&clock = ctx.clock] { return clock.Now(); }),
        service(store, ctx.rpc, ctx.clock, c.keyring, ctx.zone),
        sink(store, ctx.RunnerFor(v1::EventSink::service_full_name()), ctx.clock, c.public_base_url),
        worker(store, sender, keyring, c.credential_env, ctx.clock, c.worker) {}

  std::optional<Keyring> keyring;  // outlives the worker that opens credentials
  DispatchStore store;
  CurlSender sender;
  DispatchService service;
  EventSinkService sink;  // opendata's and the catalogue's events -> drafts
  Worker worker;
  std::vector<grpc::Service*> GrpcServices() override { return {&service, &sink}; }
};

}  // namespace sportello::dispatch

int main(int argc, char** argv) {
  using namespace sportello::dispatch;
  return sportello::RunService<Config, Instance>(argc, argv, Spec());
}
