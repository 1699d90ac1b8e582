#pragma once
// What the complaints service asks the catalogue over gRPC: a category's
// definition, a tenant and its unione, an office's tenant. Blocking calls
// made from worker threads only, on behalf of a caller: each carries the
// caller's x-request-id and accept-language, and ends by the caller's
// deadline (at most `deadline` from now).
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/tls_config.h"
#include "services/complaints/model.h"

namespace sportello {
struct Caller;
}

namespace sportello::complaints {

// What the complaints service asks the catalogue: the gRPC client below,
// or the cache in front of it (catalogue_cache.h).
class Catalogue {
 public:
  virtual ~Catalogue() = default;

  struct TenantInfo {
    std::string code, name, parent;
  };

  // NOT_FOUND for an unknown or inactive category.
  virtual absl::StatusOr<CategoryDefinition> GetCategory(const Caller& caller, const std::string& tenant,
                                                         const std::string& service_code) = 0;
  virtual absl::StatusOr<TenantInfo> GetTenant(const Caller& caller, const std::string& code) = 0;
  // The tenant an office belongs to; NOT_FOUND for an unknown office.
  virtual absl::StatusOr<std::string> OfficeTenant(const Caller& caller, const std::string& office_id) = 0;
};

class CatalogueClient final : public Catalogue {
 public:
  explicit CatalogueClient(const std::string& address, const TlsConfig& tls = {},
                           absl::Duration deadline = absl::Seconds(3));
  ~CatalogueClient() override;

  absl::StatusOr<CategoryDefinition> GetCategory(const Caller& caller, const std::string& tenant,
                                                 const std::string& service_code) override;
  absl::StatusOr<TenantInfo> GetTenant(const Caller& caller, const std::string& code) override;
  absl::StatusOr<std::string> OfficeTenant(const Caller& caller, const std::string& office_id) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sportello::complaints
