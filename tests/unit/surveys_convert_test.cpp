// The surveys' wire conversions: every template survives domain -> proto ->
// domain unchanged, every enum maps both ways, and unknown enum numbers on
// the wire are field violations, not silent defaults.
#include <catch2/catch.hpp>

#include "common/status.h"
#include "services/surveys/convert.h"
#include "services/surveys/templates.h"

using namespace sportello;
using namespace sportello::surveys;

TEST_CASE("surveys convert: templates round-trip", "[surveys][convert]") {
  for (Template t : {Template::kStars, Template::kStarsPage, Template::kFaces, Template::kNps,
                     Template::kPostResolution}) {
    Survey s = FromTemplate(t);
    s.service_id = "svc";
    s.office_id = "off";
    s.channel = Channel::kCounter;
    s.access = Access::kInvitation;
    s.published = true;
    v1::Survey p;
    SurveyToProto(s, &p);
    CHECK(p.template_() == TemplateToProto(t));
    auto back = SurveyFromProto(p);
    REQUIRE(back.ok());
    CHECK(back->questions == s.questions);
    CHECK(back->headline == s.headline);
    CHECK(back->channel == Channel::kCounter);
    CHECK(back->access == Access::kInvitation);
    CHECK(back->published);
  }
}

TEST_CASE("surveys convert: enums both ways", "[surveys][convert]") {
  for (Channel c : {Channel::kUnspecified, Channel::kWeb, Channel::kCounter, Channel::kPhone, Channel::kApp,
                    Channel::kEmailLink}) {
    CHECK(ChannelFromProto(ChannelToProto(c)) == c);
  }
  for (SurveyStatus s : {SurveyStatus::kDraft, SurveyStatus::kOpen, SurveyStatus::kClosed}) {
    CHECK(StatusFromProto(StatusToProto(s)) == s);
  }
  CHECK_FALSE(StatusFromProto(v1::SURVEY_STATUS_UNSPECIFIED).has_value());
  for (Template t : {Template::kStars, Template::kStarsPage, Template::kFaces, Template::kNps,
                     Template::kPostResolution, Template::kQuestionnaire}) {
    CHECK(TemplateFromProto(TemplateToProto(t)) == t);
  }
  CHECK(GroupingFromProto(v1::INDEX_GROUPING_MONTH) == Grouping::kMonth);
  CHECK(GroupingFromProto(v1::INDEX_GROUPING_UNSPECIFIED) == Grouping::kNone);
}

TEST_CASE("surveys convert: unknown wire values are field violations", "[surveys][convert]") {
  v1::Survey p;
  p.set_title("Prova");
  p.set_channel(static_cast<v1::SurveyChannel>(42));
  auto* q = p.add_questions();
  q->set_code("a");
  q->set_text("Domanda");
  auto bad = SurveyFromProto(p);
  REQUIRE_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const auto& v : FieldViolations(bad.status())) fields.push_back(v.field);
  CHECK(fields == std::vector<std::string>{"survey.channel", "survey.questions[0].type"});

  // Answers keep "no value" apart from a value of 0 (the NPS scale starts at 0).
  v1::SubmitResponseRequest r;
  r.add_answers()->set_question("recommend");
  auto* zero = r.add_answers();
  zero->set_question("recommend");
  zero->set_value(0);
  auto answers = AnswersFromProto(r.answers());
  CHECK_FALSE(answers[0].value.has_value());
  CHECK(answers[1].value == 0);
}
