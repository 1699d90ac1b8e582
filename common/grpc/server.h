#pragma once
// Runs a service's gRPC server until SIGINT or SIGTERM, with what every
// service has: grpc.health.v1 (SERVING once started, NOT_SERVING while
// stopping), server reflection, and the Prometheus endpoint. On a signal it
// stops accepting calls, lets in-flight calls finish (up to `grace`), then
// returns so main() can close its pools in order.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/config.h"
#include "common/metrics.h"

namespace grpc {
class Service;
}

namespace sportello {

// Blocks SIGINT and SIGTERM in the calling thread (and the threads it
// creates afterwards) so ServeUntilSignal can wait for them; call first in main().
void BlockTerminationSignals();

// True when SIGINT or SIGTERM arrived (blocked, so pending) before serving:
// start-up steps that wait poll it, so a stop is never ignored.
bool TerminationPending();

absl::Status ServeUntilSignal(const ServiceConfig& config, const std::vector<grpc::Service*>& services,
                              const MetricsRegistry& metrics, absl::Duration grace = absl::Seconds(10));

}  // namespace sportello
