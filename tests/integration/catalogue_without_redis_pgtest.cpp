// With Redis unreachable the catalogue still answers every read and write:
// the cache only makes reads faster. The real service class over real gRPC,
// in process, on the real PostgreSQL, with its cache pointed at a port
// nobody serves.
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>

#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/opening_hours.h"
#include "services/catalogue/service_spec.h"
#include "tests/support/service_fixture.h"
#include "tests/support/test_env.h"

using namespace sportello;
using sportello::testing::InProcessService;
using sportello::testing::PrepareCall;
using sportello::testing::UniqueName;

TEST_CASE("catalogue: a Redis outage only makes reads slower", "[catalogue][redis]") {
  sportello::testing::InProcessOptions options;
  options.redis_url = "redis://127.0.0.1:1/0";  // nothing listens on port 1
  InProcessService svc("catalogue", catalogue::Migrations(), options);
  REQUIRE_FALSE(svc.core().cache.Set("probe", "1", absl::Seconds(1)));  // the outage is real
  auto zone = catalogue::RomeTimeZone();
  REQUIRE(zone.ok());
  auto& stores = svc.Make<catalogue::CatalogueStores>(svc.core().pool);
  auto& rpc = svc.Runner(v1::CatalogueService::service_full_name());
  svc.Serve(svc.Make<catalogue::CatalogueService>(stores, svc.core().cache, rpc, *zone));
  auto stub = svc.NewStub<v1::CatalogueService>();

  std::string code = UniqueName("r_");
  std::string admin = svc.Token(code, {"admin"});
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, admin);
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
    PrepareCall(ctx, admin);
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
    PrepareCall(ctx, "");
    v1::GetServiceRequest req;
    req.set_id(service_id);
    v1::Service out;
    grpc::Status s = stub->GetService(&ctx, req, &out);
    REQUIRE(s.ok());
    CHECK(out.name() == "Servizio letto senza Redis");
  }
  // A write is seen by the next read although no cache version could be bumped.
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, admin);
    v1::UpdateServiceRequest req;
    req.mutable_service()->set_id(service_id);
    req.mutable_service()->set_name("Servizio rinominato senza Redis");
    req.mutable_update_mask()->add_paths("name");
    v1::Service out;
    grpc::Status s = stub->UpdateService(&ctx, req, &out);
    INFO(s.error_message());
    REQUIRE(s.ok());
  }
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");
    v1::GetServiceRequest req;
    req.set_id(service_id);
    v1::Service out;
    REQUIRE(stub->GetService(&ctx, req, &out).ok());
    CHECK(out.name() == "Servizio rinominato senza Redis");
  }
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");
    v1::SearchRequest req;
    req.set_tenant(code);
    req.set_q("servizio rinominato");
    v1::SearchResponse out;
    REQUIRE(stub->Search(&ctx, req, &out).ok());
    REQUIRE(out.results_size() == 1);
    CHECK(out.results(0).id() == service_id);
  }
}
