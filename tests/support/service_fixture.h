#pragma once
// A real service class served in process for a test: on 127.0.0.1, port 0,
// over the real PostgreSQL and Redis that ./sportello test started, with
// what a service process holds (ServiceCore: pool, cache, token verifier,
// metrics, workers) and the clock the test chooses. Generic over any
// gRPC service: the test builds the service from the fixture's parts.
//
//   InProcessService svc("catalogue", catalogue::Migrations());
//   auto& stores = svc.Make<catalogue::CatalogueStores>(svc.core().pool);
//   auto& rpc = svc.Runner(v1::CatalogueService::service_full_name());
//   svc.Serve(svc.Make<catalogue::CatalogueService>(stores, svc.core().cache, rpc, zone));
//   auto stub = svc.NewStub<v1::CatalogueService>();
//   grpc::ClientContext ctx;
//   PrepareCall(ctx, svc.Token("c_x", {"operator"}));
//
// Objects made with Make()/Own() live until the fixture ends and are
// destroyed newest first, after the server has finished every call.
// Tokens are signed with SPORTELLO_JWT_SECRET, so the services that
// ./sportello test started accept them too (tests/support/tokens.h).
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/db/migrations.h"
#include "common/grpc/rpc.h"
#include "common/grpc/service_core.h"

namespace sportello::testing {

struct InProcessOptions {
  std::string redis_url;         // empty: SPORTELLO_TEST_REDIS_URL; "redis://127.0.0.1:1/0" for an outage
  const Clock* clock = nullptr;  // null: the system clock; a ManualClock for services that take one
  int workers = 2;
  int pg_pool_size = 2;
};

class InProcessService {
 public:
  // Opens the pool and applies `migrations` to `schema` (e.g. "complaints");
  // fails the test otherwise.
  InProcessService(const std::string& schema, const std::vector<db::Migration>& migrations,
                   const InProcessOptions& options = InProcessOptions());
  ~InProcessService();
  InProcessService(const InProcessService&) = delete;
  InProcessService& operator=(const InProcessService&) = delete;

  ServiceCore& core() { return *core_; }
  const Clock& clock() const { return *clock_; }

  // The RpcRunner of the service named `full_name` (e.g.
  // v1::ComplaintsService::service_full_name()); one per fixture.
  RpcRunner& Runner(std::string_view full_name);

  // Keeps `object` alive as long as the fixture (stores, clients, the service).
  template <class T>
  T& Own(std::unique_ptr<T> object) {
    T& ref = *object;
    owned_.push_back(std::shared_ptr<void>(std::move(object)));
    return ref;
  }
  template <class T, class... Args>
  T& Make(Args&&... args) {
    return Own(std::make_unique<T>(std::forward<Args>(args)...));
  }

  // Starts serving `services` (with gRPC health) on 127.0.0.1:0.
  void Serve(std::vector<grpc::Service*> services);
  void Serve(grpc::Service& service) { Serve(std::vector<grpc::Service*>{&service}); }

  std::string address() const;  // "127.0.0.1:<port>" once serving
  std::shared_ptr<grpc::Channel> channel();
  template <class GrpcService>
  std::unique_ptr<typename GrpcService::Stub> NewStub() {
    return GrpcService::NewStub(channel());
  }

  // A bearer token the service accepts; `office` for referents.
  std::string Token(const std::string& tenant, std::vector<std::string> roles, const std::string& office = "",
                    const std::string& subject = "inprocess-test") const;

 private:
  std::unique_ptr<ServiceCore> core_;
  const Clock* clock_;
  std::unique_ptr<RpcRunner> runner_;
  std::vector<std::shared_ptr<void>> owned_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
};

// Gives a client call a 10-second deadline and, unless empty, the bearer token.
void PrepareCall(grpc::ClientContext& ctx, const std::string& token);

}  // namespace sportello::testing
