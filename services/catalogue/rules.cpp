#include "services/catalogue/rules.h"

#include <algorithm>
#include <set>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/status.h"
#include "common/text_checks.h"

namespace sportello::catalogue {
namespace {

namespace json = boost::json;

// Limits on operator-written text, in code points.
constexpr size_t kMaxName = 200;
constexpr size_t kMaxShortDescription = 300;
constexpr size_t kMaxDescription = 10000;
constexpr int kMaxInteractivity = 5;
constexpr int kMaxDeadlineDays = 3650;  // ten years
// Interactivity from which a card must link its online service (3: the
// request can be submitted online).
constexpr int kOnlineFromInteractivity = 3;

std::string Indexed(std::string_view base, size_t i) {
  return absl::StrCat(absl::string_view(base.data(), base.size()), "[", i, "]");
}

template <typename T>
void DedupeKeepOrder(std::vector<T>& items) {
  std::vector<T> out;
  for (auto& item : items) {
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
  }
  items = std::move(out);
}

// Trims every entry and drops the empty ones.
void TrimList(std::vector<std::string>& items) {
  for (auto& s : items) Trim(s);
  items.erase(std::remove(items.begin(), items.end(), std::string()), items.end());
}

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

void Append(const absl::Status& status, std::string_view field, std::vector<FieldViolation>& out) {
  if (status.ok()) return;
  auto violations = FieldViolations(status);
  if (violations.empty()) {
    out.push_back({std::string(field), std::string(status.message().data(), status.message().size())});
    return;
  }
  for (auto& v : violations) out.push_back(std::move(v));
}

bool LowerAlnum(char c) { return absl::ascii_islower(static_cast<unsigned char>(c)) || absl::ascii_isdigit(static_cast<unsigned char>(c)); }

// ^[a-z0-9][a-z0-9-]{1,63}$
bool ValidServiceCode(std::string_view s) {
  if (s.size() < 2 || s.size() > 64 || !LowerAlnum(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return LowerAlnum(c) || c == '-'; });
}

// ^[a-z0-9_]{1,64}$
bool ValidAttributeCode(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return LowerAlnum(c) || c == '_'; });
}

// YYYY-MM-DD naming an existing date (absl normalises 2026-02-30, so the
// round trip must give the same text back).
bool ValidDate(const std::string& s) {
  absl::CivilDay day;
  if (s.size() != 10 || !absl::ParseCivilTime(s, &day)) return false;
  return absl::FormatCivilTime(day) == s;
}

bool IsListType(AttributeType t) {
  return t == AttributeType::kSingleValueList || t == AttributeType::kMultiValueList;
}

// Entries of a controlled list: unknown ones are reported at their index
// before deduplication.
void CheckControlled(std::vector<std::string>& items, const std::vector<std::string>& allowed,
                     std::string_view field, std::string_view what, std::vector<FieldViolation>& out) {
  for (auto& s : items) Trim(s);
  for (size_t i = 0; i < items.size(); ++i) {
    if (!Contains(allowed, items[i])) {
      out.push_back({Indexed(field, i), absl::StrCat(absl::string_view(what.data(), what.size()), " non previsto: \"",
                                                     items[i], "\"")});
    }
  }
  DedupeKeepOrder(items);
}

void CheckHttpUrl(const std::string& url, const std::string& field, bool required, std::vector<FieldViolation>& out) {
  if (url.empty()) {
    if (required) out.push_back({field, "l'indirizzo è obbligatorio"});
  } else if (!ValidWebsite(url)) {
    out.push_back({field, "deve essere un indirizzo http o https"});
  }
}

void CheckAttributes(std::vector<CategoryAttribute>& attributes, std::vector<FieldViolation>& out) {
  std::set<std::string> codes;
  for (size_t i = 0; i < attributes.size(); ++i) {
    CategoryAttribute& a = attributes[i];
    const std::string path = Indexed("service.reportable.attributes", i);
    Trim(a.code);
    Trim(a.description);
    for (auto& v : a.values) {
      Trim(v.key);
      Trim(v.name);
    }
    if (!ValidAttributeCode(a.code)) {
      out.push_back({path + ".code", "il codice è composto da 1 a 64 lettere minuscole, cifre o trattini bassi"});
    } else if (!codes.insert(a.code).second) {
      out.push_back({path + ".code", "codice già usato da un altro attributo"});
    }
    if (a.description.empty()) out.push_back({path + ".description", "la descrizione è obbligatoria"});
    if (!AttributeTypeFromName(AttributeTypeName(a.datatype))) {
      out.push_back({path + ".datatype", "tipo di dato non valido"});
      continue;
    }
    if (!IsListType(a.datatype)) {
      if (!a.values.empty()) out.push_back({path + ".values", "solo gli attributi a elenco hanno valori"});
      continue;
    }
    if (a.values.empty()) {
      out.push_back({path + ".values", "un attributo a elenco richiede almeno un valore"});
      continue;
    }
    std::set<std::string> keys;
    for (size_t j = 0; j < a.values.size(); ++j) {
      const std::string value_path = Indexed(path + ".values", j);
      if (a.values[j].key.empty()) {
        out.push_back({value_path + ".key", "la chiave è obbligatoria"});
      } else if (!keys.insert(a.values[j].key).second) {
        out.push_back({value_path + ".key", "chiave già usata da un altro valore"});
      }
      if (a.values[j].name.empty()) out.push_back({value_path + ".name", "il nome è obbligatorio"});
    }
  }
}

// --- JSON-LD ----------------------------------------------------------------

constexpr std::string_view kSchemaDays[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

void PutIfSet(json::object& o, std::string_view key, const std::string& value) {
  if (!value.empty()) o[key] = value;
}

// schema.org Time: "08:30:00". An interval ending at midnight (1440) closes
// at "23:59:59", the form search engines read as "until the end of the day".
std::string SchemaTime(int minutes) {
  if (minutes >= 1440) return "23:59:59";
  return FormatClock(minutes) + ":00";
}

json::object HoursSpec(const TimeRange& r) {
  json::object o;
  o["@type"] = "OpeningHoursSpecification";
  o["opens"] = SchemaTime(r.opens);
  o["closes"] = SchemaTime(r.closes);
  return o;
}

void AppendWeekly(std::vector<WeeklyInterval> weekly, const SeasonalHours* season, json::array& out) {
  std::stable_sort(weekly.begin(), weekly.end(), [](const WeeklyInterval& a, const WeeklyInterval& b) {
    return std::pair(a.day, a.range.opens) < std::pair(b.day, b.range.opens);
  });
  for (const WeeklyInterval& w : weekly) {
    if (w.day < 1 || w.day > 7) continue;
    json::object o;
    o["@type"] = "OpeningHoursSpecification";
    o["dayOfWeek"] = absl::StrCat("https://schema.org/", absl::string_view(kSchemaDays[w.day].data(), kSchemaDays[w.day].size()));
    o["opens"] = SchemaTime(w.range.opens);
    o["closes"] = SchemaTime(w.range.closes);
    if (season != nullptr) {
      o["validFrom"] = FormatDate(season->start);
      o["validThrough"] = FormatDate(season->end);
    }
    out.push_back(std::move(o));
  }
}

json::object OfficeJson(const Office& office) {
  json::object o;
  o["@type"] = "GovernmentOffice";
  PutIfSet(o, "name", office.name);
  const Address& a = office.address;
  if (!a.street.empty() || !a.postal_code.empty() || !a.municipality.empty() || !a.province.empty()) {
    json::object address;
    address["@type"] = "PostalAddress";
    PutIfSet(address, "streetAddress", a.street);
    PutIfSet(address, "postalCode", a.postal_code);
    PutIfSet(address, "addressLocality", a.municipality);
    PutIfSet(address, "addressRegion", a.province);
    address["addressCountry"] = "IT";
    o["address"] = std::move(address);
  }
  PutIfSet(o, "telephone", office.phone);
  PutIfSet(o, "email", office.email);
  PutIfSet(o, "url", office.website);
  if (office.position) {
    json::object geo;
    geo["@type"] = "GeoCoordinates";
    geo["latitude"] = office.position->latitude;
    geo["longitude"] = office.position->longitude;
    o["geo"] = std::move(geo);
  }

  json::array regular;
  AppendWeekly(office.hours.weekly, nullptr, regular);
  for (const SeasonalHours& s : office.hours.seasonal) AppendWeekly(s.weekly, &s, regular);
  if (!regular.empty()) o["openingHoursSpecification"] = std::move(regular);

  json::array special;
  for (const HoursException& e : office.hours.exceptions) {
    const std::string date = FormatDate(e.date);
    // schema.org's convention for a closed day: opens and closes at 00:00.
    std::vector<TimeRange> ranges = e.closed ? std::vector<TimeRange>{TimeRange{0, 0}} : e.ranges;
    std::sort(ranges.begin(), ranges.end(),
              [](const TimeRange& x, const TimeRange& y) { return x.opens < y.opens; });
    for (const TimeRange& r : ranges) {
      json::object spec = HoursSpec(r);
      PutIfSet(spec, "name", e.reason);
      spec["validFrom"] = date;
      spec["validThrough"] = date;
      special.push_back(std::move(spec));
    }
  }
  if (!special.empty()) o["specialOpeningHoursSpecification"] = std::move(special);
  return o;
}

}  // namespace

absl::Status PrepareOffice(Office& o) {
  for (std::string* s : {&o.name, &o.description, &o.parent_office_id, &o.address.street, &o.address.postal_code,
                         &o.address.municipality, &o.address.province, &o.phone, &o.email, &o.pec, &o.website,
                         &o.referent_role, &o.referent_contact}) {
    Trim(*s);
  }
  o.address.province = absl::AsciiStrToUpper(o.address.province);

  std::vector<FieldViolation> v;
  if (o.name.empty()) {
    v.push_back({"office.name", "il nome è obbligatorio"});
  } else if (CodePoints(o.name) > kMaxName) {
    v.push_back({"office.name", "il nome non può superare 200 caratteri"});
  }
  if (!o.address.postal_code.empty() && (o.address.postal_code.size() != 5 || !AllDigits(o.address.postal_code))) {
    v.push_back({"office.address.postal_code", "il CAP è composto da 5 cifre"});
  }
  if (!o.address.province.empty() &&
      (o.address.province.size() != 2 || !absl::ascii_isalpha(static_cast<unsigned char>(o.address.province[0])) ||
       !absl::ascii_isalpha(static_cast<unsigned char>(o.address.province[1])))) {
    v.push_back({"office.address.province", "la provincia è la sigla di 2 lettere"});
  }
  if (o.position) {
    const double lat = o.position->latitude, lon = o.position->longitude;
    // Written so that NaN fails too.
    const bool lat_ok = lat >= -90 && lat <= 90;
    const bool lon_ok = lon >= -180 && lon <= 180;
    if (!lat_ok) v.push_back({"office.position.latitude", "la latitudine è compresa tra -90 e 90"});
    if (!lon_ok) v.push_back({"office.position.longitude", "la longitudine è compresa tra -180 e 180"});
    if (lat_ok && lon_ok && lat == 0 && lon == 0) {
      v.push_back({"office.position", "posizione non impostata (0, 0)"});
    }
  }
  if (!o.phone.empty() && !ValidPhone(o.phone)) {
    v.push_back({"office.phone", "il telefono ha da 6 a 20 cifre e solo spazi, +, -, / o parentesi"});
  }
  if (!o.email.empty() && !ValidEmail(o.email)) v.push_back({"office.email", "indirizzo email non valido"});
  if (!o.pec.empty() && !ValidEmail(o.pec)) v.push_back({"office.pec", "indirizzo PEC non valido"});
  if (!o.website.empty() && !ValidWebsite(o.website)) {
    v.push_back({"office.website", "il sito web deve essere un indirizzo http o https"});
  }
  Append(ValidateHours(o.hours, "office.hours"), "office.hours", v);

  if (!v.empty()) return InvalidArgument(std::move(v));
  return absl::OkStatus();
}

absl::Status PrepareService(Service& s) {
  for (std::string* f : {&s.name, &s.short_description, &s.description, &s.outcome, &s.cost, &s.payment_methods,
                         &s.silence_rule, &s.office_id, &s.responsible_role, &s.status_tracking, &s.remedies,
                         &s.online_url, &s.reviewed_by, &s.reportable.service_code, &s.reportable.group}) {
    Trim(*f);
  }
  TrimList(s.required_documents);
  for (auto& k : s.reportable.keywords) k = absl::AsciiStrToLower(k);
  TrimList(s.reportable.keywords);
  DedupeKeepOrder(s.reportable.keywords);

  std::vector<FieldViolation> v;
  if (s.name.empty()) {
    v.push_back({"service.name", "il nome è obbligatorio"});
  } else if (CodePoints(s.name) > kMaxName) {
    v.push_back({"service.name", "il nome non può superare 200 caratteri"});
  }
  if (CodePoints(s.short_description) > kMaxShortDescription) {
    v.push_back({"service.short_description", "la descrizione breve non può superare 300 caratteri"});
  }
  if (CodePoints(s.description) > kMaxDescription) {
    v.push_back({"service.description", "la descrizione non può superare 10000 caratteri"});
  }
  CheckControlled(s.audiences, kAudiences, "service.audiences", "destinatario", v);
  CheckControlled(s.themes, kThemes, "service.themes", "tema", v);
  CheckControlled(s.life_events, kLifeEvents, "service.life_events", "evento della vita", v);
  for (size_t i = 0; i < s.channels.size(); ++i) {
    if (!ChannelFromName(ChannelName(s.channels[i]))) v.push_back({Indexed("service.channels", i), "canale non valido"});
  }
  DedupeKeepOrder(s.channels);
  if (s.interactivity_level < 0 || s.interactivity_level > kMaxInteractivity) {
    v.push_back({"service.interactivity_level", "il livello di interattività va da 0 a 5"});
  }
  if (s.legal_deadline_days < 0 || s.legal_deadline_days > kMaxDeadlineDays) {
    v.push_back({"service.legal_deadline_days", "il termine va da 0 (non indicato) a 3650 giorni"});
  }
  for (size_t i = 0; i < s.legal_references.size(); ++i) {
    LegalReference& r = s.legal_references[i];
    const std::string path = Indexed("service.legal_references", i);
    Trim(r.title);
    Trim(r.url);
    if (r.title.empty()) v.push_back({path + ".title", "il titolo è obbligatorio"});
    CheckHttpUrl(r.url, path + ".url", /*required=*/true, v);
  }
  for (size_t i = 0; i < s.forms.size(); ++i) {
    Form& f = s.forms[i];
    const std::string path = Indexed("service.forms", i);
    for (std::string* t : {&f.title, &f.url, &f.format, &f.version_date}) Trim(*t);
    if (f.title.empty()) v.push_back({path + ".title", "il titolo è obbligatorio"});
    CheckHttpUrl(f.url, path + ".url", /*required=*/true, v);
    if (!f.version_date.empty() && !ValidDate(f.version_date)) {
      v.push_back({path + ".version_date", "la data di versione è nel formato AAAA-MM-GG"});
    }
  }
  CheckHttpUrl(s.online_url, "service.online_url", /*required=*/false, v);
  if (!StatusFromName(StatusName(s.status))) v.push_back({"service.status", "stato non valido"});

  // Reportable: the code's form is checked whenever it is set, so that
  // enabling the category later cannot meet a malformed stored code.
  ReportableCategory& rc = s.reportable;
  if (rc.service_code.empty()) {
    if (rc.enabled) v.push_back({"service.reportable.service_code", "il codice è obbligatorio per le segnalazioni"});
  } else if (!ValidServiceCode(rc.service_code)) {
    v.push_back({"service.reportable.service_code",
                 "il codice ha da 2 a 64 lettere minuscole, cifre o trattini e inizia con una lettera o una cifra"});
  }
  if (rc.enabled && rc.group.empty()) {
    v.push_back({"service.reportable.group", "il gruppo è obbligatorio per le segnalazioni"});
  }
  CheckAttributes(rc.attributes, v);

  if (!v.empty()) return InvalidArgument(std::move(v));
  return absl::OkStatus();
}

std::vector<MissingItem> MissingArt35Items(const Service& s) {
  std::vector<MissingItem> out;
  auto need = [&](bool missing, const char* item, const char* label) {
    if (missing) out.push_back({item, label});
  };
  // a) breve descrizione del procedimento e riferimenti normativi
  need(s.description.empty(), "description", "Descrizione del procedimento");
  need(s.legal_references.empty(), "legal_references", "Riferimenti normativi");
  // b) unità organizzativa responsabile dell'istruttoria
  need(s.office_id.empty(), "office_id", "Ufficio responsabile");
  // c) ufficio e responsabile del procedimento con i recapiti
  need(s.responsible_role.empty(), "responsible_role", "Responsabile del procedimento");
  // d) atti e documenti da allegare all'istanza e modulistica
  need(s.required_documents.empty(), "required_documents", "Documenti da presentare");
  need(s.forms.empty(), "forms", "Modulistica");
  // e) modalità per avere informazioni sui procedimenti in corso
  need(s.status_tracking.empty(), "status_tracking", "Modalità per conoscere lo stato della pratica");
  // f) termine di conclusione
  need(s.legal_deadline_days == 0, "legal_deadline_days", "Termine di conclusione");
  // g) silenzio assenso / dichiarazione dell'interessato: with a deadline only
  need(s.legal_deadline_days > 0 && s.silence_rule.empty(), "silence_rule", "Silenzio assenso o rigetto");
  // h) strumenti di tutela amministrativa e giurisdizionale
  need(s.remedies.empty(), "remedies", "Strumenti di tutela");
  // i) link al servizio online: when the request can be made online
  need(s.interactivity_level >= kOnlineFromInteractivity && s.online_url.empty(), "online_url", "Servizio online");
  // l) modalità di pagamento
  need(s.cost.empty(), "cost", "Costi e modalità di pagamento");
  return out;
}

bool IsStale(const Service& service, absl::Time now, absl::Duration window) {
  if (!service.last_reviewed_at) return true;
  return *service.last_reviewed_at < now - window;
}

std::string ServiceJsonLd(const Service& s, const Tenant& provider, const std::vector<Office>& offices) {
  json::object o;
  o["@context"] = "https://schema.org";
  o["@type"] = "GovernmentService";
  PutIfSet(o, "name", s.name);
  PutIfSet(o, "description", s.short_description.empty() ? s.description : s.short_description);
  if (!s.themes.empty()) {
    json::array themes;
    for (const auto& t : s.themes) themes.emplace_back(t);
    o["serviceType"] = std::move(themes);
  }
  if (!s.audiences.empty()) {
    json::object audience;
    audience["@type"] = "Audience";
    audience["audienceType"] = absl::StrJoin(s.audiences, ", ");
    o["audience"] = std::move(audience);
  }
  json::object org;
  org["@type"] = "GovernmentOrganization";
  PutIfSet(org, "name", provider.name);
  PutIfSet(org, "url", provider.website);
  PutIfSet(org, "identifier", provider.ipa_code);
  o["provider"] = std::move(org);
  const std::string& area = provider.address.municipality.empty() ? provider.name : provider.address.municipality;
  if (!area.empty()) {
    json::object served;
    served["@type"] = "AdministrativeArea";
    served["name"] = area;
    o["areaServed"] = std::move(served);
  }
  PutIfSet(o, "url", s.online_url);

  // One channel per office, each with the online service if any; without
  // offices, the online service alone.
  json::array channels;
  auto channel = [&](const Office* office) {
    json::object c;
    c["@type"] = "ServiceChannel";
    PutIfSet(c, "serviceUrl", s.online_url);
    c["availableLanguage"] = "it";
    if (office != nullptr) c["serviceLocation"] = OfficeJson(*office);
    channels.push_back(std::move(c));
  };
  for (const Office& office : offices) channel(&office);
  if (offices.empty() && !s.online_url.empty()) channel(nullptr);
  if (!channels.empty()) o["availableChannel"] = std::move(channels);
  return EscapeForScript(json::serialize(o));
}

std::string EscapeForScript(std::string_view json_text) {
  // <, > and & occur in serialised JSON only inside strings, where the
  // \u escapes mean the same characters: safe to replace everywhere.
  std::string out;
  out.reserve(json_text.size());
  for (char c : json_text) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kCounter: return "counter";
    case Channel::kWeb: return "web";
    case Channel::kPhone: return "phone";
    case Channel::kEmail: return "email";
    case Channel::kPec: return "pec";
    case Channel::kApp: return "app";
    case Channel::kPost: return "post";
  }
  return "";
}

std::optional<Channel> ChannelFromName(std::string_view name) {
  for (Channel c : {Channel::kCounter, Channel::kWeb, Channel::kPhone, Channel::kEmail, Channel::kPec, Channel::kApp,
                    Channel::kPost}) {
    if (ChannelName(c) == name) return c;
  }
  return std::nullopt;
}

std::string_view StatusName(ServiceStatus s) {
  switch (s) {
    case ServiceStatus::kActive: return "active";
    case ServiceStatus::kInactive: return "inactive";
    case ServiceStatus::kUnderDevelopment: return "under_development";
  }
  return "";
}

std::optional<ServiceStatus> StatusFromName(std::string_view name) {
  for (ServiceStatus s : {ServiceStatus::kActive, ServiceStatus::kInactive, ServiceStatus::kUnderDevelopment}) {
    if (StatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view AttributeTypeName(AttributeType t) {
  switch (t) {
    case AttributeType::kString: return "string";
    case AttributeType::kNumber: return "number";
    case AttributeType::kDatetime: return "datetime";
    case AttributeType::kText: return "text";
    case AttributeType::kSingleValueList: return "singlevaluelist";
    case AttributeType::kMultiValueList: return "multivaluelist";
  }
  return "";
}

std::optional<AttributeType> AttributeTypeFromName(std::string_view name) {
  for (AttributeType t : {AttributeType::kString, AttributeType::kNumber, AttributeType::kDatetime,
                          AttributeType::kText, AttributeType::kSingleValueList, AttributeType::kMultiValueList}) {
    if (AttributeTypeName(t) == name) return t;
  }
  return std::nullopt;
}

}  // namespace sportello::catalogue
