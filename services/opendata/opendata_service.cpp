#include "services/opendata/opendata_service.h"


#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/auth/token.h"
#include "common/crypto.h"
#include "common/grpc/status.h"
#include "common/grpc/stream_writer.h"
#include "common/log.h"
#include "common/page_token.h"
#include "common/status.h"
#include "common/tenancy.h"

namespace sportello::opendata {

namespace {

using auth::Role;
constexpr std::initializer_list<Role> kOperators = {Role::kOperator};
constexpr const char* kLicence = "https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40";

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t s = absl::ToUnixSeconds(t);
  out->set_seconds(s);
  out->set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(s)) / absl::Nanoseconds(1)));
}

absl::StatusOr<ParsedId> CheckId(const std::string& id) {
  auto parsed = ParseDatasetId(id);
  if (!parsed) return absl::NotFoundError("dataset non trovato: " + id);
  return *parsed;
}

std::string Bearer(grpc::CallbackServerContext* ctx) {
  auto md = ctx->client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return "";
  std::string v(it->second.data(), it->second.size());
  if (v.rfind("Bearer ", 0) == 0 || v.rfind("bearer ", 0) == 0) v = v.substr(7);
  return v;
}

}  // namespace

absl::StatusOr<int> ParseVersion(std::string_view text) {
  if (text == "latest" || text.empty()) return 0;
  int n = 0;
  if (!absl::SimpleAtoi(std::string(text), &n) || n < 1) {
    return InvalidArgument({{"version", "versione non valida: un numero o \"latest\""}});
  }
  return n;
}

OpenDataService::OpenDataService(OpenDataStore& store, Sources& sources, RpcRunner& rpc, absl::TimeZone zone,
                                 const Clock& clock, OpenDataSettings settings)
    : store_(store), sources_(sources), rpc_(rpc), zone_(zone), clock_(clock), settings_(std::move(settings)) {}

void OpenDataService::ToProto(const VersionInfo& v, v1::DatasetVersion* out) const {
  out->set_dataset_id(v.dataset_id);
  out->set_number(v.number);
  SetTime(v.create_time, out->mutable_create_time());
  out->set_rows(v.rows);
  out->set_period(v.period);
  out->set_approved(v.approved);
  for (const auto& d : v.distributions) {
    auto* p = out->add_distributions();
    p->set_format(d.format);
    p->set_media_type(d.format == "csv" ? "text/csv" : "application/json");
    p->set_byte_size(d.bytes);
    p->set_sha256(d.sha256);
    p->set_download_path(absl::StrCat("/api/v1/datasets/", v.dataset_id, "/versions/", v.number, "/", d.format));
  }
}

void OpenDataService::ToProto(const DatasetRecord& d, v1::Dataset* out) const {
  const DatasetKind* kind = FindKind(d.slug);
  out->set_id(d.id);
  out->set_tenant(d.tenant);
  out->set_identifier(absl::StrCat(d.tenant, ":", d.id));
  out->set_title(kind ? absl::StrCat(kind->title, " - ", d.tenant_name) : d.id);
  out->set_description(d.description.value_or(kind ? kind->description : ""));
  if (d.keywords) {
    for (const auto& k : *d.keywords) out->add_keywords(k);
  } else if (kind) {
    for (const auto& k : kind->keywords) out->add_keywords(k);
  }
  out->set_theme(kind ? kind->theme : "GOVE");
  out->set_frequency(kind ? kind->frequency : "IRREG");
  out->set_license(kLicence);
  out->mutable_publisher()->set_identifier(d.tenant);
  out->mutable_publisher()->set_name(d.tenant_name);
  *out->mutable_rights_holder() = out->publisher();
  out->mutable_contact_point()->set_name(d.contact_name);
  out->mutable_contact_point()->set_email(d.contact_email);
  SetTime(d.create_time, out->mutable_issued());
  if (d.latest) {
    SetTime(d.latest->create_time, out->mutable_modified());
    ToProto(*d.latest, out->mutable_latest());
  } else {
    SetTime(d.create_time, out->mutable_modified());
  }
}

absl::StatusOr<Table> OpenDataService::Build(const Caller& caller, const std::string& bearer,
                                             const std::string& tenant, const std::string& slug,
                                             std::string* period) {
  const absl::Time now = clock_.Now();
  if (slug == "servizi") {
    ASSIGN_OR_RETURN(auto services, sources_.Services(caller, tenant));
    return ServicesTable(services);
  }
  if (slug == "uffici") {
    ASSIGN_OR_RETURN(auto offices, sources_.Offices(caller, tenant));
    return OfficesTable(offices);
  }
  if (slug == "richieste-mensili") {
    ASSIGN_OR_RETURN(auto months, sources_.Monthly(caller, bearer, tenant, now, zone_, settings_.months));
    return MonthlyTable(months, settings_.k);
  }
  if (slug == "richieste-pubbliche") {
    ASSIGN_OR_RETURN(auto requests, sources_.PublicRequests(caller, tenant));
    return PublicRequestsTable(requests, zone_, settings_.k);
  }
  if (slug == "soddisfazione") {
    ASSIGN_OR_RETURN(auto records, sources_.Satisfaction(caller, tenant, now, zone_, settings_.months));
    return SatisfactionTable(records, settings_.k);
  }
  const absl::CivilDay today = absl::ToCivilDay(now, zone_);
  if (slug == "registro-accessi") {
    // The semester under way, from its first day to today.
    const bool first = today.month() <= 6;
    const std::string from = absl::StrFormat("%04d-%02d-01", today.year(), first ? 1 : 7);
    ASSIGN_OR_RETURN(auto entries, sources_.Register(caller, tenant, from, absl::FormatCivilTime(today)));
    *period = SemesterOf(absl::FormatCivilTime(today));
    return RegisterTable(entries);
  }
  if (slug == "pubblicazioni-proattive") {
    const std::string from = absl::StrFormat("%04d-01-01", today.year());
    ASSIGN_OR_RETURN(auto entries, sources_.Register(caller, tenant, from, absl::FormatCivilTime(today)));
    std::vector<ProactiveEntry> save;
    for (const auto& c : ProactiveCandidates(entries, static_cast<int>(today.year()))) {
      save.push_back({absl::StrCat(tenant, "-", c.year, "-", Sha256Hex(c.object).substr(0, 12)), tenant, c.object,
                      c.year, c.requesters, "", absl::InfinitePast()});
    }
    RETURN_IF_ERROR(store_.SaveProactive(save));
    std::vector<ProactiveRecord> rows;
    std::string token;
    do {
      ASSIGN_OR_RETURN(auto page, store_.ListProactive(tenant, kMaxPageSize, token));
      for (const auto& e : page.items) rows.push_back({e.object, e.year, e.requesters, e.document_url});
      token = page.next_page_token;
    } while (!token.empty());
    return ProactiveTable(rows);
  }
  return absl::NotFoundError("dataset sconosciuto: " + slug);
}

absl::StatusOr<std::pair<bool, VersionInfo>> OpenDataService::Refresh(const Caller& caller, const std::string& bearer,
                                                                      const std::string& dataset_id) {
  ASSIGN_OR_RETURN(ParsedId id, CheckId(dataset_id));
  ASSIGN_OR_RETURN(TenantRecord tenant, sources_.Tenant(caller, id.tenant));
  // The URP's contact defaults to the administration's institutional PEC
  // until an operator sets one.
  RETURN_IF_ERROR(store_.EnsureDatasets(tenant.code, tenant.name, tenant.pec));
  std::string period;
  ASSIGN_OR_RETURN(Table table, Build(caller, bearer, tenant.code, id.slug, &period));
  NewVersion v;
  v.period = period;
  v.approved = !FindKind(id.slug)->needs_approval;
  v.columns = table.columns;
  v.rows = Render(table);
  return store_.AddVersion(dataset_id, v);
}

ScheduledWork OpenDataService::Scheduled(std::string jwt_secret) {
  ScheduledWork work;
  work.tenants = [this]() -> absl::StatusOr<std::vector<std::string>> {
    ASSIGN_OR_RETURN(auto tenants, sources_.Tenants(Caller{}));
    std::vector<std::string> codes;
    for (const auto& t : tenants) codes.push_back(t.code);
    return codes;
  };
  work.refresh = [this, secret = std::move(jwt_secret)](const std::string& tenant,
                                                       const std::string& slug) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(auto result, Refresh(Caller{}, ServiceToken(secret, tenant), DatasetId(tenant, slug)));
    return result.first;
  };
  return work;
}

OpenDataService::Reactor* OpenDataService::ListDatasets(Ctx* ctx, const v1::ListDatasetsRequest* req,
                                                        v1::ListDatasetsResponse* resp) {
  return rpc_.Run(ctx, "ListDatasets", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalOptionalTenant(req->tenant(), "tenant"));
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(auto page, store_.ListDatasets(tenant, size, req->page_token()));
    for (const auto& d : page.items) ToProto(d, resp->add_datasets());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

OpenDataService::Reactor* OpenDataService::GetDataset(Ctx* ctx, const v1::GetDatasetRequest* req, v1::Dataset* resp) {
  return rpc_.Run(ctx, "GetDataset", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(auto d, store_.GetDataset(req->id()));
    ToProto(d, resp);
    return absl::OkStatus();
  });
}

OpenDataService::Reactor* OpenDataService::UpdateDataset(Ctx* ctx, const v1::UpdateDatasetRequest* req,
                                                         v1::Dataset* resp) {
  return rpc_.Run(ctx, "UpdateDataset", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(ParsedId id, CheckId(req->dataset().id()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, id.tenant, kOperators));
    std::optional<std::string> description;
    std::optional<std::vector<std::string>> keywords;
    std::optional<std::pair<std::string, std::string>> contact;
    std::vector<FieldViolation> bad;
    const auto& d = req->dataset();
    for (const auto& path : req->update_mask().paths()) {
      if (path == "description") {
        if (d.description().size() > 4000) bad.push_back({"dataset.description", "al massimo 4000 caratteri"});
        description = d.description();
      } else if (path == "keywords") {
        keywords = std::vector<std::string>(d.keywords().begin(), d.keywords().end());
        for (const auto& k : *keywords) {
          if (k.empty() || k.size() > 100) bad.push_back({"dataset.keywords", "parole chiave da 1 a 100 caratteri"});
        }
      } else if (path == "contact_point" || path == "contact_point.name" || path == "contact_point.email") {
        if (d.contact_point().email().find('@') == std::string::npos) {
          bad.push_back({"dataset.contact_point.email", "indirizzo e-mail non valido"});
        }
        contact = std::make_pair(d.contact_point().name(), d.contact_point().email());
      } else {
        bad.push_back({"update_mask", "campo non modificabile: " + path});
      }
    }
    if (req->update_mask().paths().empty()) bad.push_back({"update_mask", "nessun campo da modificare"});
    if (!bad.empty()) return InvalidArgument(bad);
    ASSIGN_OR_RETURN(auto updated, store_.UpdateDataset(req->dataset().id(), description, keywords, contact));
    ToProto(updated, resp);
    return absl::OkStatus();
  });
}

OpenDataService::Reactor* OpenDataService::RefreshDataset(Ctx* ctx, const v1::RefreshDatasetRequest* req,
                                                          v1::RefreshDatasetResponse* resp) {
  std::string bearer = Bearer(ctx);
  return rpc_.Run(ctx, "RefreshDataset", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(ParsedId id, CheckId(req->id()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, id.tenant, kOperators));
    ASSIGN_OR_RETURN(auto result, Refresh(caller, bearer, req->id()));
    resp->set_changed(result.first);
    ToProto(result.second, resp->mutable_version());
    return absl::OkStatus();
  });
}

OpenDataService::Reactor* OpenDataService::ListVersions(Ctx* ctx, const v1::ListVersionsRequest* req,
                                                        v1::ListVersionsResponse* resp) {
  return rpc_.Run(ctx, "ListVersions", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(auto page, store_.ListVersions(req->id(), size, req->page_token()));
    for (const auto& v : page.items) ToProto(v, resp->add_versions());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

OpenDataService::Reactor* OpenDataService::GetVersion(Ctx* ctx, const v1::GetVersionRequest* req,
                                                      v1::DatasetVersion* resp) {
  return rpc_.Run(ctx, "GetVersion", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(int n, ParseVersion(req->version()));
    auto parsed = ParseDatasetId(req->id());
    // The tenant's operators also see versions awaiting approval.
    const bool staff = parsed && caller.principal.IsStaffOf(parsed->tenant, kOperators);
    ASSIGN_OR_RETURN(auto v, store_.GetVersion(req->id(), n, staff && n != 0));
    ToProto(v, resp);
    return absl::OkStatus();
  });
}

OpenDataService::Reactor* OpenDataService::ApproveVersion(Ctx* ctx, const v1::ApproveVersionRequest* req,
                                                          v1::DatasetVersion* resp) {
  return rpc_.Run(ctx, "ApproveVersion", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(ParsedId id, CheckId(req->id()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, id.tenant, kOperators));
    ASSIGN_OR_RETURN(int n, ParseVersion(req->version()));
    if (n == 0) return InvalidArgument({{"version", "indicare il numero della versione da approvare"}});
    ASSIGN_OR_RETURN(auto v, store_.Approve(req->id(), n));
    ToProto(v, resp);
    return absl::OkStatus();
  });
}

OpenDataService::Reactor* OpenDataService::ListProactivePublications(Ctx* ctx,
                                                                     const v1::ListProactivePublicationsRequest* req,
                                                                     v1::ListProactivePublicationsResponse* resp) {
  return rpc_.Run(ctx, "ListProactivePublications", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(auto page, store_.ListProactive(tenant, size, req->page_token()));
    for (const auto& e : page.items) {
      auto* p = resp->add_publications();
      p->set_id(e.id);
      p->set_tenant(e.tenant);
      p->set_object(e.object);
      p->set_year(e.year);
      p->set_requesters(e.requesters);
      p->set_document_url(e.document_url);
      if (e.publish_time != absl::InfinitePast()) SetTime(e.publish_time, p->mutable_publish_time());
    }
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

OpenDataService::Reactor* OpenDataService::PublishProactive(Ctx* ctx, const v1::PublishProactiveRequest* req,
                                                            v1::ProactivePublication* resp) {
  return rpc_.Run(ctx, "PublishProactive", [=, this](const Caller& caller) -> absl::Status {
    const std::string& url = req->document_url();
    if (!(url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) || url.size() > 2000 ||
        url.find_first_of(" \t\r\n") != std::string::npos) {
      return InvalidArgument({{"document_url", "indirizzo http(s) del documento non valido"}});
    }
    // The id starts with the tenant: "<tenant>-<year>-<hash>".
    const std::string tenant = req->id().substr(0, req->id().find('-'));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, kOperators));
    ASSIGN_OR_RETURN(auto e, store_.PublishProactive(req->id(), url));
    resp->set_id(e.id);
    resp->set_tenant(e.tenant);
    resp->set_object(e.object);
    resp->set_year(e.year);
    resp->set_requesters(e.requesters);
    resp->set_document_url(e.document_url);
    if (e.publish_time != absl::InfinitePast()) SetTime(e.publish_time, resp->mutable_publish_time());
    return absl::OkStatus();
  });
}

// ---- Distributions: the store streams rows out of COPY on the stream's
// own thread (stream_writer.h), each chunk written before the next is read, so memory stays
// flat whatever the size.

grpc::ServerWriteReactor<v1::RawBody>* OpenDataService::GetDistribution(Ctx* ctx,
                                                                        const v1::GetDistributionRequest* req) {
  auto caller = rpc_.Authorize(ctx, "GetDistribution");
  if (!caller.ok()) return RefuseStream<v1::RawBody>(ToGrpcStatus(caller.status()));
  if (req->format() != "csv" && req->format() != "json") {
    return RefuseStream<v1::RawBody>(
        ToGrpcStatus(InvalidArgument({{"format", "formato non disponibile: csv o json"}})));
  }
  auto n = ParseVersion(req->version());
  if (!n.ok()) return RefuseStream<v1::RawBody>(ToGrpcStatus(n.status()));
  if (downloads_->fetch_add(1) >= settings_.max_downloads) {
    downloads_->fetch_sub(1);
    return RefuseStream<v1::RawBody>(
        grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "troppi scaricamenti in corso, riprovare"));
  }
  const std::string id = req->id(), format = req->format();
  const int requested = *n;
  const size_t chunk = settings_.chunk_bytes;
  auto produce = [this, id, format, requested, chunk](StreamSink<v1::RawBody>& out) -> grpc::Status {
    // Resolved before the first chunk: an unknown dataset or version is an
    // error status, never an empty file. Only published versions are served.
    auto version = store_.GetVersion(id, requested, false);
    if (!version.ok()) return ToGrpcStatus(version.status());
    v1::RawBody message;
    message.set_content_type(format == "csv" ? "text/csv; charset=utf-8" : "application/json");
    message.set_filename(absl::StrCat(id, "-v", version->number, ".", format));
    auto sink = [&](std::string&& data) {
      message.set_data(std::move(data));
      bool sent = out.Send(message);
      message.clear_content_type();  // only the first chunk names the file
      message.clear_filename();
      return sent;
    };
    return ToGrpcStatus(store_.StreamDistribution(id, version->number, format, chunk, sink));
  };
  return StartStream<v1::RawBody>(std::move(produce), [downloads = downloads_] { downloads->fetch_sub(1); });
}

}  // namespace sportello::opendata
