#include "services/opendata/store.h"

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/db/pool.h"
#include "common/db/sql_time.h"
#include "common/outbox/outbox.h"
#include "common/status.h"

namespace sportello::opendata {

namespace {

constexpr std::string_view kSchema = "opendata";

using db::Micros, db::OptTime, db::T, db::Us;

const db::Statement kEnsureDataset{"opendata.ensure_dataset", absl::StrCat(R"(
  INSERT INTO opendata.datasets (id, tenant, slug, tenant_name, contact_name, contact_email, create_time)
  VALUES ($1, $2, $3, $4, 'URP', $5, )", T(6), R"()
  ON CONFLICT (id) DO UPDATE SET tenant_name = EXCLUDED.tenant_name,
    contact_email = CASE WHEN opendata.datasets.contact_email = '' THEN EXCLUDED.contact_email
                         ELSE opendata.datasets.contact_email END
  WHERE opendata.datasets.tenant_name <> EXCLUDED.tenant_name
     OR (opendata.datasets.contact_email = '' AND EXCLUDED.contact_email <> ''))")};

const std::string kDatasetColumns = absl::StrCat(R"(
  d.id AS id, d.tenant AS tenant, d.slug AS slug, d.tenant_name AS tenant_name, d.description AS description,
  array_to_string(d.keywords, chr(31)) AS keywords, d.keywords IS NULL AS keywords_default,
  d.contact_name AS contact_name, d.contact_email AS contact_email, )", Micros("d.create_time", "create_us"));

const db::Statement kGetDataset{"opendata.get_dataset",
                                absl::StrCat("SELECT ", kDatasetColumns, " FROM opendata.datasets d WHERE d.id = $1")};
const db::Statement kListDatasets{"opendata.list_datasets",
                                  absl::StrCat("SELECT ", kDatasetColumns, R"( FROM opendata.datasets d
  WHERE ($1 = '' OR d.tenant = $1) AND d.id > $2 ORDER BY d.id LIMIT $3)")};
const db::Statement kUpdateDataset{"opendata.update_dataset", R"(
  UPDATE opendata.datasets SET
    description = CASE WHEN $2 THEN $3 ELSE description END,
    keywords = CASE WHEN $4 THEN string_to_array($5, chr(31)) ELSE keywords END,
    contact_name = CASE WHEN $6 THEN $7 ELSE contact_name END,
    contact_email = CASE WHEN $6 THEN $8 ELSE contact_email END
  WHERE id = $1)"};

const std::string kVersionColumns = absl::StrCat(R"(
  v.dataset_id AS dataset_id, v.number AS number, )", Micros("v.create_time", "create_us"), R"(,
  v.row_count AS row_count, v.period AS period, v.approved AS approved)");
const db::Statement kLatestVersion{"opendata.latest_version", absl::StrCat("SELECT ", kVersionColumns, R"(
  FROM opendata.versions v WHERE v.dataset_id = $1 AND (v.approved OR $2) ORDER BY v.number DESC LIMIT 1)")};
const db::Statement kGetVersion{"opendata.get_version", absl::StrCat("SELECT ", kVersionColumns, R"(
  FROM opendata.versions v WHERE v.dataset_id = $1 AND v.number = $2 AND (v.approved OR $3))")};
const db::Statement kListVersions{"opendata.list_versions", absl::StrCat("SELECT ", kVersionColumns, R"(
  FROM opendata.versions v WHERE v.dataset_id = $1 AND v.approved AND v.number < $2
  ORDER BY v.number DESC LIMIT $3)")};
const db::Statement kLatestOfPeriod{"opendata.latest_of_period", R"(
  SELECT v.number AS number, dist.sha256 AS sha256 FROM opendata.versions v
  JOIN opendata.distributions dist ON dist.dataset_id = v.dataset_id AND dist.version = v.number AND dist.format = 'csv'
  WHERE v.dataset_id = $1 AND v.period = $2 ORDER BY v.number DESC LIMIT 1)"};
const db::Statement kMaxVersion{"opendata.max_version", R"(
  SELECT coalesce(max(number), 0) AS n FROM opendata.versions WHERE dataset_id = $1)"};
const db::Statement kLockDataset{"opendata.lock_dataset", R"(
  SELECT tenant, slug, tenant_name FROM opendata.datasets WHERE id = $1 FOR UPDATE)"};
// The dataset.published event of version `number`, from the dataset's
// locked row (kLockDataset): its id, version and public title, so that a
// subscriber (dispatch's drafts) names it as the catalogue does.
outbox::NewEvent Published(const pqxx::row& dataset, const std::string& id, int number, absl::Time at) {
  std::string title = DatasetTitle(id, dataset["slug"].as<std::string>(), dataset["tenant_name"].as<std::string>());
  return {dataset["tenant"].as<std::string>(), "dataset.published", id,
          boost::json::serialize(boost::json::object{{"dataset_id", id}, {"version", number}, {"title", title}}), at};
}

const db::Statement kInsertVersion{"opendata.insert_version", absl::StrCat(R"(
  INSERT INTO opendata.versions (dataset_id, number, create_time, row_count, period, approved, approve_time)
  VALUES ($1, $2, )", T(3), R"(, $4, $5, $6, CASE WHEN $6 THEN )", T(3), R"( END))")};
const db::Statement kInsertDistribution{"opendata.insert_distribution", R"(
  INSERT INTO opendata.distributions (dataset_id, version, format, byte_size, sha256, prefix, separator, suffix, empty)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))"};
const db::Statement kDistributions{"opendata.distributions", R"(
  SELECT format, byte_size, sha256 FROM opendata.distributions WHERE dataset_id = $1 AND version = $2 ORDER BY format)"};
const db::Statement kFraming{"opendata.framing", R"(
  SELECT prefix, separator, suffix, empty FROM opendata.distributions
  WHERE dataset_id = $1 AND version = $2 AND format = $3)"};
const db::Statement kApprove{"opendata.approve", absl::StrCat(R"(
  UPDATE opendata.versions SET approved = true, approve_time = )", T(3), R"(
  WHERE dataset_id = $1 AND number = $2 AND NOT approved)")};
const db::Statement kUpsertProactive{"opendata.upsert_proactive", R"(
  INSERT INTO opendata.proactive (id, tenant, object, year, requesters) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (id) DO UPDATE SET requesters = EXCLUDED.requesters)"};
const std::string kProactiveColumns = absl::StrCat(R"(
  id, tenant, object, year, requesters, coalesce(document_url, '') AS document_url, )",
                                                   Micros("publish_time", "publish_us"));
const db::Statement kListProactive{"opendata.list_proactive", absl::StrCat("SELECT ", kProactiveColumns, R"(
  FROM opendata.proactive WHERE tenant = $1 AND id > $2 ORDER BY id LIMIT $3)")};
const db::Statement kGetProactive{"opendata.get_proactive", absl::StrCat("SELECT ", kProactiveColumns, R"(
  FROM opendata.proactive WHERE id = $1)")};
const db::Statement kPublishProactive{"opendata.publish_proactive", absl::StrCat(R"(
  UPDATE opendata.proactive SET document_url = $2, publish_time = )", T(3), R"( WHERE id = $1)")};

DatasetRecord DatasetOf(const pqxx::row& r) {
  DatasetRecord d;
  d.id = r["id"].as<std::string>();
  d.tenant = r["tenant"].as<std::string>();
  d.slug = r["slug"].as<std::string>();
  d.tenant_name = r["tenant_name"].as<std::string>();
  if (!r["description"].is_null()) d.description = r["description"].as<std::string>();
  if (!r["keywords_default"].as<bool>()) {
    std::vector<std::string> k;
    std::string all = r["keywords"].as<std::string>();
    size_t start = 0;
    while (!all.empty()) {
      size_t sep = all.find('\x1f', start);
      k.push_back(all.substr(start, sep == std::string::npos ? std::string::npos : sep - start));
      if (sep == std::string::npos) break;
      start = sep + 1;
    }
    d.keywords = std::move(k);
  }
  d.contact_name = r["contact_name"].as<std::string>();
  d.contact_email = r["contact_email"].as<std::string>();
  d.create_time = db::TimeFromMicros(r["create_us"].as<long long>());
  return d;
}

VersionInfo VersionOf(pqxx::transaction_base& tx, const pqxx::row& r) {
  VersionInfo v;
  v.dataset_id = r["dataset_id"].as<std::string>();
  v.number = r["number"].as<int>();
  v.create_time = db::TimeFromMicros(r["create_us"].as<long long>());
  v.rows = r["row_count"].as<int64_t>();
  v.period = r["period"].as<std::string>();
  v.approved = r["approved"].as<bool>();
  for (const auto& d : db::Exec(tx, kDistributions, v.dataset_id, v.number)) {
    v.distributions.push_back({d["format"].as<std::string>(), d["byte_size"].as<int64_t>(),
                               d["sha256"].as<std::string>()});
  }
  return v;
}

void AttachLatest(pqxx::transaction_base& tx, DatasetRecord& d) {
  auto r = db::Exec(tx, kLatestVersion, d.id, false);
  if (!r.empty()) d.latest = VersionOf(tx, r[0]);
}

absl::Status NotFoundDataset(const std::string& id) {
  return absl::NotFoundError("dataset non trovato: " + id);
}

ProactiveEntry ProactiveOf(const pqxx::row& r) {
  ProactiveEntry e;
  e.id = r["id"].as<std::string>();
  e.tenant = r["tenant"].as<std::string>();
  e.object = r["object"].as<std::string>();
  e.year = r["year"].as<int>();
  e.requesters = r["requesters"].as<int>();
  e.document_url = r["document_url"].as<std::string>();
  if (auto published = OptTime(r["publish_us"])) e.publish_time = *published;
  return e;
}

}  // namespace

namespace {

// Times as microseconds since the epoch from the injected clock, as the
// relay does: a test moving its ManualClock moves the leases too. $2 is now.
const std::string kAt = T(2);

const db::Statement kEnsureJob{"opendata.ensure_job", absl::StrCat(R"(
  INSERT INTO opendata.refresh_jobs (name, next_run_time) VALUES ($1, )", kAt, R"()
  ON CONFLICT (name) DO NOTHING)")};
// The row lock serialises replicas: the second one re-reads the row once the
// first commits, and finds the lease taken.
const db::Statement kClaimJob{"opendata.claim_job", absl::StrCat(R"(
  UPDATE opendata.refresh_jobs SET leased_until = )", kAt, R"( + $3::bigint * interval '1 microsecond',
    lease_token = $4
  WHERE name = $1 AND next_run_time <= )", kAt, R"( AND (leased_until IS NULL OR leased_until <= )", kAt, R"()
  RETURNING name)")};
const db::Statement kFinishJob{"opendata.finish_job", absl::StrCat(R"(
  UPDATE opendata.refresh_jobs SET next_run_time = )", kAt, R"( + $3::bigint * interval '1 microsecond',
    last_run_time = )", kAt, R"(, leased_until = NULL, lease_token = ''
  WHERE name = $1 AND lease_token = $4 RETURNING name)")};

}  // namespace

absl::StatusOr<std::optional<std::string>> OpenDataStore::ClaimRefresh(const std::string& job, absl::Duration lease) {
  const long long now = Us(clock_.Now());
  const std::string token = RandomToken();
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<std::optional<std::string>> {
    db::Exec(tx, kEnsureJob, job, now);
    auto claimed = db::Exec(tx, kClaimJob, job, now, absl::ToInt64Microseconds(lease), token);
    if (claimed.empty()) return std::optional<std::string>();
    return std::optional<std::string>(token);
  });
}

absl::StatusOr<bool> OpenDataStore::FinishRefresh(const std::string& job, const std::string& token,
                                                  absl::Duration interval) {
  const long long now = Us(clock_.Now());
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<bool> {
    return !db::Exec(tx, kFinishJob, job, now, absl::ToInt64Microseconds(interval), token).empty();
  });
}

absl::Status OpenDataStore::EnsureDatasets(const std::string& tenant, const std::string& tenant_name,
                                           const std::string& contact_email) {
  return pool_.Write([&](pqxx::work& tx) -> absl::Status {
    for (const auto& k : DatasetKinds()) {
      db::Exec(tx, kEnsureDataset, DatasetId(tenant, k.slug), tenant, k.slug, tenant_name, contact_email,
               Us(clock_.Now()));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<DatasetRecord> OpenDataStore::GetDataset(const std::string& id) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<DatasetRecord> {
    auto r = db::Exec(tx, kGetDataset, id);
    if (r.empty()) return NotFoundDataset(id);
    DatasetRecord d = DatasetOf(r[0]);
    AttachLatest(tx, d);
    return d;
  });
}

absl::StatusOr<Page<DatasetRecord>> OpenDataStore::ListDatasets(const std::string& tenant, int page_size,
                                                                const std::string& page_token) {
  std::string after;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(auto key, DecodePageToken(page_token, 1));
    after = key[0];
  }
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<DatasetRecord>> {
    Page<DatasetRecord> page;
    for (const auto& r : db::Exec(tx, kListDatasets, tenant, after, page_size + 1)) {
      page.items.push_back(DatasetOf(r));
    }
    TrimPage(page, page_size, [](const DatasetRecord& d) { return std::vector<std::string>{d.id}; });
    for (auto& d : page.items) AttachLatest(tx, d);
    return page;
  });
}

absl::StatusOr<DatasetRecord> OpenDataStore::UpdateDataset(
    const std::string& id, const std::optional<std::string>& description,
    const std::optional<std::vector<std::string>>& keywords,
    const std::optional<std::pair<std::string, std::string>>& contact) {
  std::string joined;
  if (keywords) {
    for (size_t i = 0; i < keywords->size(); ++i) absl::StrAppend(&joined, i ? "\x1f" : "", (*keywords)[i]);
  }
  RETURN_IF_ERROR(pool_.Write([&](pqxx::work& tx) -> absl::Status {
    auto r = db::Exec(tx, kUpdateDataset, id, description.has_value(), description.value_or(""),
                      keywords.has_value(), joined, contact.has_value(), contact ? contact->first : "",
                      contact ? contact->second : "");
    if (r.affected_rows() == 0) return NotFoundDataset(id);
    return absl::OkStatus();
  }));
  return GetDataset(id);
}

absl::StatusOr<std::pair<bool, VersionInfo>> OpenDataStore::AddVersion(const std::string& dataset_id,
                                                                        const NewVersion& v) {
  const Framing csv = CsvFraming(v.columns), json = JsonFraming();
  const Digest csv_digest = DigestOf(v.rows, csv, false), json_digest = DigestOf(v.rows, json, true);
  bool changed = false;
  int number = 0;
  bool publish = false;
  std::string tenant;
  RETURN_IF_ERROR(pool_.Write([&](pqxx::work& tx) -> absl::Status {
    auto lock = db::Exec(tx, kLockDataset, dataset_id);
    if (lock.empty()) return NotFoundDataset(dataset_id);
    tenant = lock[0]["tenant"].as<std::string>();
    auto latest = db::Exec(tx, kLatestOfPeriod, dataset_id, v.period);
    if (!latest.empty() && latest[0]["sha256"].as<std::string>() == csv_digest.sha256) {
      number = latest[0]["number"].as<int>();
      return absl::OkStatus();
    }
    changed = true;
    number = db::Exec(tx, kMaxVersion, dataset_id)[0]["n"].as<int>() + 1;
    const long long now = Us(clock_.Now());
    db::Exec(tx, kInsertVersion, dataset_id, number, now, static_cast<int64_t>(v.rows.size()), v.period, v.approved);
    db::Exec(tx, kInsertDistribution, dataset_id, number, "csv", csv_digest.bytes, csv_digest.sha256, csv.prefix,
             csv.separator, csv.suffix, csv.empty);
    db::Exec(tx, kInsertDistribution, dataset_id, number, "json", json_digest.bytes, json_digest.sha256,
             json.prefix, json.separator, json.suffix, json.empty);
    {
      pqxx::stream_to out(tx, "opendata.version_rows",
                          std::vector<std::string>{"dataset_id", "version", "n", "csv", "json"});
      int64_t n = 0;
      for (const auto& r : v.rows) out << std::make_tuple(dataset_id, number, ++n, r.csv, r.json);
      out.complete();
    }
    if (v.approved) {
      publish = true;
      outbox::Append(tx, kSchema, {Published(lock[0], dataset_id, number, clock_.Now())});
    }
    return absl::OkStatus();
  }));
  (void)publish;
  auto info = pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<VersionInfo> {
    return VersionOf(tx, db::Exec(tx, kGetVersion, dataset_id, number, true)[0]);
  });
  if (!info.ok()) return info.status();
  return std::make_pair(changed, *std::move(info));
}

absl::StatusOr<VersionInfo> OpenDataStore::GetVersion(const std::string& dataset_id, int number,
                                                      bool include_unapproved) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<VersionInfo> {
    if (db::Exec(tx, kGetDataset, dataset_id).empty()) return NotFoundDataset(dataset_id);
    auto r = number == 0 ? db::Exec(tx, kLatestVersion, dataset_id, include_unapproved)
                         : db::Exec(tx, kGetVersion, dataset_id, number, include_unapproved);
    if (r.empty()) {
      return absl::NotFoundError(number == 0 ? "il dataset non ha ancora versioni pubblicate"
                                             : absl::StrCat("versione ", number, " non trovata"));
    }
    return VersionOf(tx, r[0]);
  });
}

absl::StatusOr<Page<VersionInfo>> OpenDataStore::ListVersions(const std::string& dataset_id, int page_size,
                                                              const std::string& page_token) {
  int before = std::numeric_limits<int>::max();
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(auto key, DecodePageToken(page_token, 1));
    if (!absl::SimpleAtoi(key[0], &before)) return InvalidPageToken();
  }
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<VersionInfo>> {
    if (db::Exec(tx, kGetDataset, dataset_id).empty()) return NotFoundDataset(dataset_id);
    Page<VersionInfo> page;
    for (const auto& r : db::Exec(tx, kListVersions, dataset_id, before, page_size + 1)) {
      page.items.push_back(VersionOf(tx, r));
    }
    TrimPage(page, page_size, [](const VersionInfo& v) { return std::vector<std::string>{std::to_string(v.number)}; });
    return page;
  });
}

absl::StatusOr<VersionInfo> OpenDataStore::Approve(const std::string& dataset_id, int number) {
  RETURN_IF_ERROR(pool_.Write([&](pqxx::work& tx) -> absl::Status {
    auto lock = db::Exec(tx, kLockDataset, dataset_id);
    if (lock.empty()) return NotFoundDataset(dataset_id);
    auto v = db::Exec(tx, kGetVersion, dataset_id, number, true);
    if (v.empty()) return absl::NotFoundError(absl::StrCat("versione ", number, " non trovata"));
    if (v[0]["approved"].as<bool>()) return absl::FailedPreconditionError("versione già approvata");
    db::Exec(tx, kApprove, dataset_id, number, Us(clock_.Now()));
    outbox::Append(tx, kSchema, {Published(lock[0], dataset_id, number, clock_.Now())});
    return absl::OkStatus();
  }));
  return GetVersion(dataset_id, number, false);
}

absl::Status OpenDataStore::StreamDistribution(const std::string& dataset_id, int number, const std::string& format,
                                               size_t chunk, const std::function<bool(std::string&&)>& sink) {
  if (format != "csv" && format != "json") return absl::InvalidArgumentError("formato non valido");
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::Status {
    auto f = db::Exec(tx, kFraming, dataset_id, number, format);
    if (f.empty()) return absl::NotFoundError("distribuzione non trovata");
    const std::string prefix = f[0]["prefix"].as<std::string>(), separator = f[0]["separator"].as<std::string>(),
                      suffix = f[0]["suffix"].as<std::string>(), empty = f[0]["empty"].as<std::string>();
    // COPY takes no bind parameters: the dataset and version travel as
    // transaction-local settings read back with current_setting.
    tx.exec_params("SELECT set_config('opendata.dataset', $1, true), set_config('opendata.version', $2, true)",
                   dataset_id, std::to_string(number));
    const std::string column = format == "csv" ? "csv" : "json";
    pqxx::stream_from rows(tx, "(SELECT " + column +
                                   " FROM opendata.version_rows WHERE dataset_id = current_setting('opendata.dataset')"
                                   " AND version = current_setting('opendata.version')::integer ORDER BY n)");
    std::string buffer, line;
    bool any = false, open = true;
    while (rows.get_raw_line(line)) {
      if (!open) continue;  // drain: the COPY must end before the transaction
      buffer += any ? separator : prefix;
      any = true;
      // get_raw_line keeps the record's terminating newline.
      if (!line.empty() && line.back() == '\n') line.pop_back();
      buffer += UnescapeCopyText(line);
      if (buffer.size() >= chunk) {
        open = sink(std::move(buffer));
        buffer.clear();
        if (!open) break;
      }
    }
    rows.complete();
    if (!open) return absl::CancelledError("il client ha chiuso la connessione");
    buffer += any ? suffix : empty;
    if (!buffer.empty() && !sink(std::move(buffer))) return absl::CancelledError("il client ha chiuso la connessione");
    return absl::OkStatus();
  });
}

absl::Status OpenDataStore::SaveProactive(const std::vector<ProactiveEntry>& entries) {
  return pool_.Write([&](pqxx::work& tx) -> absl::Status {
    for (const auto& e : entries) db::Exec(tx, kUpsertProactive, e.id, e.tenant, e.object, e.year, e.requesters);
    return absl::OkStatus();
  });
}

absl::StatusOr<Page<ProactiveEntry>> OpenDataStore::ListProactive(const std::string& tenant, int page_size,
                                                                  const std::string& page_token) {
  std::string after;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(auto key, DecodePageToken(page_token, 1));
    after = key[0];
  }
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<ProactiveEntry>> {
    Page<ProactiveEntry> page;
    for (const auto& r : db::Exec(tx, kListProactive, tenant, after, page_size + 1)) page.items.push_back(ProactiveOf(r));
    TrimPage(page, page_size, [](const ProactiveEntry& e) { return std::vector<std::string>{e.id}; });
    return page;
  });
}

absl::StatusOr<ProactiveEntry> OpenDataStore::PublishProactive(const std::string& id, const std::string& url) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<ProactiveEntry> {
    if (db::Exec(tx, kGetProactive, id).empty()) return absl::NotFoundError("pubblicazione non trovata: " + id);
    db::Exec(tx, kPublishProactive, id, url, Us(clock_.Now()));
    return ProactiveOf(db::Exec(tx, kGetProactive, id)[0]);
  });
}

}  // namespace sportello::opendata
