#pragma once
// The one way a Sportello service answers a unary RPC with the callback API:
//
//   grpc::ServerUnaryReactor* CatalogueService::GetTenant(
//       grpc::CallbackServerContext* ctx, const v1::GetTenantRequest* req, v1::Tenant* resp) {
//     return rpc_.Run(ctx, "GetTenant", [=](const Caller& caller) -> absl::Status {
//       ASSIGN_OR_RETURN(Tenant t, tenants_.Get(req->ipa_code()));   // domain / store
//       ToProto(t, resp);                                           // convert
//       return absl::OkStatus();
//     });
//   }
//
// Run() checks the method's access rule on the gRPC thread (CPU only), hands
// the work to the worker pool (it may block on PostgreSQL or Redis), and the
// worker finishes the reactor with the status converted by ToGrpcStatus.
// A read that a replica can answer from its own memory passes `from_memory`
// too: it runs first, on the gRPC thread, and when it answers (not nullopt)
// the call ends there, without the hop to a worker and back, which costs
// more than the answer itself. It must not block.
// Every call is counted in the metrics and logged with its request id,
// except anonymous public reads that succeed quickly (RpcLogLevel): those are
// the bulk of the traffic, and a line each cost more than the answer from
// memory. Reads with a token (who looked at what), writes, errors and slow
// calls are always logged.
// A write (an RPC whose google.api.http rule is not a GET, or that has none)
// that succeeds is announced through `changes` (common/cache/changes.h)
// before the reactor finishes, so the caller's next read through any gateway
// misses the gateways' edge caches, whether it wrote over REST or gRPC.
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"
#include "common/auth/access.h"
#include "common/cache/changes.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/worker_pool.h"

namespace sportello {

// Who is calling and on behalf of which request.
struct Caller {
  auth::Principal principal;
  std::string request_id;
  std::string language;  // "it" or "en", from accept-language
  // When the caller stops waiting (its gRPC deadline); calls made on its
  // behalf end by then (see client_context.h).
  absl::Time deadline = absl::InfiniteFuture();
};

// The level of a call's "rpc" log line: error for a server fault; debug
// for a successful anonymous Get*/List*/Search* under 250 ms; info otherwise.
log::Level RpcLogLevel(const absl::Status& status, bool authenticated, std::string_view method, double seconds);

class RpcRunner {
 public:
  // `service` is the full proto name, e.g. v1::CatalogueService::service_full_name().
  // FAILED_PRECONDITION if a method lacks an access rule: start-up must stop.
  static absl::StatusOr<std::unique_ptr<RpcRunner>> Create(std::string_view service,
                                                          const auth::TokenVerifier& verifier,
                                                          WorkerPool& workers, MetricsRegistry& metrics,
                                                          cache::ChangeAnnouncer* changes = nullptr);

  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* ctx, std::string_view method,
                                std::function<absl::Status(const Caller&)> work);
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* ctx, std::string_view method,
                                const std::function<std::optional<absl::Status>(const Caller&)>& from_memory,
                                std::function<absl::Status(const Caller&)> work);

  // Authorizes a call without running it (for streaming handlers).
  absl::StatusOr<Caller> Authorize(grpc::CallbackServerContext* ctx, std::string_view method) const;

 private:
  RpcRunner(std::string service, auth::AccessPolicy policy, const auth::TokenVerifier& verifier,
            WorkerPool& workers, MetricsRegistry& metrics, cache::ChangeAnnouncer* changes,
            std::set<std::string, std::less<>> writes);
  void Finish(grpc::ServerUnaryReactor* reactor, const std::string& method, const Caller& caller,
              const absl::Status& status, absl::Time start);

  std::string service_;
  auth::AccessPolicy policy_;
  const auth::TokenVerifier& verifier_;
  WorkerPool& workers_;
  MetricsRegistry& metrics_;
  cache::ChangeAnnouncer* changes_;
  const std::set<std::string, std::less<>> writes_;  // method names announced after success
};

}  // namespace sportello
