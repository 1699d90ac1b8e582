#include "services/complaints/complaints_service.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/crypto.h"
#include "common/tenancy.h"
#include "common/grpc/status.h"
#include "common/grpc/stream_writer.h"
#include "common/log.h"
#include "common/page_token.h"
#include "common/status.h"
#include "services/complaints/access.h"
#include "common/grpc/client_address.h"
#include "common/text_checks.h"
#include "services/complaints/convert.h"
#include "services/complaints/deadlines.h"
#include "services/complaints/intake.h"
#include "services/complaints/lifecycle.h"
#include "services/complaints/plan.h"
#include "services/complaints/workflow.h"

namespace sportello::complaints {
namespace {

using auth::Role;

// The staff roles that work on requests (admin of the tenant always qualifies).
constexpr std::initializer_list<Role> kStaff = {Role::kOperator, Role::kReferent};

std::string ActorName(Actor a, const Caller& c) {
  switch (a) {
    case Actor::kCitizen: return "cittadino";
    case Actor::kSystem: return "sistema";
    default: return c.principal.subject.empty() ? "operatore" : c.principal.subject;
  }
}

// Kind, category and intake channel are public and let a consumer (surveys)
// act on the event without calling back.
std::string StatusEventData(const Request& r, Status from) {
  return absl::StrCat(R"({"number":")", r.number, R"(","from":")", std::string(StatusName(from)), R"(","to":")",
                      std::string(StatusName(r.status)), R"(","office_id":")", r.office_id, R"(","kind":")",
                      std::string(KindName(r.kind)), R"(","category":")", log::JsonEscape(r.category),
                      R"(","channel":")", std::string(ChannelName(r.channel)), R"("})");
}


std::string FormatTime(std::optional<absl::Time> t, const absl::TimeZone& zone) {
  return t ? absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", *t, zone) : "";
}


// The civil date today in Rome, "YYYY-MM-DD".
std::string Today(absl::Time now, const absl::TimeZone& zone) {
  return absl::FormatCivilTime(absl::ToCivilDay(now, zone));
}

}  // namespace

ComplaintsService::ComplaintsService(RequestStore& store, CatalogueClient& catalogue, RpcRunner& rpc,
                                     cache::RedisCache& redis, absl::TimeZone zone, const Clock& clock,
                                     ComplaintsSettings settings)
    : store_(store),
      catalogue_(catalogue),
      submissions_(redis, "complaints:submit", settings.submissions_per_minute, settings.submission_burst),
      rpc_(rpc),
      zone_(zone),
      clock_(clock),
      settings_(settings),
      streams_(store.pool(), std::string(kSchema),
               {settings.max_streams, settings.max_streams_per_caller, 100, settings.stream_poll}) {}

absl::StatusOr<std::pair<Request, Actor>> ComplaintsService::Authorize(const Caller& caller,
                                                                       const std::string& number,
                                                                       const std::string& token,
                                                                       bool with_reporter) {
  auto request = store_.Get(number, with_reporter);
  if (!request.ok()) return request.status();
  bool token_ok = false;
  if (!token.empty()) {
    ASSIGN_OR_RETURN(token_ok, store_.TokenMatches(number, Sha256Hex(token)));
  }
  auto actor = ResolveActor(caller.principal, *request, token_ok);
  // Unknown and not yours look the same: a number alone reveals nothing.
  if (!actor) return absl::NotFoundError("richiesta " + number + " non trovata");
  if (!IsStaff(*actor)) request->reporter.reset();
  SettleSuspension(*request, clock_.Now());
  return std::make_pair(*std::move(request), *actor);
}

absl::StatusOr<Request> ComplaintsService::Move(const std::string& number, const Caller& caller, bool token_ok,
                                                Status to, const std::string& note, bool public_note,
                                                const std::string& duplicate_of) {
  if (to == Status::kDuplicate) {
    // Checked before the row lock (tenants never change): a store call inside
    // the lock would take a second connection from the pool.
    auto original = duplicate_of.empty() || duplicate_of == number ? absl::NotFoundError("")
                                                                   : store_.Get(duplicate_of, false);
    auto self = store_.Get(number, false);
    if (!self.ok()) return self.status();
    if (!original.ok() || original->tenant != self->tenant) {
      return InvalidArgument({{"duplicate_of", "indicare il numero di un'altra richiesta dello stesso ente"}});
    }
  }
  return store_.Update(number, [&](Request& r, Mutation& m) -> absl::Status {
    // Who the caller is, decided again on the locked row: a reassignment
    // made meanwhile must not leave the former office's referent in charge.
    auto actor = ResolveActor(caller.principal, r, token_ok);
    if (!actor) return absl::NotFoundError("richiesta " + number + " non trovata");
    absl::Time now = clock_.Now();
    TransitionContext ctx{*actor, settings_.citizen_reopen_window, now};
    RETURN_IF_ERROR(CheckTransition(r, to, ctx));
    if (to == Status::kDuplicate) r.duplicate_of = duplicate_of;
    Status from = r.status;
    ApplyStatus(r, to, now, zone_, DeadlineDays(r.kind, 0));
    std::string text = note.empty() ? std::string(StatusLabel(to)) : note;
    const Visibility visibility = StatusNoteVisibility(*actor, !note.empty(), public_note);
    m.history.push_back({0, now, ActorName(*actor, caller), "status_changed", from, to, visibility, text, r.office_id});
    std::string type = to == Status::kClosed ? "request.closed" : "request.status_changed";
    m.events.push_back({r.tenant, type, r.number, StatusEventData(r, from), now});
    return absl::OkStatus();
  });
}

// ---- Intake

ComplaintsService::Reactor* ComplaintsService::SubmitRequest(Ctx* ctx, const v1::SubmitRequestRequest* req,
                                                             v1::SubmitRequestResponse* response) {
  std::string header_key, client_ip;
  if (auto it = ctx->client_metadata().find("idempotency-key"); it != ctx->client_metadata().end()) {
    header_key.assign(it->second.data(), it->second.size());
  }
  client_ip = ClientAddress(ctx, settings_.trusted_proxies);
  return rpc_.Run(ctx, "SubmitRequest", [=, this](const Caller& caller) -> absl::Status {
    NewRequest n;
    Request& r = n.request;
    std::vector<FieldViolation> violations;
    if (auto tenant = CanonicalTenant(req->tenant()); tenant.ok()) {
      r.tenant = *std::move(tenant);
    } else {
      violations.push_back({"tenant", "codice IPA dell'ente non valido"});
    }
    auto kind = KindFromProto(req->kind());
    if (!kind) violations.push_back({"kind", "tipo di richiesta obbligatorio"});
    auto channel = req->channel() == v1::INTAKE_CHANNEL_UNSPECIFIED ? std::optional<Channel>(Channel::kWeb)
                                                                    : ChannelFromProto(req->channel());
    if (!channel) violations.push_back({"channel", "canale non valido"});
    std::string idempotency_key = req->idempotency_key().empty() ? header_key : req->idempotency_key();
    if (idempotency_key.size() > 200) {
      violations.push_back({"idempotency_key", "al massimo 200 caratteri"});
    } else if (std::any_of(idempotency_key.begin(), idempotency_key.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
      violations.push_back({"idempotency_key", "caratteri di controllo non ammessi"});
    }
    if (!violations.empty()) return InvalidArgument(std::move(violations));
    // Anonymous submissions, and those with a token of another tenant, are
    // limited per client and tenant; the tenant's own staff and partners are not.
    const bool own_staff = caller.principal.IsStaffOf(
        r.tenant, {Role::kOperator, Role::kReferent, Role::kCommunication, Role::kPartner});
    if (!own_staff && !submissions_.Allow(r.tenant + "|" + client_ip)) {
      return absl::ResourceExhaustedError("troppe richieste inviate in poco tempo: riprovare tra qualche minuto");
    }

    r.kind = *kind;
    r.channel = *channel;
    r.category = req->category();
    r.subject = req->subject();
    r.description = req->description();
    if (req->has_location()) r.location = Location{req->location().latitude(), req->location().longitude()};
    r.address = req->address();
    for (const auto& a : req->attributes()) {
      auto& values = r.attributes[a.code()];
      values.insert(values.end(), a.values().begin(), a.values().end());
    }
    r.media_urls.assign(req->media_urls().begin(), req->media_urls().end());
    r.is_public = req->public_();
    r.civic_access.object = req->access_object();
    r.civic_access.interest = req->access_interest();
    const auto& rep = req->reporter();
    r.reporter = Reporter{rep.name(), rep.email(), rep.phone(), rep.fiscal_code()};
    RETURN_IF_ERROR(PrepareSubmission(r));
    if (r.kind == Kind::kSimpleCivicAccess) {
      // Asking for what is published already: the link is the answer, nothing is stored.
      ASSIGN_OR_RETURN(std::optional<std::string> link, store_.PublishedLink(r.tenant, r.civic_access.object));
      if (link) {
        const std::string text = "già pubblicato: " + *link;
        absl::Status s = absl::AlreadyExistsError("quanto richiesto è già pubblicato: " + *link);
        AttachFieldViolations(s, {{"access_object", text}});
        return s;
      }
    }

    ASSIGN_OR_RETURN(CatalogueClient::TenantInfo tenant, catalogue_.GetTenant(caller, r.tenant));
    int category_days = 0;
    if (!r.category.empty()) {
      auto category = catalogue_.GetCategory(caller, r.tenant, r.category);
      if (absl::IsNotFound(category.status())) {
        return InvalidArgument({{"category", "categoria " + r.category + " non prevista dall'ente"}});
      }
      if (!category.ok()) return category.status();
      RETURN_IF_ERROR(CheckAttributes(*category, r.attributes));
      r.category_name = category->name;
      if (r.subject.empty()) r.subject = category->name;
      n.routed_office_id = category->office_id;
      category_days = category->legal_deadline_days;
    }
    n.deadline_days = DeadlineDays(r.kind, category_days);
    std::string token = RandomToken();
    n.token_hash = Sha256Hex(token);
    const Reporter who = r.reporter.value_or(Reporter{});  // anonymous reports have none
    std::string identity = !who.fiscal_code.empty() ? who.fiscal_code : absl::AsciiStrToLower(who.email);
    n.requester_key = identity.empty() ? "" : Sha256Hex("requester:" + identity);
    // A key belongs to whoever sent it, within the (canonical) tenant: the
    // same key from another caller is another key, never their answer.
    if (!idempotency_key.empty()) {
      const std::string owner = caller.principal.authenticated
                                    ? "token:" + caller.principal.tenant + "/" + caller.principal.subject
                                    : "anonymous:" + client_ip;
      n.idempotency_key = Sha256Hex(owner + "\x1f" + idempotency_key);
    }
    v1::SubmitRequestRequest fingerprinted = *req;
    fingerprinted.clear_idempotency_key();
    n.fingerprint = Sha256Hex(fingerprinted.SerializeAsString());

    absl::Time now = clock_.Now();
    auto answer_of = [&](const Request& created) {
      v1::SubmitRequestResponse answer;
      RequestToProto(created, false, now, answer.mutable_request());
      answer.set_tracking_token(token);
      return answer.SerializeAsString();
    };
    ASSIGN_OR_RETURN(Submitted submitted, store_.Submit(n, answer_of));
    if (submitted.replay) {
      if (!response->ParseFromString(*submitted.replay)) return absl::InternalError("stored answer unreadable");
      return absl::OkStatus();
    }
    response->ParseFromString(answer_of(submitted.request));
    for (const auto& [other, distance] : submitted.possible_duplicates) {
      auto* d = response->add_possible_duplicates();
      d->set_number(other.number);
      d->set_subject(other.subject);
      d->set_status(StatusToProto(other.status));
      d->set_distance_m(distance);
    }
    log::Info("request submitted", {{"number", submitted.request.number}, {"request_id", caller.request_id}});
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::GetRequest(Ctx* ctx, const v1::GetRequestRequest* req,
                                                          v1::Request* response) {
  return rpc_.Run(ctx, "GetRequest", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), req->token(), true));
    RequestToProto(found.first, IsStaff(found.second), clock_.Now(), response);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::ListRequests(Ctx* ctx, const v1::ListRequestsRequest* req,
                                                            v1::ListRequestsResponse* response) {
  return rpc_.Run(ctx, "ListRequests", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(RequestFilter filter, FilterFromProto(*req));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, filter.tenant, kStaff));
    // A referent sees the requests of their office only.
    if (!caller.principal.IsStaffOf(filter.tenant, {Role::kOperator})) {
      if (caller.principal.office.empty()) return absl::PermissionDeniedError("il token del referente non indica l'ufficio");
      filter.office_id = caller.principal.office;
    }
    ASSIGN_OR_RETURN(int page_size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(Page<Request> page, store_.List(filter, page_size, req->page_token()));
    absl::Time now = clock_.Now();
    for (const auto& r : page.items) RequestToProto(r, false, now, response->add_requests());
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

// ---- Lifecycle

ComplaintsService::Reactor* ComplaintsService::TransitionRequest(Ctx* ctx, const v1::TransitionRequestRequest* req,
                                                                 v1::Request* response) {
  return rpc_.Run(ctx, "TransitionRequest", [=, this](const Caller& caller) -> absl::Status {
    auto to = StatusFromProto(req->to());
    if (!to) return InvalidArgument({{"to", "stato di destinazione obbligatorio"}});
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), req->token(), false));
    std::string who = ActorName(found.second, caller);
    ASSIGN_OR_RETURN(Request moved, Move(req->number(), caller, found.second == Actor::kCitizen, *to, req->note(),
                                         req->public_note(), req->duplicate_of()));
    if (moved.status == Status::kDuplicate) {
      // Merge: the original's history points to the duplicate, so whoever
      // follows it sees the second report too.
      auto merged = store_.Update(moved.duplicate_of, [&](Request& original, Mutation& m) -> absl::Status {
        m.history.push_back({0, clock_.Now(), who, "merged", std::nullopt, std::nullopt, Visibility::kPublic,
                             "Unita la segnalazione duplicata " + moved.number, original.office_id});
        return absl::OkStatus();
      });
      if (!merged.ok()) log::Warn("duplicate not noted on the original", {{"number", moved.number}});
    }
    RequestToProto(moved, false, clock_.Now(), response);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::AssignRequest(Ctx* ctx, const v1::AssignRequestRequest* req,
                                                             v1::Request* response) {
  return rpc_.Run(ctx, "AssignRequest", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), "", false));
    if (req->office_id().empty()) return InvalidArgument({{"office_id", "ufficio obbligatorio"}});
    auto office_tenant = catalogue_.OfficeTenant(caller, req->office_id());
    if (absl::IsNotFound(office_tenant.status()) || (office_tenant.ok() && *office_tenant != found.first.tenant)) {
      return InvalidArgument({{"office_id", "ufficio non trovato in questo ente"}});
    }
    if (!office_tenant.ok()) return office_tenant.status();
    std::string who = ActorName(found.second, caller);
    ASSIGN_OR_RETURN(Request assigned, store_.Update(req->number(), [&](Request& r, Mutation& m) -> absl::Status {
      RETURN_IF_ERROR(CheckAssign(r, found.second));
      absl::Time now = clock_.Now();
      Status from = r.status;
      r.office_id = req->office_id();
      ApplyStatus(r, Status::kAssigned, now, zone_, DeadlineDays(r.kind, 0));
      m.history.push_back({0, now, who, "assigned", from, Status::kAssigned, Visibility::kPublic,
                           req->note().empty() ? "Assegnata all'ufficio competente" : req->note(), r.office_id});
      m.events.push_back({r.tenant, "request.status_changed", r.number, StatusEventData(r, from), now});
      return absl::OkStatus();
    }));
    RequestToProto(assigned, false, clock_.Now(), response);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::ForwardRequest(Ctx* ctx, const v1::ForwardRequestRequest* req,
                                                              v1::Request* response) {
  return rpc_.Run(ctx, "ForwardRequest", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), "", true));
    if (found.second != Actor::kOperator) return absl::PermissionDeniedError("solo l'URP può inoltrare");
    const Request& original = found.first;
    auto canonical_to = CanonicalTenant(req->to_tenant(), "to_tenant");
    if (!canonical_to.ok()) return InvalidArgument({{"to_tenant", "indicare un altro ente dell'Unione"}});
    std::string to = *std::move(canonical_to);
    if (to.empty() || to == original.tenant) {
      return InvalidArgument({{"to_tenant", "indicare un altro ente dell'Unione"}});
    }
    ASSIGN_OR_RETURN(CatalogueClient::TenantInfo from_info, catalogue_.GetTenant(caller, original.tenant));
    auto to_info = catalogue_.GetTenant(caller, to);
    if (absl::IsNotFound(to_info.status())) return InvalidArgument({{"to_tenant", "ente " + to + " non trovato"}});
    if (!to_info.ok()) return to_info.status();
    RETURN_IF_ERROR(CheckForwardTarget(from_info.code, from_info.parent, to_info->code, to_info->parent));
    NewRequest copy;
    copy.request = ForwardedCopy(original, to);
    // The store gives the copy the original's token hash: the citizen's code follows it.
    copy.deadline_days = DeadlineDays(original.kind, 0);
    std::string who = ActorName(found.second, caller);
    ASSIGN_OR_RETURN(Request forwarded,
                     store_.Forward(original.number, copy,
                                    [&](Request& r, const Request& created, Mutation& m) -> absl::Status {
                                      absl::Time now = clock_.Now();
                                      TransitionContext tctx{Actor::kSystem, settings_.citizen_reopen_window, now};
                                      RETURN_IF_ERROR(CheckTransition(r, Status::kForwarded, tctx));
                                      Status from = r.status;
                                      ApplyStatus(r, Status::kForwarded, now, zone_, 0);
                                      r.forwarded_to = created.number;
                                      std::string text = "Inoltrata a " + to_info->name + " (" + created.number + ")";
                                      if (!req->note().empty()) text += ": " + req->note();
                                      m.history.push_back({0, now, who, "forwarded", from, Status::kForwarded,
                                                           Visibility::kPublic, text, ""});
                                      m.events.push_back({r.tenant, "request.status_changed", r.number,
                                                          StatusEventData(r, from), now});
                                      return absl::OkStatus();
                                    }));
    RequestToProto(forwarded, false, clock_.Now(), response);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::AddMessage(Ctx* ctx, const v1::AddMessageRequest* req,
                                                          v1::HistoryEntry* response) {
  return rpc_.Run(ctx, "AddMessage", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), req->token(), false));
    Actor actor = found.second;
    std::string text(absl::StripAsciiWhitespace(req->text()));
    std::vector<FieldViolation> violations;
    if (text.empty()) violations.push_back({"text", "il messaggio è vuoto"});
    if (text.size() > 4000 * 4) violations.push_back({"text", "messaggio troppo lungo"});
    std::optional<Visibility> chosen = MessageVisibility(actor, VisibilityFromProto(req->visibility()));
    if (!chosen) violations.push_back({"visibility", "visibilità obbligatoria"});
    if (!violations.empty()) return InvalidArgument(std::move(violations));
    const Visibility visibility = *chosen;
    std::vector<HistoryRecord> written;
    auto updated = store_.Update(req->number(), [&](Request& r, Mutation& m) -> absl::Status {
      absl::Time now = clock_.Now();
      m.history.push_back(
          {0, now, ActorName(actor, caller), "message", std::nullopt, std::nullopt, visibility, text, r.office_id});
      MessageEffect effect = ApplyMessage(r, actor, visibility, now, zone_);
      if (effect.resumed_from) {
        // The citizen's answer restarted the clock.
        m.history.push_back({0, now, "cittadino", "status_changed", *effect.resumed_from, r.status,
                             Visibility::kPublic, "Il cittadino ha risposto", r.office_id});
        m.events.push_back(
            {r.tenant, "request.status_changed", r.number, StatusEventData(r, *effect.resumed_from), now});
      }
      return absl::OkStatus();
    }, &written);
    if (!updated.ok()) return updated.status();
    HistoryToProto(written.front(), IsStaff(actor), response);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::ListHistory(Ctx* ctx, const v1::ListHistoryRequest* req,
                                                           v1::ListHistoryResponse* response) {
  return rpc_.Run(ctx, "ListHistory", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), req->token(), false));
    bool staff = IsStaff(found.second);
    ASSIGN_OR_RETURN(int page_size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(Page<HistoryRecord> page, store_.History(req->number(), staff, page_size, req->page_token()));
    for (const auto& h : page.items) HistoryToProto(h, staff, response->add_entries());
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

// ---- Civic access

ComplaintsService::Reactor* ComplaintsService::DecideAccess(Ctx* ctx, const v1::DecideAccessRequest* req,
                                                            v1::Request* response) {
  return rpc_.Run(ctx, "DecideAccess", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), "", false));
    if (!IsStaff(found.second)) return absl::PermissionDeniedError("decisione riservata all'ente");
    std::string date = req->decision_date().empty() ? Today(clock_.Now(), zone_) : req->decision_date();
    std::string who = ActorName(found.second, caller);
    AccessDecision decision;
    std::vector<FieldViolation> violations;
    if (auto o = AccessOutcomeFromProto(req->outcome_code()); o && *o != AccessOutcome::kSilentRefusal) {
      decision.outcome = *o;
    } else {
      violations.push_back({"outcome_code", "esito non valido"});
    }
    if (auto e = AccessExceptionFromProto(req->exception())) {
      decision.exception = *e;
    } else {
      violations.push_back({"exception", "eccezione non valida"});
    }
    if (!violations.empty()) return InvalidArgument(std::move(violations));
    decision.text = req->outcome();
    decision.published_url = req->published_url();
    decision.date = date;
    ASSIGN_OR_RETURN(Request decided, store_.Update(req->number(), [&](Request& r, Mutation& m) -> absl::Status {
      RETURN_IF_ERROR(complaints::DecideAccess(r, decision));
      absl::Time now = clock_.Now();
      const CivicAccess& a = r.civic_access;
      std::string text = "Esito: " + a.outcome + " (" + date + ")";
      if (a.exception != AccessException::kNone) text += "; eccezione: " + std::string(AccessExceptionLabel(a.exception));
      if (!a.published_url.empty() && a.outcome_code == AccessOutcome::kPublished) text += "; pubblicato: " + a.published_url;
      m.history.push_back({0, now, who, "decided", std::nullopt, std::nullopt, Visibility::kPublic, text, r.office_id});
      // Public data only: no requester, no counter party.
      m.events.push_back({r.tenant, "request.decided", r.number,
                          absl::StrCat(R"({"number":")", r.number, R"(","kind":")", std::string(KindName(r.kind)),
                                       R"(","outcome":")", log::JsonEscape(a.outcome), R"(","outcome_code":")",
                                       std::string(AccessOutcomeName(a.outcome_code)), R"(","exception":")",
                                       std::string(AccessExceptionName(a.exception)), R"("})"),
                          now});
      return absl::OkStatus();
    }));
    RequestToProto(decided, false, clock_.Now(), response);
    return absl::OkStatus();
  });
}

absl::StatusOr<AccessFilter> ComplaintsService::RegisterFilter(const v1::ListAccessRegisterRequest& req) const {
  AccessFilter f;
  auto canonical = CanonicalTenant(req.tenant());
  if (canonical.ok()) f.tenant = *canonical;
  absl::CivilDay today = absl::ToCivilDay(clock_.Now(), zone_);
  f.from_date = req.from_date().empty() ? absl::FormatCivilTime(absl::CivilDay(absl::CivilMonth(today) - 6))
                                        : req.from_date();
  f.to_date = req.to_date().empty() ? absl::FormatCivilTime(today) : req.to_date();
  std::vector<FieldViolation> violations;
  if (!canonical.ok()) violations.push_back({"tenant", "codice IPA dell'ente non valido"});
  if (!req.semester().empty()) {
    if (auto days = SemesterDays(req.semester())) {
      f.from_date = absl::FormatCivilTime(days->first);
      f.to_date = absl::FormatCivilTime(days->second);
    } else {
      violations.push_back({"semester", "semestre non valido, usare AAAA-S1 o AAAA-S2"});
    }
  } else {
    if (!ValidCivilDate(f.from_date)) violations.push_back({"from_date", "data non valida, usare AAAA-MM-GG"});
    if (!ValidCivilDate(f.to_date)) violations.push_back({"to_date", "data non valida, usare AAAA-MM-GG"});
  }
  if (req.kind() != v1::REQUEST_KIND_UNSPECIFIED) {
    f.kind = KindFromProto(req.kind());
    if (!f.kind || !IsAccessKind(*f.kind)) violations.push_back({"kind", "il registro ha solo richieste di accesso"});
  }
  f.outcome = AccessOutcomeFromProto(req.outcome());
  if (!f.outcome) violations.push_back({"outcome", "esito non valido"});
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  return f;
}

namespace {

// A register row for the public: the object scrubbed of the names on file
// and of anything that looks like personal data.
void RegisterEntryToProto(const AccessEntry& e, absl::Time now, v1::AccessRegisterEntry* p) {
  const Request& r = e.request;
  const AccessOutcome outcome = EffectiveOutcome(r, now);
  p->set_number(r.number);
  p->set_kind(KindToProto(r.kind));
  p->set_object(ScrubPersonalData(r.civic_access.object, e.names));
  p->set_request_date(e.request_date);
  p->set_outcome(outcome == AccessOutcome::kSilentRefusal ? std::string(AccessOutcomeLabel(outcome))
                                                          : ScrubPersonalData(r.civic_access.outcome, e.names));
  p->set_outcome_code(AccessOutcomeToProto(outcome));
  p->set_exception(AccessExceptionToProto(r.civic_access.exception));
  p->set_decision_date(r.civic_access.decision_date);
  p->set_publish_proactively(r.civic_access.publish_proactively);
  p->set_review_outcome(ReviewOutcomeToProto(r.civic_access.review_outcome));
  p->set_review_decision_date(r.civic_access.review_decision_date);
  p->set_counter_parties(e.counter_parties);
  p->set_objected(e.objected);
}

}  // namespace

ComplaintsService::Reactor* ComplaintsService::ListAccessRegister(Ctx* ctx, const v1::ListAccessRegisterRequest* req,
                                                                  v1::ListAccessRegisterResponse* response) {
  return rpc_.Run(ctx, "ListAccessRegister", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(AccessFilter filter, RegisterFilter(*req));
    ASSIGN_OR_RETURN(int page_size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(Page<AccessEntry> page, store_.AccessRegister(filter, page_size, req->page_token()));
    response->set_next_page_token(page.next_page_token);
    absl::Time now = clock_.Now();
    for (const auto& e : page.items) RegisterEntryToProto(e, now, response->add_entries());
    return absl::OkStatus();
  });
}

// ---- Counter-interested parties and review

ComplaintsService::Reactor* ComplaintsService::AddCounterParty(Ctx* ctx, const v1::AddCounterPartyRequest* req,
                                                               v1::CounterParty* response) {
  return rpc_.Run(ctx, "AddCounterParty", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), "", false));
    if (!IsStaff(found.second)) return absl::PermissionDeniedError("riservato all'ente");
    auto channel = NoticeChannelFromProto(req->channel());
    if (!channel) return InvalidArgument({{"channel", "canale di notifica obbligatorio: PEC, e-mail o posta"}});
    CounterParty party;
    party.name = req->name();
    party.address = req->address();
    party.channel = *channel;
    std::string who = ActorName(found.second, caller);
    ASSIGN_OR_RETURN(Request updated, store_.Update(req->number(), [&](Request& r, Mutation& m) -> absl::Status {
      absl::Time now = clock_.Now();
      RETURN_IF_ERROR(NotifyCounterParty(r, party, now, zone_));
      const CounterParty& added = r.civic_access.counter_parties.back();
      const std::string due = absl::FormatTime("%d/%m/%Y", added.objection_due - absl::Seconds(1), zone_);
      // The history names no one: the party is "a counter-interested party".
      m.history.push_back({0, now, who, "counter_party_notified", std::nullopt, std::nullopt, Visibility::kPublic,
                           "Notificata a un controinteressato (" + std::string(NoticeChannelName(added.channel)) +
                               "): può opporsi entro il " + due + "; termine sospeso",
                           r.office_id});
      m.events.push_back({r.tenant, "request.counter_party_notified", r.number,
                          absl::StrCat(R"({"number":")", r.number, R"(","channel":")",
                                       std::string(NoticeChannelName(added.channel)), R"(","objection_due":")",
                                       absl::FormatTime(absl::RFC3339_sec, added.objection_due, absl::UTCTimeZone()),
                                       R"("})"),
                          now});
      return absl::OkStatus();
    }));
    CounterPartyToProto(updated.civic_access.counter_parties.back(), true, response);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::RecordObjection(Ctx* ctx, const v1::RecordObjectionRequest* req,
                                                               v1::Request* response) {
  return rpc_.Run(ctx, "RecordObjection", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), "", false));
    if (!IsStaff(found.second)) return absl::PermissionDeniedError("riservato all'ente");
    if (req->counter_party_id() <= 0) return InvalidArgument({{"counter_party_id", "controinteressato obbligatorio"}});
    std::string who = ActorName(found.second, caller);
    ASSIGN_OR_RETURN(Request updated, store_.Update(req->number(), [&](Request& r, Mutation& m) -> absl::Status {
      absl::Time now = clock_.Now();
      const bool was_suspended = r.civic_access.suspended_until.has_value();
      RETURN_IF_ERROR(complaints::RecordObjection(r, req->counter_party_id(), req->text(), now));
      std::string text = "Opposizione di un controinteressato ricevuta";
      if (was_suspended && !r.civic_access.suspended_until) text += ": il termine riprende";
      m.history.push_back({0, now, who, "objection", std::nullopt, std::nullopt, Visibility::kPublic, text,
                           r.office_id});
      // The objection's words may name people: staff only.
      if (!req->text().empty()) {
        m.history.push_back({0, now, who, "objection", std::nullopt, std::nullopt, Visibility::kInternal,
                             "Motivi dell'opposizione: " + req->text(), r.office_id});
      }
      m.events.push_back({r.tenant, "request.objection_received", r.number,
                          absl::StrCat(R"({"number":")", r.number, R"("})"), now});
      return absl::OkStatus();
    }));
    RequestToProto(updated, true, clock_.Now(), response);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::RequestReview(Ctx* ctx, const v1::RequestReviewRequest* req,
                                                             v1::Request* response) {
  return rpc_.Run(ctx, "RequestReview", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), req->token(), false));
    std::string reason(absl::StripAsciiWhitespace(req->reason()));
    if (reason.size() > 4000 * 4) return InvalidArgument({{"reason", "testo troppo lungo"}});
    const Actor actor = found.second;
    ASSIGN_OR_RETURN(Request updated, store_.Update(req->number(), [&](Request& r, Mutation& m) -> absl::Status {
      absl::Time now = clock_.Now();
      Status from = r.status;
      RETURN_IF_ERROR(complaints::RequestReview(r, now, zone_));
      const std::string due = absl::FormatTime("%d/%m/%Y", r.due_time - absl::Seconds(1), zone_);
      m.history.push_back({0, now, ActorName(actor, caller), "status_changed", from, r.status, Visibility::kPublic,
                           "Chiesto il riesame al responsabile della trasparenza: decisione entro il " + due,
                           r.office_id});
      if (!reason.empty()) {
        m.history.push_back({0, now, ActorName(actor, caller), "message", std::nullopt, std::nullopt,
                             IsStaff(actor) ? Visibility::kInternal : Visibility::kCitizen, reason, r.office_id});
      }
      m.events.push_back({r.tenant, "request.status_changed", r.number, StatusEventData(r, from), now});
      return absl::OkStatus();
    }));
    RequestToProto(updated, IsStaff(actor), clock_.Now(), response);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::DecideReview(Ctx* ctx, const v1::DecideReviewRequest* req,
                                                            v1::Request* response) {
  return rpc_.Run(ctx, "DecideReview", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, Authorize(caller, req->number(), "", false));
    if (found.second != Actor::kOperator) return absl::PermissionDeniedError("decide il responsabile della trasparenza");
    auto outcome = ReviewOutcomeFromProto(req->outcome());
    auto exception = AccessExceptionFromProto(req->exception());
    std::vector<FieldViolation> violations;
    if (!outcome) violations.push_back({"outcome", "esito non valido"});
    if (!exception) violations.push_back({"exception", "eccezione non valida"});
    if (!violations.empty()) return InvalidArgument(std::move(violations));
    std::string date = req->decision_date().empty() ? Today(clock_.Now(), zone_) : req->decision_date();
    std::string who = ActorName(found.second, caller);
    ASSIGN_OR_RETURN(Request updated, store_.Update(req->number(), [&](Request& r, Mutation& m) -> absl::Status {
      absl::Time now = clock_.Now();
      Status from = r.status;
      RETURN_IF_ERROR(complaints::DecideReview(r, *outcome, *exception, date, now, zone_));
      std::string text = "Riesame: " + std::string(ReviewOutcomeName(r.civic_access.review_outcome)) + " (" + date + ")";
      if (r.civic_access.review_outcome != ReviewOutcome::kGranted) {
        text += "; eccezione: " + std::string(AccessExceptionLabel(r.civic_access.exception));
      }
      if (!req->note().empty()) text += ". " + req->note();
      m.history.push_back({0, now, who, "status_changed", from, r.status, Visibility::kPublic, text, r.office_id});
      m.events.push_back({r.tenant, "request.review_decided", r.number,
                          absl::StrCat(R"({"number":")", r.number, R"(","review_outcome":")",
                                       std::string(ReviewOutcomeName(r.civic_access.review_outcome)), R"("})"),
                          now});
      return absl::OkStatus();
    }));
    RequestToProto(updated, false, clock_.Now(), response);
    return absl::OkStatus();
  });
}

// ---- Figures and operations

ComplaintsService::Reactor* ComplaintsService::GetStats(Ctx* ctx, const v1::GetStatsRequest* req,
                                                        v1::RequestStats* response) {
  return rpc_.Run(ctx, "GetStats", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, kStaff));
    absl::Time to = req->has_to() ? FromTs(req->to()) : clock_.Now();
    absl::Time from = req->has_from() ? FromTs(req->from()) : to - absl::Hours(24 * 365);
    if (from >= to) return InvalidArgument({{"from", "deve precedere to"}});
    ASSIGN_OR_RETURN(Stats s, store_.GetStats(tenant, from, to));
    response->set_tenant(tenant);
    response->set_total(s.total);
    auto fill = [](const auto& counts, auto* out) {
      for (const auto& [k, v] : counts) {
        auto* c = out->Add();
        c->set_key(k);
        c->set_count(v);
      }
    };
    fill(s.by_kind, response->mutable_by_kind());
    fill(s.by_category, response->mutable_by_category());
    fill(s.by_office, response->mutable_by_office());
    fill(s.by_channel, response->mutable_by_channel());
    fill(s.by_status, response->mutable_by_status());
    fill(s.by_month, response->mutable_by_month());
    response->set_median_hours_to_first_answer(s.median_hours_first_answer);
    response->set_median_hours_to_resolution(s.median_hours_resolution);
    response->set_resolved_within_deadline(s.resolved_within_deadline);
    response->set_overdue_now(s.overdue_now);
    return absl::OkStatus();
  });
}

// ---- CSV export: streamed in chunks of `export_batch` rows, read by keyset
// pages, each chunk written before the next page is read, so memory stays
// flat whatever the number of rows. One thread per export, capped.

namespace {

// `next(token, &rows)`: the next page's CSV rows and its next page token ("" at the end).
using NextPage = std::function<absl::StatusOr<std::string>(const std::string& token, std::string* rows)>;

StreamProducer<v1::RawBody> CsvExport(std::string filename, std::string header, NextPage next) {
  return [filename = std::move(filename), header = std::move(header), next = std::move(next)](
             StreamSink<v1::RawBody>& sink) -> grpc::Status {
    // No personal data: the export leaves the office.
    v1::RawBody chunk;
    chunk.set_content_type("text/csv; charset=utf-8");
    chunk.set_filename(filename);
    std::string rows = header, token;
    do {
      auto more = next(token, &rows);
      // Headers may be sent already: the error ends the stream, never a truncated file passed as whole.
      if (!more.ok()) return ToGrpcStatus(more.status());
      token = *more;
      chunk.set_data(std::move(rows));
      if (!sink.Send(chunk)) return grpc::Status::CANCELLED;
      chunk.clear_content_type();
      chunk.clear_filename();
      rows.clear();
    } while (!token.empty());
    return grpc::Status::OK;
  };
}

}  // namespace

grpc::ServerWriteReactor<v1::RawBody>* ComplaintsService::ExportRequests(Ctx* ctx,
                                                                         const v1::ListRequestsRequest* req) {
  auto caller = rpc_.Authorize(ctx, "ExportRequests");
  if (!caller.ok()) return RefuseStream<v1::RawBody>(ToGrpcStatus(caller.status()));
  auto filter_or = FilterFromProto(*req);
  if (!filter_or.ok()) return RefuseStream<v1::RawBody>(ToGrpcStatus(filter_or.status()));
  RequestFilter filter = *std::move(filter_or);
  if (absl::Status s = auth::CheckStaffOf(caller->principal, filter.tenant, kStaff); !s.ok()) {
    return RefuseStream<v1::RawBody>(ToGrpcStatus(s));
  }
  if (exports_->fetch_add(1) >= settings_.max_exports) {
    exports_->fetch_sub(1);
    return RefuseStream<v1::RawBody>(
        grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "troppe esportazioni in corso, riprovare"));
  }
  log::Info("export started", {{"tenant", filter.tenant}, {"request_id", caller->request_id}});
  const int batch = settings_.export_batch;
  auto next = [this, filter, batch](const std::string& token, std::string* rows) -> absl::StatusOr<std::string> {
    ASSIGN_OR_RETURN(Page<Request> page, store_.List(filter, batch, token));
    absl::Time now = clock_.Now();
    for (const auto& r : page.items) {
      *rows += absl::StrJoin({CsvCell(r.number), std::string(KindName(r.kind)), CsvCell(r.category),
                              std::string(StatusName(r.status)), std::string(ChannelName(r.channel)),
                              CsvCell(r.office_id), FormatTime(r.create_time, zone_), FormatTime(r.due_time, zone_),
                              FormatTime(r.closed_time, zone_), std::string(IsOverdue(r, now) ? "si" : "no"),
                              CsvCell(r.subject)},
                             ",") +
               "\r\n";
    }
    return page.next_page_token;
  };
  return StartStream(CsvExport("richieste-" + filter.tenant + ".csv",
                               "number,kind,category,status,channel,office_id,created,due,closed,overdue,subject\r\n",
                               std::move(next)),
                     [exports = exports_] { exports->fetch_sub(1); });
}

grpc::ServerWriteReactor<v1::RawBody>* ComplaintsService::ExportAccessRegister(
    Ctx* ctx, const v1::ListAccessRegisterRequest* req) {
  auto caller = rpc_.Authorize(ctx, "ExportAccessRegister");
  if (!caller.ok()) return RefuseStream<v1::RawBody>(ToGrpcStatus(caller.status()));
  auto filter_or = RegisterFilter(*req);
  if (!filter_or.ok()) return RefuseStream<v1::RawBody>(ToGrpcStatus(filter_or.status()));
  if (exports_->fetch_add(1) >= settings_.max_exports) {
    exports_->fetch_sub(1);
    return RefuseStream<v1::RawBody>(
        grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "troppe esportazioni in corso, riprovare"));
  }
  AccessFilter filter = *std::move(filter_or);
  const int batch = settings_.export_batch;
  auto next = [this, filter, batch](const std::string& token, std::string* rows) -> absl::StatusOr<std::string> {
    ASSIGN_OR_RETURN(Page<AccessEntry> page, store_.AccessRegister(filter, batch, token));
    absl::Time now = clock_.Now();
    for (const auto& e : page.items) {
      v1::AccessRegisterEntry p;
      RegisterEntryToProto(e, now, &p);
      *rows += absl::StrJoin({CsvCell(p.number()), std::string(KindName(e.request.kind)), CsvCell(p.object()),
                              p.request_date(), CsvCell(p.outcome()),
                              std::string(AccessOutcomeName(EffectiveOutcome(e.request, now))),
                              std::string(AccessExceptionName(e.request.civic_access.exception)), p.decision_date(),
                              std::string(ReviewOutcomeName(e.request.civic_access.review_outcome)),
                              p.review_decision_date(), std::to_string(p.counter_parties()),
                              std::string(p.objected() ? "si" : "no"),
                              std::string(p.publish_proactively() ? "si" : "no")},
                             ",") +
               "\r\n";
    }
    return page.next_page_token;
  };
  return StartStream(CsvExport("registro-accessi-" + filter.tenant + ".csv",
                               "number,kind,object,request_date,outcome,outcome_code,exception,decision_date,"
                               "review_outcome,review_decision_date,counter_parties,objected,publish_proactively\r\n",
                               std::move(next)),
                     [exports = exports_] { exports->fetch_sub(1); });
}

ComplaintsService::Reactor* ComplaintsService::SetRoutingRule(Ctx* ctx, const v1::RoutingRule* req,
                                                              v1::RoutingRule* response) {
  return rpc_.Run(ctx, "SetRoutingRule", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, kStaff));
    if (req->office_id().empty()) return InvalidArgument({{"office_id", "ufficio obbligatorio"}});
    auto office_tenant = catalogue_.OfficeTenant(caller, req->office_id());
    if (absl::IsNotFound(office_tenant.status()) || (office_tenant.ok() && *office_tenant != tenant)) {
      return InvalidArgument({{"office_id", "ufficio non trovato in questo ente"}});
    }
    if (!office_tenant.ok()) return office_tenant.status();
    RoutingRule rule{tenant, req->category(), "", req->office_id()};
    if (auto kind = KindFromProto(req->kind())) rule.kind = std::string(KindName(*kind));
    RETURN_IF_ERROR(store_.SetRoutingRule(rule));
    *response = *req;
    response->set_tenant(tenant);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::ListRoutingRules(Ctx* ctx, const v1::ListRoutingRulesRequest* req,
                                                                v1::ListRoutingRulesResponse* response) {
  return rpc_.Run(ctx, "ListRoutingRules", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, kStaff));
    ASSIGN_OR_RETURN(int page_size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(Page<RoutingRule> page, store_.ListRoutingRules(tenant, page_size, req->page_token()));
    response->set_next_page_token(page.next_page_token);
    for (const auto& r : page.items) {
      auto* p = response->add_rules();
      p->set_tenant(r.tenant);
      p->set_category(r.category);
      if (auto kind = KindFromName(r.kind)) p->set_kind(KindToProto(*kind));
      p->set_office_id(r.office_id);
    }
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::PurgePersonalData(Ctx* ctx, const v1::PurgePersonalDataRequest* req,
                                                                 v1::PurgePersonalDataResponse* response) {
  return rpc_.Run(ctx, "PurgePersonalData", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, kStaff));
    absl::Time now = clock_.Now();
    absl::Time before = req->has_closed_before() ? FromTs(req->closed_before()) : now - settings_.retention;
    if (before > now) return InvalidArgument({{"closed_before", "non può essere nel futuro"}});
    ASSIGN_OR_RETURN(long long purged, store_.PurgePersonalData(tenant, before));
    response->set_purged(purged);
    log::Info("personal data purged", {{"tenant", tenant}, {"requests", purged}, {"request_id", caller.request_id}});
    return absl::OkStatus();
  });
}

// ---- Public views (Open311 and partners)

ComplaintsService::Reactor* ComplaintsService::ResolveTrackingToken(Ctx* ctx,
                                                                    const v1::ResolveTrackingTokenRequest* req,
                                                                    v1::ResolveTrackingTokenResponse* response) {
  return rpc_.Run(ctx, "ResolveTrackingToken", [=, this](const Caller&) -> absl::Status {
    if (req->token().empty()) return InvalidArgument({{"token", "codice obbligatorio"}});
    ASSIGN_OR_RETURN(Request r, store_.GetByTokenHash(Sha256Hex(req->token())));
    response->set_number(r.number);
    response->set_tenant(r.tenant);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::ListPublicRequests(Ctx* ctx, const v1::ListPublicRequestsRequest* req,
                                                                  v1::ListPublicRequestsResponse* response) {
  return rpc_.Run(ctx, "ListPublicRequests", [=, this](const Caller&) -> absl::Status {
    PublicFilter f;
    ASSIGN_OR_RETURN(f.tenant, CanonicalTenant(req->tenant()));
    if (req->open_only() && req->closed_only()) {
      return InvalidArgument({{"open_only", "open_only e closed_only si escludono"}});
    }
    f.numbers.assign(req->numbers().begin(), req->numbers().end());
    f.category = req->category();
    if (req->has_created_after()) f.created_after = FromTs(req->created_after());
    if (req->has_created_before()) f.created_before = FromTs(req->created_before());
    f.open_only = req->open_only();
    f.closed_only = req->closed_only();
    ASSIGN_OR_RETURN(int page_size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(Page<Request> page, store_.ListPublic(f, page_size, req->page_token()));
    absl::Time now = clock_.Now();
    for (const auto& r : page.items) RequestToProto(r, false, now, response->add_requests());
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

ComplaintsService::Reactor* ComplaintsService::ListPublicUpdates(Ctx* ctx, const v1::ListPublicUpdatesRequest* req,
                                                                 v1::ListPublicUpdatesResponse* response) {
  return rpc_.Run(ctx, "ListPublicUpdates", [=, this](const Caller&) -> absl::Status {
    auto canonical = CanonicalTenant(req->tenant());
    std::string tenant = canonical.ok() ? *canonical : "";
    std::vector<FieldViolation> violations;
    if (!canonical.ok()) violations.push_back({"tenant", "codice IPA dell'ente non valido"});
    if (!req->has_since()) violations.push_back({"since", "data di inizio obbligatoria"});
    if (!violations.empty()) return InvalidArgument(std::move(violations));
    ASSIGN_OR_RETURN(int page_size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(Page<PublicUpdate> page,
                     store_.ListPublicUpdates(tenant, FromTs(req->since()), page_size, req->page_token()));
    for (const auto& u : page.items) {
      auto* p = response->add_updates();
      p->set_id(u.id);
      p->set_number(u.number);
      p->set_status(StatusToProto(u.status));
      p->set_status_label(std::string(StatusLabel(u.status)));
      p->set_description(u.note);
      *p->mutable_time() = Ts(u.time);
    }
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

// ---- Partners' stream: common's outbox stream, capped per caller.

grpc::ServerWriteReactor<v1::Event>* ComplaintsService::StreamRequestEvents(Ctx* ctx,
                                                                            const v1::StreamRequestEventsRequest* req) {
  return streams_.Serve(rpc_, ctx, "StreamRequestEvents", req->tenant(), req->after_sequence(),
                        {Role::kPartner, Role::kOperator});
}

}  // namespace sportello::complaints
