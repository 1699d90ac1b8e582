#pragma once
// The rules of a survey: what a well-formed survey is, its status moves,
// which questions a respondent is shown, what a valid response is, and when
// a change of questions makes a new version. Pure domain code.
//
//   RETURN_IF_ERROR(ValidateSurvey(s));                      // on create / update
//   ASSIGN_OR_RETURN(CheckedResponse r, CheckResponse(s, answers));
//   // r.shown[i]: question i was shown; r.headline: the headline value
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/surveys/model.h"

namespace sportello::surveys {

inline constexpr int kMaxQuestions = 50;
inline constexpr int kMaxOptions = 30;
inline constexpr int kMaxTextLength = 2000;  // the longest free-text answer a survey may allow
inline constexpr int kMaxScaleValues = 11;   // 0..10 (NPS)

// INVALID_ARGUMENT with one field violation per problem ("questions[2].condition.question"):
// title, question codes (unique, [a-z0-9_], at most 40), texts, options,
// scale bounds and labels, text limits, conditions (on an EARLIER question,
// with an operator and operands that fit its type) and the headline (a
// scale question of the survey).
absl::Status ValidateSurvey(const Survey& survey);

// draft -> open, open -> closed, closed -> open. FAILED_PRECONDITION otherwise.
absl::Status CheckStatusChange(SurveyStatus from, SurveyStatus to);

// Whether an answer meets a condition (false when `answer` is null: unanswered).
bool ConditionMet(const Condition& condition, const Answer* answer);

// Which questions a respondent with these (valid, stored) answers was shown.
std::vector<bool> ShownQuestions(const Survey& survey, const std::vector<Answer>& answers);

struct CheckedResponse {
  std::vector<bool> shown;      // per question, in survey order
  std::vector<Answer> answers;  // in survey order, only answered questions
  std::optional<int> headline;  // the headline answer
};

// Checks answers against the survey's questions:
//   survey not open                     -> FAILED_PRECONDITION (field "survey")
//   unknown or repeated question        -> INVALID_ARGUMENT answers[i].question
//   a question hidden by its condition  -> INVALID_ARGUMENT answers[i]
//   a required, shown question missing  -> INVALID_ARGUMENT answers (naming it)
//   out of scale, unknown option, more than one choice for a single choice,
//   empty answer, text over its limit   -> INVALID_ARGUMENT answers[i].value/choices/text
// All violations are reported at once.
absl::StatusOr<CheckedResponse> CheckResponse(const Survey& survey, const std::vector<Answer>& answers);

// A survey with a window (a consultation's) outside it at `now`:
// FAILED_PRECONDITION; OK for surveys without one.
absl::Status CheckAnswerWindow(const Survey& survey, absl::Time now);

// Questions freeze at the first response. The version the survey has after
// its questions (and headline) become `questions`: unchanged when nothing
// changed or nobody answered yet, the next one otherwise.
int VersionAfterChange(const Survey& current, const std::vector<Question>& questions,
                       const std::string& headline, bool has_responses);

// Wire spellings, lower case.
std::string_view StatusName(SurveyStatus s);
std::string_view ChannelName(Channel c);
std::string_view AccessName(Access a);
std::string_view TypeName(QuestionType t);
std::string_view TemplateName(Template t);
std::optional<Channel> ChannelFromName(std::string_view name);
std::optional<SurveyStatus> StatusFromName(std::string_view name);
std::optional<Template> TemplateFromName(std::string_view name);

}  // namespace sportello::surveys
