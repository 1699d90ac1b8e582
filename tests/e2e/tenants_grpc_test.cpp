// End to end over gRPC, straight to the catalogue service as a partner
// system would call it.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>

#include "common/grpc/status.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "sportello/v1/catalogue.grpc.pb.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace v1 = sportello::v1;
using namespace sportello::testing;

namespace {

std::shared_ptr<grpc::Channel> Channel() {
  static auto channel =
      grpc::CreateChannel(RequireEnv("SPORTELLO_TEST_CATALOGUE_ADDR"), grpc::InsecureChannelCredentials());
  return channel;
}

void Prepare(grpc::ClientContext& ctx, const std::string& token = "") {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
}

v1::CreateTenantRequest NewComune(const std::string& code, const std::string& parent = "") {
  v1::CreateTenantRequest req;
  req.mutable_tenant()->set_ipa_code(code);
  req.mutable_tenant()->set_name("Comune di prova " + code);
  req.mutable_tenant()->set_kind(parent.empty() ? v1::TENANT_KIND_OTHER : v1::TENANT_KIND_COMUNE);
  req.mutable_tenant()->set_parent_ipa_code(parent);
  return req;
}

}  // namespace

TEST_CASE("gRPC: read a demo tenant", "[e2e][grpc]") {
  auto stub = v1::CatalogueService::NewStub(Channel());
  grpc::ClientContext ctx;
  Prepare(ctx);
  v1::GetTenantRequest req;
  req.set_ipa_code("C_M298");  // codes are case-insensitive
  v1::Tenant tenant;
  grpc::Status s = stub->GetTenant(&ctx, req, &tenant);
  REQUIRE(s.ok());
  CHECK(tenant.name() == "Comune di Statte");
  CHECK(tenant.kind() == v1::TENANT_KIND_COMUNE);
  CHECK(tenant.demo());
}

TEST_CASE("gRPC: create and read, with canonical codes for every refusal", "[e2e][grpc]") {
  auto stub = v1::CatalogueService::NewStub(Channel());
  std::string code = UniqueName("ente_");
  v1::Tenant out;

  {
    grpc::ClientContext ctx;
    Prepare(ctx);
    CHECK(stub->CreateTenant(&ctx, NewComune(code), &out).error_code() == grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext ctx;
    Prepare(ctx, TokenFor(code, {"partner"}));
    CHECK(stub->CreateTenant(&ctx, NewComune(code), &out).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext ctx;
    Prepare(ctx, TokenFor(code, {"admin"}));
    auto bad = NewComune(code);
    bad.mutable_tenant()->set_pec("non-una-pec");
    bad.mutable_tenant()->clear_name();
    grpc::Status s = stub->CreateTenant(&ctx, bad, &out);
    REQUIRE(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    auto violations = sportello::FieldViolations(sportello::FromGrpcStatus(s));
    REQUIRE(violations.size() == 2);
    CHECK(violations[0].field == "tenant.name");
    CHECK(violations[1].field == "tenant.pec");
  }
  {
    grpc::ClientContext ctx;
    Prepare(ctx, TokenFor(code, {"admin"}));
    grpc::Status s = stub->CreateTenant(&ctx, NewComune(code), &out);
    INFO(s.error_message());
    REQUIRE(s.ok());
    CHECK(out.ipa_code() == code);
    CHECK(out.create_time().seconds() > 0);
  }
  {
    grpc::ClientContext ctx;
    Prepare(ctx);
    v1::GetTenantRequest req;
    req.set_ipa_code(code);
    v1::Tenant read;
    REQUIRE(stub->GetTenant(&ctx, req, &read).ok());
    CHECK(read.name() == "Comune di prova " + code);
  }
  {
    grpc::ClientContext ctx;
    Prepare(ctx);
    v1::GetTenantRequest req;
    req.set_ipa_code(UniqueName("ente_"));
    v1::Tenant read;
    CHECK(stub->GetTenant(&ctx, req, &read).error_code() == grpc::StatusCode::NOT_FOUND);
  }
}

TEST_CASE("gRPC: the service reports SERVING on grpc.health.v1", "[e2e][grpc]") {
  auto stub = grpc::health::v1::Health::NewStub(Channel());
  grpc::ClientContext ctx;
  Prepare(ctx);
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse res;
  REQUIRE(stub->Check(&ctx, req, &res).ok());
  CHECK(res.status() == grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_CASE("gRPC: reflection lists the services for generic clients", "[e2e][grpc]") {
  // grpc.reflection.v1alpha.ServerReflectionRequest{list_services: ""}:
  // field 7, wire type 2, empty string. The answer names every service.
  grpc::GenericStub stub(Channel());
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  Prepare(ctx);
  auto call = stub.PrepareCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag;
  bool ok = false;
  auto wait = [&](intptr_t expected) {
    REQUIRE(cq.Next(&tag, &ok));
    CHECK(reinterpret_cast<intptr_t>(tag) == expected);
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  REQUIRE(wait(1));
  const char request_bytes[] = {0x3a, 0x00};
  grpc::Slice slice(request_bytes, sizeof request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  REQUIRE(wait(2));
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  REQUIRE(wait(3));
  call->WritesDone(reinterpret_cast<void*>(4));
  wait(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  wait(5);
  CHECK(status.ok());

  std::vector<grpc::Slice> slices;
  REQUIRE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  CHECK(bytes.find("sportello.v1.CatalogueService") != std::string::npos);
  CHECK(bytes.find("grpc.health.v1.Health") != std::string::npos);
}
