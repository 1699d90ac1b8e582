// sportello-dispatch: institutional messages on the official channels.
#include "common/grpc/service_main.h"
#include "services/dispatch/config.h"
#include "services/dispatch/dispatch_service.h"
#include "services/dispatch/service_spec.h"

namespace sportello::dispatch {

struct Instance : ServiceInstance {
  Instance(const Config& c, ServiceContext& ctx)
      : keyring(c.keyring), store(ctx.pool, ctx.clock), sender(c.curl, [&clock = ctx.clock] { return clock.Now(); }),
        service(store, ctx.rpc, ctx.clock, c.keyring),
        worker(store, sender, keyring, c.credential_env, ctx.clock, c.worker) {}

  std::optional<Keyring> keyring;
  DispatchStore store;
  CurlSender sender;
  DispatchService service;
  Worker worker;

  std::vector<grpc::Service*> GrpcServices() override { return {&service}; }
};

}  // namespace sportello::dispatch

int main(int argc, char** argv) {
  using namespace sportello::dispatch;
  return sportello::RunService<Config, Instance>(argc, argv, Spec());
}
