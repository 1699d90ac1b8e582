#pragma once
// The one skeleton of every Sportello service. A service's main() is
//
//   int main(int argc, char** argv) {
//     using namespace sportello::complaints;
//     return sportello::RunService<Config, Instance>(argc, argv, Spec());
//   }
//
// with Spec() from the generated "services/complaints/service_spec.h",
// where `Config` has `static Config Read(Settings&)` (its own SPORTELLO_*
// variables, services/<name>/config.{h,cpp}) and `Instance` is built as
// `Instance(const Config&, ServiceContext&)` and says which gRPC services to
// register. RunService does the rest the same way for everyone: settings and
// --help, logs, the database (migrations under an advisory lock, demo data),
// Redis, token verification, metrics, the worker pool, the access policy of
// the proto service, health and reflection, and graceful shutdown on
// SIGTERM; for a service that emits events (Spec().emits_events, from
// `sportello_add_service(<name> EVENTS ...)`), its outbox tables and the relay
// delivering them to SPORTELLO_<NAME>_SUBSCRIBERS (common/outbox/relay.h).
// The relay and the instance are destroyed before the pools they use, so
// background work stops first.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/token.h"
#include "common/cache/changes.h"
#include "common/cache/redis.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/grpc/rpc.h"
#include "common/metrics.h"
#include "common/service_spec.h"
#include "common/worker_pool.h"

namespace grpc {
class Service;
}

namespace sportello {

// What a service's Instance is built from.
struct ServiceContext {
  const ServiceConfig& config;
  db::Pool& pool;
  cache::RedisCache& cache;
  RpcRunner& rpc;  // access rules of the spec's proto service, workers, metrics
  MetricsRegistry& metrics;
  WorkerPool& workers;
  const Clock& clock;
  absl::TimeZone zone;  // Europe/Rome: the administrations' legal time
  const auth::TokenVerifier& verifier;
  // Announces a write that no RPC made (a background job publishing a
  // message, a scheduled refresh): RpcRunner announces the RPCs' own writes.
  cache::ChangeAnnouncer& changes;

  // The access rules of another proto service this service also implements
  // (e.g. sportello.v1.EventSink), run on the same workers and metrics.
  // Throws std::runtime_error when the proto declares no rules (a bug;
  // RunService reports it and stops).
  std::unique_ptr<RpcRunner> RunnerFor(std::string_view proto_service) const;
};

// The running service: the gRPC services it registers. Everything else it
// holds (stores, clients, background jobs) lives as long as it does.
class ServiceInstance {
 public:
  virtual ~ServiceInstance() = default;
  virtual std::vector<grpc::Service*> GrpcServices() = 0;
};

namespace internal {
using ServiceFactory = std::function<absl::StatusOr<std::unique_ptr<ServiceInstance>>(ServiceContext&)>;
// Reads the service's own settings and returns how to build it.
using Configure = std::function<ServiceFactory(Settings&)>;
int RunService(int argc, char** argv, const ServiceSpec& spec, const Configure& configure);
}  // namespace internal

template <typename Config, typename Instance>
int RunService(int argc, char** argv, const ServiceSpec& spec) {
  return internal::RunService(argc, argv, spec, [](Settings& settings) -> internal::ServiceFactory {
    return [config = Config::Read(settings)](ServiceContext& context)
               -> absl::StatusOr<std::unique_ptr<ServiceInstance>> {
      return std::unique_ptr<ServiceInstance>(std::make_unique<Instance>(config, context));
    };
  });
}

}  // namespace sportello
