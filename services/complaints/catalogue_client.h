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

class CatalogueClient {
 public:
  explicit CatalogueClient(const std::string& address, const TlsConfig& tls = {},
                           absl::Duration deadline = absl::Seconds(3));
  ~CatalogueClient();

  struct TenantInfo {
    std::string code, name, parent;
  };

  // NOT_FOUND for an unknown or inactive category.
  absl::StatusOr<CategoryDefinition> GetCategory(const Caller& caller, const std::string& tenant,
                                                 const std::string& service_code);
  absl::StatusOr<TenantInfo> GetTenant(const Caller& caller, const std::string& code);
  // The tenant an office belongs to; NOT_FOUND for an unknown office.
  absl::StatusOr<std::string> OfficeTenant(const Caller& caller, const std::string& office_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sportello::complaints
