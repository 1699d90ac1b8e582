#include "services/dispatch/approval.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace sportello::dispatch {
namespace {

void Log(Message& m, std::string action, const std::string& who, absl::Time now, std::string note = "") {
  m.history.push_back(Step{std::move(action), who, now, m.text, std::move(note)});
  m.updated_at = now;
}

absl::Status NotBeforeSending(const Message& m) {
  if (m.sent) return absl::FailedPreconditionError("il messaggio è già stato inviato: non si può più modificare");
  if (m.state == MessageState::kWithdrawn) return absl::FailedPreconditionError("il messaggio è stato ritirato");
  return absl::OkStatus();
}

bool IsHttpUrl(const std::string& s) {
  return (s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0) && s.find_first_of(" \t\r\n") == std::string::npos;
}

}  // namespace

absl::Status CheckDraft(const Message& m, absl::Time now) {
  std::vector<FieldViolation> v;
  if (absl::StripAsciiWhitespace(m.title).empty()) v.push_back({"title", "il titolo è obbligatorio"});
  if (m.title.size() > 200) v.push_back({"title", "il titolo supera 200 caratteri"});
  if (absl::StripAsciiWhitespace(m.text).empty()) v.push_back({"text", "il testo è obbligatorio"});
  if (m.text.size() > 20000) v.push_back({"text", "il testo supera 20000 byte"});
  if (!m.link.empty() && !IsHttpUrl(m.link)) v.push_back({"link", "il collegamento deve essere un indirizzo http(s)"});
  if (m.account_ids.empty()) v.push_back({"account_ids", "indicare almeno un account ufficiale"});
  if (m.scheduled_at && *m.scheduled_at < now) v.push_back({"scheduled_time", "l'orario di invio è nel passato"});
  if (m.indispensable && absl::StripAsciiWhitespace(m.blackout_justification).size() < 10) {
    v.push_back({"blackout_justification",
                 "un messaggio indispensabile in periodo elettorale richiede una motivazione scritta"});
  }
  if (!v.empty()) return InvalidArgument(std::move(v));
  return absl::OkStatus();
}

void Create(Message& m, const Actor& who, absl::Time now) {
  m.author = who.subject;
  m.state = MessageState::kDraft;
  m.created_at = now;
  Log(m, "create", who.subject, now);
}

absl::Status ApplyEdit(Message& m, const Edit& e, const Actor& who, absl::Time now) {
  RETURN_IF_ERROR(NotBeforeSending(m));
  if (!who.editor && !who.manager) return absl::PermissionDeniedError("solo la redazione modifica i messaggi");
  Message next = m;
  if (e.title) next.title = *e.title;
  if (e.text) next.text = *e.text;
  if (e.link) next.link = *e.link;
  if (e.account_ids) next.account_ids = *e.account_ids;
  if (e.scheduled_at) next.scheduled_at = *e.scheduled_at;
  if (e.indispensable) next.indispensable = *e.indispensable;
  if (e.blackout_justification) next.blackout_justification = *e.blackout_justification;
  if (e.campaign_id) next.campaign_id = *e.campaign_id;
  RETURN_IF_ERROR(CheckDraft(next, now));
  next.state = MessageState::kDraft;
  next.approvals.clear();
  Log(next, "edit", who.subject, now);
  m = std::move(next);
  return absl::OkStatus();
}

absl::Status Submit(Message& m, const Actor& who, absl::Time now) {
  if (!who.editor && !who.manager) return absl::PermissionDeniedError("solo la redazione propone i messaggi");
  if (m.state != MessageState::kDraft) {
    return absl::FailedPreconditionError(absl::StrCat("si propone solo una bozza; il messaggio è ", std::string(MessageStateName(m.state))));
  }
  m.state = MessageState::kSubmitted;
  Log(m, "submit", who.subject, now);
  return absl::OkStatus();
}

absl::StatusOr<bool> Approve(Message& m, const Actor& who, int tiers, absl::Time now) {
  if (!who.manager) return absl::PermissionDeniedError("approva solo un responsabile della comunicazione");
  if (m.state != MessageState::kSubmitted) {
    return absl::FailedPreconditionError(absl::StrCat("si approva solo un messaggio proposto; il messaggio è ",
                                                      std::string(MessageStateName(m.state))));
  }
  if (who.subject == m.author) {
    return InvalidArgument({{"approver", "chi ha scritto il messaggio non può approvarlo"}});
  }
  if (std::find(m.approvals.begin(), m.approvals.end(), who.subject) != m.approvals.end()) {
    return InvalidArgument({{"approver", "serve l'approvazione di un secondo responsabile"}});
  }
  m.approvals.push_back(who.subject);
  Log(m, "approve", who.subject, now);
  if (static_cast<int>(m.approvals.size()) >= std::max(1, tiers)) {
    m.state = MessageState::kApproved;
    return true;
  }
  return false;
}

absl::Status Reject(Message& m, const Actor& who, const std::string& note, absl::Time now) {
  if (!who.manager) return absl::PermissionDeniedError("respinge solo un responsabile della comunicazione");
  if (m.state != MessageState::kSubmitted && m.state != MessageState::kHeld) {
    return absl::FailedPreconditionError("si respinge solo un messaggio proposto o trattenuto");
  }
  if (absl::StripAsciiWhitespace(note).empty()) return InvalidArgument({{"note", "indicare il motivo"}});
  m.state = MessageState::kDraft;
  m.approvals.clear();
  Log(m, "reject", who.subject, now, note);
  return absl::OkStatus();
}

absl::Status PublishUrgent(Message& m, const Actor& who, const std::string& reason, absl::Time now) {
  if (!who.manager) return absl::PermissionDeniedError("pubblica d'urgenza solo un responsabile della comunicazione");
  if (m.state != MessageState::kDraft && m.state != MessageState::kSubmitted) {
    return absl::FailedPreconditionError(absl::StrCat("il messaggio è ", std::string(MessageStateName(m.state))));
  }
  if (absl::StripAsciiWhitespace(reason).size() < 10) {
    return InvalidArgument({{"reason", "la pubblicazione urgente richiede un motivo di almeno 10 caratteri"}});
  }
  m.urgent = true;
  m.state = MessageState::kApproved;
  m.approvals = {who.subject};
  m.scheduled_at.reset();
  Log(m, "publish-urgent", who.subject, now, reason);
  return absl::OkStatus();
}

absl::Status Withdraw(Message& m, const Actor& who, absl::Time now) {
  RETURN_IF_ERROR(NotBeforeSending(m));
  if (!who.editor && !who.manager) return absl::PermissionDeniedError("solo la redazione ritira i messaggi");
  m.state = MessageState::kWithdrawn;
  Log(m, "withdraw", who.subject, now);
  return absl::OkStatus();
}

void ReleaseHeld(Message& m, absl::Time now) {
  if (m.state != MessageState::kHeld) return;
  m.state = MessageState::kSubmitted;
  m.approvals.clear();
  Log(m, "release-held", "system", now, "periodo elettorale concluso: torna al responsabile");
}

}  // namespace sportello::dispatch
