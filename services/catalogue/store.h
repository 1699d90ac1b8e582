#pragma once
// The catalogue's SQL: the only code that talks to the `catalogue` schema.
// Every method returns a status; no exception escapes. One idiom in every
// store (common/db/pool.h): SQL as named db::Statements ("catalogue.<what>")
// beside the method that runs them, pool_.Read/Write, columns read by name. Writes of offices and
// services record who changed what in catalogue.changes, in the same
// transaction as the change.
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/page_token.h"
#include "services/catalogue/model.h"
#include "services/catalogue/tenant.h"

namespace sportello::db {
class Pool;
}

namespace sportello::catalogue {

using sportello::Page;

class TenantStore {
 public:
  explicit TenantStore(db::Pool& pool) : pool_(pool) {}

  // ALREADY_EXISTS when the IPA code is taken.
  absl::StatusOr<Tenant> Create(const Tenant& tenant);
  // NOT_FOUND when there is no such tenant.
  absl::StatusOr<Tenant> Get(const std::string& ipa_code);
  // nullopt when there is no such tenant.
  absl::StatusOr<std::optional<Tenant>> Find(const std::string& ipa_code);
  absl::StatusOr<Page<Tenant>> List(const TenantFilter& filter, int page_size, const std::string& page_token);

 private:
  db::Pool& pool_;
};

struct OfficeFilter {
  std::string tenant;
  std::string parent_office_id;  // empty: any
};

class OfficeStore {
 public:
  explicit OfficeStore(db::Pool& pool) : pool_(pool) {}

  absl::StatusOr<Office> Create(const Office& office, const std::string& actor);
  // NOT_FOUND for an unknown or malformed id.
  absl::StatusOr<Office> Get(const std::string& id);
  absl::StatusOr<std::vector<Office>> GetMany(const std::vector<std::string>& ids);
  absl::StatusOr<Page<Office>> List(const OfficeFilter& filter, int page_size, const std::string& page_token);
  // Replaces every writable field with those of `office` (id and tenant unchanged).
  absl::StatusOr<Office> Update(const Office& office, const std::string& actor);
  // FAILED_PRECONDITION while services or sub-offices refer to it.
  absl::Status Delete(const std::string& id, const std::string& actor);

 private:
  db::Pool& pool_;
};

struct ServiceFilter {
  std::string tenant = "";
  std::string theme = "", audience = "";
  std::optional<Channel> channel = std::nullopt;
  std::string office_id = "";
  std::optional<ServiceStatus> status = std::nullopt;
  bool reportable_only = false;
};

class ServiceStore {
 public:
  explicit ServiceStore(db::Pool& pool) : pool_(pool) {}

  // ALREADY_EXISTS when the tenant already has the service_code.
  absl::StatusOr<Service> Create(const Service& service, const std::string& actor);
  absl::StatusOr<Service> Get(const std::string& id);
  absl::StatusOr<Page<Service>> List(const ServiceFilter& filter, int page_size, const std::string& page_token);
  // Every service of a tenant that is active or under development (for reports).
  absl::StatusOr<std::vector<Service>> ListForReport(const std::string& tenant);
  // The reportable services of a tenant, by category group and
  // service_code; and one of them.
  absl::StatusOr<Page<Service>> ListReportable(const std::string& tenant, int page_size,
                                               const std::string& page_token);
  absl::StatusOr<Service> GetReportable(const std::string& tenant, const std::string& service_code);
  absl::StatusOr<Service> Update(const Service& service, const std::string& actor);
  absl::Status Delete(const std::string& id, const std::string& actor);

 private:
  db::Pool& pool_;
};

struct ChangeRecord {
  long long id = 0;
  std::string entity, entity_id, action, actor;
  absl::Time time;
  std::string diff_json;  // {"field": {"from": .., "to": ..}}
};

class ChangeStore {
 public:
  explicit ChangeStore(db::Pool& pool) : pool_(pool) {}
  // Newest first; `entity_id` empty for all of the tenant.
  absl::StatusOr<Page<ChangeRecord>> List(const std::string& tenant, const std::string& entity_id, int page_size,
                                          const std::string& page_token);

 private:
  db::Pool& pool_;
};

enum class SearchKind { kAny, kService, kOffice };

struct SearchQuery {
  std::vector<std::string> tenants;  // the tenant, and its members when asked
  std::string text;
  SearchKind kind = SearchKind::kAny;
  std::string theme, audience;  // service filters; set -> offices excluded
  std::optional<Channel> channel;
  int page_size = 20;
  std::string page_token;
};

struct SearchHit {
  SearchKind kind = SearchKind::kService;
  std::string id, tenant, name, summary;
  double rank = 0;
};

struct SearchPage {
  std::vector<SearchHit> hits;
  std::string next_page_token;
  std::string corrected_text;  // the words searched after typo correction
};

class SearchStore {
 public:
  explicit SearchStore(db::Pool& pool) : pool_(pool) {}
  // Members of an unione (for include_members).
  absl::StatusOr<std::vector<std::string>> MemberTenants(const std::string& unione);
  absl::StatusOr<SearchPage> Search(const SearchQuery& query);

 private:
  db::Pool& pool_;
};

}  // namespace sportello::catalogue
