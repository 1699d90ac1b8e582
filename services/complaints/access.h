#pragma once
// The three kinds of access and their rules, one register for all of them.
// Pure domain code, table-tested (tests/unit/complaints_access_test.cpp).
//
//   documentary access (l. 241/1990 art. 22 ff.): an interest is stated; 30 days;
//       no answer in the term is a refusal (silenzio-rigetto), shown on the request;
//   simple civic access (d.lgs. 33/2013 art. 5 c.1): 30 days; answered by
//       publishing, with the link; asking for what is already published is refused
//       with the link;
//   generalised civic access (FOIA, art. 5 c.2): 30 days; a refusal names its
//       art. 5-bis exception; refused or partly granted, the requester may ask
//       the transparency officer for review (riesame), decided within 20 days.
// Counter-interested parties (FOIA art. 5 c.5, DPR 184/2006 art. 3) are notified
// and have 10 days to object; the term is suspended meanwhile through the
// request's clock pause (paused_since) and resumes when every party objected or
// its 10 days ended. Days are civil days in Europe/Rome (deadlines.h).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/complaints/model.h"

namespace sportello::complaints {

inline constexpr int kObjectionDays = 10;  // counter-interested parties
inline constexpr int kReviewDays = 20;     // riesame by the RPCT (art. 5 c.7)

// Documentary, simple civic or generalised civic access.
bool IsAccessKind(Kind k);
// The kinds counted for proactive publication ("more than three requesters"):
// FOIA and simple civic access.
bool CountsForProactivePublication(Kind k);
// Kinds that may have counter-interested parties: FOIA and documentary.
bool HasCounterParties(Kind k);

// The end of the 10th civil day after notification (Europe/Rome).
absl::Time ObjectionDue(absl::Time notified, const absl::TimeZone& zone);

// Ends a counter-party suspension whose parties all answered or whose window
// passed by `now`: the due time moves on by exactly the suspension. Call it
// before reading or changing an access request.
void SettleSuspension(Request& request, absl::Time now);

// Records `party` as notified now: FAILED_PRECONDITION when the kind has no
// counter-interested parties or the request is decided, ended, under review
// or waiting for the citizen; INVALID_ARGUMENT (field "name", "address") when
// missing. Suspends the term until the party's objection due (the latest of
// all parties').
absl::Status NotifyCounterParty(Request& request, CounterParty party, absl::Time now, const absl::TimeZone& zone);

// An objection by party `party_id`: NOT_FOUND for an unknown party;
// FAILED_PRECONDITION with a field violation on "counter_party_id" when it
// already objected or its 10 days have passed. The suspension ends when no
// party is left within its window.
absl::Status RecordObjection(Request& request, long long party_id, std::string text, absl::Time now);

// A documentary access past its term without an outcome (the suspension
// settled): refused by silence.
bool SilentRefusal(const Request& request, absl::Time now);
// The outcome the register shows: the decided one, else kSilentRefusal when
// SilentRefusal holds, else kNone.
AccessOutcome EffectiveOutcome(const Request& request, absl::Time now);

struct AccessDecision {
  AccessOutcome outcome = AccessOutcome::kNone;
  AccessException exception = AccessException::kNone;
  std::string text;           // free text; default the outcome's label
  std::string published_url;  // simple civic access published
  std::string date;           // YYYY-MM-DD
};

// Records the outcome. FAILED_PRECONDITION for other kinds, a request under
// review or still suspended for counter-interested parties; INVALID_ARGUMENT
// with fields: "outcome_code" not allowed for the kind (simple civic access:
// published or refused; FOIA and documentary: granted, partly, refused),
// "exception" missing for a FOIA refusal or partial grant or given for a
// grant, "published_url" missing or not http(s) when published,
// "decision_date". Without an outcome code, the FOIA's free-text outcome of
// before (DecideAccess in workflow.h).
absl::Status DecideAccess(Request& request, const AccessDecision& decision);

// The requester asks for review of a FOIA refused or partly granted (or past
// its term undecided): status under review, due at the end of the 20th day.
// FAILED_PRECONDITION otherwise, or when reviewed already.
absl::Status RequestReview(Request& request, absl::Time now, const absl::TimeZone& zone);

// The transparency officer decides: "outcome" required; "exception" required
// when the refusal stands wholly or in part (a confirmation keeps the
// original one when none is given). The request is resolved.
absl::Status DecideReview(Request& request, ReviewOutcome outcome, AccessException exception,
                          const std::string& date, absl::Time now, const absl::TimeZone& zone);

// "2026-S1" -> [2026-01-01, 2026-06-30]; nullopt when malformed.
std::optional<std::pair<absl::CivilDay, absl::CivilDay>> SemesterDays(std::string_view semester);

// The text with personal data replaced by "[omissis]": e-mail addresses,
// Italian fiscal codes, phone numbers (6 or more digits, spaces allowed),
// and each word of `names` (3 letters or more, any case).
std::string ScrubPersonalData(std::string_view text, const std::vector<std::string>& names);

// Wire spellings and labels.
std::string_view AccessOutcomeName(AccessOutcome o);   // "partially_granted"
std::string_view AccessOutcomeLabel(AccessOutcome o);  // "accolto parzialmente"
std::optional<AccessOutcome> AccessOutcomeFromName(std::string_view name);
std::string_view AccessExceptionName(AccessException e);   // "personal_data"
std::string_view AccessExceptionLabel(AccessException e);  // "art. 5-bis c.2 a) protezione dei dati personali"
std::optional<AccessException> AccessExceptionFromName(std::string_view name);
std::string_view ReviewOutcomeName(ReviewOutcome o);
std::optional<ReviewOutcome> ReviewOutcomeFromName(std::string_view name);
std::string_view NoticeChannelName(NoticeChannel c);  // "pec", "email", "post"
std::optional<NoticeChannel> NoticeChannelFromName(std::string_view name);

}  // namespace sportello::complaints
