// With Redis unreachable the catalogue still answers every read and write:
// the cache only makes reads faster. The real service class over real gRPC,
// on the real PostgreSQL, with its cache pointed at a port nobody serves.
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>

#include "common/auth/token.h"
#include "common/grpc/rpc.h"
#include "common/grpc/service_core.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/opening_hours.h"
#include "tests/support/test_env.h"

namespace sportello::catalogue {
const std::vector<db::Migration>& Migrations();
}

using namespace sportello;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

TEST_CASE("catalogue: a Redis outage only makes reads slower", "[catalogue][redis]") {
  ServiceConfig config;
  config.pg_url = RequireEnv("SPORTELLO_TEST_PG_URL");
  config.redis_url = "redis://127.0.0.1:1/0";  // nothing listens on port 1
  config.jwt_secret = "redis-down-test";
  config.pg_pool_size = 2;
  config.workers = 2;
  ServiceCore core(config);
  REQUIRE(core.Prepare("catalogue", catalogue::Migrations(), "").ok());
  auto rpc = RpcRunner::Create(v1::CatalogueService::service_full_name(), core.verifier, core.workers, core.metrics);
  REQUIRE(rpc.ok());
  auto zone = catalogue::RomeTimeZone();
  REQUIRE(zone.ok());
  catalogue::CatalogueStores stores(core.pool);
  catalogue::CatalogueService service(stores, core.cache, **rpc, *zone);

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  REQUIRE(server);
  auto stub = v1::CatalogueService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));

  std::string code = UniqueName("r_");
  auth::Principal admin{"test", code, {"admin"}, "", true};
  std::string token = auth::MintToken(config.jwt_secret, admin, absl::Minutes(5));
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    v1::CreateTenantRequest req;
    req.mutable_tenant()->set_ipa_code(code);
    req.mutable_tenant()->set_name("Ente senza cache");
    req.mutable_tenant()->set_kind(v1::TENANT_KIND_OTHER);
    v1::Tenant out;
    grpc::Status s = stub->CreateTenant(&ctx, req, &out);
    INFO(s.error_message());
    REQUIRE(s.ok());
  }
  std::string service_id;
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    v1::CreateServiceRequest req;
    req.set_tenant(code);
    req.mutable_service()->set_name("Servizio letto senza Redis");
    v1::Service out;
    REQUIRE(stub->CreateService(&ctx, req, &out).ok());
    service_id = out.id();
  }
  // Several reads: each misses the cache and is served from PostgreSQL.
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext ctx;
    v1::GetServiceRequest req;
    req.set_id(service_id);
    v1::Service out;
    grpc::Status s = stub->GetService(&ctx, req, &out);
    REQUIRE(s.ok());
    CHECK(out.name() == "Servizio letto senza Redis");
  }
  {
    grpc::ClientContext ctx;
    v1::SearchRequest req;
    req.set_tenant(code);
    req.set_q("servizio letto");
    v1::SearchResponse out;
    REQUIRE(stub->Search(&ctx, req, &out).ok());
    REQUIRE(out.results_size() == 1);
    CHECK(out.results(0).id() == service_id);
  }
  server->Shutdown();
}
