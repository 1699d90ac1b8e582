#include "services/complaints/catalogue_client.h"

#include <grpcpp/grpcpp.h>

#include "common/grpc/client_context.h"
#include "common/grpc/status.h"
#include "common/grpc/tls.h"
#include "common/status.h"
#include "sportello/v1/catalogue.grpc.pb.h"

namespace sportello::complaints {
namespace v1 = ::sportello::v1;

namespace {

// The catalogue being unreachable must not look like "no such category".
absl::Status Upstream(const grpc::Status& s) {
  absl::Status status = FromGrpcStatus(s);
  if (absl::IsNotFound(status) || absl::IsInvalidArgument(status)) return status;
  return absl::UnavailableError("il catalogo non risponde: " + std::string(status.message()));
}

}  // namespace

struct CatalogueClient::Impl {
  using Stub = v1::CatalogueService::Stub;
  std::unique_ptr<Stub> stub;
  absl::Duration deadline;

  // One call of `rpc` on behalf of `caller`: the reply, or Upstream's status.
  template <typename Request, typename Reply>
  absl::StatusOr<Reply> Call(const Caller& caller,
                             grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Reply*),
                             const Request& request) {
    auto ctx = ClientContextFor(caller, deadline);
    Reply reply;
    grpc::Status s = (stub.get()->*rpc)(ctx.get(), request, &reply);
    if (!s.ok()) return Upstream(s);
    return reply;
  }
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

}  // namespace

absl::StatusOr<CategoryDefinition> CatalogueClient::GetCategory(const Caller& caller, const std::string& tenant,
                                                                const std::string& service_code) {
  v1::GetCategoryRequest req;
  req.set_tenant(tenant);
  req.set_service_code(service_code);
  ASSIGN_OR_RETURN(v1::Category category, impl_->Call(caller, &Impl::Stub::GetCategory, req));
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
  v1::GetTenantRequest req;
  req.set_ipa_code(code);
  ASSIGN_OR_RETURN(v1::Tenant tenant, impl_->Call(caller, &Impl::Stub::GetTenant, req));
  return TenantInfo{tenant.ipa_code(), tenant.name(), tenant.parent_ipa_code()};
}

absl::StatusOr<std::string> CatalogueClient::OfficeTenant(const Caller& caller, const std::string& office_id) {
  v1::GetOfficeRequest req;
  req.set_id(office_id);
  ASSIGN_OR_RETURN(v1::Office office, impl_->Call(caller, &Impl::Stub::GetOffice, req));
  return office.tenant();
}

}  // namespace sportello::complaints
