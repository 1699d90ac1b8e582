#include "services/opendata/sources.h"

#include <map>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/grpc/client_context.h"
#include "common/grpc/status.h"
#include "common/grpc/tls.h"
#include "sportello/v1/catalogue.grpc.pb.h"
#include "sportello/v1/complaints.grpc.pb.h"
#include "sportello/v1/surveys.grpc.pb.h"

namespace sportello::opendata {
namespace v1 = ::sportello::v1;

struct Sources::Impl {
  std::unique_ptr<v1::CatalogueService::Stub> catalogue;
  std::unique_ptr<v1::ComplaintsService::Stub> complaints;
  std::unique_ptr<v1::SurveysService::Stub> surveys;
  absl::Duration deadline;
};

Sources::Sources(const std::string& catalogue_addr, const std::string& complaints_addr,
                 const std::string& surveys_addr, const TlsConfig& tls, absl::Duration deadline)
    : impl_(std::make_unique<Impl>()) {
  impl_->catalogue =
      v1::CatalogueService::NewStub(ServiceChannel(catalogue_addr, tls));
  impl_->complaints =
      v1::ComplaintsService::NewStub(ServiceChannel(complaints_addr, tls));
  impl_->surveys = v1::SurveysService::NewStub(ServiceChannel(surveys_addr, tls));
  impl_->deadline = deadline;
}

Sources::~Sources() = default;

namespace {

absl::Status Upstream(const grpc::Status& s, std::string_view who) {
  absl::Status status = FromGrpcStatus(s);
  if (absl::IsNotFound(status) || absl::IsInvalidArgument(status) || absl::IsPermissionDenied(status) ||
      absl::IsUnauthenticated(status)) {
    return status;
  }
  return absl::UnavailableError(std::string(who) + " non risponde: " + std::string(status.message()));
}

std::string StripPrefix(const std::string& name, std::string_view prefix) {
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.rfind(prefix, 0) == 0 ? lower.substr(prefix.size()) : lower;
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return absl::InfinitePast();
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  out->set_seconds(absl::ToUnixSeconds(t));
}

constexpr const char* kDays[] = {"", "lun", "mar", "mer", "gio", "ven", "sab", "dom"};

}  // namespace

absl::StatusOr<TenantRecord> Sources::Tenant(const Caller& caller, const std::string& code) {
  auto ctx = ClientContextFor(caller, impl_->deadline);
  v1::GetTenantRequest req;
  req.set_ipa_code(code);
  v1::Tenant t;
  grpc::Status s = impl_->catalogue->GetTenant(ctx.get(), req, &t);
  if (!s.ok()) return Upstream(s, "il catalogo");
  return TenantRecord{t.ipa_code(), t.name(), t.pec()};
}

absl::StatusOr<std::vector<TenantRecord>> Sources::Tenants(const Caller& caller) {
  std::vector<TenantRecord> out;
  std::string token;
  do {
    auto ctx = ClientContextFor(caller, impl_->deadline);
    v1::ListTenantsRequest req;
    req.set_page_size(200);
    req.set_page_token(token);
    v1::ListTenantsResponse resp;
    grpc::Status s = impl_->catalogue->ListTenants(ctx.get(), req, &resp);
    if (!s.ok()) return Upstream(s, "il catalogo");
    for (const auto& t : resp.tenants()) out.push_back({t.ipa_code(), t.name(), t.pec()});
    token = resp.next_page_token();
  } while (!token.empty());
  return out;
}

absl::StatusOr<std::vector<ServiceRecord>> Sources::Services(const Caller& caller, const std::string& tenant) {
  std::vector<ServiceRecord> out;
  std::string token;
  do {
    auto ctx = ClientContextFor(caller, impl_->deadline);
    v1::ListServicesRequest req;
    req.set_tenant(tenant);
    req.set_page_size(200);
    req.set_page_token(token);
    v1::ListServicesResponse resp;
    grpc::Status s = impl_->catalogue->ListServices(ctx.get(), req, &resp);
    if (!s.ok()) return Upstream(s, "il catalogo");
    for (const auto& svc : resp.services()) {
      ServiceRecord r;
      r.id = svc.id();
      r.name = svc.name();
      r.short_description = svc.short_description();
      r.office_id = svc.office_id();
      r.themes.assign(svc.themes().begin(), svc.themes().end());
      for (int c : svc.channels()) r.channels.push_back(StripPrefix(v1::Channel_Name(c), "channel_"));
      r.interactivity_level = svc.interactivity_level();
      r.legal_deadline_days = svc.legal_deadline_days();
      r.online_url = svc.online_url();
      out.push_back(std::move(r));
    }
    token = resp.next_page_token();
  } while (!token.empty());
  return out;
}

absl::StatusOr<std::vector<OfficeRecord>> Sources::Offices(const Caller& caller, const std::string& tenant) {
  std::vector<OfficeRecord> out;
  std::string token;
  do {
    auto ctx = ClientContextFor(caller, impl_->deadline);
    v1::ListOfficesRequest req;
    req.set_tenant(tenant);
    req.set_page_size(200);
    req.set_page_token(token);
    v1::ListOfficesResponse resp;
    grpc::Status s = impl_->catalogue->ListOffices(ctx.get(), req, &resp);
    if (!s.ok()) return Upstream(s, "il catalogo");
    for (const auto& o : resp.offices()) {
      OfficeRecord r;
      r.id = o.id();
      r.name = o.name();
      r.street = o.address().street();
      r.postal_code = o.address().postal_code();
      r.municipality = o.address().municipality();
      r.province = o.address().province();
      r.phone = o.phone();
      r.email = o.email();
      r.pec = o.pec();
      r.website = o.website();
      if (o.has_position() && (o.position().latitude() != 0 || o.position().longitude() != 0)) {
        r.position = LatLon{o.position().latitude(), o.position().longitude()};
      }
      std::vector<std::string> hours;
      for (const auto& w : o.hours().weekly()) {
        if (w.day() >= 1 && w.day() <= 7) hours.push_back(absl::StrCat(kDays[w.day()], " ", w.opens(), "-", w.closes()));
      }
      r.weekly_hours = absl::StrJoin(hours, "; ");
      out.push_back(std::move(r));
    }
    token = resp.next_page_token();
  } while (!token.empty());
  return out;
}

absl::StatusOr<std::vector<MonthStats>> Sources::Monthly(const Caller& caller, const std::string& bearer,
                                                         const std::string& tenant, absl::Time now,
                                                         absl::TimeZone zone, int months) {
  std::vector<MonthStats> out;
  absl::CivilMonth current = absl::ToCivilMonth(now, zone);
  for (int i = months - 1; i >= 0; --i) {
    absl::CivilMonth m = current - i;
    auto ctx = ClientContextFor(caller, impl_->deadline);
    if (!bearer.empty()) ctx->AddMetadata("authorization", "Bearer " + bearer);
    v1::GetStatsRequest req;
    req.set_tenant(tenant);
    SetTime(absl::FromCivil(m, zone), req.mutable_from());
    SetTime(std::min(now, absl::FromCivil(m + 1, zone)), req.mutable_to());
    v1::RequestStats stats;
    grpc::Status s = impl_->complaints->GetStats(ctx.get(), req, &stats);
    if (!s.ok()) return Upstream(s, "il servizio delle richieste");
    MonthStats ms;
    ms.month = absl::FormatCivilTime(m);
    ms.total = stats.total();
    auto add = [&](const char* dim, const auto& counts, std::string_view prefix) {
      for (const auto& c : counts) ms.counts.emplace_back(dim, StripPrefix(c.key(), prefix), c.count());
    };
    add("tipo", stats.by_kind(), "request_kind_");
    add("categoria", stats.by_category(), "");
    add("canale", stats.by_channel(), "intake_channel_");
    add("stato", stats.by_status(), "request_status_");
    ms.median_hours_first_answer = stats.median_hours_to_first_answer();
    ms.median_hours_resolution = stats.median_hours_to_resolution();
    out.push_back(std::move(ms));
  }
  return out;
}

absl::StatusOr<std::vector<PublicRequestRecord>> Sources::PublicRequests(const Caller& caller,
                                                                         const std::string& tenant) {
  std::vector<PublicRequestRecord> out;
  std::string token;
  do {
    auto ctx = ClientContextFor(caller, impl_->deadline);
    v1::ListPublicRequestsRequest req;
    req.set_tenant(tenant);
    req.set_page_size(200);
    req.set_page_token(token);
    v1::ListPublicRequestsResponse resp;
    grpc::Status s = impl_->complaints->ListPublicRequests(ctx.get(), req, &resp);
    if (!s.ok()) return Upstream(s, "il servizio delle richieste");
    for (const auto& q : resp.requests()) {
      // Only what the dataset may hold is copied: never number, subject,
      // description, attributes or media.
      PublicRequestRecord r;
      r.kind = StripPrefix(v1::RequestKind_Name(q.kind()), "request_kind_");
      r.category = q.category();
      r.status = StripPrefix(v1::RequestStatus_Name(q.status()), "request_status_");
      r.office_id = q.office_id();
      r.created = TimeOf(q.create_time());
      r.closed = TimeOf(q.closed_time());
      if (q.has_location() && (q.location().latitude() != 0 || q.location().longitude() != 0)) {
        r.position = LatLon{q.location().latitude(), q.location().longitude()};
      }
      out.push_back(std::move(r));
    }
    token = resp.next_page_token();
  } while (!token.empty());
  return out;
}

namespace {

IndexFigures FiguresOf(const v1::IndexCell& c) {
  IndexFigures f;
  f.suppressed = c.suppressed();
  if (f.suppressed) return f;
  f.responses = c.responses();
  if (c.has_mean()) f.mean = c.mean();
  if (c.has_top_box()) f.top_box = c.top_box();
  if (c.has_nps()) f.nps = c.nps();
  return f;
}

std::string Instrument(v1::SurveyTemplate t) {
  switch (t) {
    case v1::SURVEY_TEMPLATE_STARS: return "stelle";
    case v1::SURVEY_TEMPLATE_STARS_PAGE: return "stelle-pagina";
    case v1::SURVEY_TEMPLATE_FACES: return "faccine";
    case v1::SURVEY_TEMPLATE_NPS: return "nps";
    case v1::SURVEY_TEMPLATE_POST_RESOLUTION: return "dopo-la-chiusura";
    default: return "questionario";
  }
}

}  // namespace

absl::StatusOr<std::vector<SurveyMonthRecord>> Sources::Satisfaction(const Caller& caller, const std::string& tenant,
                                                                     absl::Time now, absl::TimeZone zone, int months) {
  std::vector<SurveyMonthRecord> out;
  const absl::CivilMonth current = absl::ToCivilMonth(now, zone);
  for (int i = months - 1; i >= 0; --i) {
    const absl::CivilMonth m = current - i;
    std::map<std::string, size_t> index;  // survey id -> position in `out` for this month
    for (auto [grouping, dimension] : {std::pair{v1::INDEX_GROUPING_SERVICE, "servizio"},
                                       std::pair{v1::INDEX_GROUPING_CHANNEL, "canale"}}) {
      std::string token;
      do {
        // No token: the answer anyone gets, published surveys only.
        auto ctx = ClientContextFor(caller, impl_->deadline);
        v1::GetIndicesRequest req;
        req.set_tenant(tenant);
        SetTime(absl::FromCivil(m, zone), req.mutable_from());
        SetTime(std::min(now + absl::Seconds(1), absl::FromCivil(m + 1, zone)), req.mutable_to());
        req.set_grouping(grouping);
        req.set_page_size(100);
        req.set_page_token(token);
        v1::GetIndicesResponse resp;
        grpc::Status s = impl_->surveys->GetIndices(ctx.get(), req, &resp);
        if (!s.ok()) return Upstream(s, "il servizio dei questionari");
        for (const auto& survey : resp.surveys()) {
          auto [it, fresh] = index.try_emplace(survey.survey_id(), out.size());
          if (fresh) {
            out.push_back({absl::FormatCivilTime(m), survey.survey_id(), Instrument(survey.template_()),
                           FiguresOf(survey.total()), {}});
          }
          for (const auto& g : survey.groups()) {
            out[it->second].groups.emplace_back(dimension, g.key().empty() ? "-" : g.key(), FiguresOf(g));
          }
        }
        token = resp.next_page_token();
      } while (!token.empty());
    }
  }
  return out;
}

absl::StatusOr<std::vector<RegisterRecord>> Sources::Register(const Caller& caller, const std::string& tenant,
                                                              const std::string& from_date,
                                                              const std::string& to_date) {
  std::vector<RegisterRecord> out;
  std::string token;
  do {
    auto ctx = ClientContextFor(caller, impl_->deadline);
    v1::ListAccessRegisterRequest req;
    req.set_tenant(tenant);
    req.set_from_date(from_date);
    req.set_to_date(to_date);
    req.set_page_size(200);
    req.set_page_token(token);
    v1::ListAccessRegisterResponse resp;
    grpc::Status s = impl_->complaints->ListAccessRegister(ctx.get(), req, &resp);
    if (!s.ok()) return Upstream(s, "il servizio delle richieste");
    for (const auto& e : resp.entries()) {
      out.push_back({e.object(), e.request_date(), e.outcome(), e.decision_date(), e.publish_proactively()});
    }
    token = resp.next_page_token();
  } while (!token.empty());
  return out;
}

}  // namespace sportello::opendata
