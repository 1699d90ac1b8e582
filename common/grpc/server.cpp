#include "common/grpc/server.h"

#include <csignal>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include "common/grpc/tls.h"
#include "common/log.h"
#include "grpc/health/v1/health.pb.h"

namespace sportello {

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

bool TerminationPending() {
  sigset_t pending;
  sigemptyset(&pending);
  if (sigpending(&pending) != 0) return false;
  return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1;
}

absl::Status ServeUntilSignal(const ServiceConfig& config, const std::vector<grpc::Service*>& services,
                              const MetricsRegistry& metrics, absl::Duration grace) {
  grpc::EnableDefaultHealthCheckService(true);
  // gRPC's built-in health service carries no protobuf descriptors, so
  // reflection would list grpc.health.v1.Health without being able to
  // describe it (grpcurl and grpcui then fail): touching our generated copy
  // links it into the descriptor pool that reflection serves from.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<MetricsServer> metrics_server;
  if (!config.metrics_addr.empty()) {
    try {
      metrics_server = std::make_unique<MetricsServer>(metrics, config.metrics_addr);
    } catch (const std::exception& e) {
      return absl::FailedPreconditionError(e.what());
    }
  }

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config.grpc_addr, ServerCredentialsFor(config.tls), &port);
  // Clients balance over the addresses a DNS name had when they connected
  // (common/grpc/target.h): a GOAWAY after 5 minutes makes them reconnect and
  // resolve again, so replicas added since get their share. Calls in flight,
  // partners' long event streams included, finish on the old connection.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 5 * 60 * 1000);
  for (auto* s : services) builder.RegisterService(s);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) return absl::FailedPreconditionError("cannot listen on " + config.grpc_addr);
  server->GetHealthCheckService()->SetServingStatus(true);
  log::Info("serving", {{"grpc", config.grpc_addr}, {"port", static_cast<long long>(port)},
                        {"metrics", config.metrics_addr},
                        {"tls", std::string_view(config.tls.enabled() ? (config.tls.require_client_cert ? "mutual" : "on") : "off")}});

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int signal = 0;
  sigwait(&set, &signal);

  log::Info("stopping", {{"signal", static_cast<long long>(signal)}});
  server->GetHealthCheckService()->SetServingStatus(false);
  server->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
  server->Wait();
  log::Info("stopped");
  return absl::OkStatus();
}

}  // namespace sportello
