#include "services/complaints/catalogue_cache.h"

namespace sportello::complaints {
namespace {

// The service name the catalogue announces its writes under (ServiceCore).
constexpr std::string_view kCatalogue = "catalogue";

}  // namespace

CachedCatalogue::CachedCatalogue(Catalogue& upstream, const Clock& clock, CatalogueCacheOptions options)
    : upstream_(upstream), tenants_(clock, Local(options)), categories_(clock, Local(options)) {
  if (!options.redis_url.empty()) {
    subscriber_ = std::make_unique<cache::ChangeSubscriber>(
        cache::ChangeSubscriberOptions{.url = options.redis_url, .services = {std::string(kCatalogue)}},
        cache::ChangeHandlers{.on_change = [this](const cache::Change& c) { OnChange(c); },
                              .on_up = [this] { SetLive(true); },
                              .on_down = [this] { SetLive(false); }});
    SetPendingCheck([s = subscriber_.get()] { return s->Pending(); });
  }
}

CachedCatalogue::~CachedCatalogue() {
  if (subscriber_) subscriber_->Stop();
}

void CachedCatalogue::Start() {
  if (subscriber_) subscriber_->Start();
}

void CachedCatalogue::OnChange(const cache::Change& change) {
  if (change.service != kCatalogue) return;
  tenants_.DropAll();
  categories_.DropAll();
}

void CachedCatalogue::SetLive(bool live) {
  tenants_.SetLive(live);
  categories_.SetLive(live);
}

void CachedCatalogue::SetPendingCheck(std::function<bool()> pending) {
  tenants_.SetPendingCheck(pending);
  categories_.SetPendingCheck(std::move(pending));
}

bool CachedCatalogue::live() const { return tenants_.live(); }

CachedCatalogue::Counts CachedCatalogue::counts() const {
  Counts t = tenants_.counts(), c = categories_.counts();
  return {.hits = t.hits + c.hits, .misses = t.misses + c.misses};
}

absl::StatusOr<CategoryDefinition> CachedCatalogue::GetCategory(const Caller& caller, const std::string& tenant,
                                                                const std::string& service_code) {
  return categories_.Lookup(tenant + '\x1f' + service_code,
                            [&] { return upstream_.GetCategory(caller, tenant, service_code); });
}

absl::StatusOr<Catalogue::TenantInfo> CachedCatalogue::GetTenant(const Caller& caller, const std::string& code) {
  return tenants_.Lookup(code, [&] { return upstream_.GetTenant(caller, code); });
}

absl::StatusOr<std::string> CachedCatalogue::OfficeTenant(const Caller& caller, const std::string& office_id) {
  return upstream_.OfficeTenant(caller, office_id);
}

}  // namespace sportello::complaints
