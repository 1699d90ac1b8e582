#pragma once
// The open data store: the only opendata file with <pqxx/pqxx>. Datasets,
// immutable versions (rows rendered once, size and SHA-256 per
// distribution), proactive publications, and distributions streamed by
// COPY (SELECT ...) TO STDOUT in constant memory.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/page_token.h"
#include "services/opendata/table.h"

namespace sportello::db {
class Pool;
}

namespace sportello::opendata {

struct DistributionInfo {
  std::string format;  // "csv", "json"
  int64_t bytes = 0;
  std::string sha256;
};

struct VersionInfo {
  std::string dataset_id;
  int number = 0;
  absl::Time create_time;
  int64_t rows = 0;
  std::string period;
  bool approved = false;
  std::vector<DistributionInfo> distributions;
};

struct DatasetRecord {
  std::string id, tenant, slug, tenant_name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> keywords;
  std::string contact_name, contact_email;
  absl::Time create_time;
  std::optional<VersionInfo> latest;  // latest approved
};

struct NewVersion {
  std::string period;
  bool approved = true;
  std::vector<std::string> columns;
  std::vector<RenderedRow> rows;
};

struct ProactiveEntry {
  std::string id, tenant, object;
  int year = 0, requesters = 0;
  std::string document_url;
  absl::Time publish_time = absl::InfinitePast();
};

class OpenDataStore {
 public:
  OpenDataStore(db::Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Creates the tenant's datasets that do not exist yet.
  absl::Status EnsureDatasets(const std::string& tenant, const std::string& tenant_name,
                              const std::string& contact_email);
  absl::StatusOr<DatasetRecord> GetDataset(const std::string& id);
  // tenant empty: all tenants. By id.
  absl::StatusOr<Page<DatasetRecord>> ListDatasets(const std::string& tenant, int page_size,
                                                   const std::string& page_token);
  absl::StatusOr<DatasetRecord> UpdateDataset(const std::string& id, const std::optional<std::string>& description,
                                              const std::optional<std::vector<std::string>>& keywords,
                                              const std::optional<std::pair<std::string, std::string>>& contact);

  // Writes a new version unless the latest (approved or not) of the same
  // period has the same CSV hash; returns {changed, version}. Emits
  // dataset.published when the version is approved.
  absl::StatusOr<std::pair<bool, VersionInfo>> AddVersion(const std::string& dataset_id, const NewVersion& v);
  // `number` 0: the latest approved. NOT_FOUND when none (or not approved,
  // unless include_unapproved).
  absl::StatusOr<VersionInfo> GetVersion(const std::string& dataset_id, int number, bool include_unapproved);
  absl::StatusOr<Page<VersionInfo>> ListVersions(const std::string& dataset_id, int page_size,
                                                 const std::string& page_token);
  absl::StatusOr<VersionInfo> Approve(const std::string& dataset_id, int number);

  // Streams the distribution's bytes through `sink` in pieces of about
  // `chunk` bytes; `sink` returns false to stop (client gone).
  absl::Status StreamDistribution(const std::string& dataset_id, int number, const std::string& format,
                                  size_t chunk, const std::function<bool(std::string&&)>& sink);

  // The scheduled refresh's lease (migration 0002): when the job `job` is
  // due and no other replica's lease is running, takes it until now +
  // `lease` and returns its token; nullopt otherwise. A job never seen is due.
  absl::StatusOr<std::optional<std::string>> ClaimRefresh(const std::string& job, absl::Duration lease);
  // Ends a pass if the lease is still `token`'s: due again after `interval`,
  // lease released. False when another replica took it over meanwhile.
  absl::StatusOr<bool> FinishRefresh(const std::string& job, const std::string& token, absl::Duration interval);

  // Upserts proactive entries (keeps document_url and publish_time).
  absl::Status SaveProactive(const std::vector<ProactiveEntry>& entries);
  absl::StatusOr<Page<ProactiveEntry>> ListProactive(const std::string& tenant, int page_size,
                                                     const std::string& page_token);
  absl::StatusOr<ProactiveEntry> PublishProactive(const std::string& id, const std::string& url);

 private:
  db::Pool& pool_;
  const Clock& clock_;
};

}  // namespace sportello::opendata
