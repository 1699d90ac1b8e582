#pragma once
// The catalogue's tenants and category definitions, held in the complaints
// service's memory so that a submission asks the catalogue nothing over gRPC
// when it asked for the same tenant or category before.
//
// Freshness follows the gateway's edge cache (gateway/edge_cache.h): the
// catalogue announces each committed write on Redis (common/cache/changes.h)
// and every announcement of the catalogue drops everything held here
// (catalogue writes are rare; which tenant a write touched is not always
// the writer's). Expiry, the fallback without the channel, the race with an
// announcement and what is kept are common/cache/local_cache.h's.
//
//   CachedCatalogue catalogue(client, clock, {.redis_url = url});
//   catalogue.Start();                       // subscribes
//   auto category = catalogue.GetCategory(caller, "c_f027", "buche");
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/time/time.h"
#include "common/cache/changes.h"
#include "common/cache/local_cache.h"
#include "common/clock.h"
#include "services/complaints/catalogue_client.h"

namespace sportello::complaints {

struct CatalogueCacheOptions {
  std::string redis_url = "";                      // the change announcements; empty: never live
  absl::Duration live_ttl = absl::Seconds(60);     // while subscribed; 0: nothing is kept
  absl::Duration fallback_ttl = absl::Seconds(5);  // while not subscribed
  size_t max_entries = 10000;                      // of each kind; when full, everything goes
};

class CachedCatalogue final : public Catalogue {
 public:
  CachedCatalogue(Catalogue& upstream, const Clock& clock, CatalogueCacheOptions options);
  ~CachedCatalogue() override;  // unsubscribes

  // Subscribes to the announcements on its own thread (nothing without a URL).
  void Start();

  absl::StatusOr<CategoryDefinition> GetCategory(const Caller& caller, const std::string& tenant,
                                                 const std::string& service_code) override;
  absl::StatusOr<TenantInfo> GetTenant(const Caller& caller, const std::string& code) override;
  // Not kept: only staff actions ask it.
  absl::StatusOr<std::string> OfficeTenant(const Caller& caller, const std::string& office_id) override;

  // What the subscription reports (public for tests): an announcement (the
  // catalogue's drop everything), the channel up (drop everything, then
  // live) or down (entries then live `fallback_ttl`).
  void OnChange(const cache::Change& change);
  void SetLive(bool live);
  // Asked before a hit is served: true when an announcement may be waiting.
  void SetPendingCheck(std::function<bool()> pending);

  bool live() const;

  using Counts = cache::LocalCacheCounts;
  Counts counts() const;  // of both kinds

 private:
  static cache::LocalCacheOptions Local(const CatalogueCacheOptions& o) {
    return {.live_ttl = o.live_ttl, .fallback_ttl = o.fallback_ttl, .max_entries = o.max_entries};
  }

  Catalogue& upstream_;
  cache::LocalCache<TenantInfo> tenants_;
  cache::LocalCache<CategoryDefinition> categories_;
  std::unique_ptr<cache::ChangeSubscriber> subscriber_;  // last: stopped first
};

}  // namespace sportello::complaints
