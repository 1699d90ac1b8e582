#include "common/grpc/service_main.h"

#include <grpcpp/grpcpp.h>

#include "common/grpc/server.h"
#include "common/grpc/service_core.h"
#include "common/log.h"

namespace sportello {

namespace internal {

int RunService(int argc, char** argv, const ServiceSpec& spec, const Configure& configure) {
  BlockTerminationSignals();
  Settings settings("sportello-" + spec.name, argc, argv);
  ServiceConfig config = ReadServiceConfig(settings, spec.name);
  ServiceFactory factory = configure(settings);
  settings.Done();
  log::Init(spec.name);

  auto fail = [](const absl::Status& s) {
    log::Error("cannot start", {{"error", s.ToString()}});
    return 1;
  };
  auto zone = RomeTimeZone();
  if (!zone.ok()) return fail(zone.status());
  ServiceCore core(config);
  if (absl::Status s = core.Prepare(spec.name, spec.migrations, spec.demo_sql, TerminationPending); !s.ok()) {
    if (absl::IsCancelled(s)) {
      log::Info("stopped before serving", {{"reason", std::string(s.message())}});
      return 0;
    }
    return fail(s);
  }
  auto rpc = RpcRunner::Create(spec.proto_service, core.verifier, core.workers, core.metrics);
  if (!rpc.ok()) return fail(rpc.status());
  ServiceContext context{config,         core.pool,   core.cache, **rpc, core.metrics, core.workers,
                         SystemClock::Instance(), *zone};
  auto instance = factory(context);
  if (!instance.ok()) return fail(instance.status());
  absl::Status served = ServeUntilSignal(config, (*instance)->GrpcServices(), core.metrics);
  instance->reset();  // background work stops before the pools close
  if (!served.ok()) return fail(served);
  return 0;
}

}  // namespace internal
}  // namespace sportello
