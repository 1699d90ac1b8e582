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
    "id::text AS id, tenant, name, short_description, description, array_to_json(audiences)::text AS audiences, "
    "array_to_json(themes)::text AS themes, array_to_json(life_events)::text AS life_events, "
    "array_to_json(channels)::text AS channels, interactivity_level, required_documents::text AS required_documents, "
    "outcome, cost, payment_methods, legal_deadline_days, silence_rule, legal_references::text AS legal_references, "
    "coalesce(office_id::text, '') AS office_id, responsible_role, status_tracking, remedies, online_url, "
    "forms::text AS forms, status, coalesce(" + Micros("last_reviewed_at") + ", -1) AS reviewed_micros, "
    "reviewed_by, reportable, coalesce(service_code, '') AS service_code, category_group, "
    "array_to_json(keywords)::text AS keywords, attributes::text AS attributes, " +
    Micros("create_time") + " AS create_micros, " + Micros("update_time") + " AS update_micros";

// The row as jsonb without derived columns, for the change history.
const std::string kReturningService =
    " RETURNING " + kServiceColumns + ", to_jsonb(services.*)" + kSnapshot + " AS snapshot";

// $1 is the id (update) or the tenant (insert); the rest are the same.
const char* kServiceValues =
    "$2, $3, $4, ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), "
    "ARRAY(SELECT jsonb_array_elements_text($6::jsonb)), ARRAY(SELECT jsonb_array_elements_text($7::jsonb)), "
    "ARRAY(SELECT jsonb_array_elements_text($8::jsonb)), $9, $10::jsonb, $11, $12, $13, $14, $15, $16::jsonb, "
    "nullif($17, '')::uuid, $18, $19, $20, $21, $22::jsonb, $23, "
    "CASE WHEN $24::bigint < 0 THEN NULL ELSE to_timestamp($24::bigint / 1000000.0) END, $25, $26, "
    "nullif($27, ''), $28, ARRAY(SELECT jsonb_array_elements_text($29::jsonb)), $30::jsonb";

const db::Statement kInsertService{
    "catalogue.insert_service",
    std::string("INSERT INTO catalogue.services (tenant, name, short_description, description, audiences, themes, "
                "life_events, channels, interactivity_level, required_documents, outcome, cost, payment_methods, "
                "legal_deadline_days, silence_rule, legal_references, office_id, responsible_role, "
                "status_tracking, remedies, online_url, forms, status, last_reviewed_at, reviewed_by, reportable, "
                "service_code, category_group, keywords, attributes) VALUES ($1, ") +
        kServiceValues + ")" + kReturningService};

const db::Statement kUpdateService{
    "catalogue.update_service",
    std::string("UPDATE catalogue.services SET (name, short_description, description, audiences, themes, "
                "life_events, channels, interactivity_level, required_documents, outcome, cost, payment_methods, "
                "legal_deadline_days, silence_rule, legal_references, office_id, responsible_role, "
                "status_tracking, remedies, online_url, forms, status, last_reviewed_at, reviewed_by, reportable, "
                "service_code, category_group, keywords, attributes, update_time) = (") +
        kServiceValues + ", now()) WHERE id = $1::uuid" + kReturningService};

const db::Statement kLockService{"catalogue.lock_service", std::string("SELECT tenant, to_jsonb(s)") + kSnapshot +
                                                              " AS snapshot FROM catalogue.services s"
                                                              " WHERE id = $1::uuid FOR UPDATE"};
const db::Statement kSelectService{"catalogue.select_service",
                                   "SELECT " + kServiceColumns + " FROM catalogue.services WHERE id = $1::uuid"};
const db::Statement kDeleteService{"catalogue.delete_service", "DELETE FROM catalogue.services WHERE id = $1::uuid"};

// Optional filters: an empty parameter matches every row. Keyset on (name, id).
const db::Statement kListServices{
    "catalogue.list_services",
    "SELECT " + kServiceColumns +
        " FROM catalogue.services WHERE tenant = $1"
        "   AND ($2 = '' OR themes @> ARRAY[$2])"
        "   AND ($3 = '' OR audiences @> ARRAY[$3])"
        "   AND ($4 = '' OR channels @> ARRAY[$4])"
        "   AND ($5 = '' OR office_id = nullif($5, '')::uuid)"
        "   AND ($6 = '' OR status = $6)"
        "   AND (NOT $7 OR reportable)"
        "   AND (name, id) > ($8, coalesce(nullif($9, ''), '00000000-0000-0000-0000-000000000000')::uuid)"
        " ORDER BY name, id LIMIT $10"};

const db::Statement kServicesForReport{"catalogue.services_for_report",
                                       "SELECT " + kServiceColumns +
                                           " FROM catalogue.services WHERE tenant = $1"
                                           " AND status IN ('active', 'under_development') ORDER BY name, id"};

// The categories in the order citizens see them; keyset on (group, code),
// unique since the code is unique in a tenant.
const db::Statement kListReportable{"catalogue.list_reportable",
                                    "SELECT " + kServiceColumns +
                                        " FROM catalogue.services WHERE tenant = $1 AND reportable"
                                        " AND status = 'active' AND (category_group, service_code) > ($2, $3)"
                                        " ORDER BY category_group, service_code LIMIT $4"};

const db::Statement kReportableByCode{"catalogue.reportable_by_code",
                                      "SELECT " + kServiceColumns +
                                          " FROM catalogue.services WHERE tenant = $1 AND reportable"
                                          " AND status = 'active' AND service_code = $2"};

Service ServiceFromRow(const pqxx::row& r) {
  Service s;
  s.id = r["id"].as<std::string>();
  s.tenant = r["tenant"].as<std::string>();
  s.name = r["name"].as<std::string>();
  s.short_description = r["short_description"].as<std::string>();
  s.description = r["description"].as<std::string>();
  s.audiences = StringsFromJson(r["audiences"].as<std::string>());
  s.themes = StringsFromJson(r["themes"].as<std::string>());
  s.life_events = StringsFromJson(r["life_events"].as<std::string>());
  s.channels = ChannelsFromJson(r["channels"].as<std::string>());
  s.interactivity_level = r["interactivity_level"].as<int>();
  s.required_documents = StringsFromJson(r["required_documents"].as<std::string>());
  s.outcome = r["outcome"].as<std::string>();
  s.cost = r["cost"].as<std::string>();
  s.payment_methods = r["payment_methods"].as<std::string>();
  s.legal_deadline_days = r["legal_deadline_days"].as<int>();
  s.silence_rule = r["silence_rule"].as<std::string>();
  s.legal_references = ReferencesFromJson(r["legal_references"].as<std::string>());
  s.office_id = r["office_id"].as<std::string>();
  s.responsible_role = r["responsible_role"].as<std::string>();
  s.status_tracking = r["status_tracking"].as<std::string>();
  s.remedies = r["remedies"].as<std::string>();
  s.online_url = r["online_url"].as<std::string>();
  s.forms = FormsFromJson(r["forms"].as<std::string>());
  s.status = StatusFromName(r["status"].as<std::string>()).value_or(ServiceStatus::kActive);
  if (long long reviewed = r["reviewed_micros"].as<long long>(); reviewed >= 0) {
    s.last_reviewed_at = db::TimeFromMicros(reviewed);
  }
  s.reviewed_by = r["reviewed_by"].as<std::string>();
  s.reportable.enabled = r["reportable"].as<bool>();
  s.reportable.service_code = r["service_code"].as<std::string>();
  s.reportable.group = r["category_group"].as<std::string>();
  s.reportable.keywords = StringsFromJson(r["keywords"].as<std::string>());
  s.reportable.attributes = AttributesFromJson(r["attributes"].as<std::string>());
  s.create_time = db::TimeFromMicros(r["create_micros"].as<long long>());
  s.update_time = db::TimeFromMicros(r["update_micros"].as<long long>());
  return s;
}

// Runs kInsertService or kUpdateService with `first` as $1.
pqxx::row WriteService(pqxx::work& tx, const db::Statement& statement, const std::string& first, const Service& s) {
  long long reviewed = s.last_reviewed_at ? absl::ToUnixMicros(*s.last_reviewed_at) : -1;
  return db::Exec(tx, statement, first, s.name, s.short_description, s.description, StringsToJson(s.audiences),
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

// Every row of a read of services.
template <typename... Args>
absl::StatusOr<std::vector<Service>> Query(db::Pool& pool, const db::Statement& statement, const Args&... args) {
  return pool.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<Service>> {
    std::vector<Service> out;
    for (const auto& r : db::Exec(tx, statement, args...)) out.push_back(ServiceFromRow(r));
    return out;
  });
}

}  // namespace

absl::StatusOr<Service> ServiceStore::Create(const Service& s, const std::string& actor) {
  if (!s.office_id.empty() && !LooksLikeUuid(s.office_id)) {
    return InvalidArgument({{"service.office_id", "identificativo non valido"}});
  }
  absl::StatusOr<Service> created = pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Service> {
    pqxx::row r = WriteService(tx, kInsertService, s.tenant, s);
    Service service = ServiceFromRow(r);
    RecordChange(tx, service.tenant, "service", service.id, "create", actor, "", r["snapshot"].as<std::string>());
    return service;
  });
  if (!created.ok()) return MapServiceError(created.status(), s);
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
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 2));
  if (after.empty()) after = {"", ""};
  if (!after[1].empty() && !LooksLikeUuid(after[1])) return InvalidPageToken();
  if (!f.office_id.empty() && !LooksLikeUuid(f.office_id)) {
    return InvalidArgument({{"office_id", "identificativo non valido"}});
  }
  Page<Service> page;
  ASSIGN_OR_RETURN(page.items, Query(pool_, kListServices, f.tenant, f.theme, f.audience,
                                     std::string(f.channel ? ChannelName(*f.channel) : ""), f.office_id,
                                     std::string(f.status ? StatusName(*f.status) : ""), f.reportable_only,
                                     after[0], after[1], page_size + 1));
  TrimPage(page, page_size, [](const Service& x) { return std::vector<std::string>{x.name, x.id}; });
  return page;
}

absl::StatusOr<std::vector<Service>> ServiceStore::ListForReport(const std::string& tenant) {
  return Query(pool_, kServicesForReport, tenant);
}

absl::StatusOr<Page<Service>> ServiceStore::ListReportable(const std::string& tenant, int page_size,
                                                           const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 2));
  if (after.empty()) after = {"", ""};
  Page<Service> page;
  ASSIGN_OR_RETURN(page.items, Query(pool_, kListReportable, tenant, after[0], after[1], page_size + 1));
  TrimPage(page, page_size, [](const Service& x) {
    return std::vector<std::string>{x.reportable.group, x.reportable.service_code};
  });
  return page;
}

absl::StatusOr<Service> ServiceStore::GetReportable(const std::string& tenant, const std::string& code) {
  ASSIGN_OR_RETURN(std::vector<Service> found, Query(pool_, kReportableByCode, tenant, code));
  if (found.empty()) return absl::NotFoundError("categoria " + code + " non trovata");
  return std::move(found[0]);
}

absl::StatusOr<Service> ServiceStore::Update(const Service& s, const std::string& actor) {
  if (!LooksLikeUuid(s.id)) return absl::NotFoundError("servizio " + s.id + " non trovato");
  if (!s.office_id.empty() && !LooksLikeUuid(s.office_id)) {
    return InvalidArgument({{"service.office_id", "identificativo non valido"}});
  }
  absl::StatusOr<Service> updated = pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Service> {
    auto locked = db::Exec(tx, kLockService, s.id);
    if (locked.empty()) return absl::NotFoundError("servizio " + s.id + " non trovato");
    pqxx::row r = WriteService(tx, kUpdateService, s.id, s);
    Service service = ServiceFromRow(r);
    RecordChange(tx, service.tenant, "service", s.id, "update", actor, locked[0]["snapshot"].as<std::string>(),
                 r["snapshot"].as<std::string>());
    return service;
  });
  if (!updated.ok()) return MapServiceError(updated.status(), s);
  return updated;
}

absl::Status ServiceStore::Delete(const std::string& id, const std::string& actor) {
  if (!LooksLikeUuid(id)) return absl::NotFoundError("servizio " + id + " non trovato");
  return pool_.Write([&](pqxx::work& tx) -> absl::Status {
    auto locked = db::Exec(tx, kLockService, id);
    if (locked.empty()) return absl::NotFoundError("servizio " + id + " non trovato");
    db::Exec(tx, kDeleteService, id);
    RecordChange(tx, locked[0]["tenant"].as<std::string>(), "service", id, "delete", actor,
                 locked[0]["snapshot"].as<std::string>(), "");
    return absl::OkStatus();
  });
}

}  // namespace sportello::catalogue
