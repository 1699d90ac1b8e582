#include "services/catalogue/convert.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/status.h"

namespace sportello::catalogue {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(ts));
}

// Clock texts and dates of the wire, collected with their field paths.
class HoursReader {
 public:
  std::optional<TimeRange> Range(const std::string& opens, const std::string& closes, const std::string& path) {
    auto o = ParseClock(opens, false);
    auto c = ParseClock(closes, true);
    if (!o) violations_.push_back({path + ".opens", "orario non valido, usare HH:MM"});
    if (!c) violations_.push_back({path + ".closes", "orario non valido, usare HH:MM (fino a 24:00)"});
    if (!o || !c) return std::nullopt;
    return TimeRange{*o, *c};
  }
  std::optional<absl::CivilDay> Day(const std::string& text, const std::string& path) {
    auto day = ParseDate(text);
    if (!day) violations_.push_back({path, "data non valida, usare AAAA-MM-GG"});
    return day;
  }
  std::vector<WeeklyInterval> Weekly(const google::protobuf::RepeatedPtrField<v1::WeeklyHours>& weekly,
                                     const std::string& path) {
    std::vector<WeeklyInterval> out;
    for (int i = 0; i < weekly.size(); ++i) {
      const auto& w = weekly[i];
      if (auto r = Range(w.opens(), w.closes(), absl::StrCat(path, "[", i, "]"))) out.push_back({w.day(), *r});
    }
    return out;
  }
  OpeningHours Hours(const v1::OpeningHours& p, const std::string& path) {
    OpeningHours h;
    h.weekly = Weekly(p.weekly(), path + ".weekly");
    for (int i = 0; i < p.seasonal_size(); ++i) {
      const auto& s = p.seasonal(i);
      std::string base = absl::StrCat(path, ".seasonal[", i, "]");
      auto start = Day(s.start_date(), base + ".start_date");
      auto end = Day(s.end_date(), base + ".end_date");
      auto weekly = Weekly(s.weekly(), base + ".weekly");
      if (start && end) h.seasonal.push_back({*start, *end, s.label(), std::move(weekly)});
    }
    for (int i = 0; i < p.exceptions_size(); ++i) {
      const auto& e = p.exceptions(i);
      std::string base = absl::StrCat(path, ".exceptions[", i, "]");
      auto date = Day(e.date(), base + ".date");
      HoursException ex{date.value_or(absl::CivilDay()), e.closed(), {}, e.reason()};
      for (int j = 0; j < e.ranges_size(); ++j) {
        if (auto r = Range(e.ranges(j).opens(), e.ranges(j).closes(), absl::StrCat(base, ".ranges[", j, "]"))) {
          ex.ranges.push_back(*r);
        }
      }
      if (date) h.exceptions.push_back(std::move(ex));
    }
    return h;
  }
  absl::Status status() const { return violations_.empty() ? absl::OkStatus() : InvalidArgument(violations_); }

 private:
  std::vector<FieldViolation> violations_;
};

void WeeklyToProto(const std::vector<WeeklyInterval>& weekly,
                   google::protobuf::RepeatedPtrField<v1::WeeklyHours>* out) {
  for (const auto& w : weekly) {
    auto* p = out->Add();
    p->set_day(w.day);
    p->set_opens(FormatClock(w.range.opens));
    p->set_closes(FormatClock(w.range.closes));
  }
}

std::string FormatDay(absl::CivilDay d) { return FormatDate(d); }

AttributeType AttributeTypeFromProto(v1::AttributeDatatype t) {
  switch (t) {
    case v1::ATTRIBUTE_DATATYPE_NUMBER: return AttributeType::kNumber;
    case v1::ATTRIBUTE_DATATYPE_DATETIME: return AttributeType::kDatetime;
    case v1::ATTRIBUTE_DATATYPE_TEXT: return AttributeType::kText;
    case v1::ATTRIBUTE_DATATYPE_SINGLE_VALUE_LIST: return AttributeType::kSingleValueList;
    case v1::ATTRIBUTE_DATATYPE_MULTI_VALUE_LIST: return AttributeType::kMultiValueList;
    default: return AttributeType::kString;
  }
}

v1::AttributeDatatype AttributeTypeToProto(AttributeType t) {
  switch (t) {
    case AttributeType::kString: return v1::ATTRIBUTE_DATATYPE_STRING;
    case AttributeType::kNumber: return v1::ATTRIBUTE_DATATYPE_NUMBER;
    case AttributeType::kDatetime: return v1::ATTRIBUTE_DATATYPE_DATETIME;
    case AttributeType::kText: return v1::ATTRIBUTE_DATATYPE_TEXT;
    case AttributeType::kSingleValueList: return v1::ATTRIBUTE_DATATYPE_SINGLE_VALUE_LIST;
    case AttributeType::kMultiValueList: return v1::ATTRIBUTE_DATATYPE_MULTI_VALUE_LIST;
  }
  return v1::ATTRIBUTE_DATATYPE_STRING;
}

void AttributesToProto(const std::vector<CategoryAttribute>& attrs,
                       google::protobuf::RepeatedPtrField<v1::CategoryAttribute>* out) {
  for (const auto& a : attrs) {
    auto* p = out->Add();
    p->set_code(a.code);
    p->set_description(a.description);
    p->set_datatype(AttributeTypeToProto(a.datatype));
    p->set_required(a.required);
    p->set_order(a.order);
    for (const auto& v : a.values) {
      auto* pv = p->add_values();
      pv->set_key(v.key);
      pv->set_name(v.name);
    }
  }
}

template <typename T>
std::vector<std::string> Strings(const T& repeated) {
  return std::vector<std::string>(repeated.begin(), repeated.end());
}

}  // namespace

TenantKind KindFromProto(v1::TenantKind k) {
  switch (k) {
    case v1::TENANT_KIND_COMUNE: return TenantKind::kComune;
    case v1::TENANT_KIND_UNIONE: return TenantKind::kUnione;
    case v1::TENANT_KIND_OTHER: return TenantKind::kOther;
    default: return TenantKind::kUnspecified;
  }
}

static v1::TenantKind KindToProto(TenantKind k) {
  switch (k) {
    case TenantKind::kComune: return v1::TENANT_KIND_COMUNE;
    case TenantKind::kUnione: return v1::TENANT_KIND_UNIONE;
    case TenantKind::kOther: return v1::TENANT_KIND_OTHER;
    case TenantKind::kUnspecified: return v1::TENANT_KIND_UNSPECIFIED;
  }
  return v1::TENANT_KIND_UNSPECIFIED;
}

Tenant TenantFromProto(const v1::Tenant& p) {
  Tenant t;
  t.ipa_code = p.ipa_code();
  t.name = p.name();
  t.kind = KindFromProto(p.kind());
  t.parent_ipa_code = p.parent_ipa_code();
  t.website = p.website();
  t.pec = p.pec();
  t.address = {p.address().street(), p.address().postal_code(), p.address().municipality(),
               p.address().province()};
  t.demo = p.demo();
  return t;
}

void TenantToProto(const Tenant& t, v1::Tenant* p) {
  p->set_ipa_code(t.ipa_code);
  p->set_name(t.name);
  p->set_kind(KindToProto(t.kind));
  p->set_parent_ipa_code(t.parent_ipa_code);
  p->set_website(t.website);
  p->set_pec(t.pec);
  auto* a = p->mutable_address();
  a->set_street(t.address.street);
  a->set_postal_code(t.address.postal_code);
  a->set_municipality(t.address.municipality);
  a->set_province(t.address.province);
  p->set_demo(t.demo);
  *p->mutable_create_time() = ToTimestamp(t.create_time);
  *p->mutable_update_time() = ToTimestamp(t.update_time);
}

absl::StatusOr<Office> OfficeFromProto(const v1::Office& p) {
  Office o;
  o.id = p.id();
  o.tenant = p.tenant();
  o.name = p.name();
  o.description = p.description();
  o.parent_office_id = p.parent_office_id();
  o.address = {p.address().street(), p.address().postal_code(), p.address().municipality(),
               p.address().province()};
  if (p.has_position()) o.position = GeoPoint{p.position().latitude(), p.position().longitude()};
  o.phone = p.phone();
  o.email = p.email();
  o.pec = p.pec();
  o.website = p.website();
  o.referent_role = p.referent_role();
  o.referent_contact = p.referent_contact();
  HoursReader reader;
  o.hours = reader.Hours(p.hours(), "office.hours");
  RETURN_IF_ERROR(reader.status());
  return o;
}

void OfficeToProto(const Office& o, v1::Office* p) {
  p->set_id(o.id);
  p->set_tenant(o.tenant);
  p->set_name(o.name);
  p->set_description(o.description);
  p->set_parent_office_id(o.parent_office_id);
  auto* a = p->mutable_address();
  a->set_street(o.address.street);
  a->set_postal_code(o.address.postal_code);
  a->set_municipality(o.address.municipality);
  a->set_province(o.address.province);
  if (o.position) {
    p->mutable_position()->set_latitude(o.position->latitude);
    p->mutable_position()->set_longitude(o.position->longitude);
  }
  p->set_phone(o.phone);
  p->set_email(o.email);
  p->set_pec(o.pec);
  p->set_website(o.website);
  p->set_referent_role(o.referent_role);
  p->set_referent_contact(o.referent_contact);
  auto* h = p->mutable_hours();
  WeeklyToProto(o.hours.weekly, h->mutable_weekly());
  for (const auto& s : o.hours.seasonal) {
    auto* ps = h->add_seasonal();
    ps->set_start_date(FormatDay(s.start));
    ps->set_end_date(FormatDay(s.end));
    ps->set_label(s.label);
    WeeklyToProto(s.weekly, ps->mutable_weekly());
  }
  for (const auto& e : o.hours.exceptions) {
    auto* pe = h->add_exceptions();
    pe->set_date(FormatDay(e.date));
    pe->set_closed(e.closed);
    pe->set_reason(e.reason);
    for (const auto& r : e.ranges) {
      auto* pr = pe->add_ranges();
      pr->set_opens(FormatClock(r.opens));
      pr->set_closes(FormatClock(r.closes));
    }
  }
  *p->mutable_create_time() = ToTimestamp(o.create_time);
  *p->mutable_update_time() = ToTimestamp(o.update_time);
}

std::optional<Channel> ChannelFromProto(v1::Channel c) {
  switch (c) {
    case v1::CHANNEL_COUNTER: return Channel::kCounter;
    case v1::CHANNEL_WEB: return Channel::kWeb;
    case v1::CHANNEL_PHONE: return Channel::kPhone;
    case v1::CHANNEL_EMAIL: return Channel::kEmail;
    case v1::CHANNEL_PEC: return Channel::kPec;
    case v1::CHANNEL_APP: return Channel::kApp;
    case v1::CHANNEL_POST: return Channel::kPost;
    default: return std::nullopt;
  }
}

static v1::Channel ChannelToProto(Channel c) {
  switch (c) {
    case Channel::kCounter: return v1::CHANNEL_COUNTER;
    case Channel::kWeb: return v1::CHANNEL_WEB;
    case Channel::kPhone: return v1::CHANNEL_PHONE;
    case Channel::kEmail: return v1::CHANNEL_EMAIL;
    case Channel::kPec: return v1::CHANNEL_PEC;
    case Channel::kApp: return v1::CHANNEL_APP;
    case Channel::kPost: return v1::CHANNEL_POST;
  }
  return v1::CHANNEL_UNSPECIFIED;
}

std::optional<ServiceStatus> StatusFromProto(v1::ServiceStatus s) {
  switch (s) {
    case v1::SERVICE_STATUS_ACTIVE: return ServiceStatus::kActive;
    case v1::SERVICE_STATUS_INACTIVE: return ServiceStatus::kInactive;
    case v1::SERVICE_STATUS_UNDER_DEVELOPMENT: return ServiceStatus::kUnderDevelopment;
    default: return std::nullopt;
  }
}

static v1::ServiceStatus StatusToProto(ServiceStatus s) {
  switch (s) {
    case ServiceStatus::kActive: return v1::SERVICE_STATUS_ACTIVE;
    case ServiceStatus::kInactive: return v1::SERVICE_STATUS_INACTIVE;
    case ServiceStatus::kUnderDevelopment: return v1::SERVICE_STATUS_UNDER_DEVELOPMENT;
  }
  return v1::SERVICE_STATUS_UNSPECIFIED;
}

absl::StatusOr<Service> ServiceFromProto(const v1::Service& p) {
  Service s;
  s.id = p.id();
  s.tenant = p.tenant();
  s.name = p.name();
  s.short_description = p.short_description();
  s.description = p.description();
  s.audiences = Strings(p.audiences());
  s.themes = Strings(p.themes());
  s.life_events = Strings(p.life_events());
  std::vector<FieldViolation> violations;
  for (int i = 0; i < p.channels_size(); ++i) {
    auto c = ChannelFromProto(static_cast<v1::Channel>(p.channels(i)));
    if (!c) {
      violations.push_back({absl::StrCat("service.channels[", i, "]"), "canale non valido"});
    } else {
      s.channels.push_back(*c);
    }
  }
  s.interactivity_level = p.interactivity_level();
  s.required_documents = Strings(p.required_documents());
  s.outcome = p.outcome();
  s.cost = p.cost();
  s.payment_methods = p.payment_methods();
  s.legal_deadline_days = p.legal_deadline_days();
  s.silence_rule = p.silence_rule();
  for (const auto& r : p.legal_references()) s.legal_references.push_back({r.title(), r.url()});
  s.office_id = p.office_id();
  s.responsible_role = p.responsible_role();
  s.status_tracking = p.status_tracking();
  s.remedies = p.remedies();
  s.online_url = p.online_url();
  for (const auto& f : p.forms()) s.forms.push_back({f.title(), f.url(), f.format(), f.version_date()});
  s.status = StatusFromProto(p.status()).value_or(ServiceStatus::kActive);
  if (p.has_last_reviewed_at()) s.last_reviewed_at = FromTimestamp(p.last_reviewed_at());
  s.reviewed_by = p.reviewed_by();
  const auto& r = p.reportable();
  s.reportable.enabled = r.enabled();
  s.reportable.service_code = r.service_code();
  s.reportable.group = r.group();
  s.reportable.keywords = Strings(r.keywords());
  for (int i = 0; i < r.attributes_size(); ++i) {
    const auto& a = r.attributes(i);
    if (a.datatype() == v1::ATTRIBUTE_DATATYPE_UNSPECIFIED) {
      violations.push_back({absl::StrCat("service.reportable.attributes[", i, "].datatype"), "tipo obbligatorio"});
    }
    CategoryAttribute attr{a.code(), a.description(), AttributeTypeFromProto(a.datatype()), a.required(), a.order(),
                           {}};
    for (const auto& v : a.values()) attr.values.push_back({v.key(), v.name()});
    s.reportable.attributes.push_back(std::move(attr));
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  return s;
}

void ServiceToProto(const Service& s, v1::Service* p) {
  p->set_id(s.id);
  p->set_tenant(s.tenant);
  p->set_name(s.name);
  p->set_short_description(s.short_description);
  p->set_description(s.description);
  for (const auto& a : s.audiences) p->add_audiences(a);
  for (const auto& t : s.themes) p->add_themes(t);
  for (const auto& e : s.life_events) p->add_life_events(e);
  for (Channel c : s.channels) p->add_channels(ChannelToProto(c));
  p->set_interactivity_level(s.interactivity_level);
  for (const auto& d : s.required_documents) p->add_required_documents(d);
  p->set_outcome(s.outcome);
  p->set_cost(s.cost);
  p->set_payment_methods(s.payment_methods);
  p->set_legal_deadline_days(s.legal_deadline_days);
  p->set_silence_rule(s.silence_rule);
  for (const auto& r : s.legal_references) {
    auto* pr = p->add_legal_references();
    pr->set_title(r.title);
    pr->set_url(r.url);
  }
  p->set_office_id(s.office_id);
  p->set_responsible_role(s.responsible_role);
  p->set_status_tracking(s.status_tracking);
  p->set_remedies(s.remedies);
  p->set_online_url(s.online_url);
  for (const auto& f : s.forms) {
    auto* pf = p->add_forms();
    pf->set_title(f.title);
    pf->set_url(f.url);
    pf->set_format(f.format);
    pf->set_version_date(f.version_date);
  }
  p->set_status(StatusToProto(s.status));
  if (s.last_reviewed_at) *p->mutable_last_reviewed_at() = ToTimestamp(*s.last_reviewed_at);
  p->set_reviewed_by(s.reviewed_by);
  auto* r = p->mutable_reportable();
  r->set_enabled(s.reportable.enabled);
  r->set_service_code(s.reportable.service_code);
  r->set_group(s.reportable.group);
  for (const auto& k : s.reportable.keywords) r->add_keywords(k);
  AttributesToProto(s.reportable.attributes, r->mutable_attributes());
  *p->mutable_create_time() = ToTimestamp(s.create_time);
  *p->mutable_update_time() = ToTimestamp(s.update_time);
}

void AvailabilityToProto(const std::string& office_id, absl::Time at, const Availability& a,
                         v1::OfficeAvailability* p) {
  p->set_office_id(office_id);
  *p->mutable_at() = ToTimestamp(at);
  p->set_open(a.open);
  if (a.open_until) *p->mutable_open_until() = ToTimestamp(*a.open_until);
  if (a.next_opening) *p->mutable_next_opening() = ToTimestamp(*a.next_opening);
  p->set_reason(a.reason);
}

void CategoryToProto(const Service& s, v1::Category* p) {
  p->set_tenant(s.tenant);
  p->set_service_code(s.reportable.service_code);
  p->set_service_id(s.id);
  p->set_name(s.name);
  p->set_description(s.short_description.empty() ? s.description : s.short_description);
  p->set_group(s.reportable.group);
  for (const auto& k : s.reportable.keywords) p->add_keywords(k);
  AttributesToProto(s.reportable.attributes, p->mutable_attributes());
  p->set_office_id(s.office_id);
  p->set_legal_deadline_days(s.legal_deadline_days);
}

void ChangeToProto(const ChangeRecord& c, v1::Change* p) {
  p->set_id(c.id);
  p->set_entity(c.entity);
  p->set_entity_id(c.entity_id);
  p->set_action(c.action);
  p->set_actor(c.actor);
  *p->mutable_time() = ToTimestamp(c.time);
  JsonToStruct(c.diff_json, p->mutable_diff()).IgnoreError();
}

absl::Status JsonToStruct(const std::string& json, google::protobuf::Struct* out) {
  auto status = google::protobuf::util::JsonStringToMessage(json, out);
  if (!status.ok()) return absl::InternalError("invalid JSON for Struct");
  return absl::OkStatus();
}

}  // namespace sportello::catalogue
