// The catalogue's memory in front of Redis (local_cache.h in
// catalogue_service.h) with two replicas in process, over real gRPC, on the
// real PostgreSQL and Redis of ./sportello test: a read served from memory,
// a write visible on the very next read through the replica that wrote it
// and through the other one (the change announcement on Redis).
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>

#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/opening_hours.h"
#include "services/catalogue/service_spec.h"
#include "tests/support/poll.h"
#include "tests/support/service_fixture.h"
#include "tests/support/test_env.h"

using namespace sportello;
using sportello::testing::InProcessService;
using sportello::testing::PollUntil;
using sportello::testing::PrepareCall;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

// One catalogue replica with its memory subscribed to the announcements.
struct Replica {
  InProcessService svc{"catalogue", catalogue::Migrations()};
  catalogue::CatalogueService* service = nullptr;
  std::unique_ptr<v1::CatalogueService::Stub> stub;

  Replica() {
    auto zone = catalogue::RomeTimeZone();
    REQUIRE(zone.ok());
    auto& stores = svc.Make<catalogue::CatalogueStores>(svc.core().pool);
    auto& rpc = svc.Runner(v1::CatalogueService::service_full_name());
    catalogue::LocalCacheConfig local{RequireEnv("SPORTELLO_TEST_REDIS_URL"),
                                      {.live_ttl = absl::Hours(1), .fallback_ttl = absl::ZeroDuration()}};
    service = &svc.Make<catalogue::CatalogueService>(stores, svc.core().cache, rpc, *zone,
                                                     SystemClock::Instance(), local);
    svc.Serve(*service);
    stub = svc.NewStub<v1::CatalogueService>();
  }

  std::string Name(const std::string& id) {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");  // anonymous, as a municipal website reads
    v1::GetServiceRequest req;
    req.set_id(id);
    v1::Service out;
    grpc::Status s = stub->GetService(&ctx, req, &out);
    INFO(s.error_message());
    REQUIRE(s.ok());
    return out.name();
  }

  void Rename(const std::string& token, const std::string& id, const std::string& name) {
    grpc::ClientContext ctx;
    PrepareCall(ctx, token);
    v1::UpdateServiceRequest req;
    req.mutable_service()->set_id(id);
    req.mutable_service()->set_name(name);
    req.mutable_update_mask()->add_paths("name");
    v1::Service out;
    grpc::Status s = stub->UpdateService(&ctx, req, &out);
    INFO(s.error_message());
    REQUIRE(s.ok());
  }

  uint64_t hits() const { return service->local_cache().counts().hits; }
};

}  // namespace

TEST_CASE("catalogue local cache: a write is seen next by both replicas", "[catalogue][redis]") {
  Replica a, b;
  REQUIRE(PollUntil([&] { return a.service->local_cache().live() && b.service->local_cache().live(); },
                    absl::Seconds(10)));

  std::string code = UniqueName("l_");
  std::string admin = a.svc.Token(code, {"admin"});
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, admin);
    v1::CreateTenantRequest req;
    req.mutable_tenant()->set_ipa_code(code);
    req.mutable_tenant()->set_name("Ente con due repliche");
    req.mutable_tenant()->set_kind(v1::TENANT_KIND_OTHER);
    v1::Tenant out;
    REQUIRE(a.stub->CreateTenant(&ctx, req, &out).ok());
  }
  std::string id;
  {
    grpc::ClientContext ctx;
    PrepareCall(ctx, admin);
    v1::CreateServiceRequest req;
    req.set_tenant(code);
    req.mutable_service()->set_name("Carta d'identità");
    v1::Service out;
    REQUIRE(a.stub->CreateService(&ctx, req, &out).ok());
    id = out.id();
  }

  // Read twice on each replica: the second read is served from memory
  // (other tests' catalogue writes may drop it: then a later read is).
  CHECK(a.Name(id) == "Carta d'identità");
  CHECK(b.Name(id) == "Carta d'identità");
  CHECK(PollUntil(
      [&] {
        const uint64_t before = a.hits() + b.hits();
        REQUIRE(a.Name(id) == "Carta d'identità");
        REQUIRE(b.Name(id) == "Carta d'identità");
        return a.hits() + b.hits() >= before + 2;
      },
      absl::Seconds(10)));

  // A write through replica a: the very next read through a and through b.
  a.Rename(admin, id, "Carta d'identità elettronica");
  CHECK(a.Name(id) == "Carta d'identità elettronica");
  CHECK(b.Name(id) == "Carta d'identità elettronica");

  // And the other way round, both replicas holding the answer first.
  REQUIRE(a.Name(id) == "Carta d'identità elettronica");
  REQUIRE(b.Name(id) == "Carta d'identità elettronica");
  b.Rename(admin, id, "CIE");
  CHECK(b.Name(id) == "CIE");
  CHECK(a.Name(id) == "CIE");
}

TEST_CASE("catalogue local cache: without the channel nothing is served from memory", "[catalogue][redis]") {
  sportello::testing::InProcessOptions options;
  InProcessService svc("catalogue", catalogue::Migrations(), options);
  auto zone = catalogue::RomeTimeZone();
  REQUIRE(zone.ok());
  auto& stores = svc.Make<catalogue::CatalogueStores>(svc.core().pool);
  auto& rpc = svc.Runner(v1::CatalogueService::service_full_name());
  // The announcements are heard on a port nobody serves.
  catalogue::LocalCacheConfig local{"redis://127.0.0.1:1/0",
                                    {.live_ttl = absl::Hours(1), .fallback_ttl = absl::ZeroDuration()}};
  auto& service = svc.Make<catalogue::CatalogueService>(stores, svc.core().cache, rpc, *zone,
                                                        SystemClock::Instance(), local);
  svc.Serve(service);
  auto stub = svc.NewStub<v1::CatalogueService>();
  const std::string unknown = UniqueName("n_");  // NOT_FOUND is kept like an answer when live
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext ctx;
    PrepareCall(ctx, "");
    v1::GetTenantRequest req;
    req.set_ipa_code(unknown);
    v1::Tenant out;
    CHECK(stub->GetTenant(&ctx, req, &out).error_code() == grpc::StatusCode::NOT_FOUND);
  }
  CHECK_FALSE(service.local_cache().live());
  CHECK(service.local_cache().counts().hits == 0);
}
