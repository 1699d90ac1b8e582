#include "services/complaints/catalogue_cache.h"

namespace sportello::complaints {
namespace {

// The service name the catalogue announces its writes under (ServiceCore).
constexpr std::string_view kCatalogue = "catalogue";

}  // namespace

CachedCatalogue::CachedCatalogue(Catalogue& upstream, const Clock& clock, CatalogueCacheOptions options)
    : upstream_(upstream), clock_(clock), options_(std::move(options)) {
  if (!options_.redis_url.empty()) {
    subscriber_ = std::make_unique<cache::ChangeSubscriber>(
        cache::ChangeSubscriberOptions{.url = options_.redis_url},
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
  std::lock_guard lock(mu_);
  DropAllLocked();
}

void CachedCatalogue::SetLive(bool live) {
  std::lock_guard lock(mu_);
  // Back after a gap: anything may have changed meanwhile.
  if (live && !live_) DropAllLocked();
  live_ = live;
}

void CachedCatalogue::SetPendingCheck(std::function<bool()> pending) {
  std::lock_guard lock(mu_);
  pending_ = std::move(pending);
}

bool CachedCatalogue::live() const {
  std::lock_guard lock(mu_);
  return live_;
}

CachedCatalogue::Counts CachedCatalogue::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

void CachedCatalogue::DropAllLocked() {
  ++generation_;
  tenants_.clear();
  categories_.clear();
}

template <typename T, typename Fetch>
absl::StatusOr<T> CachedCatalogue::Lookup(Map<T>& map, const std::string& key, const Fetch& fetch) {
  if (options_.live_ttl <= absl::ZeroDuration()) return fetch();
  uint64_t generation;
  {
    std::lock_guard lock(mu_);
    const absl::Duration ttl = live_ ? options_.live_ttl : options_.fallback_ttl;
    auto it = map.find(key);
    if (it != map.end() && clock_.Now() - it->second.fetched < ttl && !(pending_ && pending_())) {
      ++counts_.hits;
      return it->second.value;
    }
    ++counts_.misses;
    generation = generation_;
  }
  const absl::Time fetched = clock_.Now();
  absl::StatusOr<T> value = fetch();
  if (value.ok() || absl::IsNotFound(value.status())) {
    std::lock_guard lock(mu_);
    // A drop since the fetch began: the answer may predate the write.
    if (generation == generation_) {
      if (map.size() >= options_.max_entries && map.count(key) == 0) map.clear();
      map.insert_or_assign(key, Entry<T>{value, fetched});
    }
  }
  return value;
}

absl::StatusOr<CategoryDefinition> CachedCatalogue::GetCategory(const Caller& caller, const std::string& tenant,
                                                                const std::string& service_code) {
  return Lookup(categories_, tenant + '\x1f' + service_code,
                [&] { return upstream_.GetCategory(caller, tenant, service_code); });
}

absl::StatusOr<Catalogue::TenantInfo> CachedCatalogue::GetTenant(const Caller& caller, const std::string& code) {
  return Lookup(tenants_, code, [&] { return upstream_.GetTenant(caller, code); });
}

absl::StatusOr<std::string> CachedCatalogue::OfficeTenant(const Caller& caller, const std::string& office_id) {
  return upstream_.OfficeTenant(caller, office_id);
}

}  // namespace sportello::complaints
