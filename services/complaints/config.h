#pragma once
// The complaints service's own settings (SPORTELLO_COMPLAINTS_*), read once
// by the service skeleton; see `sportello-complaints --help`.
#include <string>

#include "services/complaints/background.h"
#include "services/complaints/catalogue_cache.h"
#include "services/complaints/complaints_service.h"

namespace sportello {
class Settings;
}

namespace sportello::complaints {

struct Config {
  std::string catalogue_addr;  // the catalogue's gRPC address (categories, tenants, offices)
  ComplaintsSettings service;
  BackgroundSettings background;
  absl::Duration catalogue_ttl, catalogue_fallback_ttl;  // CatalogueCacheOptions

  // The catalogue cache's options, subscribed through `redis_url`.
  CatalogueCacheOptions CatalogueCache(const std::string& redis_url) const;

  static Config Read(Settings& settings);
};

}  // namespace sportello::complaints
