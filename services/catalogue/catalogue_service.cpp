#include "services/catalogue/catalogue_service.h"

#include <google/protobuf/util/time_util.h>

#include "common/page_token.h"
#include "common/status.h"

namespace sportello::catalogue {
namespace {

namespace v1 = sportello::v1;
using google::protobuf::util::TimeUtil;

// Cached tenants expire by themselves; writes also delete the key.
constexpr absl::Duration kTenantTtl = absl::Minutes(5);
std::string TenantKey(const std::string& code) { return "catalogue:v1:tenant:" + code; }

// Converters between the wire and the domain, in one place.
TenantKind KindFromProto(v1::TenantKind k) {
  switch (k) {
    case v1::TENANT_KIND_COMUNE: return TenantKind::kComune;
    case v1::TENANT_KIND_UNIONE: return TenantKind::kUnione;
    case v1::TENANT_KIND_OTHER: return TenantKind::kOther;
    default: return TenantKind::kUnspecified;
  }
}

v1::TenantKind KindToProto(TenantKind k) {
  switch (k) {
    case TenantKind::kComune: return v1::TENANT_KIND_COMUNE;
    case TenantKind::kUnione: return v1::TENANT_KIND_UNIONE;
    case TenantKind::kOther: return v1::TENANT_KIND_OTHER;
    case TenantKind::kUnspecified: return v1::TENANT_KIND_UNSPECIFIED;
  }
  return v1::TENANT_KIND_UNSPECIFIED;
}

Tenant TenantFromProto(const v1::Tenant& p) {
  Tenant t;
  t.ipa_code = p.ipa_code();
  t.name = p.name();
  t.kind = KindFromProto(p.kind());
  t.parent_ipa_code = p.parent_ipa_code();
  t.website = p.website();
  t.pec = p.pec();
  t.address = {p.address().street(), p.address().postal_code(), p.address().municipality(),
               p.address().province()};
  t.demo = p.demo();
  return t;
}

void TenantToProto(const Tenant& t, v1::Tenant* p) {
  p->set_ipa_code(t.ipa_code);
  p->set_name(t.name);
  p->set_kind(KindToProto(t.kind));
  p->set_parent_ipa_code(t.parent_ipa_code);
  p->set_website(t.website);
  p->set_pec(t.pec);
  auto* a = p->mutable_address();
  a->set_street(t.address.street);
  a->set_postal_code(t.address.postal_code);
  a->set_municipality(t.address.municipality);
  a->set_province(t.address.province);
  p->set_demo(t.demo);
  *p->mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t.create_time));
  *p->mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t.update_time));
}

}  // namespace

grpc::ServerUnaryReactor* CatalogueService::CreateTenant(grpc::CallbackServerContext* ctx,
                                                         const v1::CreateTenantRequest* request,
                                                         v1::Tenant* response) {
  return rpc_.Run(ctx, "CreateTenant", [=, this](const Caller& caller) -> absl::Status {
    Tenant tenant = TenantFromProto(request->tenant());
    RETURN_IF_ERROR(PrepareNewTenant(tenant));
    RETURN_IF_ERROR(CheckMayCreate(caller.principal.tenant, tenant));
    if (!tenant.parent_ipa_code.empty()) {
      ASSIGN_OR_RETURN(std::optional<Tenant> parent, tenants_.Find(tenant.parent_ipa_code));
      RETURN_IF_ERROR(CheckParent(tenant, parent));
    }
    ASSIGN_OR_RETURN(Tenant created, tenants_.Create(tenant));
    cache_.Delete(TenantKey(created.ipa_code));
    TenantToProto(created, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CatalogueService::GetTenant(grpc::CallbackServerContext* ctx,
                                                      const v1::GetTenantRequest* request,
                                                      v1::Tenant* response) {
  return rpc_.Run(ctx, "GetTenant", [=, this](const Caller&) -> absl::Status {
    std::string code = NormalizeIpaCode(request->ipa_code());
    if (code.empty()) return InvalidArgument({{"ipa_code", "il codice IPA è obbligatorio"}});
    if (auto hit = cache_.Get(TenantKey(code)); hit && response->ParseFromString(*hit)) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(Tenant tenant, tenants_.Get(code));
    TenantToProto(tenant, response);
    cache_.Set(TenantKey(code), response->SerializeAsString(), kTenantTtl);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CatalogueService::ListTenants(grpc::CallbackServerContext* ctx,
                                                        const v1::ListTenantsRequest* request,
                                                        v1::ListTenantsResponse* response) {
  return rpc_.Run(ctx, "ListTenants", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
    TenantFilter filter{KindFromProto(request->kind()), NormalizeIpaCode(request->parent_ipa_code())};
    ASSIGN_OR_RETURN(TenantPage page, tenants_.List(filter, page_size, request->page_token()));
    for (const Tenant& t : page.tenants) TenantToProto(t, response->add_tenants());
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

}  // namespace sportello::catalogue
