#pragma once
// Public consultations, pure domain code: a consultation is a survey about a
// proposal (a regulation draft, a plan, a budget choice) with a document,
// an opening and a closing date, its eligible participants and optional
// public comments that operators moderate.
//
//   open from 00:00 of open_date to 24:00 of close_date, in the
//   administration's time (Europe/Rome: a closing day of 23 or 25 hours at
//   the DST changes is still a whole day);
//   phases: scheduled -> open -> closed (closed early by staff, too);
//   comments: only while open and enabled, 1..2,000 characters, pending
//   until moderated: pending -> approved | rejected, approved -> rejected
//   (withdrawn), each rejection with a reason; never shown unless approved;
//   results, approved comments and the administration's response are
//   public once closed; the response is attached once, after closing.
//
//   ASSIGN_OR_RETURN(Window w, WindowOf("2026-03-01", "2026-03-29", rome));
//   PhaseAt(w.open_time, w.close_time, now) == Phase::kOpen
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/surveys/model.h"

namespace sportello::surveys {

inline constexpr int kMaxCommentLength = 2000;     // code points
inline constexpr int kMaxResponseLength = 20000;   // the administration's response
inline constexpr int kMaxConsultationDays = 366;   // from opening to closing

enum class Phase { kScheduled, kOpen, kClosed };
enum class Eligibility { kAnyone, kResidents };  // residents: with an invitation token
enum class CommentState { kPending, kApproved, kRejected };

struct Window {
  absl::CivilDay open_day, close_day;
  absl::Time open_time, close_time;  // [open_time, close_time)
};

struct Consultation {
  std::string id, tenant, survey_id;
  std::string title, description, document_url;
  Window window;
  Eligibility eligibility = Eligibility::kAnyone;
  bool comments_enabled = false;
  std::vector<Question> questions;  // of the survey
  long long approved_comments = 0;
  // The administration's response, once attached (respond_time set).
  std::string response_text, response_url;
  std::optional<absl::Time> respond_time;
  absl::Time create_time, update_time;
};

struct Comment {
  std::string id, consultation_id, tenant;
  std::string text;
  CommentState state = CommentState::kPending;
  std::string rejection_reason;  // staff only
  std::string author_name, author_email;  // staff only
  bool invited = false;
  absl::Time create_time;
  std::optional<absl::Time> moderate_time;
};

// The window of "YYYY-MM-DD" dates in `zone`: INVALID_ARGUMENT on the
// fields "consultation.open_date" / "consultation.close_date" when
// malformed, closing before opening or longer than kMaxConsultationDays.
absl::StatusOr<Window> WindowOf(std::string_view open_date, std::string_view close_date, const absl::TimeZone& zone);

Phase PhaseAt(absl::Time open_time, absl::Time close_time, absl::Time now);

// A new consultation: title (1..200), an http(s) document_url, a window
// that has not closed by `now`, at least one question unless it takes
// comments (the questions themselves: ValidateSurvey). INVALID_ARGUMENT
// with fields under "consultation.".
absl::Status ValidateConsultation(const Consultation& c, absl::Time now);

// What a comment needs: FAILED_PRECONDITION when the consultation is not
// open at `now` or takes no comments; INVALID_ARGUMENT for "text" (empty,
// not UTF-8, over kMaxCommentLength), "author_name" (over 200),
// "author_email" (malformed).
absl::Status CheckComment(const Consultation& c, const Comment& comment, absl::Time now);

// A moderation move: pending -> approved, pending -> rejected, approved ->
// rejected; a rejection needs a reason (INVALID_ARGUMENT "reason", at most
// 1,000 characters); anything else is FAILED_PRECONDITION.
absl::Status CheckModeration(CommentState from, CommentState to, const std::string& reason);

// Shown to the public: approved comments only.
inline bool CommentPublic(CommentState s) { return s == CommentState::kApproved; }
// Results, comments and response are public once the consultation closed.
inline bool ResultsPublic(Phase p) { return p == Phase::kClosed; }

// The response: FAILED_PRECONDITION before closing, ALREADY_EXISTS when
// one is attached; INVALID_ARGUMENT for "text" (1..20,000) and
// "document_url" (http(s) when given).
absl::Status CheckAdministrationResponse(const Consultation& c, const std::string& text, const std::string& document_url,
                                        absl::Time now);

// Wire spellings, lower case.
std::string_view PhaseName(Phase p);
std::string_view EligibilityName(Eligibility e);
std::string_view CommentStateName(CommentState s);
std::optional<Eligibility> EligibilityFromName(std::string_view n);
std::optional<CommentState> CommentStateFromName(std::string_view n);
std::optional<Phase> PhaseFromName(std::string_view n);

}  // namespace sportello::surveys
