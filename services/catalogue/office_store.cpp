#include "common/page_token.h"
#include "common/status.h"
#include "services/catalogue/store.h"
#include "services/catalogue/store_common.h"

namespace sportello::catalogue {
namespace {

using storage::LooksLikeUuid;
using storage::Micros;

const std::string kOfficeColumns =
    "id::text, tenant, name, description, coalesce(parent_office_id::text, ''), street, postal_code, "
    "municipality, province, coalesce(latitude::text, ''), coalesce(longitude::text, ''), phone, email, pec, "
    "website, referent_role, referent_contact, hours::text, " +
    Micros("create_time") + ", " + Micros("update_time");

const std::string kInsertOffice =
    "INSERT INTO catalogue.offices (tenant, name, description, parent_office_id, street, postal_code, "
    "municipality, province, latitude, longitude, phone, email, pec, website, referent_role, referent_contact, "
    "hours) VALUES ($1, $2, $3, nullif($4, '')::uuid, $5, $6, $7, $8, nullif($9, '')::float8, "
    "nullif($10, '')::float8, $11, $12, $13, $14, $15, $16, $17::jsonb) RETURNING " +
    kOfficeColumns + ", to_jsonb(offices.*)" + storage::kSnapshot;

const std::string kUpdateOffice =
    "UPDATE catalogue.offices SET name = $2, description = $3, parent_office_id = nullif($4, '')::uuid, "
    "street = $5, postal_code = $6, municipality = $7, province = $8, latitude = nullif($9, '')::float8, "
    "longitude = nullif($10, '')::float8, phone = $11, email = $12, pec = $13, website = $14, "
    "referent_role = $15, referent_contact = $16, hours = $17::jsonb, update_time = now() "
    "WHERE id = $1::uuid RETURNING " +
    kOfficeColumns + ", to_jsonb(offices.*)" + storage::kSnapshot;

const std::string kLockOffice = std::string("SELECT tenant, to_jsonb(o)") + storage::kSnapshot +
                                " FROM catalogue.offices o WHERE id = $1::uuid FOR UPDATE";

const std::string kSelectOffice = "SELECT " + kOfficeColumns + " FROM catalogue.offices WHERE id = $1::uuid";

const std::string kSelectOffices =
    "SELECT " + kOfficeColumns + " FROM catalogue.offices WHERE id = ANY($1::uuid[]) ORDER BY name, id";

// Keyset on (name, id), the order a website lists offices in.
const std::string kListOffices = "SELECT " + kOfficeColumns +
                                 " FROM catalogue.offices WHERE tenant = $1"
                                 "   AND ($2 = '' OR parent_office_id = nullif($2, '')::uuid)"
                                 "   AND (name, id) > ($3, coalesce(nullif($4, ''), "
                                 "'00000000-0000-0000-0000-000000000000')::uuid)"
                                 " ORDER BY name, id LIMIT $5";

const std::string kDeleteOffice = "DELETE FROM catalogue.offices WHERE id = $1::uuid";

std::string Coordinate(const std::optional<GeoPoint>& p, bool latitude) {
  if (!p) return "";
  return std::to_string(latitude ? p->latitude : p->longitude);
}

Office OfficeFromRow(const pqxx::row& r) {
  Office o;
  o.id = r[0].as<std::string>();
  o.tenant = r[1].as<std::string>();
  o.name = r[2].as<std::string>();
  o.description = r[3].as<std::string>();
  o.parent_office_id = r[4].as<std::string>();
  o.address = {r[5].as<std::string>(), r[6].as<std::string>(), r[7].as<std::string>(), r[8].as<std::string>()};
  std::string lat = r[9].as<std::string>(), lon = r[10].as<std::string>();
  if (!lat.empty() && !lon.empty()) o.position = GeoPoint{std::stod(lat), std::stod(lon)};
  o.phone = r[11].as<std::string>();
  o.email = r[12].as<std::string>();
  o.pec = r[13].as<std::string>();
  o.website = r[14].as<std::string>();
  o.referent_role = r[15].as<std::string>();
  o.referent_contact = r[16].as<std::string>();
  o.hours = HoursFromJson(r[17].as<std::string>()).value_or(OpeningHours{});
  o.create_time = db::TimeFromMicros(r[18].as<long long>());
  o.update_time = db::TimeFromMicros(r[19].as<long long>());
  return o;
}

absl::Status MapOfficeError(const absl::Status& status, const Office& o) {
  if (absl::IsFailedPrecondition(status)) {
    return InvalidArgument({{"office.parent_office_id", "l'ufficio superiore " + o.parent_office_id + " non esiste"}});
  }
  return status;
}

}  // namespace

absl::StatusOr<Office> OfficeStore::Create(const Office& o, const std::string& actor) {
  if (!o.parent_office_id.empty() && !LooksLikeUuid(o.parent_office_id)) {
    return InvalidArgument({{"office.parent_office_id", "identificativo non valido"}});
  }
  Office created;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_params(kInsertOffice, o.tenant, o.name, o.description, o.parent_office_id, o.address.street,
                            o.address.postal_code, o.address.municipality, o.address.province,
                            Coordinate(o.position, true), Coordinate(o.position, false), o.phone, o.email, o.pec,
                            o.website, o.referent_role, o.referent_contact, HoursToJson(o.hours))
                 .at(0);
    created = OfficeFromRow(r);
    storage::RecordChange(tx, created.tenant, "office", created.id, "create", actor, "", r[20].as<std::string>());
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return MapOfficeError(status, o);
  return created;
}

absl::StatusOr<Office> OfficeStore::Get(const std::string& id) {
  if (!LooksLikeUuid(id)) return absl::NotFoundError("ufficio " + id + " non trovato");
  std::optional<Office> found;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(kSelectOffice, id);
    if (!rows.empty()) found = OfficeFromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return absl::NotFoundError("ufficio " + id + " non trovato");
  return *std::move(found);
}

absl::StatusOr<std::vector<Office>> OfficeStore::GetMany(const std::vector<std::string>& ids) {
  std::string array = "{";
  for (const auto& id : ids) {
    if (!LooksLikeUuid(id)) continue;
    array += (array.size() > 1 ? "," : "") + id;
  }
  array += "}";
  std::vector<Office> out;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    out.clear();
    pqxx::read_transaction tx(c);
    for (const auto& r : tx.exec_params(kSelectOffices, array)) out.push_back(OfficeFromRow(r));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<Page<Office>> OfficeStore::List(const OfficeFilter& filter, int page_size,
                                               const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token));
  if (after.empty()) after = {"", ""};
  if (after.size() != 2 || (!after[1].empty() && !LooksLikeUuid(after[1]))) {
    return InvalidArgument({{"page_token", "page_token non valido"}});
  }
  if (!filter.parent_office_id.empty() && !LooksLikeUuid(filter.parent_office_id)) {
    return InvalidArgument({{"parent_office_id", "identificativo non valido"}});
  }
  Page<Office> page;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    page.items.clear();
    pqxx::read_transaction tx(c);
    for (const auto& r : tx.exec_params(kListOffices, filter.tenant, filter.parent_office_id, after[0], after[1],
                                        page_size + 1)) {
      page.items.push_back(OfficeFromRow(r));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  TrimPage(page, page_size, [](const Office& o) { return std::vector<std::string>{o.name, o.id}; });
  return page;
}

absl::StatusOr<Office> OfficeStore::Update(const Office& o, const std::string& actor) {
  if (!LooksLikeUuid(o.id)) return absl::NotFoundError("ufficio " + o.id + " non trovato");
  if (o.parent_office_id == o.id) {
    return InvalidArgument({{"office.parent_office_id", "un ufficio non può dipendere da se stesso"}});
  }
  if (!o.parent_office_id.empty() && !LooksLikeUuid(o.parent_office_id)) {
    return InvalidArgument({{"office.parent_office_id", "identificativo non valido"}});
  }
  std::optional<Office> updated;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    updated.reset();
    pqxx::work tx(c);
    auto locked = tx.exec_params(kLockOffice, o.id);
    if (locked.empty()) return absl::OkStatus();
    auto r = tx.exec_params(kUpdateOffice, o.id, o.name, o.description, o.parent_office_id, o.address.street,
                            o.address.postal_code, o.address.municipality, o.address.province,
                            Coordinate(o.position, true), Coordinate(o.position, false), o.phone, o.email, o.pec,
                            o.website, o.referent_role, o.referent_contact, HoursToJson(o.hours))
                 .at(0);
    updated = OfficeFromRow(r);
    storage::RecordChange(tx, updated->tenant, "office", o.id, "update", actor, locked[0][1].as<std::string>(),
                          r[20].as<std::string>());
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return MapOfficeError(status, o);
  if (!updated) return absl::NotFoundError("ufficio " + o.id + " non trovato");
  return *std::move(updated);
}

absl::Status OfficeStore::Delete(const std::string& id, const std::string& actor) {
  if (!LooksLikeUuid(id)) return absl::NotFoundError("ufficio " + id + " non trovato");
  bool found = false;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto locked = tx.exec_params(kLockOffice, id);
    found = !locked.empty();
    if (!found) return absl::OkStatus();
    tx.exec_params(kDeleteOffice, id);
    storage::RecordChange(tx, locked[0][0].as<std::string>(), "office", id, "delete", actor,
                          locked[0][1].as<std::string>(), "");
    tx.commit();
    return absl::OkStatus();
  });
  if (absl::IsFailedPrecondition(status)) {
    return absl::FailedPreconditionError("l'ufficio è ancora indicato da servizi o da altri uffici");
  }
  if (!status.ok()) return status;
  if (!found) return absl::NotFoundError("ufficio " + id + " non trovato");
  return absl::OkStatus();
}

}  // namespace sportello::catalogue
