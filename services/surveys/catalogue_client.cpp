#include "services/surveys/catalogue_client.h"

#include <grpcpp/grpcpp.h>

#include "common/grpc/status.h"
#include "common/grpc/tls.h"
#include "sportello/v1/catalogue.grpc.pb.h"

namespace sportello::surveys {
namespace v1 = ::sportello::v1;

struct CatalogueClient::Impl {
  std::unique_ptr<v1::CatalogueService::Stub> stub;
  absl::Duration deadline;
};

namespace {

// The catalogue being unreachable must not look like "no such office".
absl::Status Upstream(const grpc::Status& s) {
  absl::Status status = FromGrpcStatus(s);
  if (absl::IsNotFound(status) || absl::IsInvalidArgument(status)) return absl::NotFoundError("non trovato");
  return absl::UnavailableError("il catalogo non risponde");
}

}  // namespace

CatalogueClient::CatalogueClient(const std::string& address, const TlsConfig& tls, absl::Duration deadline)
    : impl_(std::make_unique<Impl>()) {
  impl_->stub = v1::CatalogueService::NewStub(ServiceChannel(address, tls));
  impl_->deadline = deadline;
}

CatalogueClient::~CatalogueClient() = default;

absl::StatusOr<std::string> CatalogueClient::ServiceTenant(const std::string& service_id) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + impl_->deadline));
  v1::GetServiceRequest req;
  req.set_id(service_id);
  v1::Service out;
  grpc::Status s = impl_->stub->GetService(&ctx, req, &out);
  if (!s.ok()) return Upstream(s);
  return out.tenant();
}

absl::StatusOr<std::string> CatalogueClient::OfficeTenant(const std::string& office_id) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + impl_->deadline));
  v1::GetOfficeRequest req;
  req.set_id(office_id);
  v1::Office out;
  grpc::Status s = impl_->stub->GetOffice(&ctx, req, &out);
  if (!s.ok()) return Upstream(s);
  return out.tenant();
}

absl::StatusOr<std::string> CatalogueClient::CategoryService(const std::string& tenant,
                                                            const std::string& service_code) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + impl_->deadline));
  v1::GetCategoryRequest req;
  req.set_tenant(tenant);
  req.set_service_code(service_code);
  v1::Category out;
  grpc::Status s = impl_->stub->GetCategory(&ctx, req, &out);
  if (!s.ok()) return Upstream(s);
  return out.service_id();
}

}  // namespace sportello::surveys
