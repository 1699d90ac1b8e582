#include "services/catalogue/rules.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <catch2/catch.hpp>

#include "common/status.h"

using namespace sportello::catalogue;
namespace json = boost::json;

namespace {

Office ValidOffice() {
  Office o;
  o.tenant = "c_f027";
  o.name = "  Ufficio Relazioni con il Pubblico ";
  o.address = {"Piazza Garibaldi 1", "74016", "Massafra", " ta "};
  o.position = GeoPoint{40.5876, 17.1150};
  o.phone = "+39 (099) 880-4210";
  o.email = "urp@comune.massafra.ta.it";
  o.pec = "protocollo@pec.comune.massafra.ta.it";
  o.website = "https://www.comune.massafra.ta.it/urp";
  o.hours.weekly = {{1, {510, 750}}, {3, {510, 750}}, {3, {900, 1020}}};
  return o;
}

Service ValidService() {
  Service s;
  s.tenant = "c_f027";
  s.name = " Carta d'identità elettronica ";
  s.short_description = "Richiesta e rinnovo della CIE";
  s.description = "La carta d'identità elettronica si richiede all'anagrafe su appuntamento.";
  s.audiences = {"cittadini", " cittadini"};
  s.themes = {"anagrafe_e_stato_civile", "anagrafe_e_stato_civile"};
  s.life_events = {"viaggio_all_estero"};
  s.channels = {Channel::kCounter, Channel::kWeb, Channel::kCounter};
  s.interactivity_level = 3;
  s.required_documents = {" fototessera ", "", "documento scaduto"};
  s.cost = "22,21 euro";
  s.legal_deadline_days = 30;
  s.silence_rule = "non previsto";
  s.legal_references = {{"D.M. 23 dicembre 2015", "https://www.gazzettaufficiale.it/eli/id/2015/12/30/15A09809/sg"}};
  s.office_id = "9b0e2b5e-1f1e-4c55-9a8e-2b1f7d6c3a10";
  s.responsible_role = "Responsabile dei servizi demografici";
  s.status_tracking = "Telefonando all'anagrafe";
  s.remedies = "Ricorso al TAR entro 60 giorni";
  s.online_url = "https://www.prenotazionicie.interno.gov.it";
  s.forms = {{"Modulo di richiesta", "https://www.comune.massafra.ta.it/cie.pdf", "PDF", "2025-03-01"}};
  s.reportable.enabled = true;
  s.reportable.service_code = "anagrafe-cie";
  s.reportable.group = "Anagrafe";
  s.reportable.keywords = {" CIE ", "", "Carta", "cie"};
  CategoryAttribute esito;
  esito.code = "esito";
  esito.description = "Esito dell'appuntamento";
  esito.datatype = AttributeType::kSingleValueList;
  esito.values = {{"ok", "Concluso"}, {"rinviato", "Rinviato"}};
  CategoryAttribute note;
  note.code = "note_libere";
  note.description = "Note";
  note.datatype = AttributeType::kText;
  s.reportable.attributes = {esito, note};
  return s;
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const auto& v : sportello::FieldViolations(status)) out.push_back(v.field);
  return out;
}

std::vector<std::string> OfficeFields(Office o) { return Fields(PrepareOffice(o)); }
std::vector<std::string> ServiceFields(Service s) { return Fields(PrepareService(s)); }

std::vector<std::string> Items(const std::vector<MissingItem>& missing) {
  std::vector<std::string> out;
  for (const auto& m : missing) out.push_back(m.item);
  return out;
}

std::string Str(const json::value& v) { return std::string(v.as_string().c_str()); }

}  // namespace

TEST_CASE("a valid office passes and is normalised", "[rules][office]") {
  Office o = ValidOffice();
  REQUIRE(PrepareOffice(o).ok());
  CHECK(o.name == "Ufficio Relazioni con il Pubblico");
  CHECK(o.address.province == "TA");
}

TEST_CASE("each invalid office field is reported with its path", "[rules][office]") {
  struct Case {
    const char* what;
    void (*mutate)(Office&);
    const char* field;
  };
  const Case cases[] = {
      {"missing name", [](Office& o) { o.name = " "; }, "office.name"},
      {"name too long", [](Office& o) { o.name = std::string(201, 'x'); }, "office.name"},
      {"email without domain", [](Office& o) { o.email = "urp@"; }, "office.email"},
      {"email with a space", [](Office& o) { o.email = "u rp@comune.it"; }, "office.email"},
      {"pec with two @", [](Office& o) { o.pec = "a@b@c.it"; }, "office.pec"},
      {"ftp website", [](Office& o) { o.website = "ftp://comune.it"; }, "office.website"},
      {"relative website", [](Office& o) { o.website = "www.comune.it"; }, "office.website"},
      {"CAP with a letter", [](Office& o) { o.address.postal_code = "7401A"; }, "office.address.postal_code"},
      {"CAP of 6", [](Office& o) { o.address.postal_code = "740160"; }, "office.address.postal_code"},
      {"province of 3", [](Office& o) { o.address.province = "TAR"; }, "office.address.province"},
      {"province with a digit", [](Office& o) { o.address.province = "T1"; }, "office.address.province"},
      {"latitude 91", [](Office& o) { o.position->latitude = 91; }, "office.position.latitude"},
      {"longitude -181", [](Office& o) { o.position->longitude = -181; }, "office.position.longitude"},
      {"position 0,0", [](Office& o) { o.position = GeoPoint{0, 0}; }, "office.position"},
      {"phone with letters", [](Office& o) { o.phone = "099 URP"; }, "office.phone"},
      {"phone of 5 digits", [](Office& o) { o.phone = "099-88"; }, "office.phone"},
      {"phone of 21 digits", [](Office& o) { o.phone = std::string(21, '9'); }, "office.phone"},
      {"inverted hours", [](Office& o) { o.hours.weekly[0].range = {750, 510}; }, "office.hours.weekly[0].closes"},
      {"overlapping hours", [](Office& o) { o.hours.weekly[2].range = {700, 1020}; }, "office.hours.weekly[2].opens"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Office o = ValidOffice();
    c.mutate(o);
    CHECK(OfficeFields(o) == std::vector<std::string>{c.field});
  }
}

TEST_CASE("office edge values within the limits pass", "[rules][office]") {
  Office o = ValidOffice();
  o.position = GeoPoint{-90, 180};
  o.phone = "099/123";  // 6 digits
  o.name.clear();
  for (int i = 0; i < 200; ++i) o.name += "à";
  o.email.clear();
  o.pec.clear();
  o.website.clear();
  o.address = {};
  CHECK(PrepareOffice(o).ok());
  o.position.reset();
  CHECK(PrepareOffice(o).ok());
}

TEST_CASE("several office violations are reported together", "[rules][office]") {
  Office o = ValidOffice();
  o.name.clear();
  o.email = "nope";
  o.position = GeoPoint{100, 200};
  o.hours.weekly.push_back({8, {510, 600}});
  absl::Status st = PrepareOffice(o);
  CHECK(st.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Fields(st) == std::vector<std::string>{"office.name", "office.position.latitude",
                                               "office.position.longitude", "office.email",
                                               "office.hours.weekly[3].day"});
}

TEST_CASE("a valid service passes and is normalised", "[rules][service]") {
  Service s = ValidService();
  REQUIRE(PrepareService(s).ok());
  CHECK(s.name == "Carta d'identità elettronica");
  CHECK(s.audiences == std::vector<std::string>{"cittadini"});
  CHECK(s.themes == std::vector<std::string>{"anagrafe_e_stato_civile"});
  CHECK(s.channels == std::vector<Channel>{Channel::kCounter, Channel::kWeb});
  CHECK(s.required_documents == std::vector<std::string>{"fototessera", "documento scaduto"});
  CHECK(s.reportable.keywords == std::vector<std::string>{"cie", "carta"});
}

TEST_CASE("each invalid service field is reported with its path", "[rules][service]") {
  struct Case {
    const char* what;
    void (*mutate)(Service&);
    const char* field;
  };
  const Case cases[] = {
      {"missing name", [](Service& s) { s.name = "  "; }, "service.name"},
      {"name too long", [](Service& s) { s.name = std::string(201, 'x'); }, "service.name"},
      {"short description too long", [](Service& s) { s.short_description = std::string(301, 'x'); },
       "service.short_description"},
      {"description too long", [](Service& s) { s.description = std::string(10001, 'x'); }, "service.description"},
      {"unknown audience", [](Service& s) { s.audiences = {"cittadini", "marziani"}; }, "service.audiences[1]"},
      {"unknown theme", [](Service& s) { s.themes = {"Tributi"}; }, "service.themes[0]"},
      {"unknown life event", [](Service& s) { s.life_events = {"trasloco"}; }, "service.life_events[0]"},
      {"channel out of range", [](Service& s) { s.channels.push_back(static_cast<Channel>(42)); },
       "service.channels[3]"},
      {"interactivity 6", [](Service& s) { s.interactivity_level = 6; }, "service.interactivity_level"},
      {"interactivity -1", [](Service& s) { s.interactivity_level = -1; }, "service.interactivity_level"},
      {"deadline of 3651 days", [](Service& s) { s.legal_deadline_days = 3651; }, "service.legal_deadline_days"},
      {"negative deadline", [](Service& s) { s.legal_deadline_days = -1; }, "service.legal_deadline_days"},
      {"reference without title", [](Service& s) { s.legal_references[0].title = " "; },
       "service.legal_references[0].title"},
      {"reference with ftp url", [](Service& s) { s.legal_references[0].url = "ftp://norme.it/x"; },
       "service.legal_references[0].url"},
      {"reference without url", [](Service& s) { s.legal_references.push_back({"L. 241/1990", ""}); },
       "service.legal_references[1].url"},
      {"form without title", [](Service& s) { s.forms[0].title.clear(); }, "service.forms[0].title"},
      {"form with relative url", [](Service& s) { s.forms[0].url = "/cie.pdf"; }, "service.forms[0].url"},
      {"form dated 30 February", [](Service& s) { s.forms[0].version_date = "2026-02-30"; },
       "service.forms[0].version_date"},
      {"form dated in Italian order", [](Service& s) { s.forms[0].version_date = "01-03-2025"; },
       "service.forms[0].version_date"},
      {"form with a date and time", [](Service& s) { s.forms[0].version_date = "2025-03-01T10"; },
       "service.forms[0].version_date"},
      {"relative online url", [](Service& s) { s.online_url = "www.comune.it/cie"; }, "service.online_url"},
      {"status out of range", [](Service& s) { s.status = static_cast<ServiceStatus>(9); }, "service.status"},
      {"reportable without code", [](Service& s) { s.reportable.service_code.clear(); },
       "service.reportable.service_code"},
      {"code in upper case", [](Service& s) { s.reportable.service_code = "Anagrafe-CIE"; },
       "service.reportable.service_code"},
      {"code of one character", [](Service& s) { s.reportable.service_code = "a"; },
       "service.reportable.service_code"},
      {"code starting with a dash", [](Service& s) { s.reportable.service_code = "-cie"; },
       "service.reportable.service_code"},
      {"code of 65 characters", [](Service& s) { s.reportable.service_code = std::string(65, 'a'); },
       "service.reportable.service_code"},
      {"reportable without group", [](Service& s) { s.reportable.group = " "; }, "service.reportable.group"},
      {"attribute code with a dash", [](Service& s) { s.reportable.attributes[1].code = "note-libere"; },
       "service.reportable.attributes[1].code"},
      {"duplicate attribute code", [](Service& s) { s.reportable.attributes[1].code = "esito"; },
       "service.reportable.attributes[1].code"},
      {"attribute without description", [](Service& s) { s.reportable.attributes[0].description.clear(); },
       "service.reportable.attributes[0].description"},
      {"list attribute without values", [](Service& s) { s.reportable.attributes[0].values.clear(); },
       "service.reportable.attributes[0].values"},
      {"duplicate value key", [](Service& s) { s.reportable.attributes[0].values[1].key = "ok"; },
       "service.reportable.attributes[0].values[1].key"},
      {"value without key", [](Service& s) { s.reportable.attributes[0].values[0].key = " "; },
       "service.reportable.attributes[0].values[0].key"},
      {"text attribute with values", [](Service& s) { s.reportable.attributes[1].values = {{"a", "A"}}; },
       "service.reportable.attributes[1].values"},
      {"datatype out of range", [](Service& s) { s.reportable.attributes[1].datatype = static_cast<AttributeType>(7); },
       "service.reportable.attributes[1].datatype"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Service s = ValidService();
    c.mutate(s);
    CHECK(ServiceFields(s) == std::vector<std::string>{c.field});
  }
}

TEST_CASE("a service that is not reportable needs no code or group", "[rules][service]") {
  Service s = ValidService();
  s.reportable.enabled = false;
  s.reportable.service_code.clear();
  s.reportable.group.clear();
  CHECK(PrepareService(s).ok());
  CHECK(s.reportable.keywords == std::vector<std::string>{"cie", "carta"});  // kept
  s.reportable.service_code = "Non Valido";  // a stored code keeps its form
  CHECK(ServiceFields(s) == std::vector<std::string>{"service.reportable.service_code"});
}

TEST_CASE("online service with low interactivity is accepted", "[rules][service]") {
  Service s = ValidService();
  s.interactivity_level = 1;
  CHECK(PrepareService(s).ok());
}

TEST_CASE("several service violations are reported together", "[rules][service]") {
  Service s = ValidService();
  s.name.clear();
  s.themes = {"tributi", "astrologia"};
  s.forms[0].url = "mailto:urp@comune.it";
  s.reportable.group.clear();
  absl::Status st = PrepareService(s);
  CHECK(st.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Fields(st) == std::vector<std::string>{"service.name", "service.themes[1]", "service.forms[0].url",
                                               "service.reportable.group"});
}

TEST_CASE("an empty card lacks the art. 35 items in the law's order", "[rules][art35]") {
  Service s;
  const auto missing = MissingArt35Items(s);
  CHECK(Items(missing) == std::vector<std::string>{"description", "legal_references", "office_id",
                                                   "responsible_role", "required_documents", "forms",
                                                   "status_tracking", "legal_deadline_days", "remedies", "cost"});
  REQUIRE(!missing.empty());
  CHECK(missing.front().label == "Descrizione del procedimento");
  CHECK(missing.back().label == "Costi e modalità di pagamento");
}

TEST_CASE("a complete card lacks no art. 35 item", "[rules][art35]") {
  CHECK(MissingArt35Items(ValidService()).empty());
}

TEST_CASE("the conditional art. 35 items", "[rules][art35]") {
  SECTION("the silence rule is needed only with a deadline") {
    Service s = ValidService();
    s.silence_rule.clear();
    CHECK(Items(MissingArt35Items(s)) == std::vector<std::string>{"silence_rule"});
    s.legal_deadline_days = 0;
    CHECK(Items(MissingArt35Items(s)) == std::vector<std::string>{"legal_deadline_days"});
  }
  SECTION("the online service is needed from interactivity 3") {
    Service s = ValidService();
    s.online_url.clear();
    CHECK(Items(MissingArt35Items(s)) == std::vector<std::string>{"online_url"});
    s.interactivity_level = 2;
    CHECK(MissingArt35Items(s).empty());
  }
}

TEST_CASE("a card is stale when never reviewed or not within the window", "[rules][stale]") {
  const absl::Time now = absl::FromUnixSeconds(1780000000);
  const absl::Duration year = absl::Hours(24 * 365);
  Service s;
  CHECK(IsStale(s, now, year));
  s.last_reviewed_at = now - absl::Hours(24 * 10);
  CHECK_FALSE(IsStale(s, now, year));
  s.last_reviewed_at = now - year;
  CHECK_FALSE(IsStale(s, now, year));
  s.last_reviewed_at = now - year - absl::Seconds(1);
  CHECK(IsStale(s, now, year));
}

TEST_CASE("the JSON-LD describes the service, provider and office hours", "[rules][jsonld]") {
  Service s = ValidService();
  REQUIRE(PrepareService(s).ok());
  Tenant t;
  t.ipa_code = "c_f027";
  t.name = "Comune di Massafra";
  t.website = "https://www.comune.massafra.ta.it";
  t.address.municipality = "Massafra";
  Office o = ValidOffice();
  o.email.clear();
  o.hours.seasonal = {{absl::CivilDay(2026, 7, 1), absl::CivilDay(2026, 8, 31), "orario estivo", {{1, {480, 780}}}}};
  o.hours.exceptions = {{absl::CivilDay(2026, 12, 8), true, {}, "Immacolata"},
                        {absl::CivilDay(2026, 12, 24), false, {{510, 660}}, "Vigilia"}};
  REQUIRE(PrepareOffice(o).ok());

  const json::value doc = json::parse(ServiceJsonLd(s, t, {o}));
  const json::object& root = doc.as_object();
  CHECK(Str(root.at("@context")) == "https://schema.org");
  CHECK(Str(root.at("@type")) == "GovernmentService");
  CHECK(Str(root.at("name")) == "Carta d'identità elettronica");
  CHECK(Str(root.at("description")) == "Richiesta e rinnovo della CIE");
  CHECK(Str(root.at("url")) == "https://www.prenotazionicie.interno.gov.it");
  CHECK(Str(root.at("provider").at("@type")) == "GovernmentOrganization");
  CHECK(Str(root.at("provider").at("name")) == "Comune di Massafra");
  CHECK(Str(root.at("provider").at("identifier")) == "c_f027");
  CHECK(Str(root.at("areaServed").at("name")) == "Massafra");
  CHECK(Str(root.at("audience").at("audienceType")) == "cittadini");

  const json::array& channels = root.at("availableChannel").as_array();
  REQUIRE(channels.size() == 1);
  CHECK(Str(channels[0].at("serviceUrl")) == "https://www.prenotazionicie.interno.gov.it");
  const json::object& place = channels[0].at("serviceLocation").as_object();
  CHECK(Str(place.at("@type")) == "GovernmentOffice");
  CHECK(Str(place.at("address").at("postalCode")) == "74016");
  CHECK(Str(place.at("address").at("addressRegion")) == "TA");
  CHECK(Str(place.at("address").at("addressCountry")) == "IT");
  CHECK(place.at("geo").at("latitude").as_double() == Approx(40.5876));
  CHECK_FALSE(place.contains("email"));  // empty strings are omitted

  const json::array& regular = place.at("openingHoursSpecification").as_array();
  REQUIRE(regular.size() == 4);  // three weekly intervals and one seasonal
  CHECK(Str(regular[0].at("dayOfWeek")) == "https://schema.org/Monday");
  CHECK(Str(regular[0].at("opens")) == "08:30:00");
  CHECK(Str(regular[0].at("closes")) == "12:30:00");
  CHECK_FALSE(regular[0].as_object().contains("validFrom"));
  CHECK(Str(regular[2].at("dayOfWeek")) == "https://schema.org/Wednesday");
  CHECK(Str(regular[2].at("opens")) == "15:00:00");
  CHECK(Str(regular[3].at("opens")) == "08:00:00");
  CHECK(Str(regular[3].at("validFrom")) == "2026-07-01");
  CHECK(Str(regular[3].at("validThrough")) == "2026-08-31");

  const json::array& special = place.at("specialOpeningHoursSpecification").as_array();
  REQUIRE(special.size() == 2);
  CHECK(Str(special[0].at("validFrom")) == "2026-12-08");
  CHECK(Str(special[0].at("validThrough")) == "2026-12-08");
  CHECK(Str(special[0].at("opens")) == "00:00:00");
  CHECK(Str(special[0].at("closes")) == "00:00:00");
  CHECK(Str(special[1].at("validFrom")) == "2026-12-24");
  CHECK(Str(special[1].at("closes")) == "11:00:00");
}

TEST_CASE("the JSON-LD without offices or online service has no channel", "[rules][jsonld]") {
  Service s;
  s.name = "Informazioni";
  s.description = "Solo la descrizione lunga";
  Tenant t;
  t.name = "Unione dei Comuni Terra delle Gravine";
  const json::value doc = json::parse(ServiceJsonLd(s, t, {}));
  const json::object& root = doc.as_object();
  CHECK(Str(root.at("description")) == "Solo la descrizione lunga");
  CHECK(Str(root.at("areaServed").at("name")) == "Unione dei Comuni Terra delle Gravine");
  CHECK_FALSE(root.contains("availableChannel"));
  CHECK_FALSE(root.contains("url"));
  CHECK_FALSE(root.contains("serviceType"));
  CHECK_FALSE(root.at("provider").as_object().contains("url"));
  // An interval that ends at midnight closes at the last second of the day.
  Office o;
  o.name = "Polizia locale";
  o.hours.weekly = {{7, {1200, 1440}}};
  const json::value with_office = json::parse(ServiceJsonLd(s, t, {o}));
  const auto& spec = with_office.at("availableChannel").at(0).at("serviceLocation").at("openingHoursSpecification");
  CHECK(Str(spec.at(0).at("dayOfWeek")) == "https://schema.org/Sunday");
  CHECK(Str(spec.at(0).at("closes")) == "23:59:59");
  CHECK_FALSE(with_office.at("availableChannel").at(0).as_object().contains("serviceUrl"));
}

TEST_CASE("enum names round-trip", "[rules][names]") {
  for (Channel c : {Channel::kCounter, Channel::kWeb, Channel::kPhone, Channel::kEmail, Channel::kPec, Channel::kApp,
                    Channel::kPost}) {
    CHECK(ChannelFromName(ChannelName(c)) == c);
  }
  for (ServiceStatus s : {ServiceStatus::kActive, ServiceStatus::kInactive, ServiceStatus::kUnderDevelopment}) {
    CHECK(StatusFromName(StatusName(s)) == s);
  }
  for (AttributeType t : {AttributeType::kString, AttributeType::kNumber, AttributeType::kDatetime,
                          AttributeType::kText, AttributeType::kSingleValueList, AttributeType::kMultiValueList}) {
    CHECK(AttributeTypeFromName(AttributeTypeName(t)) == t);
  }
  CHECK(ChannelName(Channel::kCounter) == "counter");
  CHECK(StatusName(ServiceStatus::kUnderDevelopment) == "under_development");
  CHECK(AttributeTypeName(AttributeType::kSingleValueList) == "singlevaluelist");
  CHECK_FALSE(ChannelFromName("fax").has_value());
  CHECK_FALSE(StatusFromName("Active").has_value());
  CHECK_FALSE(AttributeTypeFromName("").has_value());
}

TEST_CASE("the JSON-LD cannot close the <script> that embeds it", "[rules][jsonld]") {
  Service s;
  s.name = "</script><script>alert(1)</script>";
  s.description = "Tari & Imu <b>";
  Tenant t;
  t.name = "Comune di Prova";
  const std::string text = ServiceJsonLd(s, t, {});
  CHECK(text.find('<') == std::string::npos);
  CHECK(text.find('>') == std::string::npos);
  CHECK(text.find('&') == std::string::npos);
  CHECK(text.find("\\u003c/script\\u003e") != std::string::npos);
  // The escapes mean the same characters to a JSON reader.
  const json::value doc = json::parse(text);
  CHECK(Str(doc.at("name")) == "</script><script>alert(1)</script>");
  CHECK(Str(doc.at("description")) == "Tari & Imu <b>");
}
