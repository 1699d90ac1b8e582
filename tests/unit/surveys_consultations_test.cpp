// Public consultations, domain rules: the window in Europe/Rome (whole
// days, DST included), phases, comments (window, enabled, length), the
// moderation state machine, the administration's response, and small-n
// suppression of a consultation's results (the surveys' own code).
#include <catch2/catch.hpp>

#include "common/status.h"
#include "services/surveys/consultations.h"
#include "services/surveys/indices.h"
#include "services/surveys/rules.h"

using namespace sportello;
using namespace sportello::surveys;

namespace {

absl::TimeZone Rome() {
  absl::TimeZone z;
  REQUIRE(absl::LoadTimeZone("Europe/Rome", &z));
  return z;
}

absl::Time Utc(int y, int mo, int d, int h, int mi = 0, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

bool HasViolation(const absl::Status& s, const std::string& field) {
  for (const auto& v : FieldViolations(s)) {
    if (v.field == field) return true;
  }
  return false;
}

Consultation OpenMarch(bool comments = true) {
  Consultation c;
  c.title = "Regolamento del verde pubblico";
  c.document_url = "https://www.example.it/bozza-regolamento.pdf";
  c.window = WindowOf("2026-03-01", "2026-03-29", Rome()).value();
  c.comments_enabled = comments;
  return c;
}

Comment Text(std::string text) {
  Comment k;
  k.text = std::move(text);
  return k;
}

}  // namespace

TEST_CASE("consultations: the window is whole days in Europe/Rome, DST included", "[unit][consultations]") {
  // Winter: 00:00 CET is 23:00 UTC the day before.
  auto winter = WindowOf("2026-01-10", "2026-01-20", Rome());
  REQUIRE(winter.ok());
  CHECK(winter->open_time == Utc(2026, 1, 9, 23));
  CHECK(winter->close_time == Utc(2026, 1, 20, 23));

  // Closing on 29 March 2026, the day clocks go forward: a 23-hour day,
  // closing at 24:00 CEST = 22:00 UTC.
  auto spring = WindowOf("2026-03-01", "2026-03-29", Rome());
  REQUIRE(spring.ok());
  CHECK(spring->open_time == Utc(2026, 2, 28, 23));
  CHECK(spring->close_time == Utc(2026, 3, 29, 22));
  CHECK(spring->close_time - absl::FromCivil(absl::CivilDay(2026, 3, 29), Rome()) == absl::Hours(23));

  // Closing on 25 October 2026, the day clocks go back: a 25-hour day,
  // closing at 24:00 CET = 23:00 UTC.
  auto autumn = WindowOf("2026-10-01", "2026-10-25", Rome());
  REQUIRE(autumn.ok());
  CHECK(autumn->open_time == Utc(2026, 9, 30, 22));
  CHECK(autumn->close_time == Utc(2026, 10, 25, 23));
  CHECK(autumn->close_time - absl::FromCivil(absl::CivilDay(2026, 10, 25), Rome()) == absl::Hours(25));

  // One day: opening and closing on the same date is a whole day.
  auto one = WindowOf("2026-07-01", "2026-07-01", Rome());
  REQUIRE(one.ok());
  CHECK(one->close_time - one->open_time == absl::Hours(24));
}

TEST_CASE("consultations: malformed or inverted dates are field violations", "[unit][consultations]") {
  struct Row {
    const char *open, *close, *field;
  };
  for (const Row& r : std::vector<Row>{
           {"", "2026-03-01", "consultation.open_date"},
           {"2026-3-1", "2026-03-10", "consultation.open_date"},
           {"2026-02-30", "2026-03-10", "consultation.open_date"},
           {"2026-03-01", "domani", "consultation.close_date"},
           {"2026-03-10", "2026-03-09", "consultation.close_date"},
           {"2026-01-01", "2027-06-01", "consultation.close_date"},  // over a year
       }) {
    INFO(r.open << " .. " << r.close);
    auto w = WindowOf(r.open, r.close, Rome());
    REQUIRE(absl::IsInvalidArgument(w.status()));
    CHECK(HasViolation(w.status(), r.field));
  }
}

TEST_CASE("consultations: phases at the edges of the window", "[unit][consultations]") {
  Window w = WindowOf("2026-03-01", "2026-03-29", Rome()).value();
  CHECK(PhaseAt(w.open_time, w.close_time, w.open_time - absl::Seconds(1)) == Phase::kScheduled);
  CHECK(PhaseAt(w.open_time, w.close_time, w.open_time) == Phase::kOpen);
  // 23:59:59 in Rome on the closing day is still open; midnight is closed.
  CHECK(PhaseAt(w.open_time, w.close_time, Utc(2026, 3, 29, 21, 59, 59)) == Phase::kOpen);
  CHECK(PhaseAt(w.open_time, w.close_time, Utc(2026, 3, 29, 22)) == Phase::kClosed);
  CHECK_FALSE(ResultsPublic(Phase::kOpen));
  CHECK(ResultsPublic(Phase::kClosed));

  // The survey's answers follow the same window.
  Survey s;
  s.open_time = w.open_time;
  s.close_time = w.close_time;
  CHECK(absl::IsFailedPrecondition(CheckAnswerWindow(s, w.open_time - absl::Seconds(1))));
  CHECK(CheckAnswerWindow(s, Utc(2026, 3, 29, 21, 59, 59)).ok());
  CHECK(absl::IsFailedPrecondition(CheckAnswerWindow(s, Utc(2026, 3, 29, 22))));
  CHECK(CheckAnswerWindow(Survey{}, Utc(2030, 1, 1, 0)).ok());  // ordinary surveys have no window
}

TEST_CASE("consultations: what a new consultation needs", "[unit][consultations]") {
  absl::Time before = Utc(2026, 2, 1, 10);
  CHECK(ValidateConsultation(OpenMarch(), before).ok());

  Consultation c = OpenMarch(false);  // no comments and no questions: nothing to take part in
  c.title = "";
  c.document_url = "ftp://example.it/x.pdf";
  absl::Status s = ValidateConsultation(c, before);
  CHECK(HasViolation(s, "consultation.title"));
  CHECK(HasViolation(s, "consultation.document_url"));
  CHECK(HasViolation(s, "consultation.questions"));
  // Already closed when created.
  CHECK(HasViolation(ValidateConsultation(OpenMarch(), Utc(2026, 3, 30, 0)), "consultation.close_date"));
}

TEST_CASE("consultations: comments only while open, enabled, up to 2,000 characters", "[unit][consultations]") {
  Consultation c = OpenMarch();
  absl::Time during = Utc(2026, 3, 10, 9);
  CHECK(CheckComment(c, Text("Proposta: più alberi in via Roma."), during).ok());
  CHECK(absl::IsFailedPrecondition(CheckComment(c, Text("presto"), Utc(2026, 2, 28, 22, 59))));
  CHECK(absl::IsFailedPrecondition(CheckComment(c, Text("tardi"), Utc(2026, 3, 29, 22))));
  CHECK(absl::IsFailedPrecondition(CheckComment(OpenMarch(false), Text("senza commenti"), during)));

  // 2,000 code points pass, 2,001 do not; "à" is one character, two bytes.
  std::string at_limit;
  for (int i = 0; i < kMaxCommentLength; ++i) at_limit += "à";
  CHECK(CheckComment(c, Text(at_limit), during).ok());
  CHECK(HasViolation(CheckComment(c, Text(at_limit + "x"), during), "text"));
  CHECK(HasViolation(CheckComment(c, Text("   "), during), "text"));
  CHECK(HasViolation(CheckComment(c, Text("\xff\xfe"), during), "text"));

  Comment k = Text("ok");
  k.author_email = "non-una-mail";
  CHECK(HasViolation(CheckComment(c, k, during), "author_email"));
  k.author_email = "mario.rossi@example.it";
  k.author_name = std::string(201, 'a');
  CHECK(HasViolation(CheckComment(c, k, during), "author_name"));
}

TEST_CASE("consultations: the moderation state machine", "[unit][consultations]") {
  using S = CommentState;
  struct Row {
    S from, to;
    const char* reason;
    absl::StatusCode code;
  };
  for (const Row& r : std::vector<Row>{
           {S::kPending, S::kApproved, "", absl::StatusCode::kOk},
           {S::kPending, S::kRejected, "Contiene dati personali di terzi", absl::StatusCode::kOk},
           {S::kPending, S::kRejected, "  ", absl::StatusCode::kInvalidArgument},  // a reason is required
           {S::kApproved, S::kRejected, "Ritirato: offensivo", absl::StatusCode::kOk},
           {S::kApproved, S::kApproved, "", absl::StatusCode::kFailedPrecondition},
           {S::kRejected, S::kApproved, "", absl::StatusCode::kFailedPrecondition},
           {S::kRejected, S::kRejected, "di nuovo", absl::StatusCode::kFailedPrecondition},
           {S::kPending, S::kPending, "", absl::StatusCode::kFailedPrecondition},
           {S::kApproved, S::kPending, "", absl::StatusCode::kFailedPrecondition},
       }) {
    INFO(CommentStateName(r.from) << " -> " << CommentStateName(r.to));
    CHECK(CheckModeration(r.from, r.to, r.reason).code() == r.code);
  }
  CHECK(CommentPublic(S::kApproved));
  CHECK_FALSE(CommentPublic(S::kPending));
  CHECK_FALSE(CommentPublic(S::kRejected));
}

TEST_CASE("consultations: the administration's response, once, after closing", "[unit][consultations]") {
  Consultation c = OpenMarch();
  absl::Time during = Utc(2026, 3, 10, 9), after = Utc(2026, 4, 2, 9);
  CHECK(absl::IsFailedPrecondition(CheckAdministrationResponse(c, "Grazie", "", during)));
  CHECK(CheckAdministrationResponse(c, "Accolte 3 proposte su 5.", "https://www.example.it/delibera.pdf", after).ok());
  CHECK(HasViolation(CheckAdministrationResponse(c, "", "", after), "text"));
  CHECK(HasViolation(CheckAdministrationResponse(c, "Testo", "javascript:alert(1)", after), "document_url"));
  c.respond_time = after;
  CHECK(absl::IsAlreadyExists(CheckAdministrationResponse(c, "Di nuovo", "", after)));
}

TEST_CASE("consultations: results use the surveys' suppression", "[unit][consultations]") {
  Survey s;
  s.questions.push_back({"agree", QuestionType::kSingleChoice, "Sei d'accordo con la proposta?", true,
                         {{"yes", "Sì"}, {"no", "No"}}, 1, 5, {}, 0, std::nullopt});
  auto answers = [](int n) {
    std::vector<std::vector<Answer>> out;
    for (int i = 0; i < n; ++i) out.push_back({{"agree", {i % 3 ? "yes" : "no"}, std::nullopt, ""}});
    return out;
  };
  auto few = ComputeResults(s, answers(kDefaultSuppressionThreshold - 1), kDefaultSuppressionThreshold);
  REQUIRE(few.size() == 1);
  CHECK(few[0].suppressed);
  CHECK(few[0].shown == 0);  // not even n
  CHECK(few[0].options.empty());
  auto enough = ComputeResults(s, answers(12), kDefaultSuppressionThreshold);
  CHECK_FALSE(enough[0].suppressed);
  CHECK(enough[0].shown == 12);
}
