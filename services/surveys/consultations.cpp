#include "services/surveys/consultations.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/text_checks.h"

namespace sportello::surveys {
namespace {

constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxUrl = 2000;
constexpr size_t kMaxName = 200;
constexpr size_t kMaxReason = 1000;

std::optional<absl::CivilDay> ParseDay(std::string_view text) {
  absl::CivilDay day;
  // Exactly YYYY-MM-DD: ParseCivilTime would also take "2026-3-1".
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!absl::ParseCivilTime(std::string(text), &day)) return std::nullopt;
  if (day.year() < 2000 || day.year() > 2199) return std::nullopt;
  return day;
}

const char* StateLabel(CommentState s) {
  switch (s) {
    case CommentState::kPending: return "in attesa di moderazione";
    case CommentState::kApproved: return "approvato";
    case CommentState::kRejected: return "rifiutato";
  }
  return "";
}

bool WebUrl(const std::string& url) { return url.size() <= kMaxUrl && ValidWebsite(url); }

}  // namespace

absl::StatusOr<Window> WindowOf(std::string_view open_date, std::string_view close_date, const absl::TimeZone& zone) {
  std::vector<FieldViolation> bad;
  auto open = ParseDay(open_date);
  auto close = ParseDay(close_date);
  if (!open) bad.push_back({"consultation.open_date", "data di apertura obbligatoria, nel formato AAAA-MM-GG"});
  if (!close) bad.push_back({"consultation.close_date", "data di chiusura obbligatoria, nel formato AAAA-MM-GG"});
  if (open && close && *close < *open) {
    bad.push_back({"consultation.close_date", "la chiusura non può precedere l'apertura"});
  } else if (open && close && *close - *open >= kMaxConsultationDays) {
    bad.push_back({"consultation.close_date", absl::StrCat("al massimo ", kMaxConsultationDays, " giorni")});
  }
  if (!bad.empty()) return InvalidArgument(std::move(bad));
  Window w;
  w.open_day = *open;
  w.close_day = *close;
  // Midnight exists on every day in Europe/Rome (the changes are at 02:00
  // and 03:00): the start of the day after closing is exact.
  w.open_time = absl::FromCivil(*open, zone);
  w.close_time = absl::FromCivil(*close + 1, zone);
  return w;
}

Phase PhaseAt(absl::Time open_time, absl::Time close_time, absl::Time now) {
  if (now < open_time) return Phase::kScheduled;
  if (now < close_time) return Phase::kOpen;
  return Phase::kClosed;
}

absl::Status ValidateConsultation(const Consultation& c, absl::Time now) {
  std::vector<FieldViolation> bad;
  if (c.title.empty() || !ValidUtf8(c.title) || CodePoints(c.title) > kMaxTitle) {
    bad.push_back({"consultation.title", "titolo obbligatorio, al massimo 200 caratteri"});
  }
  if (!ValidUtf8(c.description) || CodePoints(c.description) > kMaxResponseLength) {
    bad.push_back({"consultation.description", "al massimo 20000 caratteri"});
  }
  if (!WebUrl(c.document_url)) {
    bad.push_back({"consultation.document_url", "indirizzo http(s) del documento o della pagina obbligatorio"});
  }
  if (c.window.close_time <= now) {
    bad.push_back({"consultation.close_date", "la data di chiusura è già passata"});
  }
  if (c.questions.empty() && !c.comments_enabled) {
    bad.push_back({"consultation.questions", "almeno una domanda, o i commenti abilitati"});
  }
  if (!bad.empty()) return InvalidArgument(std::move(bad));
  return absl::OkStatus();
}

absl::Status CheckComment(const Consultation& c, const Comment& comment, absl::Time now) {
  switch (PhaseAt(c.window.open_time, c.window.close_time, now)) {
    case Phase::kScheduled: return absl::FailedPreconditionError("la consultazione non è ancora aperta");
    case Phase::kClosed: return absl::FailedPreconditionError("la consultazione è chiusa: non accetta commenti");
    case Phase::kOpen: break;
  }
  if (!c.comments_enabled) return absl::FailedPreconditionError("questa consultazione non accetta commenti");
  std::vector<FieldViolation> bad;
  std::string trimmed = comment.text;
  Trim(trimmed);
  if (!ValidUtf8(comment.text) || trimmed.empty()) {
    bad.push_back({"text", "il testo del commento è obbligatorio"});
  } else if (CodePoints(comment.text) > kMaxCommentLength) {
    bad.push_back({"text", absl::StrCat("al massimo ", kMaxCommentLength, " caratteri")});
  }
  if (!ValidUtf8(comment.author_name) || CodePoints(comment.author_name) > kMaxName) {
    bad.push_back({"author_name", "al massimo 200 caratteri"});
  }
  if (!comment.author_email.empty() && !ValidEmail(comment.author_email)) {
    bad.push_back({"author_email", "indirizzo e-mail non valido"});
  }
  if (!bad.empty()) return InvalidArgument(std::move(bad));
  return absl::OkStatus();
}

absl::Status CheckModeration(CommentState from, CommentState to, const std::string& reason) {
  bool allowed = (from == CommentState::kPending && to != CommentState::kPending) ||
                 (from == CommentState::kApproved && to == CommentState::kRejected);
  if (!allowed) {
    return absl::FailedPreconditionError(absl::StrCat("il commento è ", StateLabel(from), ": non può diventare ",
                                                      StateLabel(to)));
  }
  if (to == CommentState::kRejected) {
    std::string trimmed = reason;
    Trim(trimmed);
    if (trimmed.empty() || !ValidUtf8(reason) || CodePoints(reason) > kMaxReason) {
      return InvalidArgument({{"reason", "motivo del rifiuto obbligatorio, al massimo 1000 caratteri"}});
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAdministrationResponse(const Consultation& c, const std::string& text,
                                         const std::string& document_url, absl::Time now) {
  if (PhaseAt(c.window.open_time, c.window.close_time, now) != Phase::kClosed) {
    return absl::FailedPreconditionError("la risposta dell'amministrazione si allega a consultazione chiusa");
  }
  if (c.respond_time) return absl::AlreadyExistsError("la consultazione ha già la risposta dell'amministrazione");
  std::vector<FieldViolation> bad;
  std::string trimmed = text;
  Trim(trimmed);
  if (trimmed.empty() || !ValidUtf8(text) || CodePoints(text) > kMaxResponseLength) {
    bad.push_back({"text", "testo della risposta obbligatorio, al massimo 20000 caratteri"});
  }
  if (!document_url.empty() && !WebUrl(document_url)) {
    bad.push_back({"document_url", "indirizzo http(s) non valido"});
  }
  if (!bad.empty()) return InvalidArgument(std::move(bad));
  return absl::OkStatus();
}

std::string_view PhaseName(Phase p) {
  switch (p) {
    case Phase::kScheduled: return "scheduled";
    case Phase::kOpen: return "open";
    case Phase::kClosed: return "closed";
  }
  return "scheduled";
}

std::string_view EligibilityName(Eligibility e) {
  switch (e) {
    case Eligibility::kAnyone: return "anyone";
    case Eligibility::kResidents: return "residents";
  }
  return "anyone";
}

std::string_view CommentStateName(CommentState s) {
  switch (s) {
    case CommentState::kPending: return "pending";
    case CommentState::kApproved: return "approved";
    case CommentState::kRejected: return "rejected";
  }
  return "pending";
}

std::optional<Eligibility> EligibilityFromName(std::string_view n) {
  for (Eligibility e : {Eligibility::kAnyone, Eligibility::kResidents}) {
    if (EligibilityName(e) == n) return e;
  }
  return std::nullopt;
}

std::optional<CommentState> CommentStateFromName(std::string_view n) {
  for (CommentState s : {CommentState::kPending, CommentState::kApproved, CommentState::kRejected}) {
    if (CommentStateName(s) == n) return s;
  }
  return std::nullopt;
}

std::optional<Phase> PhaseFromName(std::string_view n) {
  for (Phase p : {Phase::kScheduled, Phase::kOpen, Phase::kClosed}) {
    if (PhaseName(p) == n) return p;
  }
  return std::nullopt;
}

}  // namespace sportello::surveys
