#include "services/surveys/convert.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace sportello::surveys {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp Ts(absl::Time t) { return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t)); }
absl::Time FromTs(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

v1::SurveyStatus StatusToProto(SurveyStatus s) {
  switch (s) {
    case SurveyStatus::kDraft: return v1::SURVEY_STATUS_DRAFT;
    case SurveyStatus::kOpen: return v1::SURVEY_STATUS_OPEN;
    case SurveyStatus::kClosed: return v1::SURVEY_STATUS_CLOSED;
  }
  return v1::SURVEY_STATUS_UNSPECIFIED;
}

std::optional<SurveyStatus> StatusFromProto(v1::SurveyStatus s) {
  switch (s) {
    case v1::SURVEY_STATUS_DRAFT: return SurveyStatus::kDraft;
    case v1::SURVEY_STATUS_OPEN: return SurveyStatus::kOpen;
    case v1::SURVEY_STATUS_CLOSED: return SurveyStatus::kClosed;
    default: return std::nullopt;
  }
}

v1::SurveyChannel ChannelToProto(Channel c) {
  switch (c) {
    case Channel::kUnspecified: return v1::SURVEY_CHANNEL_UNSPECIFIED;
    case Channel::kWeb: return v1::SURVEY_CHANNEL_WEB;
    case Channel::kCounter: return v1::SURVEY_CHANNEL_COUNTER;
    case Channel::kPhone: return v1::SURVEY_CHANNEL_PHONE;
    case Channel::kApp: return v1::SURVEY_CHANNEL_APP;
    case Channel::kEmailLink: return v1::SURVEY_CHANNEL_EMAIL_LINK;
  }
  return v1::SURVEY_CHANNEL_UNSPECIFIED;
}

Channel ChannelFromProto(v1::SurveyChannel c) {
  switch (c) {
    case v1::SURVEY_CHANNEL_WEB: return Channel::kWeb;
    case v1::SURVEY_CHANNEL_COUNTER: return Channel::kCounter;
    case v1::SURVEY_CHANNEL_PHONE: return Channel::kPhone;
    case v1::SURVEY_CHANNEL_APP: return Channel::kApp;
    case v1::SURVEY_CHANNEL_EMAIL_LINK: return Channel::kEmailLink;
    default: return Channel::kUnspecified;
  }
}

v1::SurveyTemplate TemplateToProto(Template t) {
  switch (t) {
    case Template::kNone: return v1::SURVEY_TEMPLATE_UNSPECIFIED;
    case Template::kStars: return v1::SURVEY_TEMPLATE_STARS;
    case Template::kStarsPage: return v1::SURVEY_TEMPLATE_STARS_PAGE;
    case Template::kFaces: return v1::SURVEY_TEMPLATE_FACES;
    case Template::kNps: return v1::SURVEY_TEMPLATE_NPS;
    case Template::kPostResolution: return v1::SURVEY_TEMPLATE_POST_RESOLUTION;
    case Template::kQuestionnaire: return v1::SURVEY_TEMPLATE_QUESTIONNAIRE;
  }
  return v1::SURVEY_TEMPLATE_UNSPECIFIED;
}

Template TemplateFromProto(v1::SurveyTemplate t) {
  switch (t) {
    case v1::SURVEY_TEMPLATE_STARS: return Template::kStars;
    case v1::SURVEY_TEMPLATE_STARS_PAGE: return Template::kStarsPage;
    case v1::SURVEY_TEMPLATE_FACES: return Template::kFaces;
    case v1::SURVEY_TEMPLATE_NPS: return Template::kNps;
    case v1::SURVEY_TEMPLATE_POST_RESOLUTION: return Template::kPostResolution;
    case v1::SURVEY_TEMPLATE_QUESTIONNAIRE: return Template::kQuestionnaire;
    default: return Template::kNone;
  }
}

Grouping GroupingFromProto(v1::IndexGrouping g) {
  switch (g) {
    case v1::INDEX_GROUPING_MONTH: return Grouping::kMonth;
    case v1::INDEX_GROUPING_SERVICE: return Grouping::kService;
    case v1::INDEX_GROUPING_OFFICE: return Grouping::kOffice;
    case v1::INDEX_GROUPING_CHANNEL: return Grouping::kChannel;
    default: return Grouping::kNone;
  }
}

namespace {

v1::QuestionType TypeToProto(QuestionType t) {
  switch (t) {
    case QuestionType::kSingleChoice: return v1::QUESTION_TYPE_SINGLE_CHOICE;
    case QuestionType::kMultipleChoice: return v1::QUESTION_TYPE_MULTIPLE_CHOICE;
    case QuestionType::kScale: return v1::QUESTION_TYPE_SCALE;
    case QuestionType::kText: return v1::QUESTION_TYPE_TEXT;
  }
  return v1::QUESTION_TYPE_UNSPECIFIED;
}

std::optional<QuestionType> TypeFromProto(v1::QuestionType t) {
  switch (t) {
    case v1::QUESTION_TYPE_SINGLE_CHOICE: return QuestionType::kSingleChoice;
    case v1::QUESTION_TYPE_MULTIPLE_CHOICE: return QuestionType::kMultipleChoice;
    case v1::QUESTION_TYPE_SCALE: return QuestionType::kScale;
    case v1::QUESTION_TYPE_TEXT: return QuestionType::kText;
    default: return std::nullopt;
  }
}

v1::ConditionOperator OpToProto(ConditionOp op) {
  switch (op) {
    case ConditionOp::kIn: return v1::CONDITION_OPERATOR_IN;
    case ConditionOp::kNotIn: return v1::CONDITION_OPERATOR_NOT_IN;
    case ConditionOp::kBelow: return v1::CONDITION_OPERATOR_BELOW;
    case ConditionOp::kAtLeast: return v1::CONDITION_OPERATOR_AT_LEAST;
  }
  return v1::CONDITION_OPERATOR_UNSPECIFIED;
}

std::optional<ConditionOp> OpFromProto(v1::ConditionOperator op) {
  switch (op) {
    case v1::CONDITION_OPERATOR_IN: return ConditionOp::kIn;
    case v1::CONDITION_OPERATOR_NOT_IN: return ConditionOp::kNotIn;
    case v1::CONDITION_OPERATOR_BELOW: return ConditionOp::kBelow;
    case v1::CONDITION_OPERATOR_AT_LEAST: return ConditionOp::kAtLeast;
    default: return std::nullopt;
  }
}

}  // namespace

void SurveyToProto(const Survey& s, v1::Survey* p) {
  p->set_id(s.id);
  p->set_tenant(s.tenant);
  p->set_title(s.title);
  p->set_description(s.description);
  p->set_template_(TemplateToProto(s.template_kind));
  p->set_status(StatusToProto(s.status));
  p->set_service_id(s.service_id);
  p->set_office_id(s.office_id);
  p->set_channel(ChannelToProto(s.channel));
  p->set_access(s.access == Access::kInvitation ? v1::SURVEY_ACCESS_INVITATION : v1::SURVEY_ACCESS_ANONYMOUS);
  p->set_published(s.published);
  p->set_version(s.version);
  for (const auto& q : s.questions) {
    auto* pq = p->add_questions();
    pq->set_code(q.code);
    pq->set_type(TypeToProto(q.type));
    pq->set_text(q.text);
    pq->set_required(q.required);
    for (const auto& o : q.options) {
      auto* po = pq->add_options();
      po->set_code(o.code);
      po->set_label(o.label);
    }
    if (q.type == QuestionType::kScale) {
      pq->set_scale_min(q.scale_min);
      pq->set_scale_max(q.scale_max);
      for (const auto& l : q.labels) pq->add_labels(l);
    }
    pq->set_max_length(q.max_length);
    if (q.condition) {
      auto* c = pq->mutable_condition();
      c->set_question(q.condition->question);
      c->set_operator_(OpToProto(q.condition->op));
      for (const auto& code : q.condition->codes) c->add_codes(code);
      c->set_value(q.condition->value);
    }
  }
  p->set_headline(s.headline);
  *p->mutable_create_time() = Ts(s.create_time);
  *p->mutable_update_time() = Ts(s.update_time);
}

absl::StatusOr<Survey> SurveyFromProto(const v1::Survey& p) {
  Survey s;
  std::vector<FieldViolation> bad;
  s.title = p.title();
  s.description = p.description();
  s.service_id = p.service_id();
  s.office_id = p.office_id();
  s.channel = ChannelFromProto(p.channel());
  if (s.channel == Channel::kUnspecified && p.channel() != v1::SURVEY_CHANNEL_UNSPECIFIED) {
    bad.push_back({"survey.channel", "canale sconosciuto"});
  }
  switch (p.access()) {
    case v1::SURVEY_ACCESS_UNSPECIFIED:
    case v1::SURVEY_ACCESS_ANONYMOUS: s.access = Access::kAnonymous; break;
    case v1::SURVEY_ACCESS_INVITATION: s.access = Access::kInvitation; break;
    default: bad.push_back({"survey.access", "modalità di accesso sconosciuta"});
  }
  s.published = p.published();
  s.headline = p.headline();
  for (int i = 0; i < p.questions_size(); ++i) {
    const auto& pq = p.questions(i);
    std::string field = absl::StrCat("survey.questions[", i, "]");
    Question q;
    q.code = pq.code();
    auto type = TypeFromProto(pq.type());
    if (!type) {
      bad.push_back({field + ".type", "tipo di domanda obbligatorio"});
      continue;
    }
    q.type = *type;
    q.text = pq.text();
    q.required = pq.required();
    for (const auto& o : pq.options()) q.options.push_back({o.code(), o.label()});
    if (q.type == QuestionType::kScale) {
      q.scale_min = pq.scale_min();
      q.scale_max = pq.scale_max();
      q.labels.assign(pq.labels().begin(), pq.labels().end());
    }
    q.max_length = pq.max_length();
    if (pq.has_condition()) {
      auto op = OpFromProto(pq.condition().operator_());
      if (!op) {
        bad.push_back({field + ".condition.operator", "operatore obbligatorio"});
      } else {
        q.condition = Condition{pq.condition().question(), *op,
                                {pq.condition().codes().begin(), pq.condition().codes().end()},
                                pq.condition().value()};
      }
    }
    s.questions.push_back(std::move(q));
  }
  if (!bad.empty()) return InvalidArgument(std::move(bad));
  return s;
}

std::vector<Answer> AnswersFromProto(const google::protobuf::RepeatedPtrField<v1::SurveyAnswer>& answers) {
  std::vector<Answer> out;
  for (const auto& a : answers) {
    Answer x;
    x.question = a.question();
    x.choices.assign(a.choices().begin(), a.choices().end());
    if (a.has_value()) x.value = a.value();
    x.text = a.text();
    out.push_back(std::move(x));
  }
  return out;
}

void CellToProto(const IndexCell& c, v1::IndexCell* p) {
  p->set_key(c.key);
  p->set_suppressed(c.suppressed);
  p->set_responses(c.responses);
  if (c.mean) p->set_mean(*c.mean);
  if (c.ci_low) p->set_mean_ci_low(*c.ci_low);
  if (c.ci_high) p->set_mean_ci_high(*c.ci_high);
  if (c.top_box) p->set_top_box(*c.top_box);
  if (c.nps) p->set_nps(*c.nps);
  p->set_invitations(c.invitations);
  if (c.response_rate) p->set_response_rate(*c.response_rate);
}

void QuestionResultToProto(const QuestionResult& r, v1::QuestionResult* p) {
  p->set_question(r.question);
  p->set_suppressed(r.suppressed);
  p->set_shown(r.shown);
  p->set_answered(r.answered);
  for (const auto& o : r.options) {
    auto* po = p->add_options();
    po->set_code(o.code);
    po->set_count(o.count);
    po->set_share(o.share);
  }
  if (r.mean) p->set_mean(*r.mean);
}

void ResponseToProto(const StoredResponse& r, v1::SurveyResponse* p) {
  p->set_id(r.id);
  p->set_version(r.version);
  *p->mutable_create_time() = Ts(r.time);
  p->set_channel(ChannelToProto(r.channel));
  p->set_invited(r.invited);
  for (const auto& a : r.answers) {
    auto* item = p->add_answers();
    item->set_question(a.question);
    for (const auto& c : a.choices) item->add_choices(c);
    if (a.value) item->set_value(*a.value);
    item->set_text_given(!a.text.empty());
  }
}

// ---- Consultations

namespace {

v1::ConsultationPhase PhaseToProto(Phase p) {
  switch (p) {
    case Phase::kScheduled: return v1::CONSULTATION_PHASE_SCHEDULED;
    case Phase::kOpen: return v1::CONSULTATION_PHASE_OPEN;
    case Phase::kClosed: return v1::CONSULTATION_PHASE_CLOSED;
  }
  return v1::CONSULTATION_PHASE_UNSPECIFIED;
}

}  // namespace

std::optional<Phase> PhaseFromProto(v1::ConsultationPhase p) {
  switch (p) {
    case v1::CONSULTATION_PHASE_SCHEDULED: return Phase::kScheduled;
    case v1::CONSULTATION_PHASE_OPEN: return Phase::kOpen;
    case v1::CONSULTATION_PHASE_CLOSED: return Phase::kClosed;
    default: return std::nullopt;
  }
}

v1::CommentState CommentStateToProto(CommentState s) {
  switch (s) {
    case CommentState::kPending: return v1::COMMENT_STATE_PENDING;
    case CommentState::kApproved: return v1::COMMENT_STATE_APPROVED;
    case CommentState::kRejected: return v1::COMMENT_STATE_REJECTED;
  }
  return v1::COMMENT_STATE_UNSPECIFIED;
}

std::optional<CommentState> CommentStateFromProto(v1::CommentState s) {
  switch (s) {
    case v1::COMMENT_STATE_PENDING: return CommentState::kPending;
    case v1::COMMENT_STATE_APPROVED: return CommentState::kApproved;
    case v1::COMMENT_STATE_REJECTED: return CommentState::kRejected;
    default: return std::nullopt;
  }
}

void ConsultationToProto(const Consultation& c, Phase phase, v1::Consultation* p) {
  p->set_id(c.id);
  p->set_tenant(c.tenant);
  p->set_title(c.title);
  p->set_description(c.description);
  p->set_document_url(c.document_url);
  p->set_open_date(absl::FormatCivilTime(c.window.open_day));
  p->set_close_date(absl::FormatCivilTime(c.window.close_day));
  *p->mutable_open_time() = Ts(c.window.open_time);
  *p->mutable_close_time() = Ts(c.window.close_time);
  p->set_eligibility(c.eligibility == Eligibility::kResidents ? v1::CONSULTATION_ELIGIBILITY_RESIDENTS
                                                              : v1::CONSULTATION_ELIGIBILITY_ANYONE);
  p->set_comments_enabled(c.comments_enabled);
  Survey questions;
  questions.questions = c.questions;
  v1::Survey wire;
  SurveyToProto(questions, &wire);
  *p->mutable_questions() = wire.questions();
  p->set_survey_id(c.survey_id);
  p->set_phase(PhaseToProto(phase));
  p->set_approved_comments(c.approved_comments);
  if (c.respond_time) {
    auto* r = p->mutable_administration_response();
    r->set_text(c.response_text);
    r->set_document_url(c.response_url);
    *r->mutable_respond_time() = Ts(*c.respond_time);
  }
  *p->mutable_create_time() = Ts(c.create_time);
  *p->mutable_update_time() = Ts(c.update_time);
}

absl::StatusOr<Consultation> ConsultationFromProto(const v1::Consultation& p, const absl::TimeZone& zone) {
  Consultation c;
  std::vector<FieldViolation> bad;
  c.title = p.title();
  c.description = p.description();
  c.document_url = p.document_url();
  c.comments_enabled = p.comments_enabled();
  switch (p.eligibility()) {
    case v1::CONSULTATION_ELIGIBILITY_UNSPECIFIED:
    case v1::CONSULTATION_ELIGIBILITY_ANYONE: c.eligibility = Eligibility::kAnyone; break;
    case v1::CONSULTATION_ELIGIBILITY_RESIDENTS: c.eligibility = Eligibility::kResidents; break;
    default: bad.push_back({"consultation.eligibility", "partecipanti ammessi sconosciuti"});
  }
  auto window = WindowOf(p.open_date(), p.close_date(), zone);
  if (window.ok()) {
    c.window = *window;
  } else {
    for (auto& v : FieldViolations(window.status())) bad.push_back(std::move(v));
  }
  v1::Survey wire;
  *wire.mutable_questions() = p.questions();
  auto survey = SurveyFromProto(wire);
  if (survey.ok()) {
    c.questions = std::move(survey->questions);
  } else {
    for (auto& v : FieldViolations(survey.status())) {
      v.field = "consultation." + v.field.substr(std::string("survey.").size());
      bad.push_back(std::move(v));
    }
  }
  if (!bad.empty()) return InvalidArgument(std::move(bad));
  return c;
}

void CommentToProto(const Comment& c, bool staff, v1::ConsultationComment* p) {
  p->set_id(c.id);
  p->set_consultation_id(c.consultation_id);
  p->set_text(c.text);
  p->set_state(CommentStateToProto(c.state));
  *p->mutable_create_time() = Ts(c.create_time);
  if (c.moderate_time) *p->mutable_moderate_time() = Ts(*c.moderate_time);
  if (!staff) return;  // the reason and the author never leave for the public
  auto* details = p->mutable_staff();
  details->set_rejection_reason(c.rejection_reason);
  details->set_author_name(c.author_name);
  details->set_author_email(c.author_email);
}

}  // namespace sportello::surveys
