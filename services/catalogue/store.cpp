#include "services/catalogue/store.h"

#include "common/db/pool.h"
#include "common/page_token.h"
#include "common/status.h"

namespace sportello::catalogue {
namespace {

constexpr const char* kTenantColumns =
    "ipa_code, name, kind, coalesce(parent_ipa_code, ''), website, pec, street, postal_code, "
    "municipality, province, demo, (extract(epoch FROM create_time) * 1000000)::bigint, "
    "(extract(epoch FROM update_time) * 1000000)::bigint";

const std::string kInsertTenant = std::string(
    "INSERT INTO catalogue.tenants (ipa_code, name, kind, parent_ipa_code, website, pec, street, "
    "postal_code, municipality, province, demo) "
    "VALUES ($1, $2, $3, nullif($4, ''), $5, $6, $7, $8, $9, $10, $11) RETURNING ") + kTenantColumns;

const std::string kSelectTenant =
    std::string("SELECT ") + kTenantColumns + " FROM catalogue.tenants WHERE ipa_code = $1";

// Filters are optional: an empty parameter matches every row. Keyset on ipa_code.
const std::string kListTenants = std::string("SELECT ") + kTenantColumns +
                                 " FROM catalogue.tenants"
                                 " WHERE ($1 = '' OR kind = $1)"
                                 "   AND ($2 = '' OR parent_ipa_code = $2)"
                                 "   AND ipa_code > $3"
                                 " ORDER BY ipa_code LIMIT $4";

Tenant TenantFromRow(const pqxx::row& r) {
  Tenant t;
  t.ipa_code = r[0].as<std::string>();
  t.name = r[1].as<std::string>();
  t.kind = KindFromName(r[2].as<std::string>()).value_or(TenantKind::kOther);
  t.parent_ipa_code = r[3].as<std::string>();
  t.website = r[4].as<std::string>();
  t.pec = r[5].as<std::string>();
  t.address = {r[6].as<std::string>(), r[7].as<std::string>(), r[8].as<std::string>(), r[9].as<std::string>()};
  t.demo = r[10].as<bool>();
  t.create_time = db::TimeFromMicros(r[11].as<long long>());
  t.update_time = db::TimeFromMicros(r[12].as<long long>());
  return t;
}

}  // namespace

absl::StatusOr<Tenant> TenantStore::Create(const Tenant& t) {
  Tenant created;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto rows = tx.exec_params(kInsertTenant, t.ipa_code, t.name, std::string(KindName(t.kind)),
                               t.parent_ipa_code, t.website, t.pec, t.address.street, t.address.postal_code,
                               t.address.municipality, t.address.province, t.demo);
    created = TenantFromRow(rows.at(0));
    tx.commit();
    return absl::OkStatus();
  });
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError("l'ente " + t.ipa_code + " esiste già");
  }
  if (absl::IsFailedPrecondition(status)) {
    return InvalidArgument({{"tenant.parent_ipa_code", "l'unione " + t.parent_ipa_code + " non esiste"}});
  }
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<std::optional<Tenant>> TenantStore::Find(const std::string& ipa_code) {
  std::optional<Tenant> found;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(kSelectTenant, ipa_code);
    if (!rows.empty()) found = TenantFromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<Tenant> TenantStore::Get(const std::string& ipa_code) {
  ASSIGN_OR_RETURN(std::optional<Tenant> found, Find(ipa_code));
  if (!found) return absl::NotFoundError("ente " + ipa_code + " non trovato");
  return *std::move(found);
}

absl::StatusOr<Page<Tenant>> TenantStore::List(const TenantFilter& filter, int page_size,
                                             const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token));
  if (after.size() > 1) return InvalidArgument({{"page_token", "page_token non valido"}});
  std::string after_code = after.empty() ? "" : after[0];
  Page<Tenant> page;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    page.items.clear();
    pqxx::read_transaction tx(c);
    // One row more than asked tells whether another page follows.
    auto rows = tx.exec_params(kListTenants, std::string(KindName(filter.kind)), filter.parent_ipa_code,
                               after_code, page_size + 1);
    for (const auto& r : rows) page.items.push_back(TenantFromRow(r));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  TrimPage(page, page_size, [](const Tenant& t) { return std::vector<std::string>{t.ipa_code}; });
  return page;
}

}  // namespace sportello::catalogue
