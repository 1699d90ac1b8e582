#pragma once
// The catalogue's SQL: the only place that talks to the `catalogue` schema.
// Every method returns a status; no exception escapes.
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/catalogue/tenant.h"

namespace sportello::db {
class Pool;
}

namespace sportello::catalogue {

struct TenantPage {
  std::vector<Tenant> tenants;
  std::string next_page_token;
};

class TenantStore {
 public:
  explicit TenantStore(db::Pool& pool) : pool_(pool) {}

  // ALREADY_EXISTS when the IPA code is taken.
  absl::StatusOr<Tenant> Create(const Tenant& tenant);
  // NOT_FOUND when there is no such tenant.
  absl::StatusOr<Tenant> Get(const std::string& ipa_code);
  // nullopt when there is no such tenant.
  absl::StatusOr<std::optional<Tenant>> Find(const std::string& ipa_code);
  absl::StatusOr<TenantPage> List(const TenantFilter& filter, int page_size, const std::string& page_token);

 private:
  db::Pool& pool_;
};

}  // namespace sportello::catalogue
