#include "services/complaints/access.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "common/status.h"
#include "common/text_checks.h"
#include "services/complaints/deadlines.h"
#include "services/complaints/lifecycle.h"
#include "services/complaints/workflow.h"

namespace sportello::complaints {
namespace {

std::string DayText(absl::Time t) {
  // The objection due is the end of a day: show the day it ends (Rome).
  static const absl::TimeZone* const kRome = [] {
    auto* z = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/Rome", z)) *z = absl::UTCTimeZone();
    return z;
  }();
  return absl::FormatTime("%d/%m/%Y", t - absl::Seconds(1), *kRome);
}

absl::Status Precondition(std::string message, const std::string& field = "") {
  absl::Status s = absl::FailedPreconditionError(message);
  if (!field.empty()) AttachFieldViolations(s, {{field, message}});
  return s;
}

bool Ended(Status s) {
  return s == Status::kWithdrawn || s == Status::kForwarded || s == Status::kDuplicate || s == Status::kRejected;
}

// Resumes the clock at `at`: the due time moves on by the suspension.
void Resume(Request& r, absl::Time at) {
  if (r.paused_since) r.due_time = ExtendForPause(r.due_time, *r.paused_since, at);
  r.paused_since.reset();
  r.civic_access.suspended_until.reset();
}

// The latest objection due of the parties that have not objected and whose
// window is still open at `now`; nullopt when none.
std::optional<absl::Time> OpenWindowEnd(const Request& r, absl::Time now) {
  std::optional<absl::Time> end;
  for (const CounterParty& p : r.civic_access.counter_parties) {
    if (p.objection_time || p.objection_due <= now) continue;
    if (!end || p.objection_due > *end) end = p.objection_due;
  }
  return end;
}

template <typename E, size_t N>
std::optional<E> FromName(std::string_view name, const std::array<E, N>& all, std::string_view (*to)(E)) {
  for (E e : all) {
    if (to(e) == name) return e;
  }
  return std::nullopt;
}

constexpr std::array kOutcomes = {AccessOutcome::kNone,    AccessOutcome::kGranted,   AccessOutcome::kPartiallyGranted,
                                  AccessOutcome::kRefused, AccessOutcome::kPublished, AccessOutcome::kSilentRefusal};
constexpr std::array kExceptions = {
    AccessException::kNone,           AccessException::kPublicSafety,          AccessException::kNationalSecurity,
    AccessException::kDefence,        AccessException::kInternationalRelations, AccessException::kPublicFinance,
    AccessException::kCriminalInvestigations, AccessException::kInspections,   AccessException::kPersonalData,
    AccessException::kCorrespondence, AccessException::kEconomicInterests};
constexpr std::array kReviews = {ReviewOutcome::kNone, ReviewOutcome::kConfirmed, ReviewOutcome::kGranted,
                                 ReviewOutcome::kPartiallyGranted};
constexpr std::array kChannels = {NoticeChannel::kPec, NoticeChannel::kEmail, NoticeChannel::kPost};

}  // namespace

bool IsAccessKind(Kind k) {
  return k == Kind::kCivicAccess || k == Kind::kDocumentaryAccess || k == Kind::kSimpleCivicAccess;
}
bool CountsForProactivePublication(Kind k) { return k == Kind::kCivicAccess || k == Kind::kSimpleCivicAccess; }
bool HasCounterParties(Kind k) { return k == Kind::kCivicAccess || k == Kind::kDocumentaryAccess; }

absl::Time ObjectionDue(absl::Time notified, const absl::TimeZone& zone) {
  return DueTime(notified, kObjectionDays, zone);
}

void SettleSuspension(Request& r, absl::Time now) {
  if (!r.civic_access.suspended_until) return;
  if (now >= *r.civic_access.suspended_until) Resume(r, *r.civic_access.suspended_until);
}

absl::Status NotifyCounterParty(Request& r, CounterParty party, absl::Time now, const absl::TimeZone& zone) {
  SettleSuspension(r, now);
  if (!HasCounterParties(r.kind)) {
    return Precondition("solo l'accesso civico generalizzato e l'accesso documentale hanno controinteressati");
  }
  if (r.civic_access.outcome_code != AccessOutcome::kNone || !r.civic_access.outcome.empty()) {
    return Precondition("la richiesta è già stata decisa");
  }
  if (IsTerminal(r.status) || r.status == Status::kUnderReview || r.status == Status::kResolved) {
    return Precondition("la richiesta non è più in istruttoria");
  }
  if (r.status == Status::kWaitingCitizen) {
    return Precondition("la richiesta è in attesa del cittadino: riprenderla prima di notificare i controinteressati");
  }
  Trim(party.name);
  Trim(party.address);
  std::vector<FieldViolation> v;
  if (party.name.empty() || party.name.size() > 200) v.push_back({"name", "nome del controinteressato obbligatorio (max 200)"});
  if (party.address.empty() || party.address.size() > 300) {
    v.push_back({"address", "recapito obbligatorio: PEC, e-mail o indirizzo postale (max 300)"});
  } else if ((party.channel == NoticeChannel::kPec || party.channel == NoticeChannel::kEmail) &&
             !ValidEmail(party.address)) {
    v.push_back({"address", "indirizzo di posta elettronica non valido"});
  }
  if (!v.empty()) return InvalidArgument(std::move(v));
  party.id = 0;
  party.notify_time = now;
  party.objection_due = ObjectionDue(now, zone);
  party.objection_time.reset();
  party.objection.clear();
  if (!r.paused_since) r.paused_since = now;
  if (!r.civic_access.suspended_until || *r.civic_access.suspended_until < party.objection_due) {
    r.civic_access.suspended_until = party.objection_due;
  }
  r.civic_access.counter_parties.push_back(std::move(party));
  return absl::OkStatus();
}

absl::Status RecordObjection(Request& r, long long party_id, std::string text, absl::Time now) {
  auto it = std::find_if(r.civic_access.counter_parties.begin(), r.civic_access.counter_parties.end(),
                         [&](const CounterParty& p) { return p.id == party_id; });
  if (it == r.civic_access.counter_parties.end()) {
    return absl::NotFoundError("controinteressato " + std::to_string(party_id) + " non trovato per questa richiesta");
  }
  if (it->objection_time) return Precondition("il controinteressato si è già opposto", "counter_party_id");
  if (now > it->objection_due) {
    return Precondition("opposizione fuori termine: i 10 giorni per opporsi sono scaduti il " + DayText(it->objection_due),
                        "counter_party_id");
  }
  Trim(text);
  if (text.size() > 4000 * 4) return InvalidArgument({{"text", "testo troppo lungo"}});
  it->objection_time = now;
  it->objection = std::move(text);
  if (r.civic_access.suspended_until) {
    if (std::optional<absl::Time> end = OpenWindowEnd(r, now)) {
      r.civic_access.suspended_until = *end;
    } else {
      Resume(r, now);
    }
  }
  return absl::OkStatus();
}

bool SilentRefusal(const Request& request, absl::Time now) {
  Request r = request;
  SettleSuspension(r, now);
  return r.kind == Kind::kDocumentaryAccess && r.civic_access.outcome_code == AccessOutcome::kNone &&
         r.civic_access.outcome.empty() && !r.paused_since && !Ended(r.status) && now > r.due_time;
}

AccessOutcome EffectiveOutcome(const Request& r, absl::Time now) {
  if (r.civic_access.outcome_code != AccessOutcome::kNone) return r.civic_access.outcome_code;
  return SilentRefusal(r, now) ? AccessOutcome::kSilentRefusal : AccessOutcome::kNone;
}

absl::Status DecideAccess(Request& r, const AccessDecision& d) {
  if (!IsAccessKind(r.kind)) {
    return Precondition("solo le richieste di accesso hanno un esito da registrare");
  }
  if (d.outcome == AccessOutcome::kNone) {
    if (r.kind != Kind::kCivicAccess) return InvalidArgument({{"outcome_code", "esito obbligatorio"}});
    return DecideAccess(r, d.text, d.date);  // the free-text outcome of before
  }
  if (r.status == Status::kUnderReview) return Precondition("la richiesta è in riesame: decide il responsabile (RPCT)");
  if (r.civic_access.suspended_until) {
    return Precondition("termine sospeso: i controinteressati possono opporsi fino al " +
                        DayText(*r.civic_access.suspended_until));
  }
  std::vector<FieldViolation> v;
  const bool refusal = d.outcome == AccessOutcome::kRefused || d.outcome == AccessOutcome::kPartiallyGranted;
  switch (r.kind) {
    case Kind::kSimpleCivicAccess:
      if (d.outcome != AccessOutcome::kPublished && d.outcome != AccessOutcome::kRefused) {
        v.push_back({"outcome_code", "l'accesso civico semplice si conclude con la pubblicazione (o il rifiuto)"});
      }
      break;
    default:
      if (d.outcome != AccessOutcome::kGranted && !refusal) {
        v.push_back({"outcome_code", "esito ammesso: accolto, accolto parzialmente o respinto"});
      }
      break;
  }
  if (r.kind == Kind::kCivicAccess && refusal && d.exception == AccessException::kNone) {
    v.push_back({"exception",
                 "il diniego dell'accesso civico generalizzato deve indicare l'eccezione dell'art. 5-bis "
                 "(interessi pubblici c.1 o privati c.2)"});
  }
  if (d.exception != AccessException::kNone && !refusal) {
    v.push_back({"exception", "un'eccezione si indica solo per un diniego, totale o parziale"});
  }
  if (d.outcome == AccessOutcome::kPublished && !ValidWebsite(d.published_url)) {
    v.push_back({"published_url", "indicare il collegamento (http o https) alla pagina pubblicata"});
  }
  std::string text(absl::StripAsciiWhitespace(d.text));
  if (text.size() > 200) v.push_back({"outcome", "esito troppo lungo (max 200)"});
  if (!ValidCivilDate(d.date)) v.push_back({"decision_date", "data non valida, usare AAAA-MM-GG"});
  if (!v.empty()) return InvalidArgument(std::move(v));
  r.civic_access.outcome_code = d.outcome;
  r.civic_access.exception = d.exception;
  r.civic_access.outcome = text.empty() ? std::string(AccessOutcomeLabel(d.outcome)) : text;
  r.civic_access.decision_date = d.date;
  if (d.outcome == AccessOutcome::kPublished) r.civic_access.published_url = d.published_url;
  return absl::OkStatus();
}

absl::Status RequestReview(Request& r, absl::Time now, const absl::TimeZone& zone) {
  SettleSuspension(r, now);
  if (r.kind != Kind::kCivicAccess) {
    return Precondition("il riesame si chiede solo per l'accesso civico generalizzato");
  }
  if (r.status == Status::kUnderReview || r.civic_access.review_outcome != ReviewOutcome::kNone) {
    return Precondition("il riesame è già stato chiesto");
  }
  if (r.status == Status::kWithdrawn || r.status == Status::kForwarded || r.status == Status::kDuplicate) {
    return Precondition("la richiesta non è più attiva");
  }
  const AccessOutcome o = r.civic_access.outcome_code;
  const bool refused = o == AccessOutcome::kRefused || o == AccessOutcome::kPartiallyGranted;
  const bool silent = o == AccessOutcome::kNone && r.civic_access.outcome.empty() && !r.paused_since && now > r.due_time;
  if (!refused && !silent) {
    return Precondition("il riesame si chiede dopo un diniego, totale o parziale, o se il termine è scaduto senza risposta");
  }
  r.resolved_time.reset();
  r.closed_time.reset();
  r.status = Status::kUnderReview;
  r.due_time = DueTime(now, kReviewDays, zone);
  return absl::OkStatus();
}

absl::Status DecideReview(Request& r, ReviewOutcome outcome, AccessException exception, const std::string& date,
                          absl::Time now, const absl::TimeZone& zone) {
  if (r.status != Status::kUnderReview) return Precondition("la richiesta non è in riesame");
  std::vector<FieldViolation> v;
  if (outcome == ReviewOutcome::kNone) v.push_back({"outcome", "esito del riesame obbligatorio"});
  if (outcome == ReviewOutcome::kConfirmed && exception == AccessException::kNone) {
    exception = r.civic_access.exception;
  }
  const bool refusal = outcome == ReviewOutcome::kConfirmed || outcome == ReviewOutcome::kPartiallyGranted;
  if (refusal && exception == AccessException::kNone) {
    v.push_back({"exception", "il diniego confermato deve indicare l'eccezione dell'art. 5-bis"});
  }
  if (outcome == ReviewOutcome::kGranted && exception != AccessException::kNone) {
    v.push_back({"exception", "un'eccezione si indica solo per un diniego, totale o parziale"});
  }
  if (!ValidCivilDate(date)) v.push_back({"decision_date", "data non valida, usare AAAA-MM-GG"});
  if (!v.empty()) return InvalidArgument(std::move(v));
  r.civic_access.review_outcome = outcome;
  r.civic_access.review_decision_date = date;
  if (refusal) r.civic_access.exception = exception;
  if (outcome == ReviewOutcome::kGranted) r.civic_access.exception = AccessException::kNone;
  ApplyStatus(r, Status::kResolved, now, zone, 0);
  return absl::OkStatus();
}

std::optional<std::pair<absl::CivilDay, absl::CivilDay>> SemesterDays(std::string_view s) {
  int year = 0;
  if (s.size() != 7 || s[4] != '-' || s[5] != 'S' || (s[6] != '1' && s[6] != '2')) return std::nullopt;
  if (!absl::SimpleAtoi(absl::string_view(s.data(), 4), &year) || year < 1990 || year > 9999) return std::nullopt;
  if (s[6] == '1') return std::make_pair(absl::CivilDay(year, 1, 1), absl::CivilDay(year, 6, 30));
  return std::make_pair(absl::CivilDay(year, 7, 1), absl::CivilDay(year, 12, 31));
}

std::string ScrubPersonalData(std::string_view text, const std::vector<std::string>& names) {
  constexpr std::string_view kOmissis = "[omissis]";
  std::vector<std::string> name_words;
  for (const std::string& name : names) {
    std::string word;
    for (size_t i = 0; i <= name.size(); ++i) {
      const char c = i < name.size() ? name[i] : ' ';
      if (c == ' ' || c == '\t' || c == ',' || c == '.' || c == '\'') {
        if (word.size() >= 3) name_words.push_back(absl::AsciiStrToLower(word));
        word.clear();
      } else {
        word += c;
      }
    }
  }
  // Words: runs of non-space; a word's core is stripped of surrounding punctuation.
  std::vector<std::string> words;
  std::vector<std::string> seps;  // the separator before each word
  std::string sep, word;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!word.empty()) {
        seps.push_back(sep);
        words.push_back(word);
        sep.clear();
        word.clear();
      }
      sep += c;
    } else {
      word += c;
    }
  }
  if (!word.empty()) {
    seps.push_back(sep);
    words.push_back(word);
    sep.clear();
  }
  auto core_bounds = [](const std::string& w) {
    size_t b = 0, e = w.size();
    auto punct = [](char c) { return std::string_view(".,;:()[]\"'«»!?").find(c) != std::string_view::npos; };
    while (b < e && punct(w[b])) ++b;
    while (e > b && punct(w[e - 1])) --e;
    return std::make_pair(b, e);
  };
  auto phone_chars = [](const std::string& w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
      // Not '/': "12/2026" is an act's number, not a phone.
      return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
  };
  auto digits = [](const std::string& w) {
    return std::count_if(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  auto fiscal_code = [](const std::string& w) {
    if (w.size() != 16) return false;
    const std::string u = absl::AsciiStrToUpper(w);
    for (size_t i : {0, 1, 2, 3, 4, 5, 8, 11, 15}) {
      if (!absl::ascii_isupper(static_cast<unsigned char>(u[i]))) return false;
    }
    return std::any_of(u.begin(), u.end(), [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
  };
  std::vector<bool> scrub(words.size(), false);
  for (size_t i = 0; i < words.size(); ++i) {
    auto [b, e] = core_bounds(words[i]);
    const std::string core = words[i].substr(b, e - b);
    if (core.find('@') != std::string::npos || fiscal_code(core)) scrub[i] = true;
    const std::string lower = absl::AsciiStrToLower(core);
    if (std::find(name_words.begin(), name_words.end(), lower) != name_words.end()) scrub[i] = true;
  }
  // Phone numbers: runs of digit-only words with 6 digits or more in all.
  for (size_t i = 0; i < words.size();) {
    size_t j = i;
    long total = 0;
    while (j < words.size()) {
      auto [b, e] = core_bounds(words[j]);
      const std::string core = words[j].substr(b, e - b);
      if (!phone_chars(core)) break;
      total += digits(core);
      ++j;
    }
    if (j > i && total >= 6) {
      for (size_t k = i; k < j; ++k) scrub[k] = true;
    }
    i = j > i ? j : i + 1;
  }
  std::string out;
  bool last_scrubbed = false;
  for (size_t i = 0; i < words.size(); ++i) {
    if (scrub[i]) {
      if (last_scrubbed) continue;  // "Mario Rossi" -> one [omissis]
      auto [b, e] = core_bounds(words[i]);
      out += seps[i] + words[i].substr(0, b) + std::string(kOmissis);
      // Keep trailing punctuation of the last scrubbed word of a run.
      size_t k = i;
      while (k + 1 < words.size() && scrub[k + 1]) ++k;
      auto [kb, ke] = core_bounds(words[k]);
      out += words[k].substr(ke);
      (void)e;
      (void)kb;
      last_scrubbed = true;
    } else {
      out += seps[i] + words[i];
      last_scrubbed = false;
    }
  }
  return out + sep;
}

std::string_view AccessOutcomeName(AccessOutcome o) {
  switch (o) {
    case AccessOutcome::kNone: return "";
    case AccessOutcome::kGranted: return "granted";
    case AccessOutcome::kPartiallyGranted: return "partially_granted";
    case AccessOutcome::kRefused: return "refused";
    case AccessOutcome::kPublished: return "published";
    case AccessOutcome::kSilentRefusal: return "silent_refusal";
  }
  return "";
}

std::string_view AccessOutcomeLabel(AccessOutcome o) {
  switch (o) {
    case AccessOutcome::kNone: return "";
    case AccessOutcome::kGranted: return "accolto";
    case AccessOutcome::kPartiallyGranted: return "accolto parzialmente";
    case AccessOutcome::kRefused: return "respinto";
    case AccessOutcome::kPublished: return "pubblicato";
    case AccessOutcome::kSilentRefusal: return "silenzio-rigetto";
  }
  return "";
}

std::optional<AccessOutcome> AccessOutcomeFromName(std::string_view name) {
  return FromName(name, kOutcomes, &AccessOutcomeName);
}

std::string_view AccessExceptionName(AccessException e) {
  switch (e) {
    case AccessException::kNone: return "";
    case AccessException::kPublicSafety: return "public_safety";
    case AccessException::kNationalSecurity: return "national_security";
    case AccessException::kDefence: return "defence";
    case AccessException::kInternationalRelations: return "international_relations";
    case AccessException::kPublicFinance: return "public_finance";
    case AccessException::kCriminalInvestigations: return "criminal_investigations";
    case AccessException::kInspections: return "inspections";
    case AccessException::kPersonalData: return "personal_data";
    case AccessException::kCorrespondence: return "correspondence";
    case AccessException::kEconomicInterests: return "economic_interests";
  }
  return "";
}

std::string_view AccessExceptionLabel(AccessException e) {
  switch (e) {
    case AccessException::kNone: return "";
    case AccessException::kPublicSafety: return "art. 5-bis c.1 a) sicurezza pubblica e ordine pubblico";
    case AccessException::kNationalSecurity: return "art. 5-bis c.1 b) sicurezza nazionale";
    case AccessException::kDefence: return "art. 5-bis c.1 c) difesa e questioni militari";
    case AccessException::kInternationalRelations: return "art. 5-bis c.1 d) relazioni internazionali";
    case AccessException::kPublicFinance: return "art. 5-bis c.1 e) politica e stabilità finanziaria ed economica";
    case AccessException::kCriminalInvestigations: return "art. 5-bis c.1 f) indagini sui reati";
    case AccessException::kInspections: return "art. 5-bis c.1 g) attività ispettive";
    case AccessException::kPersonalData: return "art. 5-bis c.2 a) protezione dei dati personali";
    case AccessException::kCorrespondence: return "art. 5-bis c.2 b) libertà e segretezza della corrispondenza";
    case AccessException::kEconomicInterests: return "art. 5-bis c.2 c) interessi economici e commerciali";
  }
  return "";
}

std::optional<AccessException> AccessExceptionFromName(std::string_view name) {
  return FromName(name, kExceptions, &AccessExceptionName);
}

std::string_view ReviewOutcomeName(ReviewOutcome o) {
  switch (o) {
    case ReviewOutcome::kNone: return "";
    case ReviewOutcome::kConfirmed: return "confirmed";
    case ReviewOutcome::kGranted: return "granted";
    case ReviewOutcome::kPartiallyGranted: return "partially_granted";
  }
  return "";
}

std::optional<ReviewOutcome> ReviewOutcomeFromName(std::string_view name) {
  return FromName(name, kReviews, &ReviewOutcomeName);
}

std::string_view NoticeChannelName(NoticeChannel c) {
  switch (c) {
    case NoticeChannel::kPec: return "pec";
    case NoticeChannel::kEmail: return "email";
    case NoticeChannel::kPost: return "post";
  }
  return "";
}

std::optional<NoticeChannel> NoticeChannelFromName(std::string_view name) {
  return FromName(name, kChannels, &NoticeChannelName);
}

}  // namespace sportello::complaints
