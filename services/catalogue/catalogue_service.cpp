#include "services/catalogue/catalogue_service.h"

#include <algorithm>

#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/time_util.h>

#include "common/auth/token.h"
#include "common/page_token.h"
#include "common/status.h"
#include "common/tenancy.h"
#include "services/catalogue/convert.h"
#include "services/catalogue/rules.h"

namespace sportello::catalogue {
namespace {

// What a read is kept under in Redis and in memory: the method and its request.
std::string CacheKey(std::string_view method, const google::protobuf::Message& request) {
  return std::string(method) + ":" + request.SerializeAsString();
}

using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;

// Cached reads expire by themselves too, bounding any staleness that a
// write made while Redis was unreachable could leave behind.
constexpr absl::Duration kCacheTtl = absl::Minutes(10);
constexpr absl::Duration kDefaultStaleAfter = absl::Hours(24 * 365);
// Search result pages are smaller than lists: they feed a results page.
constexpr int kDefaultSearchPage = 20;
// The service name the catalogue's writes are announced under (ServiceCore).
constexpr std::string_view kAnnouncedAs = "catalogue";

// Applies the fields named in `mask` from `patch` onto `current`; an empty
// mask replaces every field (a gRPC caller's full replacement: the gateway
// turns a PATCH without update_mask into the mask of the fields in the body).
// Paths are proto field names and may be nested ("hours.weekly", "address.street"):
// the field at the end of a path is replaced as a whole, a list included.
// Output-only fields never change; an unknown or output-only path is
// INVALID_ARGUMENT on update_mask, and nothing changes.
template <typename Message>
absl::Status MergeWithMask(const Message& patch, const FieldMask& mask, Message* current) {
  if (mask.paths().empty()) {
    Message merged = patch;
    merged.set_id(current->id());
    merged.set_tenant(current->tenant());
    *merged.mutable_create_time() = current->create_time();
    *merged.mutable_update_time() = current->update_time();
    *current = std::move(merged);
    return absl::OkStatus();
  }
  std::vector<FieldViolation> violations;
  for (const auto& path : mask.paths()) {
    std::string top = path.substr(0, path.find('.'));
    if (top == "id" || top == "tenant" || top == "create_time" || top == "update_time") {
      violations.push_back({"update_mask", "il campo " + path + " non è modificabile"});
    } else if (!FieldMaskUtil::GetFieldDescriptors(Message::descriptor(), path, nullptr)) {
      violations.push_back({"update_mask", "il campo " + path +
                                               " non esiste (indicare i nomi dei campi, ad esempio name o hours.weekly)"});
    }
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, mask, options, current);
  return absl::OkStatus();
}

// The tenant a staff request names, canonical: INVALID_ARGUMENT on `tenant`
// when malformed, PERMISSION_DENIED unless the caller is its operator or admin.
absl::StatusOr<std::string> StaffTenant(const Caller& caller, std::string_view raw) {
  ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(raw, "tenant"));
  RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, {auth::Role::kOperator}));
  return tenant;
}

SearchKind SearchKindFromProto(v1::SearchResultKind k) {
  switch (k) {
    case v1::SEARCH_RESULT_KIND_SERVICE: return SearchKind::kService;
    case v1::SEARCH_RESULT_KIND_OFFICE: return SearchKind::kOffice;
    default: return SearchKind::kAny;
  }
}

}  // namespace

CatalogueService::CatalogueService(CatalogueStores& stores, cache::RedisCache& redis, RpcRunner& rpc,
                                   absl::TimeZone zone, const Clock& clock, LocalCacheConfig local)
    : stores_(stores),
      cache_(redis, "catalogue:v1", kCacheTtl),
      rpc_(rpc),
      zone_(zone),
      clock_(clock),
      local_(clock, local.options) {
  if (local.redis_url.empty() || local.options.live_ttl <= absl::ZeroDuration()) return;
  subscriber_ = std::make_unique<cache::ChangeSubscriber>(
      cache::ChangeSubscriberOptions{.url = local.redis_url, .services = {std::string(kAnnouncedAs)}},
      cache::ChangeHandlers{.on_change =
                                [this](const cache::Change& c) {
                                  if (c.service == kAnnouncedAs) local_.DropAll();
                                },
                            .on_up = [this] { local_.SetLive(true); },
                            .on_down = [this] { local_.SetLive(false); }});
  local_.SetPendingCheck([s = subscriber_.get()] { return s->Pending(); });
  subscriber_->Start();
}

CatalogueService::~CatalogueService() {
  if (subscriber_) subscriber_->Stop();
}

std::function<std::optional<absl::Status>(const Caller&)> CatalogueService::FromMemory(
    std::string_view method, const google::protobuf::Message* request, google::protobuf::Message* response) {
  return [=, this](const Caller&) -> std::optional<absl::Status> {
    std::optional<absl::StatusOr<std::string>> held = local_.Peek(CacheKey(method, *request));
    if (!held) return std::nullopt;
    if (!held->ok()) return held->status();
    if (!response->ParseFromString(**held)) return std::nullopt;  // the worker reads it again
    return absl::OkStatus();
  };
}

absl::Status CatalogueService::Cached(std::string_view method, const google::protobuf::Message& request,
                                      google::protobuf::Message* response,
                                      const std::function<absl::Status()>& load) {
  std::string key = CacheKey(method, request);
  bool filled = false;  // `response` already holds the answer loaded below
  absl::StatusOr<std::string> bytes = local_.Lookup(key, [&]() -> absl::StatusOr<std::string> {
    auto hit = cache_.Get("catalogue", key);
    if (hit.value && response->ParseFromString(*hit.value)) {
      filled = true;
      return *std::move(hit.value);
    }
    response->Clear();
    RETURN_IF_ERROR(load());
    filled = true;
    std::string loaded = response->SerializeAsString();
    cache_.Put(hit, "catalogue", key, loaded);
    return loaded;
  });
  if (!bytes.ok()) return bytes.status();
  if (filled) return absl::OkStatus();
  if (!response->ParseFromString(*bytes)) return absl::InternalError("risposta in cache illeggibile");
  return absl::OkStatus();
}

absl::Status CatalogueService::RequireTenant(const std::string& code) {
  return stores_.tenants.Get(code).status();
}

absl::Status CatalogueService::CheckParentOffice(const std::string& tenant, const std::string& office_id,
                                                 const std::string& parent_id) {
  // Up the chart from the new parent: it must stay in the tenant and never
  // come back to the office itself. Org charts are shallow; the bound only
  // guards against a cycle already stored.
  std::string at = parent_id;
  for (int depth = 0; !at.empty(); ++depth) {
    if (at == office_id || depth > 32) {
      return InvalidArgument({{"office.parent_office_id", "l'organigramma non può contenere cicli"}});
    }
    auto parent = stores_.offices.Get(at);
    if (absl::IsNotFound(parent.status()) || (parent.ok() && parent->tenant != tenant)) {
      return InvalidArgument({{"office.parent_office_id", "ufficio superiore non trovato in questo ente"}});
    }
    if (!parent.ok()) return parent.status();
    at = parent->parent_office_id;
  }
  return absl::OkStatus();
}

// ---- Tenants

CatalogueService::Reactor* CatalogueService::CreateTenant(Ctx* ctx, const v1::CreateTenantRequest* request,
                                                          v1::Tenant* response) {
  return rpc_.Run(ctx, "CreateTenant", [=, this](const Caller& caller) -> absl::Status {
    Tenant tenant = TenantFromProto(request->tenant());
    RETURN_IF_ERROR(PrepareNewTenant(tenant));
    RETURN_IF_ERROR(CheckMayCreate(caller.principal, tenant));
    if (!tenant.parent_ipa_code.empty()) {
      ASSIGN_OR_RETURN(std::optional<Tenant> parent, stores_.tenants.Find(tenant.parent_ipa_code));
      RETURN_IF_ERROR(CheckParent(tenant, parent));
    }
    ASSIGN_OR_RETURN(Tenant created, stores_.tenants.Create(tenant));
    Invalidate();
    TenantToProto(created, response);
    return absl::OkStatus();
  });
}

CatalogueService::Reactor* CatalogueService::GetTenant(Ctx* ctx, const v1::GetTenantRequest* request,
                                                       v1::Tenant* response) {
  return rpc_.Run(ctx, "GetTenant", FromMemory("GetTenant", request, response),
                  [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string code, CanonicalTenant(request->ipa_code(), "ipa_code"));
    return Cached("GetTenant", *request, response, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(Tenant tenant, stores_.tenants.Get(code));
      TenantToProto(tenant, response);
      return absl::OkStatus();
    });
  });
}

CatalogueService::Reactor* CatalogueService::ListTenants(Ctx* ctx, const v1::ListTenantsRequest* request,
                                                         v1::ListTenantsResponse* response) {
  return rpc_.Run(ctx, "ListTenants", FromMemory("ListTenants", request, response),
                  [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(std::string parent, CanonicalOptionalTenant(request->parent_ipa_code(), "parent_ipa_code"));
    TenantFilter filter{KindFromProto(request->kind()), parent};
    return Cached("ListTenants", *request, response, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(Page<Tenant> page, stores_.tenants.List(filter, page_size, request->page_token()));
      for (const Tenant& t : page.items) TenantToProto(t, response->add_tenants());
      response->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

// ---- Offices

CatalogueService::Reactor* CatalogueService::CreateOffice(Ctx* ctx, const v1::CreateOfficeRequest* request,
                                                          v1::Office* response) {
  return rpc_.Run(ctx, "CreateOffice", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, StaffTenant(caller, request->tenant()));
    RETURN_IF_ERROR(RequireTenant(tenant));
    ASSIGN_OR_RETURN(Office office, OfficeFromProto(request->office()));
    office.tenant = tenant;
    RETURN_IF_ERROR(PrepareOffice(office));
    RETURN_IF_ERROR(CheckParentOffice(tenant, "", office.parent_office_id));
    ASSIGN_OR_RETURN(Office created, stores_.offices.Create(office, caller.principal.subject));
    Invalidate();
    OfficeToProto(created, response);
    return absl::OkStatus();
  });
}

CatalogueService::Reactor* CatalogueService::GetOffice(Ctx* ctx, const v1::GetOfficeRequest* request,
                                                       v1::Office* response) {
  return rpc_.Run(ctx, "GetOffice", FromMemory("GetOffice", request, response),
                  [=, this](const Caller&) -> absl::Status {
    return Cached("GetOffice", *request, response, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(Office office, stores_.offices.Get(request->id()));
      OfficeToProto(office, response);
      return absl::OkStatus();
    });
  });
}

CatalogueService::Reactor* CatalogueService::ListOffices(Ctx* ctx, const v1::ListOfficesRequest* request,
                                                         v1::ListOfficesResponse* response) {
  return rpc_.Run(ctx, "ListOffices", FromMemory("ListOffices", request, response),
                  [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(request->tenant(), "tenant"));
    return Cached("ListOffices", *request, response, [&]() -> absl::Status {
      RETURN_IF_ERROR(RequireTenant(tenant));
      ASSIGN_OR_RETURN(Page<Office> page,
                       stores_.offices.List({tenant, request->parent_office_id()}, page_size, request->page_token()));
      for (const Office& o : page.items) OfficeToProto(o, response->add_offices());
      response->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

CatalogueService::Reactor* CatalogueService::UpdateOffice(Ctx* ctx, const v1::UpdateOfficeRequest* request,
                                                          v1::Office* response) {
  return rpc_.Run(ctx, "UpdateOffice", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Office existing, stores_.offices.Get(request->office().id()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, existing.tenant, {auth::Role::kOperator}));
    v1::Office merged;
    OfficeToProto(existing, &merged);
    RETURN_IF_ERROR(MergeWithMask(request->office(), request->update_mask(), &merged));
    ASSIGN_OR_RETURN(Office office, OfficeFromProto(merged));
    RETURN_IF_ERROR(PrepareOffice(office));
    if (office.parent_office_id != existing.parent_office_id) {
      RETURN_IF_ERROR(CheckParentOffice(existing.tenant, existing.id, office.parent_office_id));
    }
    ASSIGN_OR_RETURN(Office updated, stores_.offices.Update(office, caller.principal.subject));
    Invalidate();
    OfficeToProto(updated, response);
    return absl::OkStatus();
  });
}

CatalogueService::Reactor* CatalogueService::DeleteOffice(Ctx* ctx, const v1::DeleteOfficeRequest* request,
                                                          Empty*) {
  return rpc_.Run(ctx, "DeleteOffice", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Office existing, stores_.offices.Get(request->id()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, existing.tenant, {auth::Role::kOperator}));
    RETURN_IF_ERROR(stores_.offices.Delete(existing.id, caller.principal.subject));
    Invalidate();
    return absl::OkStatus();
  });
}

CatalogueService::Reactor* CatalogueService::GetOfficeAvailability(Ctx* ctx,
                                                                   const v1::GetOfficeAvailabilityRequest* request,
                                                                   v1::OfficeAvailability* response) {
  return rpc_.Run(ctx, "GetOfficeAvailability", [=, this](const Caller&) -> absl::Status {
    absl::Time at = clock_.Now();
    if (request->has_at()) {
      at = absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(request->at()));
      // The next opening may be weeks later and must still print as RFC 3339:
      // far dates are refused here rather than failing as INTERNAL later.
      if (at < absl::FromCivil(absl::CivilSecond(1970, 1, 1), absl::UTCTimeZone()) ||
          at >= absl::FromCivil(absl::CivilSecond(2200, 1, 1), absl::UTCTimeZone())) {
        return InvalidArgument({{"at", "data fuori dall'intervallo ammesso (dal 1970 al 2199)"}});
      }
    }
    v1::GetOfficeRequest get;
    get.set_id(request->id());
    v1::Office cached;
    RETURN_IF_ERROR(Cached("GetOffice", get, &cached, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(Office office, stores_.offices.Get(request->id()));
      OfficeToProto(office, &cached);
      return absl::OkStatus();
    }));
    ASSIGN_OR_RETURN(Office office, OfficeFromProto(cached));
    AvailabilityToProto(office.id, at, AvailabilityAt(office.hours, at, zone_), response);
    return absl::OkStatus();
  });
}

// ---- Services

CatalogueService::Reactor* CatalogueService::CreateService(Ctx* ctx, const v1::CreateServiceRequest* request,
                                                           v1::Service* response) {
  return rpc_.Run(ctx, "CreateService", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, StaffTenant(caller, request->tenant()));
    RETURN_IF_ERROR(RequireTenant(tenant));
    ASSIGN_OR_RETURN(catalogue::Service service, ServiceFromProto(request->service()));
    service.tenant = tenant;
    RETURN_IF_ERROR(PrepareService(service));
    if (!service.office_id.empty()) {
      auto office = stores_.offices.Get(service.office_id);
      if (!office.ok() || office->tenant != tenant) {
        return InvalidArgument({{"service.office_id", "ufficio non trovato in questo ente"}});
      }
    }
    ASSIGN_OR_RETURN(catalogue::Service created, stores_.services.Create(service, caller.principal.subject));
    Invalidate();
    ServiceToProto(created, response);
    return absl::OkStatus();
  });
}

CatalogueService::Reactor* CatalogueService::GetService(Ctx* ctx, const v1::GetServiceRequest* request,
                                                        v1::Service* response) {
  return rpc_.Run(ctx, "GetService", FromMemory("GetService", request, response),
                  [=, this](const Caller&) -> absl::Status {
    return Cached("GetService", *request, response, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(catalogue::Service service, stores_.services.Get(request->id()));
      ServiceToProto(service, response);
      return absl::OkStatus();
    });
  });
}

CatalogueService::Reactor* CatalogueService::ListServices(Ctx* ctx, const v1::ListServicesRequest* request,
                                                          v1::ListServicesResponse* response) {
  return rpc_.Run(ctx, "ListServices", FromMemory("ListServices", request, response),
                  [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
    ServiceFilter filter;
    ASSIGN_OR_RETURN(filter.tenant, CanonicalTenant(request->tenant(), "tenant"));
    filter.theme = request->theme();
    filter.audience = request->audience();
    filter.channel = ChannelFromProto(request->channel());
    filter.office_id = request->office_id();
    filter.status = StatusFromProto(request->status());
    filter.reportable_only = request->reportable_only();
    return Cached("ListServices", *request, response, [&]() -> absl::Status {
      RETURN_IF_ERROR(RequireTenant(filter.tenant));
      ASSIGN_OR_RETURN(Page<catalogue::Service> page, stores_.services.List(filter, page_size, request->page_token()));
      for (const catalogue::Service& s : page.items) ServiceToProto(s, response->add_services());
      response->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

CatalogueService::Reactor* CatalogueService::UpdateService(Ctx* ctx, const v1::UpdateServiceRequest* request,
                                                           v1::Service* response) {
  return rpc_.Run(ctx, "UpdateService", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(catalogue::Service existing, stores_.services.Get(request->service().id()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, existing.tenant, {auth::Role::kOperator}));
    v1::Service merged;
    ServiceToProto(existing, &merged);
    RETURN_IF_ERROR(MergeWithMask(request->service(), request->update_mask(), &merged));
    ASSIGN_OR_RETURN(catalogue::Service service, ServiceFromProto(merged));
    RETURN_IF_ERROR(PrepareService(service));
    if (!service.office_id.empty() && service.office_id != existing.office_id) {
      auto office = stores_.offices.Get(service.office_id);
      if (!office.ok() || office->tenant != existing.tenant) {
        return InvalidArgument({{"service.office_id", "ufficio non trovato in questo ente"}});
      }
    }
    ASSIGN_OR_RETURN(catalogue::Service updated, stores_.services.Update(service, caller.principal.subject));
    Invalidate();
    ServiceToProto(updated, response);
    return absl::OkStatus();
  });
}

CatalogueService::Reactor* CatalogueService::DeleteService(Ctx* ctx, const v1::DeleteServiceRequest* request,
                                                           Empty*) {
  return rpc_.Run(ctx, "DeleteService", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(catalogue::Service existing, stores_.services.Get(request->id()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, existing.tenant, {auth::Role::kOperator}));
    RETURN_IF_ERROR(stores_.services.Delete(existing.id, caller.principal.subject));
    Invalidate();
    return absl::OkStatus();
  });
}

CatalogueService::Reactor* CatalogueService::GetServiceJsonLd(Ctx* ctx, const v1::GetServiceRequest* request,
                                                              v1::RawBody* response) {
  return rpc_.Run(ctx, "GetServiceJsonLd", FromMemory("GetServiceJsonLd", request, response),
                  [=, this](const Caller&) -> absl::Status {
    return Cached("GetServiceJsonLd", *request, response, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(catalogue::Service service, stores_.services.Get(request->id()));
      ASSIGN_OR_RETURN(Tenant provider, stores_.tenants.Get(service.tenant));
      std::vector<Office> offices;
      if (!service.office_id.empty()) {
        ASSIGN_OR_RETURN(offices, stores_.offices.GetMany({service.office_id}));
      }
      response->set_content_type("application/ld+json; charset=utf-8");
      response->set_data(ServiceJsonLd(service, provider, offices));
      return absl::OkStatus();
    });
  });
}

CatalogueService::Reactor* CatalogueService::GetServiceCompleteness(Ctx* ctx, const v1::GetServiceRequest* request,
                                                                    v1::ServiceCompleteness* response) {
  return rpc_.Run(ctx, "GetServiceCompleteness", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(catalogue::Service service, stores_.services.Get(request->id()));
    response->set_service_id(service.id);
    response->set_name(service.name);
    auto missing = MissingArt35Items(service);
    response->set_complete(missing.empty());
    for (const auto& m : missing) {
      auto* item = response->add_missing();
      item->set_item(m.item);
      item->set_label(m.label);
    }
    if (service.last_reviewed_at) {
      *response->mutable_last_reviewed_at() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(*service.last_reviewed_at));
    }
    response->set_stale(IsStale(service, clock_.Now(), kDefaultStaleAfter));
    return absl::OkStatus();
  });
}

CatalogueService::Reactor* CatalogueService::GetCompletenessReport(Ctx* ctx,
                                                                   const v1::GetCompletenessReportRequest* request,
                                                                   v1::CompletenessReport* response) {
  return rpc_.Run(ctx, "GetCompletenessReport", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, StaffTenant(caller, request->tenant()));
    if (request->stale_after_days() < 0) {
      return InvalidArgument({{"stale_after_days", "deve essere un numero positivo di giorni"}});
    }
    ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(request->page_token(), 2));
    absl::Duration window =
        request->stale_after_days() == 0 ? kDefaultStaleAfter : absl::Hours(24) * request->stale_after_days();
    // Every service counts; a page lists those to look at after the token's
    // (name, id), in that order (sorted here, so the key compares the same way).
    ASSIGN_OR_RETURN(std::vector<catalogue::Service> services, stores_.services.ListForReport(tenant));
    auto key = [](const catalogue::Service& s) { return std::vector<std::string>{s.name, s.id}; };
    std::sort(services.begin(), services.end(),
              [&](const catalogue::Service& a, const catalogue::Service& b) { return key(a) < key(b); });
    absl::Time now = clock_.Now();
    response->set_tenant(tenant);
    response->set_services(static_cast<int>(services.size()));
    int complete = 0;
    Page<const catalogue::Service*> page;
    for (const catalogue::Service& s : services) {
      bool stale = IsStale(s, now, window);
      bool is_complete = MissingArt35Items(s).empty();
      if (is_complete) ++complete;
      if (is_complete && !stale) continue;
      if (static_cast<int>(page.items.size()) <= page_size && (after.empty() || key(s) > after)) {
        page.items.push_back(&s);
      }
    }
    TrimPage(page, page_size, [&](const catalogue::Service* s) { return key(*s); });
    for (const catalogue::Service* s : page.items) {
      auto missing = MissingArt35Items(*s);
      auto* entry = response->add_incomplete_or_stale();
      entry->set_service_id(s->id);
      entry->set_name(s->name);
      entry->set_complete(missing.empty());
      entry->set_stale(IsStale(*s, now, window));
      for (const auto& m : missing) {
        auto* item = entry->add_missing();
        item->set_item(m.item);
        item->set_label(m.label);
      }
      if (s->last_reviewed_at) {
        *entry->mutable_last_reviewed_at() =
            google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(*s->last_reviewed_at));
      }
    }
    response->set_complete(complete);
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

CatalogueService::Reactor* CatalogueService::ListCategories(Ctx* ctx, const v1::ListCategoriesRequest* request,
                                                            v1::ListCategoriesResponse* response) {
  return rpc_.Run(ctx, "ListCategories", FromMemory("ListCategories", request, response),
                  [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(request->tenant(), "tenant"));
    ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
    return Cached("ListCategories", *request, response, [&]() -> absl::Status {
      RETURN_IF_ERROR(RequireTenant(tenant));
      ASSIGN_OR_RETURN(Page<catalogue::Service> page,
                       stores_.services.ListReportable(tenant, page_size, request->page_token()));
      for (const catalogue::Service& s : page.items) CategoryToProto(s, response->add_categories());
      response->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

CatalogueService::Reactor* CatalogueService::GetCategory(Ctx* ctx, const v1::GetCategoryRequest* request,
                                                         v1::Category* response) {
  return rpc_.Run(ctx, "GetCategory", FromMemory("GetCategory", request, response),
                  [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(request->tenant(), "tenant"));
    return Cached("GetCategory", *request, response, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(catalogue::Service service, stores_.services.GetReportable(tenant, request->service_code()));
      CategoryToProto(service, response);
      return absl::OkStatus();
    });
  });
}

CatalogueService::Reactor* CatalogueService::ListChanges(Ctx* ctx, const v1::ListChangesRequest* request,
                                                         v1::ListChangesResponse* response) {
  return rpc_.Run(ctx, "ListChanges", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, StaffTenant(caller, request->tenant()));
    ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(Page<ChangeRecord> page,
                     stores_.changes.List(tenant, request->entity_id(), page_size, request->page_token()));
    for (const auto& c : page.items) ChangeToProto(c, response->add_changes());
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

CatalogueService::Reactor* CatalogueService::Search(Ctx* ctx, const v1::SearchRequest* request,
                                                    v1::SearchResponse* response) {
  return rpc_.Run(ctx, "Search", FromMemory("Search", request, response),
                  [=, this](const Caller&) -> absl::Status {
    absl::StatusOr<std::string> canonical = CanonicalTenant(request->tenant(), "tenant");
    std::vector<FieldViolation> violations = FieldViolations(canonical.status());
    if (request->q().find_first_not_of(" \t") == std::string::npos) {
      violations.push_back({"q", "il testo da cercare è obbligatorio"});
    } else if (request->q().size() > 200) {
      violations.push_back({"q", "il testo da cercare non può superare 200 caratteri"});
    }
    if (!violations.empty()) return InvalidArgument(std::move(violations));
    std::string tenant = *std::move(canonical);
    ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size() == 0 ? kDefaultSearchPage : request->page_size()));
    return Cached("Search", *request, response, [&]() -> absl::Status {
      RETURN_IF_ERROR(RequireTenant(tenant));
      SearchQuery query;
      query.tenants = {tenant};
      if (request->include_members()) {
        ASSIGN_OR_RETURN(std::vector<std::string> members, stores_.search.MemberTenants(tenant));
        query.tenants.insert(query.tenants.end(), members.begin(), members.end());
      }
      query.text = request->q();
      query.kind = SearchKindFromProto(request->kind());
      query.theme = request->theme();
      query.audience = request->audience();
      query.channel = ChannelFromProto(request->channel());
      query.page_size = page_size;
      query.page_token = request->page_token();
      ASSIGN_OR_RETURN(SearchPage page, stores_.search.Search(query));
      for (const auto& hit : page.hits) {
        auto* r = response->add_results();
        r->set_kind(hit.kind == SearchKind::kService ? v1::SEARCH_RESULT_KIND_SERVICE : v1::SEARCH_RESULT_KIND_OFFICE);
        r->set_id(hit.id);
        r->set_tenant(hit.tenant);
        r->set_name(hit.name);
        r->set_summary(hit.summary);
        r->set_rank(hit.rank);
      }
      response->set_next_page_token(page.next_page_token);
      response->set_corrected_query(page.corrected_text);
      return absl::OkStatus();
    });
  });
}

}  // namespace sportello::catalogue
