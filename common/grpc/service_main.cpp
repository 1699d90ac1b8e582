#include "common/grpc/service_main.h"

#include <optional>
#include <stdexcept>

#include <grpcpp/grpcpp.h>

#include "absl/strings/ascii.h"
#include "common/absl_mutex.h"

#include "common/grpc/server.h"
#include "common/grpc/service_core.h"
#include "common/log.h"
#include "common/outbox/outbox.h"
#include "common/outbox/relay.h"

namespace sportello {

std::unique_ptr<RpcRunner> ServiceContext::RunnerFor(std::string_view proto_service) const {
  auto rpc = RpcRunner::Create(proto_service, verifier, workers, metrics, &changes);
  if (!rpc.ok()) throw std::runtime_error(rpc.status().ToString());
  return *std::move(rpc);
}

namespace internal {

int RunService(int argc, char** argv, const ServiceSpec& spec, const Configure& configure) {
  NoMutexDeadlockDetection();
  BlockTerminationSignals();
  Settings settings("sportello-" + spec.name, argc, argv);
  ServiceConfig config = ReadServiceConfig(settings, spec.name);
  outbox::RelaySettings relay_settings{.schema = spec.name};
  if (spec.emits_events) {
    std::string upper = absl::AsciiStrToUpper(spec.name);
    auto subscribers = outbox::ParseSubscribers(settings.String(
        "SPORTELLO_" + upper + "_SUBSCRIBERS", "",
        "who receives this service's events: name=host:port of a sportello.v1.EventSink, comma separated"));
    if (subscribers.ok()) {
      relay_settings.subscribers = *std::move(subscribers);
    } else {
      settings.Error("SPORTELLO_" + upper + "_SUBSCRIBERS: " + std::string(subscribers.status().message()));
    }
    relay_settings.bearer_token = settings.String("SPORTELLO_" + upper + "_SUBSCRIBER_TOKEN", "",
                                                  "bearer token presented to the subscribers");
  }
  relay_settings.tls = config.tls;
  ServiceFactory factory = configure(settings);
  settings.Done();
  log::Init(spec.name, config.log_level);

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
  if (spec.emits_events) {
    if (absl::Status s = outbox::ApplyMigrations(core.pool, spec.name); !s.ok()) return fail(s);
  }
  auto rpc = RpcRunner::Create(spec.proto_service, core.verifier, core.workers, core.metrics, &core.changes);
  if (!rpc.ok()) return fail(rpc.status());
  ServiceContext context{config,       core.pool,    core.cache, **rpc, core.metrics, core.workers,
                         SystemClock::Instance(), *zone, core.verifier, core.changes};
  absl::StatusOr<std::unique_ptr<ServiceInstance>> instance = absl::InternalError("not built");
  try {
    instance = factory(context);
  } catch (const std::exception& e) {
    instance = absl::InternalError(e.what());
  }
  if (!instance.ok()) return fail(instance.status());
  std::optional<outbox::Relay> relay;
  if (spec.emits_events) relay.emplace(core.pool, context.clock, relay_settings).Start();
  absl::Status served = ServeUntilSignal(config, (*instance)->GrpcServices(), core.metrics);
  relay.reset();      // background work stops before the pools close
  instance->reset();
  if (!served.ok()) return fail(served);
  return 0;
}

}  // namespace internal
}  // namespace sportello
