#pragma once
// The surveys service's domain model: one model for every satisfaction
// instrument (stars, three faces, NPS, post-resolution, questionnaires).
// A survey holds ordered, typed questions; a question may be shown only when
// an earlier answer meets a condition; one scale question is the headline
// the indices use. Plain structs: no gRPC, no SQL.
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace sportello::surveys {

enum class SurveyStatus { kDraft, kOpen, kClosed };

// Where answers come from. kUnspecified: any channel.
enum class Channel { kUnspecified, kWeb, kCounter, kPhone, kApp, kEmailLink };

// Anonymous surveys take answers from anyone (rate-limited, de-duplicated);
// invitation surveys take one answer per invitation token.
enum class Access { kAnonymous, kInvitation };

enum class QuestionType { kSingleChoice, kMultipleChoice, kScale, kText };

// A condition on an earlier answer: kIn / kNotIn compare the chosen option
// codes (or a scale value written as a number) with `codes`; kBelow /
// kAtLeast compare a scale answer with `value`. An earlier question left
// unanswered meets no condition.
enum class ConditionOp { kIn, kNotIn, kBelow, kAtLeast };

// The instruments a survey can start from; kNone is an empty questionnaire.
enum class Template { kNone, kStars, kStarsPage, kFaces, kNps, kPostResolution, kQuestionnaire };

struct Option {
  std::string code;   // stable key: "not_clear"; what exports and conditions use
  std::string label;  // shown to citizens
  bool operator==(const Option&) const = default;
};

struct Condition {
  std::string question;  // code of an earlier question
  ConditionOp op = ConditionOp::kIn;
  std::vector<std::string> codes;  // for kIn / kNotIn
  int value = 0;                   // for kBelow / kAtLeast
  bool operator==(const Condition&) const = default;
};

struct Question {
  std::string code;  // stable within the survey: "rating"
  QuestionType type = QuestionType::kScale;
  std::string text;
  bool required = false;
  std::vector<Option> options;       // choices
  int scale_min = 1, scale_max = 5;  // scale
  std::vector<std::string> labels;   // scale: one per value from scale_min, or empty
  int max_length = 0;                // text: characters (code points)
  std::optional<Condition> condition;
  bool operator==(const Question&) const = default;
};

struct Survey {
  std::string id;  // UUID
  std::string tenant;
  std::string title, description;
  Template template_kind = Template::kNone;
  SurveyStatus status = SurveyStatus::kDraft;
  std::string service_id;  // catalogue service, optional
  std::string office_id;   // catalogue office, optional
  Channel channel = Channel::kUnspecified;
  Access access = Access::kAnonymous;
  bool published = false;  // results public
  int version = 1;         // of the questions; a change after the first response makes a new one
  std::vector<Question> questions;
  std::string headline;  // code of the headline scale question, may be empty
  absl::Time create_time, update_time;
  // A consultation's survey takes answers only within [open_time, close_time).
  std::optional<absl::Time> open_time, close_time;
};

// One answer of a response. Exactly one of the three is used, by the
// question's type: `choices` (one for single choice), `value` (scale),
// `text` (text).
struct Answer {
  std::string question;
  std::vector<std::string> choices;
  std::optional<int> value;
  std::string text;
  bool operator==(const Answer&) const = default;
};

// A stored response as the indices read it: public facts only, never text.
struct ResponseFacts {
  absl::Time time;
  std::string service_id, office_id;
  Channel channel = Channel::kUnspecified;
  std::optional<int> headline;  // the headline answer, if given
  bool invited = false;
};

// An invitation as the response rate reads it.
struct InvitationFacts {
  absl::Time time;  // when it was minted
  std::string service_id, office_id;
  Channel channel = Channel::kUnspecified;
  bool answered = false;
};

}  // namespace sportello::surveys
