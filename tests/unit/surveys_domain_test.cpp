// The surveys domain: templates, survey and answer validation, versions,
// indices against hand-computed figures, and small-n suppression.
#include <catch2/catch.hpp>

#include "common/status.h"
#include "services/surveys/indices.h"
#include "services/surveys/rules.h"
#include "services/surveys/templates.h"

using namespace sportello;
using namespace sportello::surveys;

namespace {

Survey OpenStars() {
  Survey s = FromTemplate(Template::kStars);
  s.tenant = "c_f027";
  s.status = SurveyStatus::kOpen;
  return s;
}

Answer Value(std::string q, int v) { return {std::move(q), {}, v, ""}; }
Answer Choice(std::string q, std::vector<std::string> c) { return {std::move(q), std::move(c), std::nullopt, ""}; }
Answer Text(std::string q, std::string t) { return {std::move(q), {}, std::nullopt, std::move(t)}; }

bool HasViolation(const absl::Status& s, const std::string& field) {
  for (const auto& v : FieldViolations(s)) {
    if (v.field == field) return true;
  }
  return false;
}

absl::Time Utc(int y, int mo, int d, int h = 12, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

ResponseFacts Fact(int headline, std::string office = "", absl::Time t = Utc(2026, 3, 10)) {
  ResponseFacts f;
  f.time = t;
  f.office_id = std::move(office);
  f.headline = headline;
  return f;
}

}  // namespace

TEST_CASE("templates carry the instruments' texts verbatim", "[surveys][templates]") {
  Survey stars = FromTemplate(Template::kStars);
  REQUIRE(stars.questions.size() == 4);
  CHECK(stars.headline == "rating");
  CHECK(stars.questions[0].text == "Quanto è stato facile per te concludere questa procedura?");
  CHECK(stars.questions[0].scale_min == 1);
  CHECK(stars.questions[0].scale_max == 5);
  CHECK(stars.questions[1].text == "Dove hai incontrato le maggiori difficoltà?");
  CHECK(stars.questions[1].condition->op == ConditionOp::kBelow);
  CHECK(stars.questions[1].condition->value == 4);
  REQUIRE(stars.questions[1].options.size() == 5);
  CHECK(stars.questions[1].options[0].label == "A volte le indicazioni non erano chiare");
  CHECK(stars.questions[1].options[4].label == "Altro");
  CHECK(stars.questions[2].text == "Quali sono stati gli aspetti che hai preferito?");
  CHECK(stars.questions[2].condition->op == ConditionOp::kAtLeast);
  REQUIRE(stars.questions[2].options.size() == 5);
  CHECK(stars.questions[2].options[3].label == "Non ho avuto problemi tecnici");
  CHECK(stars.questions[2].options[4].label == "Altro");
  CHECK(stars.questions[3].text == "Vuoi aggiungere altri dettagli?");
  CHECK(stars.questions[3].max_length == 200);

  CHECK(FromTemplate(Template::kStarsPage).questions[0].text ==
        "Quanto sono chiare le informazioni su questa pagina?");
  Survey faces = FromTemplate(Template::kFaces);
  CHECK(faces.questions[0].scale_max - faces.questions[0].scale_min == 2);
  CHECK(faces.questions[1].condition->op == ConditionOp::kBelow);  // reasons after red
  CHECK(faces.questions[1].options[0].label == "Tempo di attesa");
  Survey nps = FromTemplate(Template::kNps);
  CHECK(nps.questions[0].scale_min == 0);
  CHECK(nps.questions[0].scale_max == 10);
  CHECK_FALSE(nps.questions[1].required);
  Survey post = FromTemplate(Template::kPostResolution);
  CHECK(post.questions[0].options.size() == 3);
  CHECK(post.headline == "handling");

  for (Template t : {Template::kStars, Template::kStarsPage, Template::kFaces, Template::kNps,
                     Template::kPostResolution, Template::kQuestionnaire}) {
    INFO(TemplateName(t));
    CHECK(ValidateSurvey(FromTemplate(t)).ok());
  }
}

TEST_CASE("a survey is refused with field violations", "[surveys][rules]") {
  Survey s = OpenStars();
  SECTION("a condition on a later question") {
    s.questions[0].condition = Condition{"details", ConditionOp::kIn, {"x"}, 0};
    auto st = ValidateSurvey(s);
    CHECK(st.code() == absl::StatusCode::kInvalidArgument);
    CHECK(HasViolation(st, "questions[0].condition.question"));
  }
  SECTION("below on a choice question") {
    s.questions[3].condition = Condition{"difficulties", ConditionOp::kBelow, {}, 2};
    CHECK(HasViolation(ValidateSurvey(s), "questions[3].condition.op"));
  }
  SECTION("an unknown option in a condition") {
    s.questions[3].condition = Condition{"difficulties", ConditionOp::kIn, {"nope"}, 0};
    CHECK(HasViolation(ValidateSurvey(s), "questions[3].condition.codes"));
  }
  SECTION("a headline that is not a scale") {
    s.headline = "details";
    CHECK(HasViolation(ValidateSurvey(s), "headline"));
  }
  SECTION("repeated codes, a one-option choice, a reversed scale, no title") {
    s.title = "";
    s.questions[3].code = "rating";
    s.questions[1].options.resize(1);
    s.questions[0].scale_min = 5;
    s.questions[0].scale_max = 1;
    auto st = ValidateSurvey(s);
    CHECK(HasViolation(st, "title"));
    CHECK(HasViolation(st, "questions[3].code"));
    CHECK(HasViolation(st, "questions[1].options"));
    CHECK(HasViolation(st, "questions[0].scale_max"));
  }
}

TEST_CASE("status moves", "[surveys][rules]") {
  CHECK(CheckStatusChange(SurveyStatus::kDraft, SurveyStatus::kOpen).ok());
  CHECK(CheckStatusChange(SurveyStatus::kOpen, SurveyStatus::kClosed).ok());
  CHECK(CheckStatusChange(SurveyStatus::kClosed, SurveyStatus::kOpen).ok());
  CHECK(CheckStatusChange(SurveyStatus::kDraft, SurveyStatus::kClosed).code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(CheckStatusChange(SurveyStatus::kOpen, SurveyStatus::kOpen).code() == absl::StatusCode::kFailedPrecondition);
  CHECK(CheckStatusChange(SurveyStatus::kOpen, SurveyStatus::kDraft).code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("answers: conditions decide what is shown", "[surveys][rules]") {
  Survey s = OpenStars();
  auto low = CheckResponse(s, {Value("rating", 2), Choice("difficulties", {"technical"})});
  REQUIRE(low.ok());
  CHECK(low->shown == std::vector<bool>{true, true, false, true});
  CHECK(low->headline == 2);
  auto high = CheckResponse(s, {Value("rating", 4), Choice("liked", {"clear"}), Text("details", "Tutto bene")});
  REQUIRE(high.ok());
  CHECK(high->shown == std::vector<bool>{true, false, true, true});
  CHECK(high->answers.size() == 3);

  Condition not_in{"difficulties", ConditionOp::kNotIn, {"other"}, 0};
  CHECK(ConditionMet(not_in, nullptr) == false);
  Answer technical = Choice("difficulties", {"technical"});
  Answer other = Choice("difficulties", {"other"});
  CHECK(ConditionMet(not_in, &technical));
  CHECK_FALSE(ConditionMet(not_in, &other));
  Condition in_scale{"rating", ConditionOp::kIn, {"1", "2"}, 0};
  Answer one = Value("rating", 1), three = Value("rating", 3);
  CHECK(ConditionMet(in_scale, &one));
  CHECK_FALSE(ConditionMet(in_scale, &three));
}

TEST_CASE("answers: bad input is refused with field violations", "[surveys][rules]") {
  Survey s = OpenStars();
  auto refused = [&](std::vector<Answer> answers, const std::string& field) {
    auto r = CheckResponse(s, answers);
    INFO(field << ": " << r.status());
    CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(HasViolation(r.status(), field));
  };
  refused({Value("rating", 5), Choice("difficulties", {"technical"})}, "answers[1]");  // hidden question
  refused({Choice("liked", {"clear"})}, "answers");                                   // required rating missing
  refused({Value("rating", 6)}, "answers[0].value");                                  // out of scale
  refused({Value("rating", 0)}, "answers[0].value");
  refused({Value("rating", 2), Choice("difficulties", {"boh"})}, "answers[1].choices");  // unknown option
  refused({Value("rating", 2), Choice("difficulties", {"technical", "other"})}, "answers[1].choices");
  refused({Value("rating", 3), Text("details", std::string(201, 'a'))}, "answers[1].text");  // over the limit
  refused({Value("rating", 3), Value("rating", 3)}, "answers[1].question");
  refused({Value("rating", 3), Value("colour", 3)}, "answers[1].question");
  refused({Text("rating", "cinque")}, "answers[0].value");

  // 200 characters with accents are 200, not their UTF-8 bytes.
  std::string accented;
  for (int i = 0; i < 200; ++i) accented += "è";
  CHECK(CheckResponse(s, {Value("rating", 3), Text("details", accented)}).ok());

  s.status = SurveyStatus::kClosed;
  CHECK(CheckResponse(s, {Value("rating", 3)}).status().code() == absl::StatusCode::kFailedPrecondition);
  s.status = SurveyStatus::kDraft;
  CHECK(CheckResponse(s, {Value("rating", 3)}).status().code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("questions freeze at the first response", "[surveys][rules]") {
  Survey s = OpenStars();
  s.version = 3;
  auto changed = s.questions;
  changed[3].max_length = 300;
  CHECK(VersionAfterChange(s, s.questions, s.headline, true) == 3);  // nothing changed
  CHECK(VersionAfterChange(s, changed, s.headline, false) == 3);     // nobody answered yet
  CHECK(VersionAfterChange(s, changed, s.headline, true) == 4);
  CHECK(VersionAfterChange(s, s.questions, "", true) == 4);  // the headline is part of it
}

TEST_CASE("indices against hand-computed figures", "[surveys][indices]") {
  // 5 4 4 3 5 2 4 5 3 4: mean 3.9; s² = 8.9 / 9; half width t(9) 2.262 · s / √10 = 0.71133.
  std::vector<ResponseFacts> r;
  for (int v : {5, 4, 4, 3, 5, 2, 4, 5, 3, 4}) r.push_back(Fact(v));
  IndexTable t = ComputeIndices(r, {}, Grouping::kNone, {});
  CHECK_FALSE(t.total.suppressed);
  CHECK(t.total.responses == 10);
  CHECK(t.total.mean.value() == Approx(3.9));
  CHECK(t.total.ci_low.value() == Approx(3.18867).epsilon(1e-4));
  CHECK(t.total.ci_high.value() == Approx(4.61133).epsilon(1e-4));
  CHECK(t.total.top_box.value() == Approx(0.7));  // 4 fours and 3 fives
  CHECK_FALSE(t.total.nps.has_value());           // not a 0..10 scale
  CHECK_FALSE(t.total.response_rate.has_value());  // anonymous

  // NPS: promoters 10 9 9 10 9 (5), detractors 6 5 3 (3), passives 8 7: (5 - 3) / 10 = +20.
  std::vector<ResponseFacts> n;
  for (int v : {10, 9, 9, 8, 7, 6, 5, 10, 3, 9}) n.push_back(Fact(v));
  IndexTable nps = ComputeIndices(n, {}, Grouping::kNone, {.scale_min = 0, .scale_max = 10});
  CHECK(nps.total.nps.value() == Approx(20.0));
  CHECK(nps.total.top_box.value() == Approx(0.5));

  // Faces: the top box is the green face only: 6 greens of 11.
  std::vector<ResponseFacts> f;
  for (int v : {3, 3, 2, 1, 3, 3, 2, 3, 1, 3, 2}) f.push_back(Fact(v));
  IndexTable faces = ComputeIndices(f, {}, Grouping::kNone, {.scale_min = 1, .scale_max = 3});
  CHECK(faces.total.top_box.value() == Approx(6.0 / 11.0));

  // Response rate: 10 answered of 16 invitations.
  std::vector<InvitationFacts> inv(16);
  for (size_t i = 0; i < inv.size(); ++i) {
    inv[i].time = Utc(2026, 3, 1);
    inv[i].answered = i < 10;
  }
  IndexTable rate = ComputeIndices(r, inv, Grouping::kNone, {.invitation = true});
  CHECK(rate.total.invitations == 16);
  CHECK(rate.total.response_rate.value() == Approx(0.625));

  CHECK(TQuantile975(1) == Approx(12.706));
  CHECK(TQuantile975(45) == Approx(2.021));
  CHECK(TQuantile975(100000) == Approx(1.96));
}

TEST_CASE("months are Rome's", "[surveys][indices]") {
  std::vector<ResponseFacts> r;
  // 22:30 UTC on 31 March 2026 is 00:30 on 1 April in Rome (summer time).
  for (int i = 0; i < 10; ++i) r.push_back(Fact(4, "", Utc(2026, 3, 31, 22, 30)));
  for (int i = 0; i < 10; ++i) r.push_back(Fact(2, "", Utc(2026, 3, 31, 21, 30)));
  auto rome = absl::FixedTimeZone(0);
  REQUIRE(absl::LoadTimeZone("Europe/Rome", &rome));
  IndexTable t = ComputeIndices(r, {}, Grouping::kMonth, {.zone = rome});
  REQUIRE(t.groups.size() == 2);
  CHECK(t.groups[0].key == "2026-03");
  CHECK(t.groups[0].mean.value() == Approx(2));
  CHECK(t.groups[1].key == "2026-04");
  CHECK(t.groups[1].mean.value() == Approx(4));
}

TEST_CASE("small-n suppression with the secondary rule", "[surveys][indices]") {
  auto offices = [](std::vector<std::pair<std::string, int>> sizes) {
    std::vector<ResponseFacts> r;
    for (const auto& [office, n] : sizes) {
      for (int i = 0; i < n; ++i) r.push_back(Fact(1 + i % 5, office));
    }
    return ComputeIndices(r, {}, Grouping::kOffice, {});
  };
  auto cell = [](const IndexTable& t, const std::string& key) {
    for (const auto& g : t.groups) {
      if (g.key == key) return g;
    }
    FAIL("no group " << key);
    return IndexCell{};
  };

  SECTION("one suppressed part takes the smallest shown part with it") {
    IndexTable t = offices({{"a", 15}, {"b", 12}, {"c", 4}});
    CHECK_FALSE(t.total.suppressed);
    CHECK(t.total.responses == 31);
    CHECK_FALSE(cell(t, "a").suppressed);
    CHECK(cell(t, "a").responses == 15);
    CHECK(cell(t, "b").suppressed);
    CHECK(cell(t, "c").suppressed);
    // Nothing is left to recompute a part from: no n, no mean.
    CHECK(cell(t, "c").responses == 0);
    CHECK_FALSE(cell(t, "c").mean.has_value());
    CHECK_FALSE(cell(t, "b").mean.has_value());
  }
  SECTION("two suppressed parts need nothing more") {
    IndexTable t = offices({{"a", 20}, {"b", 5}, {"c", 6}});
    CHECK_FALSE(cell(t, "a").suppressed);
    CHECK(cell(t, "b").suppressed);
    CHECK(cell(t, "c").suppressed);
  }
  SECTION("no part under the threshold: all shown; exactly the threshold is shown") {
    IndexTable t = offices({{"a", 10}, {"b", 11}});
    CHECK_FALSE(cell(t, "a").suppressed);
    CHECK_FALSE(cell(t, "b").suppressed);
  }
  SECTION("a total under the threshold shows nothing at all") {
    IndexTable t = offices({{"a", 5}, {"b", 4}});
    CHECK(t.total.suppressed);
    CHECK_FALSE(t.total.mean.has_value());
    CHECK(cell(t, "a").suppressed);
    CHECK(cell(t, "b").suppressed);
  }
  SECTION("responses without an office are a part of their own") {
    IndexTable t = offices({{"a", 12}, {"", 3}});
    CHECK(cell(t, "-").suppressed);
    CHECK(cell(t, "a").suppressed);  // the only other part: the total would give it back
    CHECK_FALSE(t.total.suppressed);
  }
}

TEST_CASE("per-question results: reasons among those shown", "[surveys][indices]") {
  Survey s = OpenStars();
  std::vector<std::vector<Answer>> responses;
  // 4 low ratings: 3 name a reason (2 technical, 1 other); 8 high: 6 name one.
  for (int i = 0; i < 4; ++i) {
    std::vector<Answer> a{Value("rating", 2)};
    if (i < 2) a.push_back(Choice("difficulties", {"technical"}));
    if (i == 2) a.push_back(Choice("difficulties", {"other"}));
    responses.push_back(a);
  }
  for (int i = 0; i < 8; ++i) {
    std::vector<Answer> a{Value("rating", 5)};
    if (i < 6) a.push_back(Choice("liked", {"clear"}));
    if (i < 5) a.push_back(Answer{"details", {}, std::nullopt, ""});  // a text was given; its words are not here
    responses.push_back(a);
  }
  auto results = ComputeResults(s, responses, 3);
  REQUIRE(results.size() == 4);
  CHECK(results[0].shown == 12);
  CHECK(results[0].mean.value() == Approx((4 * 2 + 8 * 5) / 12.0));
  CHECK(results[0].options[1].code == "2");
  CHECK(results[0].options[1].count == 4);
  CHECK(results[1].shown == 4);
  CHECK(results[1].answered == 3);
  CHECK(results[1].options[3].code == "technical");
  CHECK(results[1].options[3].share == Approx(0.5));  // 2 of the 4 shown, not of the 3 who answered
  CHECK(results[2].shown == 8);
  CHECK(results[2].options[0].share == Approx(0.75));
  CHECK(results[3].shown == 12);
  CHECK(results[3].answered == 5);
  CHECK(results[3].options.empty());

  auto strict = ComputeResults(s, responses, 10);
  CHECK_FALSE(strict[0].suppressed);
  CHECK(strict[1].suppressed);
  CHECK(strict[1].options.empty());
  CHECK(strict[1].shown == 0);
  CHECK(strict[2].suppressed);
}
