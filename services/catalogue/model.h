#pragma once
// The catalogue's domain model: offices with their opening hours, and the
// services (schede servizio) an administration offers, aligned with
// CPSV-AP_IT and with the transparency items of d.lgs. 33/2013 art. 35.
// Plain structs: no gRPC, no SQL.
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/catalogue/opening_hours.h"
#include "services/catalogue/tenant.h"

namespace sportello::catalogue {

struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
};

struct Office {
  std::string id;      // UUID, assigned on creation
  std::string tenant;  // IPA code
  std::string name;
  std::string description;
  std::string parent_office_id;  // org chart; empty for a top-level office
  Address address;
  std::optional<GeoPoint> position;
  std::string phone, email, pec, website;
  std::string referent_role;     // the office's referent for the URP (regulation art. 15)
  std::string referent_contact;
  OpeningHours hours;
  absl::Time create_time, update_time;
};

enum class Channel { kCounter, kWeb, kPhone, kEmail, kPec, kApp, kPost };
enum class ServiceStatus { kActive, kInactive, kUnderDevelopment };

struct LegalReference {
  std::string title;
  std::string url;
};

struct Form {
  std::string title;
  std::string url;
  std::string format;        // "PDF", "ODT", "online"
  std::string version_date;  // YYYY-MM-DD
};

enum class AttributeType { kString, kNumber, kDatetime, kText, kSingleValueList, kMultiValueList };

struct AttributeValue {
  std::string key;
  std::string name;
};

// An extra question a citizen answers when reporting in this category
// (Open311 "attribute").
struct CategoryAttribute {
  std::string code;
  std::string description;
  AttributeType datatype = AttributeType::kString;
  bool required = false;
  int order = 0;
  std::vector<AttributeValue> values;  // for the list types
};

// A service that citizens can report problems about: the complaints service
// and the Open311 layer list these as categories.
struct ReportableCategory {
  bool enabled = false;
  std::string service_code;  // stable code, unique per tenant: "strade-buche"
  std::string group;         // "Strade e viabilità"
  std::vector<std::string> keywords;
  std::vector<CategoryAttribute> attributes;
};

struct Service {
  std::string id;      // UUID, assigned on creation
  std::string tenant;  // IPA code
  std::string name;
  std::string short_description;
  std::string description;
  std::vector<std::string> audiences;    // kAudiences
  std::vector<std::string> themes;       // kThemes
  std::vector<std::string> life_events;  // kLifeEvents
  std::vector<Channel> channels;
  int interactivity_level = 0;  // 0 information only ... 5 proactive
  std::vector<std::string> required_documents;
  std::string outcome;          // what the citizen gets
  std::string cost;             // "16 euro di marca da bollo", "gratuito"
  std::string payment_methods;  // "pagoPA", ...
  int legal_deadline_days = 0;  // 0: none stated
  std::string silence_rule;     // silenzio-assenso / silenzio-rigetto, if any
  std::vector<LegalReference> legal_references;
  std::string office_id;        // the responsible office
  std::string responsible_role; // the responsible officer's role
  std::string status_tracking;  // how to follow the request's status
  std::string remedies;         // strumenti di tutela
  std::string online_url;       // the online service, if any
  std::vector<Form> forms;
  ServiceStatus status = ServiceStatus::kActive;
  std::optional<absl::Time> last_reviewed_at;
  std::string reviewed_by;
  ReportableCategory reportable;
  absl::Time create_time, update_time;
};

// Controlled lists, in the spelling stored and sent.
inline const std::vector<std::string> kAudiences = {
    "cittadini", "imprese", "associazioni", "professionisti", "pubbliche_amministrazioni", "turisti", "studenti"};
inline const std::vector<std::string> kThemes = {
    "anagrafe_e_stato_civile", "tributi", "edilizia_e_urbanistica", "servizi_sociali", "istruzione",
    "cultura_e_tempo_libero", "ambiente_e_rifiuti", "mobilita_e_trasporti", "sicurezza_e_polizia_locale",
    "attivita_produttive", "partecipazione_e_trasparenza", "salute", "lavori_pubblici", "sport"};
inline const std::vector<std::string> kLifeEvents = {
    "nascita", "matrimonio", "cambio_residenza", "iscrizione_scuola", "avvio_impresa", "acquisto_casa",
    "ristrutturazione_casa", "decesso", "viaggio_all_estero", "perdita_lavoro", "disabilita", "pensionamento"};

}  // namespace sportello::catalogue
