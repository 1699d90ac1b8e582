#pragma once
// What the surveys service asks the catalogue over gRPC: which tenant a
// service or an office belongs to, so a survey names only its own tenant's.
// Blocking, with a deadline, from worker threads.
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/tls_config.h"

namespace sportello::surveys {

class CatalogueClient {
 public:
  explicit CatalogueClient(const std::string& address, const TlsConfig& tls = {},
                            absl::Duration deadline = absl::Seconds(3));
  ~CatalogueClient();

  // The owning tenant; NOT_FOUND for an unknown id, UNAVAILABLE when the catalogue does not answer.
  absl::StatusOr<std::string> ServiceTenant(const std::string& service_id);
  absl::StatusOr<std::string> OfficeTenant(const std::string& office_id);
  // The catalogue service behind a reportable category (complaints' `category`).
  absl::StatusOr<std::string> CategoryService(const std::string& tenant, const std::string& service_code);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sportello::surveys
