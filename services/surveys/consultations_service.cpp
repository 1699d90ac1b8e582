// The consultations' part of the surveys service's gRPC surface: request ->
// domain (consultations.h) / store -> response. A consultation's answers go
// through SubmitResponse on its survey, whose window the store enforces.
#include "common/crypto.h"
#include "common/grpc/client_address.h"
#include "common/page_token.h"
#include "common/status.h"
#include "common/tenancy.h"
#include "common/text_checks.h"
#include "services/surveys/convert.h"
#include "services/surveys/rules.h"
#include "services/surveys/surveys_service.h"

namespace sportello::surveys {
namespace {

constexpr int kMaxPublishedComments = 1000;

// Violations of the survey rules name survey fields; here they sit under "consultation.".
absl::Status UnderConsultation(absl::Status s) {
  auto violations = FieldViolations(s);
  if (violations.empty()) return s;
  for (auto& v : violations) v.field = "consultation." + v.field;
  return InvalidArgument(std::move(violations));
}

}  // namespace

absl::StatusOr<Consultation> SurveysService::StaffConsultation(const Caller& caller, const std::string& id) {
  ASSIGN_OR_RETURN(Consultation c, store_.GetConsultation(id));
  // Someone else's consultation looks like none.
  if (!IsStaff(caller, c.tenant)) return absl::NotFoundError("consultazione " + id + " non trovata");
  RETURN_IF_ERROR(CheckWriter(caller, c.tenant));
  return c;
}

SurveysService::Reactor* SurveysService::CreateConsultation(Ctx* ctx, const v1::CreateConsultationRequest* req,
                                                            v1::Consultation* resp) {
  return rpc_.Run(ctx, "CreateConsultation", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(CheckWriter(caller, tenant));
    ASSIGN_OR_RETURN(Consultation c, ConsultationFromProto(req->consultation(), zone_));
    absl::Time now = clock_.Now();
    c.tenant = tenant;
    RETURN_IF_ERROR(ValidateConsultation(c, now));
    // The questionnaire: open from the start, answered only within the window.
    Survey s;
    s.tenant = tenant;
    s.title = c.title;
    s.description = c.description;
    s.template_kind = Template::kQuestionnaire;
    s.status = SurveyStatus::kOpen;
    s.channel = Channel::kWeb;
    s.access = c.eligibility == Eligibility::kResidents ? Access::kInvitation : Access::kAnonymous;
    s.published = false;  // results are published by the consultation, at closing
    s.questions = c.questions;
    s.open_time = c.window.open_time;
    s.close_time = c.window.close_time;
    RETURN_IF_ERROR(UnderConsultation(ValidateSurvey(s)));
    ASSIGN_OR_RETURN(Consultation created, store_.CreateConsultation(c, s, now));
    ConsultationToProto(created, PhaseAt(created.window.open_time, created.window.close_time, now), resp);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::ListConsultations(Ctx* ctx, const v1::ListConsultationsRequest* req,
                                                           v1::ListConsultationsResponse* resp) {
  return rpc_.Run(ctx, "ListConsultations", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    absl::Time now = clock_.Now();
    ConsultationFilter f{tenant, PhaseFromProto(req->phase()), now};
    ASSIGN_OR_RETURN(Page<Consultation> page, store_.ListConsultations(f, size, req->page_token()));
    for (const auto& c : page.items) {
      ConsultationToProto(c, PhaseAt(c.window.open_time, c.window.close_time, now), resp->add_consultations());
    }
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::GetConsultation(Ctx* ctx, const v1::GetConsultationRequest* req,
                                                         v1::Consultation* resp) {
  return rpc_.Run(ctx, "GetConsultation", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(Consultation c, store_.GetConsultation(req->id()));
    ConsultationToProto(c, PhaseAt(c.window.open_time, c.window.close_time, clock_.Now()), resp);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::CloseConsultation(Ctx* ctx, const v1::CloseConsultationRequest* req,
                                                           v1::Consultation* resp) {
  return rpc_.Run(ctx, "CloseConsultation", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Consultation existing, StaffConsultation(caller, req->id()));
    absl::Time now = clock_.Now();
    ASSIGN_OR_RETURN(Consultation c, store_.UpdateConsultation(existing.id, now, [&](Consultation& x) -> absl::Status {
      if (PhaseAt(x.window.open_time, x.window.close_time, now) != Phase::kOpen) {
        return absl::FailedPreconditionError("si chiude in anticipo solo una consultazione aperta");
      }
      x.window.close_time = now;
      return absl::OkStatus();
    }));
    ConsultationToProto(c, Phase::kClosed, resp);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::SubmitComment(Ctx* ctx, const v1::SubmitCommentRequest* req,
                                                       v1::ConsultationComment* resp) {
  std::string client_ip = ClientAddress(ctx, settings_.trusted_proxies);
  return rpc_.Run(ctx, "SubmitComment", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Consultation c, store_.GetConsultation(req->id()));
    Comment comment;
    comment.consultation_id = c.id;
    comment.text = req->text();
    comment.author_name = req->author_name();
    comment.author_email = req->author_email();
    Trim(comment.author_name);
    Trim(comment.author_email);
    absl::Time now = clock_.Now();
    RETURN_IF_ERROR(CheckComment(c, comment, now));
    // Residents' consultations: a valid invitation of its survey.
    std::string limit_key = c.id + "|" + client_ip;
    if (c.eligibility == Eligibility::kResidents) {
      if (req->token().empty()) return InvalidArgument({{"token", "questa consultazione è riservata ai residenti invitati"}});
      ASSIGN_OR_RETURN(Invitation inv, store_.InvitationByToken(Sha256Hex(req->token())));
      if (inv.survey_id != c.survey_id) return absl::NotFoundError("invito non valido per questa consultazione");
      if (inv.expire_time <= now) return absl::FailedPreconditionError("l'invito è scaduto");
      comment.invited = true;
      limit_key = c.id + "|" + Sha256Hex(req->token());
    }
    // Anonymous writes are limited like the survey answers (Redis down: unlimited).
    if (!IsStaff(caller, c.tenant) && !comments_.Allow(limit_key)) {
      return absl::ResourceExhaustedError("troppi commenti inviati in poco tempo: riprovare tra qualche minuto");
    }
    // Checked again under the consultation's lock: it may have closed meanwhile.
    ASSIGN_OR_RETURN(Comment stored, store_.InsertComment(comment, now, [&](const Consultation& locked) {
      return CheckComment(locked, comment, now);
    }));
    CommentToProto(stored, false, resp);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::ListComments(Ctx* ctx, const v1::ListCommentsRequest* req,
                                                      v1::ListCommentsResponse* resp) {
  return rpc_.Run(ctx, "ListComments", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(Consultation c, store_.GetConsultation(req->id()));
    bool staff = IsStaff(caller, c.tenant);
    CommentFilter f{c.id, CommentStateFromProto(req->state()), staff};
    // Never shown before approval, rejected never: the public sees approved ones only.
    if (!staff) f.state = CommentState::kApproved;
    ASSIGN_OR_RETURN(Page<Comment> page, store_.ListComments(f, size, req->page_token()));
    for (const auto& k : page.items) CommentToProto(k, staff, resp->add_comments());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

absl::StatusOr<Comment> SurveysService::Moderate(const Caller& caller, const std::string& id, CommentState to,
                                                 const std::string& reason) {
  ASSIGN_OR_RETURN(Comment existing, store_.GetComment(id));
  if (!IsStaff(caller, existing.tenant)) return absl::NotFoundError("commento " + id + " non trovato");
  RETURN_IF_ERROR(CheckWriter(caller, existing.tenant));
  return store_.ModerateComment(id, clock_.Now(), caller.principal.subject, [&](Comment& k) -> absl::Status {
    RETURN_IF_ERROR(CheckModeration(k.state, to, reason));
    k.state = to;
    k.rejection_reason = to == CommentState::kRejected ? reason : "";
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::ApproveComment(Ctx* ctx, const v1::ApproveCommentRequest* req,
                                                        v1::ConsultationComment* resp) {
  return rpc_.Run(ctx, "ApproveComment", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Comment k, Moderate(caller, req->id(), CommentState::kApproved, ""));
    CommentToProto(k, true, resp);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::RejectComment(Ctx* ctx, const v1::RejectCommentRequest* req,
                                                       v1::ConsultationComment* resp) {
  return rpc_.Run(ctx, "RejectComment", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Comment k, Moderate(caller, req->id(), CommentState::kRejected, req->reason()));
    CommentToProto(k, true, resp);
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::GetConsultationResults(Ctx* ctx,
                                                                const v1::GetConsultationResultsRequest* req,
                                                                v1::ConsultationResults* resp) {
  return rpc_.Run(ctx, "GetConsultationResults", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Consultation c, store_.GetConsultation(req->id()));
    Phase phase = PhaseAt(c.window.open_time, c.window.close_time, clock_.Now());
    if (!ResultsPublic(phase) && !IsStaff(caller, c.tenant)) {
      return absl::FailedPreconditionError("i risultati della consultazione si pubblicano alla chiusura");
    }
    ASSIGN_OR_RETURN(Survey s, store_.Get(c.survey_id));
    RETURN_IF_ERROR(Results(s, s.version, resp->mutable_results()));
    // What is published: approved comments only, never who wrote them.
    ASSIGN_OR_RETURN(Page<Comment> approved,
                     store_.ListComments({c.id, CommentState::kApproved, false}, kMaxPublishedComments, ""));
    for (const auto& k : approved.items) CommentToProto(k, false, resp->add_comments());
    ConsultationToProto(c, phase, resp->mutable_consultation());
    resp->set_published(ResultsPublic(phase));
    return absl::OkStatus();
  });
}

SurveysService::Reactor* SurveysService::RespondConsultation(Ctx* ctx, const v1::RespondConsultationRequest* req,
                                                             v1::Consultation* resp) {
  return rpc_.Run(ctx, "RespondConsultation", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Consultation existing, StaffConsultation(caller, req->id()));
    absl::Time now = clock_.Now();
    std::string text = req->text(), url = req->document_url();
    Trim(url);
    ASSIGN_OR_RETURN(Consultation c, store_.UpdateConsultation(existing.id, now, [&](Consultation& x) -> absl::Status {
      RETURN_IF_ERROR(CheckAdministrationResponse(x, text, url, now));
      x.response_text = text;
      x.response_url = url;
      x.respond_time = now;
      return absl::OkStatus();
    }));
    ConsultationToProto(c, Phase::kClosed, resp);
    return absl::OkStatus();
  });
}

}  // namespace sportello::surveys
