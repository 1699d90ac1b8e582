#include "services/catalogue/store.h"

#include "common/db/pool.h"
#include "common/page_token.h"
#include "common/status.h"
#include "services/catalogue/store_common.h"

namespace sportello::catalogue {
namespace {

using storage::Micros;

const std::string kTenantColumns =
    "ipa_code, name, kind, coalesce(parent_ipa_code, '') AS parent_ipa_code, website, pec, street, postal_code, "
    "municipality, province, demo, " +
    Micros("create_time") + " AS create_micros, " + Micros("update_time") + " AS update_micros";

const db::Statement kInsertTenant{
    "catalogue.insert_tenant",
    "INSERT INTO catalogue.tenants (ipa_code, name, kind, parent_ipa_code, website, pec, street, "
    "postal_code, municipality, province, demo) "
    "VALUES ($1, $2, $3, nullif($4, ''), $5, $6, $7, $8, $9, $10, $11) RETURNING " +
        kTenantColumns};

const db::Statement kSelectTenant{"catalogue.select_tenant",
                                  "SELECT " + kTenantColumns + " FROM catalogue.tenants WHERE ipa_code = $1"};

// Filters are optional: an empty parameter matches every row. Keyset on ipa_code.
const db::Statement kListTenants{"catalogue.list_tenants", "SELECT " + kTenantColumns +
                                                              " FROM catalogue.tenants"
                                                              " WHERE ($1 = '' OR kind = $1)"
                                                              "   AND ($2 = '' OR parent_ipa_code = $2)"
                                                              "   AND ipa_code > $3"
                                                              " ORDER BY ipa_code LIMIT $4"};

Tenant TenantFromRow(const pqxx::row& r) {
  Tenant t;
  t.ipa_code = r["ipa_code"].as<std::string>();
  t.name = r["name"].as<std::string>();
  t.kind = KindFromName(r["kind"].as<std::string>()).value_or(TenantKind::kOther);
  t.parent_ipa_code = r["parent_ipa_code"].as<std::string>();
  t.website = r["website"].as<std::string>();
  t.pec = r["pec"].as<std::string>();
  t.address = {r["street"].as<std::string>(), r["postal_code"].as<std::string>(),
               r["municipality"].as<std::string>(), r["province"].as<std::string>()};
  t.demo = r["demo"].as<bool>();
  t.create_time = db::TimeFromMicros(r["create_micros"].as<long long>());
  t.update_time = db::TimeFromMicros(r["update_micros"].as<long long>());
  return t;
}

}  // namespace

absl::StatusOr<Tenant> TenantStore::Create(const Tenant& t) {
  absl::StatusOr<Tenant> created = pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Tenant> {
    return TenantFromRow(db::Exec(tx, kInsertTenant, t.ipa_code, t.name, std::string(KindName(t.kind)),
                                  t.parent_ipa_code, t.website, t.pec, t.address.street, t.address.postal_code,
                                  t.address.municipality, t.address.province, t.demo)
                             .at(0));
  });
  if (absl::IsAlreadyExists(created.status())) {
    return absl::AlreadyExistsError("l'ente " + t.ipa_code + " esiste già");
  }
  if (absl::IsFailedPrecondition(created.status())) {
    return InvalidArgument({{"tenant.parent_ipa_code", "l'unione " + t.parent_ipa_code + " non esiste"}});
  }
  return created;
}

absl::StatusOr<std::optional<Tenant>> TenantStore::Find(const std::string& ipa_code) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::optional<Tenant>> {
    auto rows = db::Exec(tx, kSelectTenant, ipa_code);
    if (rows.empty()) return std::optional<Tenant>();
    return std::optional<Tenant>(TenantFromRow(rows[0]));
  });
}

absl::StatusOr<Tenant> TenantStore::Get(const std::string& ipa_code) {
  ASSIGN_OR_RETURN(std::optional<Tenant> found, Find(ipa_code));
  if (!found) return absl::NotFoundError("ente " + ipa_code + " non trovato");
  return *std::move(found);
}

absl::StatusOr<Page<Tenant>> TenantStore::List(const TenantFilter& filter, int page_size,
                                               const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 1));
  std::string after_code = after.empty() ? "" : after[0];
  ASSIGN_OR_RETURN(Page<Tenant> page, pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Tenant>> {
    Page<Tenant> page;
    // One row more than asked tells whether another page follows.
    for (const auto& r : db::Exec(tx, kListTenants, std::string(KindName(filter.kind)), filter.parent_ipa_code,
                                  after_code, page_size + 1)) {
      page.items.push_back(TenantFromRow(r));
    }
    return page;
  }));
  TrimPage(page, page_size, [](const Tenant& t) { return std::vector<std::string>{t.ipa_code}; });
  return page;
}

}  // namespace sportello::catalogue
