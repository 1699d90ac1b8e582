#include <algorithm>
#include <iterator>

#include <boost/json.hpp>

#include "absl/strings/str_format.h"
#include "common/outbox/outbox.h"
#include "common/page_token.h"
#include "common/status.h"
#include "services/catalogue/store.h"
#include "services/catalogue/store_common.h"

namespace sportello::catalogue {
namespace {

using storage::LooksLikeUuid;
using storage::Micros;

const std::string kOfficeColumns =
    "id::text AS id, tenant, name, description, coalesce(parent_office_id::text, '') AS parent_office_id, "
    "street, postal_code, municipality, province, coalesce(latitude::text, '') AS latitude, "
    "coalesce(longitude::text, '') AS longitude, phone, email, pec, website, referent_role, referent_contact, "
    "hours::text AS hours, " +
    Micros("create_time") + " AS create_micros, " + Micros("update_time") + " AS update_micros";

// The row as jsonb without derived columns, for the change history.
const std::string kReturningOffice =
    " RETURNING " + kOfficeColumns + ", to_jsonb(offices.*)" + storage::kSnapshot + " AS snapshot";

const db::Statement kInsertOffice{
    "catalogue.insert_office",
    "INSERT INTO catalogue.offices (tenant, name, description, parent_office_id, street, postal_code, "
    "municipality, province, latitude, longitude, phone, email, pec, website, referent_role, referent_contact, "
    "hours) VALUES ($1, $2, $3, nullif($4, '')::uuid, $5, $6, $7, $8, nullif($9, '')::float8, "
    "nullif($10, '')::float8, $11, $12, $13, $14, $15, $16, $17::jsonb)" +
        kReturningOffice};

const db::Statement kUpdateOffice{
    "catalogue.update_office",
    "UPDATE catalogue.offices SET name = $2, description = $3, parent_office_id = nullif($4, '')::uuid, "
    "street = $5, postal_code = $6, municipality = $7, province = $8, latitude = nullif($9, '')::float8, "
    "longitude = nullif($10, '')::float8, phone = $11, email = $12, pec = $13, website = $14, "
    "referent_role = $15, referent_contact = $16, hours = $17::jsonb, update_time = now() "
    "WHERE id = $1::uuid" +
        kReturningOffice};

const db::Statement kLockOffice{"catalogue.lock_office", std::string("SELECT tenant, to_jsonb(o)") +
                                                            storage::kSnapshot +
                                                            " AS snapshot FROM catalogue.offices o"
                                                            " WHERE id = $1::uuid FOR UPDATE"};

const db::Statement kSelectOffice{"catalogue.select_office",
                                  "SELECT " + kOfficeColumns + " FROM catalogue.offices WHERE id = $1::uuid"};

const db::Statement kSelectOffices{
    "catalogue.select_offices",
    "SELECT " + kOfficeColumns + " FROM catalogue.offices WHERE id = ANY($1::uuid[]) ORDER BY name, id"};

// Keyset on (name, id), the order a website lists offices in.
const db::Statement kListOffices{"catalogue.list_offices",
                                 "SELECT " + kOfficeColumns +
                                     " FROM catalogue.offices WHERE tenant = $1"
                                     "   AND ($2 = '' OR parent_office_id = nullif($2, '')::uuid)"
                                     "   AND (name, id) > ($3, coalesce(nullif($4, ''), "
                                     "'00000000-0000-0000-0000-000000000000')::uuid)"
                                     " ORDER BY name, id LIMIT $5"};

const db::Statement kDeleteOffice{"catalogue.delete_office", "DELETE FROM catalogue.offices WHERE id = $1::uuid"};

std::string Coordinate(const std::optional<GeoPoint>& p, bool latitude) {
  if (!p) return "";
  return std::to_string(latitude ? p->latitude : p->longitude);
}

Office OfficeFromRow(const pqxx::row& r) {
  Office o;
  o.id = r["id"].as<std::string>();
  o.tenant = r["tenant"].as<std::string>();
  o.name = r["name"].as<std::string>();
  o.description = r["description"].as<std::string>();
  o.parent_office_id = r["parent_office_id"].as<std::string>();
  o.address = {r["street"].as<std::string>(), r["postal_code"].as<std::string>(),
               r["municipality"].as<std::string>(), r["province"].as<std::string>()};
  std::string lat = r["latitude"].as<std::string>(), lon = r["longitude"].as<std::string>();
  if (!lat.empty() && !lon.empty()) o.position = GeoPoint{std::stod(lat), std::stod(lon)};
  o.phone = r["phone"].as<std::string>();
  o.email = r["email"].as<std::string>();
  o.pec = r["pec"].as<std::string>();
  o.website = r["website"].as<std::string>();
  o.referent_role = r["referent_role"].as<std::string>();
  o.referent_contact = r["referent_contact"].as<std::string>();
  o.hours = HoursFromJson(r["hours"].as<std::string>()).value_or(OpeningHours{});
  o.create_time = db::TimeFromMicros(r["create_micros"].as<long long>());
  o.update_time = db::TimeFromMicros(r["update_micros"].as<long long>());
  return o;
}

// Runs kInsertOffice or kUpdateOffice, whose parameters differ only in $1.
pqxx::row WriteOffice(pqxx::work& tx, const db::Statement& statement, const std::string& first, const Office& o) {
  return db::Exec(tx, statement, first, o.name, o.description, o.parent_office_id, o.address.street,
                  o.address.postal_code, o.address.municipality, o.address.province, Coordinate(o.position, true),
                  Coordinate(o.position, false), o.phone, o.email, o.pec, o.website, o.referent_role,
                  o.referent_contact, HoursToJson(o.hours))
      .at(0);
}

// Each date closed in `office`'s hours that `before` did not close is
// announced as `office.closed` in the same transaction (dispatch turns it
// into a draft for the communication team): on update, and on create with
// `before` empty.
void AnnounceClosures(pqxx::work& tx, const OpeningHours& before, const Office& office) {
  std::vector<outbox::NewEvent> events;
  for (const HoursException& e : NewClosures(before, office.hours)) {
    events.push_back({office.tenant, "office.closed", office.id,
                      boost::json::serialize(boost::json::object{
                          {"office_id", office.id}, {"office_name", office.name},
                          {"date", absl::StrFormat("%04d-%02d-%02d", e.date.year(), e.date.month(), e.date.day())},
                          {"reason", e.reason}}),
                      office.update_time});
  }
  if (!events.empty()) outbox::Append(tx, "catalogue", events);
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
  absl::StatusOr<Office> created = pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Office> {
    pqxx::row r = WriteOffice(tx, kInsertOffice, o.tenant, o);
    Office office = OfficeFromRow(r);
    AnnounceClosures(tx, OpeningHours{}, office);  // created with closures already set: each is new
    storage::RecordChange(tx, office.tenant, "office", office.id, "create", actor, "", r["snapshot"].as<std::string>());
    return office;
  });
  if (!created.ok()) return MapOfficeError(created.status(), o);
  return created;
}

absl::StatusOr<Office> OfficeStore::Get(const std::string& id) {
  if (!LooksLikeUuid(id)) return absl::NotFoundError("ufficio " + id + " non trovato");
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Office> {
    auto rows = db::Exec(tx, kSelectOffice, id);
    if (rows.empty()) return absl::NotFoundError("ufficio " + id + " non trovato");
    return OfficeFromRow(rows[0]);
  });
}

absl::StatusOr<std::vector<Office>> OfficeStore::GetMany(const std::vector<std::string>& ids) {
  std::vector<std::string> valid;  // uuid[]: anything else cannot be one
  std::copy_if(ids.begin(), ids.end(), std::back_inserter(valid), LooksLikeUuid);
  const std::string array = db::TextArray(valid);
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<Office>> {
    std::vector<Office> out;
    for (const auto& r : db::Exec(tx, kSelectOffices, array)) out.push_back(OfficeFromRow(r));
    return out;
  });
}

absl::StatusOr<Page<Office>> OfficeStore::List(const OfficeFilter& filter, int page_size,
                                               const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 2));
  if (after.empty()) after = {"", ""};
  if (!after[1].empty() && !LooksLikeUuid(after[1])) return InvalidPageToken();
  if (!filter.parent_office_id.empty() && !LooksLikeUuid(filter.parent_office_id)) {
    return InvalidArgument({{"parent_office_id", "identificativo non valido"}});
  }
  ASSIGN_OR_RETURN(Page<Office> page, pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Office>> {
    Page<Office> page;
    for (const auto& r :
         db::Exec(tx, kListOffices, filter.tenant, filter.parent_office_id, after[0], after[1], page_size + 1)) {
      page.items.push_back(OfficeFromRow(r));
    }
    return page;
  }));
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
  absl::StatusOr<Office> updated = pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Office> {
    auto locked = db::Exec(tx, kLockOffice, o.id);
    if (locked.empty()) return absl::NotFoundError("ufficio " + o.id + " non trovato");
    Office before = OfficeFromRow(db::Exec(tx, kSelectOffice, o.id).at(0));
    pqxx::row r = WriteOffice(tx, kUpdateOffice, o.id, o);
    Office office = OfficeFromRow(r);
    AnnounceClosures(tx, before.hours, office);
    storage::RecordChange(tx, office.tenant, "office", o.id, "update", actor, locked[0]["snapshot"].as<std::string>(),
                          r["snapshot"].as<std::string>());
    return office;
  });
  if (!updated.ok()) return MapOfficeError(updated.status(), o);
  return updated;
}

absl::Status OfficeStore::Delete(const std::string& id, const std::string& actor) {
  if (!LooksLikeUuid(id)) return absl::NotFoundError("ufficio " + id + " non trovato");
  absl::Status status = pool_.Write([&](pqxx::work& tx) -> absl::Status {
    auto locked = db::Exec(tx, kLockOffice, id);
    if (locked.empty()) return absl::NotFoundError("ufficio " + id + " non trovato");
    db::Exec(tx, kDeleteOffice, id);
    storage::RecordChange(tx, locked[0]["tenant"].as<std::string>(), "office", id, "delete", actor,
                          locked[0]["snapshot"].as<std::string>(), "");
    return absl::OkStatus();
  });
  if (absl::IsFailedPrecondition(status)) {
    return absl::FailedPreconditionError("l'ufficio è ancora indicato da servizi o da altri uffici");
  }
  return status;
}

}  // namespace sportello::catalogue
