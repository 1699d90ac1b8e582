#pragma once
// Converters between the wire (sportello.v1 surveys messages) and the
// domain, in one place. Explicit switches both ways: no casts of enum numbers.
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/surveys/consultations.h"
#include "services/surveys/indices.h"
#include "services/surveys/model.h"
#include "services/surveys/store.h"
#include "sportello/v1/surveys.pb.h"

namespace sportello::surveys {

namespace v1 = ::sportello::v1;

v1::SurveyStatus StatusToProto(SurveyStatus s);
std::optional<SurveyStatus> StatusFromProto(v1::SurveyStatus s);  // nullopt for UNSPECIFIED
v1::SurveyChannel ChannelToProto(Channel c);
Channel ChannelFromProto(v1::SurveyChannel c);
v1::SurveyTemplate TemplateToProto(Template t);
Template TemplateFromProto(v1::SurveyTemplate t);
Grouping GroupingFromProto(v1::IndexGrouping g);

void SurveyToProto(const Survey& s, v1::Survey* out);
// The writable fields of a survey (title, description, service, office,
// channel, access, publication, questions, headline); the rest is ignored.
// Unknown enum values are INVALID_ARGUMENT with the field's path.
absl::StatusOr<Survey> SurveyFromProto(const v1::Survey& p);

std::vector<Answer> AnswersFromProto(const google::protobuf::RepeatedPtrField<v1::SurveyAnswer>& answers);

void CellToProto(const IndexCell& c, v1::IndexCell* out);
void QuestionResultToProto(const QuestionResult& r, v1::QuestionResult* out);
void ResponseToProto(const StoredResponse& r, v1::SurveyResponse* out);

// Consultations. `staff`: the comment's rejection reason and author too;
// otherwise never.
void ConsultationToProto(const Consultation& c, Phase phase, v1::Consultation* out);
// The writable fields (title, description, document, dates, eligibility,
// comments, questions) in the administration's `zone`; INVALID_ARGUMENT
// with the fields under "consultation.".
absl::StatusOr<Consultation> ConsultationFromProto(const v1::Consultation& p, const absl::TimeZone& zone);
void CommentToProto(const Comment& c, bool staff, v1::ConsultationComment* out);
v1::CommentState CommentStateToProto(CommentState s);
std::optional<CommentState> CommentStateFromProto(v1::CommentState s);  // nullopt for UNSPECIFIED
std::optional<Phase> PhaseFromProto(v1::ConsultationPhase p);          // nullopt for UNSPECIFIED

google::protobuf::Timestamp Ts(absl::Time t);
absl::Time FromTs(const google::protobuf::Timestamp& t);

}  // namespace sportello::surveys
