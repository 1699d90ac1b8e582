#include "services/surveys/surveys_service.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/grpc/client_address.h"
#include "common/text_checks.h"
#include "common/crypto.h"
#include "common/grpc/status.h"
#include "common/log.h"
#include "common/page_token.h"
#include "common/status.h"
#include "common/tenancy.h"
#include "common/text_checks.h"
#include "services/surveys/convert.h"
#include "services/surveys/rules.h"
#include "services/surveys/templates.h"

namespace sportello::surveys {
namespace {

using auth::Role;

constexpr int kMaxInvitationsPerCall = 1000;
constexpr int kMaxBatch = 500;
constexpr int kMaxExportRows = 100000;
constexpr size_t kMaxSubmissionId = 100;

// Fields a PATCH may name; the rest are set by the service.
const std::set<std::string> kWritable = {"title",    "description", "service_id", "office_id", "channel",
                                         "access",   "published",   "questions",  "headline"};

// Sets SET NX with an expiry: 1 when the key is new, 0 when it was there.
constexpr const char* kClaimScript =
    "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 else return 0 end";

// Violations of the domain name survey fields; on the wire they sit under "survey.".
absl::Status UnderSurvey(absl::Status s) {
  auto violations = FieldViolations(s);
  if (violations.empty()) return s;
  for (auto& v : violations) v.field = "survey." + v.field;
  return InvalidArgument(std::move(violations));
}


const Question* Headline(const Survey& s) {
  for (const auto& q : s.questions) {
    if (q.code == s.headline) return &q;
  }
  return nullptr;
}

}  // namespace

bool IsStaff(const Caller& c, const std::string& tenant) {
  return c.principal.IsStaffOf(tenant, {auth::Role::kOperator, auth::Role::kReferent, auth::Role::kCommunication});
}

absl::Status CheckWriter(const Caller& c, const std::string& tenant) {
  return auth::CheckStaffOf(c.principal, tenant, {auth::Role::kOperator, auth::Role::kCommunication});
}

SurveysService::SurveysService(SurveyStore& store, CatalogueClient& catalogue, ComplaintsClient& complaints,
                               RpcRunner& rpc, cache::RedisCache& redis, const Clock& clock, absl::TimeZone zone,
                               SurveysSettings settings)
    : store_(store),
      catalogue_(catalogue),
      complaints_(complaints),
      rpc_(rpc),
      redis_(redis),
      answers_(redis, "surveys:answer", settings.answers_per_minute, settings.answer_burst),
      comments_(redis, "surveys:comment", settings.comments_per_minute, settings.comment_burst),
      clock_(clock),
      zone_(zone),
      settings_(std::move(settings)),
      streams_(store.pool(), "surveys",
               {settings_.max_streams, settings_.max_streams_per_caller, 100, settings_.stream_poll}) {}

absl::StatusOr<Survey> SurveysService::StaffSurvey(const Caller& caller, const std::string& id) {
  ASSIGN_OR_RETURN(Survey s, store_.Get(id));
  // Someone else's survey looks like no survey.
  if (!IsStaff(caller, s.tenant)) return absl::NotFoundError("questionario " + id + " non trovato");
  RETURN_IF_ERROR(CheckWriter(caller, s.tenant));
  return s;
}

absl::StatusOr<Survey> SurveysService::VisibleSurvey(const Caller& caller, const std::string& id) {
  ASSIGN_OR_RETURN(Survey s, store_.Get(id));
  if (s.status != SurveyStatus::kOpen && !s.published && !IsStaff(caller, s.tenant)) {
    return absl::NotFoundError("questionario " + id + " non trovato");
  }
  return s;
}

absl::Status SurveysService::CheckCatalogue(const std::string& tenant, const std::string& service_id,
                                           const std::string& office_id) {
  std::vector<FieldViolation> bad;
  if (!service_id.empty()) {
    auto owner = catalogue_.ServiceTenant(service_id);
    if (!owner.ok() && !absl::IsNotFound(owner.status())) return owner.status();
    if (!owner.ok() || *owner != tenant) bad.push_back({"survey.service_id", "servizio sconosciuto per questo ente"});
  }
  if (!office_id.empty()) {
    auto owner = catalogue_.OfficeTenant(office_id);
    if (!owner.ok() && !absl::IsNotFound(owner.status())) return owner.status();
    if (!owner.ok() || *owner != tenant) bad.push_back({"survey.office_id", "ufficio sconosciuto per questo ente"});
  }
  if (!bad.empty()) return InvalidArgument(std::move(bad));
  return absl::OkStatus();
}

absl::StatusOr<Survey> SurveysService::Move(const Caller& caller, const std::string& id, SurveyStatus to) {
  ASSIGN_OR_RETURN(Survey s, StaffSurvey(caller, id));
  return store_.Update(s.id, clock_.Now(), [&](Survey& x, bool) -> absl::Status {
    RETURN_IF_ERROR(CheckStatusChange(x.status, to));
    if (to == SurveyStatus::kOpen && x.questions.empty()) {
      return absl::FailedPreconditionError("il questionario non ha domande");
    }
    x.status = to;
    return absl::OkStatus();
  });
}

// ---- Surveys

SurveysService::Reactor* SurveysService::CreateSurvey(Ctx* ctx, const v1::CreateSurveyRequest* req,
                                                      v1::Survey* resp) {
  return rpc_.Run(ctx, "CreateSurvey", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(CheckWriter(caller, tenant));
    ASSIGN_OR_RETURN(Survey given, SurveyFromProto(req->survey()));
    Template t = TemplateFromProto(req->template_());
    Survey s = FromTemplate(t);
    if (t == Template::kNone || t == Template::kQuestionnaire) {
      s.questions = given.questions;
      s.headline = given.headline;
    }
    if (!given.title.empty()) s.title = given.title;
    s.tenant = tenant;
    s.description = given.description;
    s.service_id = given.service_id;
    s.office_id = given.office_id;
    s.channel = given.channel;
    // A post-resolution survey is answered through the requests' invitations.
    s.access = t == Template::kPostResolution ? Access::kInvitation : given.access;
    s.published = given.published;
    s.status = SurveyStatus::kDraft;
    RETURN_IF_ERROR(UnderSurvey(ValidateSurvey(s)));
    RETURN_IF_ERROR(CheckCatalogue(tenant, s.service_id, s.office_id));
    auto created = store_.Create(s, clock_.Now());
    if (absl::IsAlreadyExists(created.status())) {
      return absl::AlreadyExistsError("l'ente ha già un questionario post-risoluzione aperto o in bozza");
    }
    if (!created.ok()) return created.status();
    SurveyToProto(*created, resp);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::ListSurveys(Ctx* ctx, const v1::ListSurveysRequest* req,
                                                     v1::ListSurveysResponse* resp) {
  return rpc_.Run(ctx, "ListSurveys", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    SurveyFilter f{tenant, StatusFromProto(req->status()), req->service_id(), req->office_id(),
                   !IsStaff(caller, tenant), false};
    ASSIGN_OR_RETURN(Page<Survey> page, store_.List(f, size, req->page_token()));
    for (const auto& s : page.items) SurveyToProto(s, resp->add_surveys());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::GetSurvey(Ctx* ctx, const v1::GetSurveyRequest* req, v1::Survey* resp) {
  return rpc_.Run(ctx, "GetSurvey", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Survey s, VisibleSurvey(caller, req->id()));
    SurveyToProto(s, resp);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::UpdateSurvey(Ctx* ctx, const v1::UpdateSurveyRequest* req,
                                                      v1::Survey* resp) {
  return rpc_.Run(ctx, "UpdateSurvey", [=, this](const Caller& caller) -> absl::Status {
    // AIP-134: without a mask, the fields present in the body.
    std::set<std::string> paths(req->update_mask().paths().begin(), req->update_mask().paths().end());
    if (paths.empty()) {
      std::vector<const google::protobuf::FieldDescriptor*> present;
      req->survey().GetReflection()->ListFields(req->survey(), &present);
      for (const auto* f : present) paths.insert(f->name());
    }
    for (const auto& p : paths) {
      if (!kWritable.count(p)) return InvalidArgument({{"update_mask", "campo non modificabile o sconosciuto: " + p}});
    }
    if (paths.empty()) return InvalidArgument({{"update_mask", "nessun campo da modificare"}});
    ASSIGN_OR_RETURN(Survey patch, SurveyFromProto(req->survey()));
    ASSIGN_OR_RETURN(Survey existing, StaffSurvey(caller, req->id()));
    auto has = [&](const char* p) { return paths.count(p) > 0; };
    RETURN_IF_ERROR(CheckCatalogue(existing.tenant, has("service_id") ? patch.service_id : "",
                                   has("office_id") ? patch.office_id : ""));
    ASSIGN_OR_RETURN(Survey updated, store_.Update(existing.id, clock_.Now(), [&](Survey& s, bool answered) {
      if (has("title")) s.title = patch.title;
      if (has("description")) s.description = patch.description;
      if (has("service_id")) s.service_id = patch.service_id;
      if (has("office_id")) s.office_id = patch.office_id;
      if (has("channel")) s.channel = patch.channel;
      if (has("published")) s.published = patch.published;
      if (has("access") && patch.access != s.access) {
        if (answered) return absl::FailedPreconditionError("il questionario ha già risposte: la modalità non cambia");
        if (s.template_kind == Template::kPostResolution) {
          return InvalidArgument({{"survey.access", "il questionario post-risoluzione si compila su invito"}});
        }
        s.access = patch.access;
      }
      // Questions freeze at the first response: a change makes a new version.
      auto questions = has("questions") ? patch.questions : s.questions;
      auto headline = has("headline") ? patch.headline : s.headline;
      s.version = VersionAfterChange(s, questions, headline, answered);
      s.questions = std::move(questions);
      s.headline = std::move(headline);
      RETURN_IF_ERROR(UnderSurvey(ValidateSurvey(s)));
      if (s.status == SurveyStatus::kOpen && s.questions.empty()) {
        return absl::FailedPreconditionError("un questionario aperto deve avere almeno una domanda");
      }
      return absl::OkStatus();
    }));
    SurveyToProto(updated, resp);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::OpenSurvey(Ctx* ctx, const v1::OpenSurveyRequest* req, v1::Survey* resp) {
  return rpc_.Run(ctx, "OpenSurvey", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Survey s, Move(caller, req->id(), SurveyStatus::kOpen));
    SurveyToProto(s, resp);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::CloseSurvey(Ctx* ctx, const v1::CloseSurveyRequest* req,
                                                     v1::Survey* resp) {
  return rpc_.Run(ctx, "CloseSurvey", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Survey s, Move(caller, req->id(), SurveyStatus::kClosed));
    SurveyToProto(s, resp);
    return absl::OkStatus();
  });
}

// ---- Answers

absl::StatusOr<SurveysService::Stored> SurveysService::Answer(const Caller& caller,
                                                              const v1::SubmitResponseRequest& req,
                                                              const std::string& client_ip) {
  if (req.submission_id().size() > kMaxSubmissionId || !ValidUtf8(req.submission_id())) {
    return InvalidArgument({{"submission_id", "al massimo 100 caratteri"}});
  }
  ASSIGN_OR_RETURN(Survey s, store_.Get(req.id()));
  RETURN_IF_ERROR(CheckAnswerWindow(s, clock_.Now()));
  ASSIGN_OR_RETURN(CheckedResponse checked, CheckResponse(s, AnswersFromProto(req.answers())));

  NewResponse n;
  n.survey_id = s.id;
  n.tenant = s.tenant;
  n.version = s.version;
  n.service_id = s.service_id;
  n.office_id = s.office_id;
  n.channel = s.channel;
  n.headline = checked.headline;
  n.answers = checked.answers;
  std::optional<Invitation> invitation;
  if (!req.number().empty() || !req.tracking_token().empty()) {
    if (req.number().empty() || req.tracking_token().empty()) {
      return InvalidArgument({{"tracking_token", "il numero della richiesta e il suo codice vanno indicati insieme"}});
    }
    ASSIGN_OR_RETURN(auto tracked, complaints_.Resolve(req.tracking_token()));
    if (tracked.number != req.number()) return absl::NotFoundError("richiesta " + req.number() + " non trovata");
    ASSIGN_OR_RETURN(invitation, store_.InvitationByRequest(tracked.tenant, tracked.number));
    n.request_number = tracked.number;
  } else if (!req.token().empty()) {
    ASSIGN_OR_RETURN(invitation, store_.InvitationByToken(Sha256Hex(req.token())));
    n.invitation_token_hash = Sha256Hex(req.token());
  } else if (s.access == Access::kInvitation) {
    return InvalidArgument({{"token", "questo questionario si compila solo con un invito"}});
  }
  if (invitation) {
    if (invitation->survey_id != s.id) return absl::NotFoundError("invito non valido per questo questionario");
    if (!invitation->service_id.empty()) n.service_id = invitation->service_id;
    if (!invitation->office_id.empty()) n.office_id = invitation->office_id;
    if (invitation->channel != Channel::kUnspecified) n.channel = invitation->channel;
  }
  if (req.channel() != v1::SURVEY_CHANNEL_UNSPECIFIED) n.channel = ChannelFromProto(req.channel());
  if (n.channel == Channel::kUnspecified) n.channel = Channel::kWeb;
  n.now = clock_.Now();

  // Anonymous widgets: de-duplicated by the submission id for a day and
  // limited per client address and survey. Redis down: neither, never a refusal.
  bool anonymous = !invitation && !IsStaff(caller, s.tenant);
  std::string claim;
  if (anonymous && !req.submission_id().empty()) {
    claim = "surveys:v1:submission:" + s.id + ":" + Sha256Hex(req.submission_id());
    ASSIGN_OR_RETURN(ClaimState state, Claim(claim));
    if (state == ClaimState::kStored) {
      auto first = redis_.Get(claim);
      return Stored{first.value_or(""), true};
    }
    if (state == ClaimState::kNoRedis) claim.clear();
  }
  if (anonymous && !answers_.Allow(s.id + "|" + client_ip)) {
    if (!claim.empty()) redis_.Delete(claim);
    return absl::ResourceExhaustedError("troppe risposte inviate in poco tempo: riprovare tra qualche minuto");
  }
  auto id = store_.InsertResponse(n);
  if (!id.ok()) {
    if (!claim.empty()) redis_.Delete(claim);  // a retry may then succeed
    return id.status();
  }
  if (!claim.empty()) redis_.Set(claim, *id, settings_.dedup_window);
  return Stored{*id, false};
}

// Claims a submission id for this attempt: kOurs to store, kStored when an
// earlier attempt stored it (the claim holds its response id), kNoRedis when
// Redis is down (not de-duplicated). A claim still "pending" is an attempt
// being stored, or one that died before storing (a crash, SIGKILL): never
// answered as a duplicate, since nothing may ever be stored. Waits a little
// for it (a double tap), then asks for a retry; the claim of a dead attempt
// expires after pending_claim and the retry stores the answer.
absl::StatusOr<SurveysService::ClaimState> SurveysService::Claim(const std::string& claim) {
  const std::string pending_ms = std::to_string(absl::ToInt64Milliseconds(settings_.pending_claim));
  const absl::Time give_up = absl::Now() + settings_.pending_wait;
  while (true) {
    auto fresh = redis_.EvalInt(kClaimScript, {claim}, {"pending", pending_ms});
    if (!fresh) return ClaimState::kNoRedis;
    if (*fresh == 1) return ClaimState::kOurs;
    auto first = redis_.Get(claim);
    if (first && *first != "pending") return ClaimState::kStored;
    if (absl::Now() >= give_up) {
      return absl::UnavailableError(
          "una risposta con lo stesso submission_id è in corso di registrazione: riprovare tra qualche secondo");
    }
    // Still pending: wait. Gone (the first attempt failed and released it): claim again.
    if (first) absl::SleepFor(absl::Milliseconds(50));
  }
}

SurveysService::Reactor* SurveysService::SubmitResponse(Ctx* ctx, const v1::SubmitResponseRequest* req,
                                                        v1::SubmitResponseResponse* resp) {
  std::string client_ip = ClientAddress(ctx, settings_.trusted_proxies);
  return rpc_.Run(ctx, "SubmitResponse", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Stored stored, Answer(caller, *req, client_ip));
    resp->set_response_id(stored.response_id);
    resp->set_duplicate(stored.duplicate);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::SubmitResponseBatch(Ctx* ctx, const v1::SubmitResponseBatchRequest* req,
                                                             v1::SubmitResponseBatchResponse* resp) {
  return rpc_.Run(ctx, "SubmitResponseBatch", [=, this](const Caller& caller) -> absl::Status {
    if (req->responses_size() > kMaxBatch) {
      return InvalidArgument({{"responses", absl::StrCat("al massimo ", kMaxBatch, " risposte per chiamata")}});
    }
    ASSIGN_OR_RETURN(Survey s, store_.Get(req->id()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, s.tenant, {Role::kPartner}));
    if (s.access == Access::kInvitation) {
      return absl::FailedPreconditionError("un questionario su invito non accetta risposte in blocco");
    }
    for (int i = 0; i < req->responses_size(); ++i) {
      const auto& item = req->responses(i);
      auto* out = resp->add_results();
      out->set_submission_id(item.submission_id());
      absl::Status status = [&]() -> absl::Status {
        if (item.submission_id().empty() || item.submission_id().size() > kMaxSubmissionId) {
          return InvalidArgument({{absl::StrCat("responses[", i, "].submission_id"), "obbligatorio, al massimo 100 caratteri"}});
        }
        ASSIGN_OR_RETURN(auto seen, store_.FindPartnerSubmission(s.id, item.submission_id()));
        if (seen) {
          out->set_response_id(*seen);
          out->set_duplicate(true);
          return absl::OkStatus();
        }
        RETURN_IF_ERROR(CheckAnswerWindow(s, clock_.Now()));
        ASSIGN_OR_RETURN(CheckedResponse checked, CheckResponse(s, AnswersFromProto(item.answers())));
        NewResponse n;
        n.survey_id = s.id;
        n.tenant = s.tenant;
        n.version = s.version;
        n.service_id = s.service_id;
        n.office_id = s.office_id;
        n.channel = item.channel() != v1::SURVEY_CHANNEL_UNSPECIFIED ? ChannelFromProto(item.channel())
                    : s.channel != Channel::kUnspecified                ? s.channel
                                                                        : Channel::kCounter;
        n.headline = checked.headline;
        n.answers = checked.answers;
        n.partner_submission_id = item.submission_id();
        n.now = clock_.Now();
        ASSIGN_OR_RETURN(std::string id, store_.InsertResponse(n));
        out->set_response_id(id);
        return absl::OkStatus();
      }();
      out->set_code(static_cast<int>(status.code()));
      out->set_message(std::string(status.message()));
    }
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::ListResponses(Ctx* ctx, const v1::ListResponsesRequest* req,
                                                       v1::ListResponsesResponse* resp) {
  return rpc_.Run(ctx, "ListResponses", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Survey s, StaffSurvey(caller, req->id()));
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(Page<StoredResponse> page, store_.ListResponses(s.id, size, req->page_token()));
    for (const auto& r : page.items) ResponseToProto(r, resp->add_responses());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::ExportResponses(Ctx* ctx, const v1::ExportResponsesRequest* req,
                                                         v1::RawBody* resp) {
  return rpc_.Run(ctx, "ExportResponses", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Survey current, StaffSurvey(caller, req->id()));
    int version = req->version() > 0 ? req->version() : current.version;
    ASSIGN_OR_RETURN(Survey s, store_.GetVersion(current.id, version));
    ASSIGN_OR_RETURN(auto rows, store_.ResponsesOfVersion(s.id, version, kMaxExportRows));
    std::string csv = "risposta,ora,canale,invito";
    for (const auto& q : s.questions) absl::StrAppend(&csv, ",", CsvCell(q.code));
    csv += "\r\n";
    for (const auto& r : rows) {
      // Times to the hour: a minute could tell who answered at the counter.
      csv += r.id + "," + absl::FormatTime("%Y-%m-%d %H:00", r.time, zone_) + "," +
             std::string(ChannelName(r.channel)) + "," + (r.invited ? "sì" : "no");
      for (const auto& q : s.questions) {
        std::string cell;
        for (const auto& a : r.answers) {
          if (a.question != q.code) continue;
          if (a.value) cell = std::to_string(*a.value);
          if (!a.choices.empty()) cell = absl::StrJoin(a.choices, "|");
          if (!a.text.empty()) cell = "testo fornito";  // never the words
        }
        absl::StrAppend(&csv, ",", CsvCell(cell));
      }
      csv += "\r\n";
    }
    resp->set_content_type("text/csv; charset=utf-8");
    resp->set_filename(absl::StrCat("questionario-", s.id, "-v", version, ".csv"));
    resp->set_data(std::move(csv));
    return absl::OkStatus();
  });
}

// ---- Invitations

SurveysService::Reactor* SurveysService::MintInvitations(Ctx* ctx, const v1::MintInvitationsRequest* req,
                                                         v1::MintInvitationsResponse* resp) {
  return rpc_.Run(ctx, "MintInvitations", [=, this](const Caller& caller) -> absl::Status {
    std::vector<FieldViolation> bad;
    if (req->count() < 1 || req->count() > kMaxInvitationsPerCall) {
      bad.push_back({"count", absl::StrCat("da 1 a ", kMaxInvitationsPerCall, " inviti per volta")});
    }
    if (req->valid_days() < 0 || req->valid_days() > 366) bad.push_back({"valid_days", "da 1 a 366 giorni"});
    if (!bad.empty()) return InvalidArgument(std::move(bad));
    ASSIGN_OR_RETURN(Survey s, StaffSurvey(caller, req->id()));
    if (s.access != Access::kInvitation) {
      return absl::FailedPreconditionError("il questionario è anonimo: non usa inviti");
    }
    NewInvitations n;
    n.survey_id = s.id;
    n.tenant = s.tenant;
    n.service_id = s.service_id;
    n.office_id = s.office_id;
    n.channel = req->channel() != v1::SURVEY_CHANNEL_UNSPECIFIED ? ChannelFromProto(req->channel()) : s.channel;
    n.now = clock_.Now();
    n.expire_time = n.now + (req->valid_days() > 0 ? absl::Hours(24) * req->valid_days() : settings_.invitation_validity);
    std::vector<std::string> tokens;
    for (int i = 0; i < req->count(); ++i) {
      tokens.push_back(RandomToken());
      n.token_hashes.push_back(Sha256Hex(tokens.back()));
    }
    RETURN_IF_ERROR(store_.MintInvitations(n));
    // Shown here once: only their hashes are kept.
    for (const auto& t : tokens) {
      auto* out = resp->add_invitations();
      out->set_token(t);
      *out->mutable_expire_time() = Ts(n.expire_time);
    }
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::GetInvitation(Ctx* ctx, const v1::GetInvitationRequest* req,
                                                       v1::InvitationView* resp) {
  return rpc_.Run(ctx, "GetInvitation", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(Invitation inv, store_.InvitationByToken(Sha256Hex(req->token())));
    ASSIGN_OR_RETURN(Survey s, store_.Get(inv.survey_id));
    SurveyToProto(s, resp->mutable_survey());
    resp->set_answered(inv.answered);
    *resp->mutable_expire_time() = Ts(inv.expire_time);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::GetRequestSurvey(Ctx* ctx, const v1::GetRequestSurveyRequest* req,
                                                          v1::InvitationView* resp) {
  return rpc_.Run(ctx, "GetRequestSurvey", [=, this](const Caller&) -> absl::Status {
    if (req->token().empty()) return InvalidArgument({{"token", "il codice della richiesta è obbligatorio"}});
    ASSIGN_OR_RETURN(auto tracked, complaints_.Resolve(req->token()));
    // A number alone reveals nothing: a token of another request looks like none.
    if (tracked.number != req->number()) return absl::NotFoundError("richiesta " + req->number() + " non trovata");
    ASSIGN_OR_RETURN(Invitation inv, store_.InvitationByRequest(tracked.tenant, tracked.number));
    ASSIGN_OR_RETURN(Survey s, store_.Get(inv.survey_id));
    SurveyToProto(s, resp->mutable_survey());
    resp->set_answered(inv.answered);
    *resp->mutable_expire_time() = Ts(inv.expire_time);
    return absl::OkStatus();
  });
}

// ---- Results and indices

absl::StatusOr<IndexTable> SurveysService::IndicesOf(const Survey& s, const FactsFilter& filter, Grouping grouping) {
  ASSIGN_OR_RETURN(IndexFacts facts, store_.Facts(s.id, filter));
  IndexOptions o;
  if (const Question* h = Headline(s)) {
    o.scale_min = h->scale_min;
    o.scale_max = h->scale_max;
  } else {
    for (auto& r : facts.responses) r.headline.reset();  // no headline: counts only
  }
  o.invitation = s.access == Access::kInvitation;
  o.threshold = settings_.ThresholdOf(s.tenant);
  o.zone = zone_;
  return ComputeIndices(facts.responses, facts.invitations, grouping, o);
}

SurveysService::Reactor* SurveysService::GetSurveyResults(Ctx* ctx, const v1::GetSurveyResultsRequest* req,
                                                          v1::SurveyResults* resp) {
  return rpc_.Run(ctx, "GetSurveyResults", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Survey current, VisibleSurvey(caller, req->id()));
    if (!current.published && !IsStaff(caller, current.tenant)) {
      return absl::PermissionDeniedError("i risultati di questo questionario non sono pubblicati");
    }
    return Results(current, req->version() > 0 ? req->version() : current.version, resp);
  });
}

absl::Status SurveysService::Results(const Survey& current, int version, v1::SurveyResults* resp) {
  ASSIGN_OR_RETURN(Survey s, store_.GetVersion(current.id, version));
  ASSIGN_OR_RETURN(auto rows, store_.ResponsesOfVersion(s.id, version, kMaxExportRows));
  std::vector<std::vector<surveys::Answer>> answers;
  for (auto& r : rows) answers.push_back(std::move(r.answers));
  int threshold = settings_.ThresholdOf(s.tenant);
  FactsFilter all{"", "", Channel::kUnspecified, absl::InfinitePast(), absl::InfiniteFuture()};
  ASSIGN_OR_RETURN(IndexTable table, IndicesOf(s, all, Grouping::kNone));
  resp->set_survey_id(s.id);
  resp->set_version(version);
  resp->set_threshold(threshold);
  CellToProto(table.total, resp->mutable_indices());
  for (const auto& q : ComputeResults(s, answers, threshold)) QuestionResultToProto(q, resp->add_questions());
  return absl::OkStatus();
}

SurveysService::Reactor* SurveysService::GetIndices(Ctx* ctx, const v1::GetIndicesRequest* req,
                                                    v1::GetIndicesResponse* resp) {
  return rpc_.Run(ctx, "GetIndices", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    bool staff = IsStaff(caller, tenant);
    absl::Time now = clock_.Now();
    FactsFilter filter{req->service_id(), req->office_id(), ChannelFromProto(req->channel()),
                       req->has_from() ? FromTs(req->from()) : now - absl::Hours(24 * 365),
                       req->has_to() ? FromTs(req->to()) : now + absl::Seconds(1)};  // [from, to)
    if (filter.from >= filter.to) return InvalidArgument({{"from", "l'inizio del periodo deve precedere la fine"}});
    std::vector<Survey> surveys;
    if (!req->survey_id().empty()) {
      ASSIGN_OR_RETURN(Survey s, store_.Get(req->survey_id()));
      if (s.tenant != tenant || (!s.published && !staff)) {
        return absl::NotFoundError("questionario " + req->survey_id() + " non trovato");
      }
      surveys.push_back(std::move(s));
    } else {
      SurveyFilter f{tenant, std::nullopt, "", "", false, !staff};
      ASSIGN_OR_RETURN(Page<Survey> page, store_.List(f, size, req->page_token()));
      surveys = std::move(page.items);
      resp->set_next_page_token(page.next_page_token);
    }
    Grouping grouping = GroupingFromProto(req->grouping());
    for (const auto& s : surveys) {
      ASSIGN_OR_RETURN(IndexTable table, IndicesOf(s, filter, grouping));
      auto* out = resp->add_surveys();
      out->set_survey_id(s.id);
      out->set_title(s.title);
      out->set_template_(TemplateToProto(s.template_kind));
      CellToProto(table.total, out->mutable_total());
      for (const auto& g : table.groups) CellToProto(g, out->add_groups());
    }
    resp->set_threshold(settings_.ThresholdOf(tenant));
    return absl::OkStatus();
  });
}

// ---- Partners' stream: common's outbox stream, capped per caller.

grpc::ServerWriteReactor<v1::Event>* SurveysService::StreamSurveyEvents(Ctx* ctx,
                                                                        const v1::StreamSurveyEventsRequest* req) {
  return streams_.Serve(rpc_, ctx, "StreamSurveyEvents", req->tenant(), req->after_sequence(),
                        {Role::kPartner, Role::kOperator});
}

}  // namespace sportello::surveys
