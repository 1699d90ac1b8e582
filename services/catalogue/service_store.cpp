#include "common/page_token.h"
#include "common/status.h"
#include "services/catalogue/rules.h"
#include "services/catalogue/store.h"
#include "services/catalogue/store_common.h"
#include "services/catalogue/store_json.h"

namespace sportello::catalogue {
namespace {

using namespace storage;

const std::string kServiceColumns =
    "id::text, tenant, name, short_description, description, array_to_json(audiences)::text, "
    "array_to_json(themes)::text, array_to_json(life_events)::text, array_to_json(channels)::text, "
    "interactivity_level, required_documents::text, outcome, cost, payment_methods, legal_deadline_days, "
    "silence_rule, legal_references::text, coalesce(office_id::text, ''), responsible_role, status_tracking, "
    "remedies, online_url, forms::text, status, coalesce(" + Micros("last_reviewed_at") + ", -1), reviewed_by, "
    "reportable, coalesce(service_code, ''), category_group, array_to_json(keywords)::text, attributes::text, " +
    Micros("create_time") + ", " + Micros("update_time");
constexpr int kSnapshotColumn = 33;  // the to_jsonb snapshot after the columns above

// $1 is the id (update) or the tenant (insert); the rest are the same.
const char* kServiceValues =
    "$2, $3, $4, ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), "
    "ARRAY(SELECT jsonb_array_elements_text($6::jsonb)), ARRAY(SELECT jsonb_array_elements_text($7::jsonb)), "
    "ARRAY(SELECT jsonb_array_elements_text($8::jsonb)), $9, $10::jsonb, $11, $12, $13, $14, $15, $16::jsonb, "
    "nullif($17, '')::uuid, $18, $19, $20, $21, $22::jsonb, $23, "
    "CASE WHEN $24::bigint < 0 THEN NULL ELSE to_timestamp($24::bigint / 1000000.0) END, $25, $26, "
    "nullif($27, ''), $28, ARRAY(SELECT jsonb_array_elements_text($29::jsonb)), $30::jsonb";

const std::string kInsertService =
    std::string("INSERT INTO catalogue.services (tenant, name, short_description, description, audiences, themes, "
                "life_events, channels, interactivity_level, required_documents, outcome, cost, payment_methods, "
                "legal_deadline_days, silence_rule, legal_references, office_id, responsible_role, "
                "status_tracking, remedies, online_url, forms, status, last_reviewed_at, reviewed_by, reportable, "
                "service_code, category_group, keywords, attributes) VALUES ($1, ") +
    kServiceValues + ") RETURNING " + kServiceColumns + ", to_jsonb(services.*)" + kSnapshot;

const std::string kUpdateService =
    std::string("UPDATE catalogue.services SET (name, short_description, description, audiences, themes, "
                "life_events, channels, interactivity_level, required_documents, outcome, cost, payment_methods, "
                "legal_deadline_days, silence_rule, legal_references, office_id, responsible_role, "
                "status_tracking, remedies, online_url, forms, status, last_reviewed_at, reviewed_by, reportable, "
                "service_code, category_group, keywords, attributes, update_time) = (") +
    kServiceValues + ", now()) WHERE id = $1::uuid RETURNING " + kServiceColumns + ", to_jsonb(services.*)" +
    kSnapshot;

const std::string kLockService = std::string("SELECT tenant, to_jsonb(s)") + kSnapshot +
                                 " FROM catalogue.services s WHERE id = $1::uuid FOR UPDATE";
const std::string kSelectService = "SELECT " + kServiceColumns + " FROM catalogue.services WHERE id = $1::uuid";
const std::string kDeleteService = "DELETE FROM catalogue.services WHERE id = $1::uuid";

// Optional filters: an empty parameter matches every row. Keyset on (name, id).
const std::string kListServices =
    "SELECT " + kServiceColumns +
    " FROM catalogue.services WHERE tenant = $1"
    "   AND ($2 = '' OR themes @> ARRAY[$2])"
    "   AND ($3 = '' OR audiences @> ARRAY[$3])"
    "   AND ($4 = '' OR channels @> ARRAY[$4])"
    "   AND ($5 = '' OR office_id = nullif($5, '')::uuid)"
    "   AND ($6 = '' OR status = $6)"
    "   AND (NOT $7 OR reportable)"
    "   AND (name, id) > ($8, coalesce(nullif($9, ''), '00000000-0000-0000-0000-000000000000')::uuid)"
    " ORDER BY name, id LIMIT $10";

const std::string kServicesForReport = "SELECT " + kServiceColumns +
                                       " FROM catalogue.services WHERE tenant = $1"
                                       " AND status IN ('active', 'under_development') ORDER BY name, id";
const std::string kReportable = "SELECT " + kServiceColumns +
                                " FROM catalogue.services WHERE tenant = $1 AND reportable"
                                " AND status = 'active' ORDER BY category_group, service_code";
const std::string kReportableByCode = "SELECT " + kServiceColumns +
                                      " FROM catalogue.services WHERE tenant = $1 AND reportable"
                                      " AND status = 'active' AND service_code = $2";

Service ServiceFromRow(const pqxx::row& r) {
  Service s;
  s.id = r[0].as<std::string>();
  s.tenant = r[1].as<std::string>();
  s.name = r[2].as<std::string>();
  s.short_description = r[3].as<std::string>();
  s.description = r[4].as<std::string>();
  s.audiences = StringsFromJson(r[5].as<std::string>());
  s.themes = StringsFromJson(r[6].as<std::string>());
  s.life_events = StringsFromJson(r[7].as<std::string>());
  s.channels = ChannelsFromJson(r[8].as<std::string>());
  s.interactivity_level = r[9].as<int>();
  s.required_documents = StringsFromJson(r[10].as<std::string>());
  s.outcome = r[11].as<std::string>();
  s.cost = r[12].as<std::string>();
  s.payment_methods = r[13].as<std::string>();
  s.legal_deadline_days = r[14].as<int>();
  s.silence_rule = r[15].as<std::string>();
  s.legal_references = ReferencesFromJson(r[16].as<std::string>());
  s.office_id = r[17].as<std::string>();
  s.responsible_role = r[18].as<std::string>();
  s.status_tracking = r[19].as<std::string>();
  s.remedies = r[20].as<std::string>();
  s.online_url = r[21].as<std::string>();
  s.forms = FormsFromJson(r[22].as<std::string>());
  s.status = StatusFromName(r[23].as<std::string>()).value_or(ServiceStatus::kActive);
  if (long long reviewed = r[24].as<long long>(); reviewed >= 0) s.last_reviewed_at = db::TimeFromMicros(reviewed);
  s.reviewed_by = r[25].as<std::string>();
  s.reportable.enabled = r[26].as<bool>();
  s.reportable.service_code = r[27].as<std::string>();
  s.reportable.group = r[28].as<std::string>();
  s.reportable.keywords = StringsFromJson(r[29].as<std::string>());
  s.reportable.attributes = AttributesFromJson(r[30].as<std::string>());
  s.create_time = db::TimeFromMicros(r[31].as<long long>());
  s.update_time = db::TimeFromMicros(r[32].as<long long>());
  return s;
}

// Runs an INSERT or UPDATE of kServiceValues with `first` as $1.
pqxx::row WriteService(pqxx::work& tx, const std::string& sql, const std::string& first, const Service& s) {
  long long reviewed = s.last_reviewed_at ? absl::ToUnixMicros(*s.last_reviewed_at) : -1;
  return tx
      .exec_params(sql, first, s.name, s.short_description, s.description, StringsToJson(s.audiences),
                   StringsToJson(s.themes), StringsToJson(s.life_events), ChannelsToJson(s.channels),
                   s.interactivity_level, StringsToJson(s.required_documents), s.outcome, s.cost, s.payment_methods,
                   s.legal_deadline_days, s.silence_rule, ReferencesToJson(s.legal_references), s.office_id,
                   s.responsible_role, s.status_tracking, s.remedies, s.online_url, FormsToJson(s.forms),
                   std::string(StatusName(s.status)), reviewed, s.reviewed_by, s.reportable.enabled,
                   s.reportable.service_code, s.reportable.group, StringsToJson(s.reportable.keywords),
                   AttributesToJson(s.reportable.attributes))
      .at(0);
}

absl::Status MapServiceError(const absl::Status& status, const Service& s) {
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError("il codice di categoria " + s.reportable.service_code + " è già usato");
  }
  if (absl::IsFailedPrecondition(status)) {
    return InvalidArgument({{"service.office_id", "l'ufficio " + s.office_id + " non esiste"}});
  }
  return status;
}

absl::StatusOr<std::vector<Service>> Query(db::Pool& pool, const std::string& sql, const std::string& a,
                                           const std::string& b = "") {
  std::vector<Service> out;
  absl::Status status = pool.Run([&](pqxx::connection& c) {
    out.clear();
    pqxx::read_transaction tx(c);
    auto rows = b.empty() ? tx.exec_params(sql, a) : tx.exec_params(sql, a, b);
    for (const auto& r : rows) out.push_back(ServiceFromRow(r));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace

absl::StatusOr<Service> ServiceStore::Create(const Service& s, const std::string& actor) {
  if (!s.office_id.empty() && !LooksLikeUuid(s.office_id)) {
    return InvalidArgument({{"service.office_id", "identificativo non valido"}});
  }
  Service created;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    pqxx::row r = WriteService(tx, kInsertService, s.tenant, s);
    created = ServiceFromRow(r);
    RecordChange(tx, created.tenant, "service", created.id, "create", actor, "",
                 r[kSnapshotColumn].as<std::string>());
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return MapServiceError(status, s);
  return created;
}

absl::StatusOr<Service> ServiceStore::Get(const std::string& id) {
  if (!LooksLikeUuid(id)) return absl::NotFoundError("servizio " + id + " non trovato");
  ASSIGN_OR_RETURN(std::vector<Service> found, Query(pool_, kSelectService, id));
  if (found.empty()) return absl::NotFoundError("servizio " + id + " non trovato");
  return std::move(found[0]);
}

absl::StatusOr<Page<Service>> ServiceStore::List(const ServiceFilter& f, int page_size,
                                                 const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token));
  if (after.empty()) after = {"", ""};
  if (after.size() != 2 || (!after[1].empty() && !LooksLikeUuid(after[1]))) {
    return InvalidArgument({{"page_token", "page_token non valido"}});
  }
  if (!f.office_id.empty() && !LooksLikeUuid(f.office_id)) {
    return InvalidArgument({{"office_id", "identificativo non valido"}});
  }
  Page<Service> page;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    page.items.clear();
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(kListServices, f.tenant, f.theme, f.audience,
                               std::string(f.channel ? ChannelName(*f.channel) : ""), f.office_id,
                               std::string(f.status ? StatusName(*f.status) : ""), f.reportable_only, after[0],
                               after[1], page_size + 1);
    for (const auto& r : rows) page.items.push_back(ServiceFromRow(r));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  TrimPage(page, page_size, [](const Service& x) { return std::vector<std::string>{x.name, x.id}; });
  return page;
}

absl::StatusOr<std::vector<Service>> ServiceStore::ListForReport(const std::string& tenant) {
  return Query(pool_, kServicesForReport, tenant);
}

absl::StatusOr<std::vector<Service>> ServiceStore::ListReportable(const std::string& tenant) {
  return Query(pool_, kReportable, tenant);
}

absl::StatusOr<Service> ServiceStore::GetReportable(const std::string& tenant, const std::string& code) {
  ASSIGN_OR_RETURN(std::vector<Service> found, Query(pool_, kReportableByCode, tenant, code.empty() ? "-" : code));
  if (found.empty()) return absl::NotFoundError("categoria " + code + " non trovata");
  return std::move(found[0]);
}

absl::StatusOr<Service> ServiceStore::Update(const Service& s, const std::string& actor) {
  if (!LooksLikeUuid(s.id)) return absl::NotFoundError("servizio " + s.id + " non trovato");
  if (!s.office_id.empty() && !LooksLikeUuid(s.office_id)) {
    return InvalidArgument({{"service.office_id", "identificativo non valido"}});
  }
  std::optional<Service> updated;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    updated.reset();
    pqxx::work tx(c);
    auto locked = tx.exec_params(kLockService, s.id);
    if (locked.empty()) return absl::OkStatus();
    pqxx::row r = WriteService(tx, kUpdateService, s.id, s);
    updated = ServiceFromRow(r);
    RecordChange(tx, updated->tenant, "service", s.id, "update", actor, locked[0][1].as<std::string>(),
                 r[kSnapshotColumn].as<std::string>());
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return MapServiceError(status, s);
  if (!updated) return absl::NotFoundError("servizio " + s.id + " non trovato");
  return *std::move(updated);
}

absl::Status ServiceStore::Delete(const std::string& id, const std::string& actor) {
  if (!LooksLikeUuid(id)) return absl::NotFoundError("servizio " + id + " non trovato");
  bool found = false;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto locked = tx.exec_params(kLockService, id);
    found = !locked.empty();
    if (!found) return absl::OkStatus();
    tx.exec_params(kDeleteService, id);
    RecordChange(tx, locked[0][0].as<std::string>(), "service", id, "delete", actor, locked[0][1].as<std::string>(),
                 "");
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return absl::NotFoundError("servizio " + id + " non trovato");
  return absl::OkStatus();
}

}  // namespace sportello::catalogue
