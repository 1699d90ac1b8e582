#include "services/complaints/catalogue_client.h"

#include <grpcpp/grpcpp.h>

#include "common/grpc/client_context.h"
#include "common/grpc/status.h"
#include "common/grpc/tls.h"
#include "sportello/v1/catalogue.grpc.pb.h"

namespace sportello::complaints {
namespace v1 = ::sportello::v1;

struct CatalogueClient::Impl {
  std::unique_ptr<v1::CatalogueService::Stub> stub;
  absl::Duration deadline;


};

CatalogueClient::CatalogueClient(const std::string& address, const TlsConfig& tls, absl::Duration deadline)
    : impl_(std::make_unique<Impl>()) {
  impl_->stub = v1::CatalogueService::NewStub(ServiceChannel(address, tls));
  impl_->deadline = deadline;
}

CatalogueClient::~CatalogueClient() = default;

namespace {

AttributeDefinition::Type TypeFromProto(v1::AttributeDatatype t) {
  using T = AttributeDefinition::Type;
  switch (t) {
    case v1::ATTRIBUTE_DATATYPE_NUMBER: return T::kNumber;
    case v1::ATTRIBUTE_DATATYPE_DATETIME: return T::kDatetime;
    case v1::ATTRIBUTE_DATATYPE_TEXT: return T::kText;
    case v1::ATTRIBUTE_DATATYPE_SINGLE_VALUE_LIST: return T::kSingleValueList;
    case v1::ATTRIBUTE_DATATYPE_MULTI_VALUE_LIST: return T::kMultiValueList;
    default: return T::kString;
  }
}

// The catalogue being unreachable must not look like "no such category".
absl::Status Upstream(const grpc::Status& s) {
  absl::Status status = FromGrpcStatus(s);
  if (absl::IsNotFound(status) || absl::IsInvalidArgument(status)) return status;
  return absl::UnavailableError("il catalogo non risponde: " + std::string(status.message()));
}

}  // namespace

absl::StatusOr<CategoryDefinition> CatalogueClient::GetCategory(const Caller& caller, const std::string& tenant,
                                                                const std::string& service_code) {
  auto ctx = ClientContextFor(caller, impl_->deadline);
  v1::GetCategoryRequest req;
  req.set_tenant(tenant);
  req.set_service_code(service_code);
  v1::Category category;
  grpc::Status s = impl_->stub->GetCategory(ctx.get(), req, &category);
  if (!s.ok()) return Upstream(s);
  CategoryDefinition def;
  def.service_code = category.service_code();
  def.name = category.name();
  def.office_id = category.office_id();
  def.legal_deadline_days = category.legal_deadline_days();
  for (const auto& a : category.attributes()) {
    AttributeDefinition attr{a.code(), TypeFromProto(a.datatype()), a.required(), {}};
    for (const auto& v : a.values()) attr.allowed_keys.push_back(v.key());
    def.attributes.push_back(std::move(attr));
  }
  return def;
}

absl::StatusOr<CatalogueClient::TenantInfo> CatalogueClient::GetTenant(const Caller& caller, const std::string& code) {
  auto ctx = ClientContextFor(caller, impl_->deadline);
  v1::GetTenantRequest req;
  req.set_ipa_code(code);
  v1::Tenant tenant;
  grpc::Status s = impl_->stub->GetTenant(ctx.get(), req, &tenant);
  if (!s.ok()) return Upstream(s);
  return TenantInfo{tenant.ipa_code(), tenant.name(), tenant.parent_ipa_code()};
}

absl::StatusOr<std::string> CatalogueClient::OfficeTenant(const Caller& caller, const std::string& office_id) {
  auto ctx = ClientContextFor(caller, impl_->deadline);
  v1::GetOfficeRequest req;
  req.set_id(office_id);
  v1::Office office;
  grpc::Status s = impl_->stub->GetOffice(ctx.get(), req, &office);
  if (!s.ok()) return Upstream(s);
  return office.tenant();
}

}  // namespace sportello::complaints
