#include "services/complaints/lifecycle.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "absl/status/status.h"

namespace sportello::complaints {
namespace {

using S = Status;

// Who may make a move; kSystem acts as an operator (see Effective).
struct Move {
  Status from, to;
  bool op, referent, citizen;
};

// The moves a person may make. Assignment (to kAssigned) goes through
// CheckAssign and forwarding (to kForwarded) is the system's alone: neither is
// listed here.
constexpr Move kMoves[] = {
    // from               to                   op     ref    citizen
    {S::kReceived,       S::kAcknowledged,   true,  false, false},
    {S::kReceived,       S::kRejected,       true,  false, false},
    {S::kReceived,       S::kDuplicate,      true,  false, false},
    {S::kReceived,       S::kWithdrawn,      false, false, true},

    {S::kAcknowledged,   S::kRejected,       true,  false, false},
    {S::kAcknowledged,   S::kDuplicate,      true,  false, false},
    {S::kAcknowledged,   S::kWithdrawn,      false, false, true},

    {S::kAssigned,       S::kInProgress,     true,  true,  false},
    {S::kAssigned,       S::kWaitingCitizen, true,  true,  false},
    {S::kAssigned,       S::kResolved,       true,  true,  false},
    {S::kAssigned,       S::kRejected,       true,  false, false},
    {S::kAssigned,       S::kDuplicate,      true,  false, false},
    {S::kAssigned,       S::kWithdrawn,      false, false, true},

    {S::kInProgress,     S::kWaitingCitizen, true,  true,  false},
    {S::kInProgress,     S::kResolved,       true,  true,  false},
    {S::kInProgress,     S::kDuplicate,      true,  false, false},
    {S::kInProgress,     S::kWithdrawn,      false, false, true},

    // The citizen answering puts the request back in progress.
    {S::kWaitingCitizen, S::kInProgress,     true,  true,  true},
    {S::kWaitingCitizen, S::kResolved,       true,  true,  false},
    {S::kWaitingCitizen, S::kWithdrawn,      false, false, true},

    {S::kResolved,       S::kClosed,         true,  false, false},
    // The operator finds the answer not adequate.
    {S::kResolved,       S::kInProgress,     true,  false, false},
    {S::kResolved,       S::kReopened,       false, false, true},

    // The citizen only within the reopen window (see CheckTransition).
    {S::kClosed,         S::kReopened,       true,  false, true},

    {S::kRejected,       S::kReopened,       true,  false, false},
    {S::kDuplicate,      S::kReopened,       true,  false, false},

    {S::kReopened,       S::kAcknowledged,   true,  false, false},
    {S::kReopened,       S::kRejected,       true,  false, false},
    {S::kReopened,       S::kDuplicate,      true,  false, false},
    // Only when an office is assigned (see CheckTransition).
    {S::kReopened,       S::kInProgress,     true,  true,  false},
    {S::kReopened,       S::kWithdrawn,      false, false, true},

    // A FOIA review ends by the transparency officer's decision (DecideReview).
    {S::kUnderReview,    S::kWithdrawn,      false, false, true},
};

constexpr std::array kAssignableFrom = {S::kReceived,   S::kAcknowledged,   S::kReopened,
                                        S::kAssigned,   S::kInProgress,     S::kWaitingCitizen};

constexpr std::array kAllStatuses = {S::kReceived, S::kAcknowledged,   S::kAssigned, S::kInProgress,
                                     S::kWaitingCitizen, S::kResolved, S::kClosed, S::kRejected,
                                     S::kDuplicate, S::kWithdrawn, S::kReopened, S::kForwarded,
                                     S::kUnderReview};

constexpr std::array kAllKinds = {Kind::kComplaint, Kind::kReport, Kind::kSuggestion,
                                  Kind::kPraise, Kind::kInformation, Kind::kCivicAccess,
                                  Kind::kDocumentaryAccess, Kind::kSimpleCivicAccess};

constexpr std::array kAllChannels = {Channel::kWeb,    Channel::kApp,    Channel::kCounter, Channel::kPhone,
                                     Channel::kEmail,  Channel::kSocial, Channel::kPartner};

const Move* FindMove(Status from, Status to) {
  for (const Move& m : kMoves) {
    if (m.from == from && m.to == to) return &m;
  }
  return nullptr;
}

bool Allows(const Move& m, Actor actor) {
  switch (actor) {
    case Actor::kOperator:
    case Actor::kSystem: return m.op;
    case Actor::kReferent: return m.referent;
    case Actor::kCitizen: return m.citizen;
  }
  return false;
}

std::string_view ActorLabel(Actor actor) {
  switch (actor) {
    case Actor::kOperator: return "l'operatore URP";
    case Actor::kReferent: return "il referente dell'ufficio";
    case Actor::kCitizen: return "il cittadino";
    case Actor::kSystem: return "il sistema";
  }
  return "";
}

std::string Quoted(Status s) { return "«" + std::string(StatusLabel(s)) + "»"; }

absl::Status NoSuchMove(Status from, Status to) {
  return absl::FailedPreconditionError("una richiesta " + Quoted(from) + " non può passare a " + Quoted(to));
}

absl::Status NotForActor(Actor actor, Status from, Status to) {
  return absl::PermissionDeniedError(std::string(ActorLabel(actor)) + " non può portare una richiesta da " +
                                     Quoted(from) + " a " + Quoted(to));
}

// "30 giorni", "36 ore": the reopen window as the citizen reads it.
std::string WindowText(absl::Duration window) {
  const int64_t hours = absl::ToInt64Hours(window);
  if (hours % 24 == 0) {
    const int64_t days = hours / 24;
    return std::to_string(days) + (days == 1 ? " giorno" : " giorni");
  }
  return std::to_string(hours) + (hours == 1 ? " ora" : " ore");
}

template <typename T, size_t N>
bool Contains(const std::array<T, N>& items, T item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

absl::Status CheckTransition(const Request& request, Status to, const TransitionContext& ctx) {
  const Status from = request.status;
  if (from == to) {
    return absl::FailedPreconditionError("la richiesta è già " + Quoted(from));
  }
  if (to == Status::kAssigned) {
    return absl::FailedPreconditionError(
        "l'assegnazione a un ufficio non è un cambio di stato: usare l'operazione di assegnazione");
  }
  if (to == Status::kForwarded) {
    if (IsTerminal(from)) return NoSuchMove(from, to);
    if (ctx.actor != Actor::kSystem) return NotForActor(ctx.actor, from, to);
    return absl::OkStatus();
  }

  const Move* move = FindMove(from, to);
  if (move == nullptr) return NoSuchMove(from, to);
  if (!Allows(*move, ctx.actor)) return NotForActor(ctx.actor, from, to);

  if (from == Status::kClosed && ctx.actor == Actor::kCitizen) {
    if (!request.closed_time.has_value() || ctx.now > *request.closed_time + ctx.citizen_reopen_window) {
      return absl::FailedPreconditionError(
          "la richiesta è chiusa da più di " + WindowText(ctx.citizen_reopen_window) +
          ": non può più essere riaperta dal cittadino; è possibile presentare una nuova richiesta");
    }
  }
  if (to == Status::kWaitingCitizen && request.civic_access.suspended_until.has_value()) {
    return absl::FailedPreconditionError(
        "il termine è sospeso in attesa dei controinteressati: non si può anche attendere il cittadino");
  }
  if (from == Status::kReopened && to == Status::kInProgress && request.office_id.empty()) {
    return absl::FailedPreconditionError(
        "la richiesta riaperta non è assegnata a un ufficio: assegnarla prima di metterla " + Quoted(to));
  }
  return absl::OkStatus();
}

absl::Status CheckAssign(const Request& request, Actor actor) {
  if (!Contains(kAssignableFrom, request.status)) {
    return absl::FailedPreconditionError("una richiesta " + Quoted(request.status) +
                                         " non può essere assegnata a un ufficio");
  }
  if (actor != Actor::kOperator && actor != Actor::kSystem) {
    return absl::PermissionDeniedError(std::string(ActorLabel(actor)) +
                                       " non può assegnare una richiesta a un ufficio: solo l'operatore URP");
  }
  return absl::OkStatus();
}

std::vector<Status> AllowedTransitions(Status from, Actor actor) {
  std::vector<Status> out;
  for (Status to : kAllStatuses) {
    if (to == Status::kForwarded) {
      if (actor == Actor::kSystem && !IsTerminal(from)) out.push_back(to);
      continue;
    }
    const Move* move = FindMove(from, to);
    if (move != nullptr && Allows(*move, actor)) out.push_back(to);
  }
  return out;
}

bool IsTerminal(Status s) {
  switch (s) {
    case Status::kClosed:
    case Status::kRejected:
    case Status::kDuplicate:
    case Status::kWithdrawn:
    case Status::kForwarded: return true;
    case Status::kReceived:
    case Status::kAcknowledged:
    case Status::kAssigned:
    case Status::kInProgress:
    case Status::kWaitingCitizen:
    case Status::kResolved:
    case Status::kReopened:
    case Status::kUnderReview: return false;
  }
  return false;
}

bool CountsAsAnswered(Status s) { return s == Status::kResolved || IsTerminal(s); }

std::vector<Status> AnsweredStatuses() {
  std::vector<Status> out;
  for (Status s : kAllStatuses) {
    if (CountsAsAnswered(s)) out.push_back(s);
  }
  return out;
}

std::string_view StatusName(Status s) {
  switch (s) {
    case Status::kReceived: return "received";
    case Status::kAcknowledged: return "acknowledged";
    case Status::kAssigned: return "assigned";
    case Status::kInProgress: return "in_progress";
    case Status::kWaitingCitizen: return "waiting_citizen";
    case Status::kResolved: return "resolved";
    case Status::kClosed: return "closed";
    case Status::kRejected: return "rejected";
    case Status::kDuplicate: return "duplicate";
    case Status::kWithdrawn: return "withdrawn";
    case Status::kReopened: return "reopened";
    case Status::kForwarded: return "forwarded";
    case Status::kUnderReview: return "under_review";
  }
  return "";
}

std::string_view KindName(Kind k) {
  switch (k) {
    case Kind::kComplaint: return "complaint";
    case Kind::kReport: return "report";
    case Kind::kSuggestion: return "suggestion";
    case Kind::kPraise: return "praise";
    case Kind::kInformation: return "information";
    case Kind::kCivicAccess: return "civic_access";
    case Kind::kDocumentaryAccess: return "documentary_access";
    case Kind::kSimpleCivicAccess: return "simple_civic_access";
  }
  return "";
}

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kWeb: return "web";
    case Channel::kApp: return "app";
    case Channel::kCounter: return "counter";
    case Channel::kPhone: return "phone";
    case Channel::kEmail: return "email";
    case Channel::kSocial: return "social";
    case Channel::kPartner: return "partner";
  }
  return "";
}

std::optional<Status> StatusFromName(std::string_view name) {
  for (Status s : kAllStatuses) {
    if (StatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<Kind> KindFromName(std::string_view name) {
  for (Kind k : kAllKinds) {
    if (KindName(k) == name) return k;
  }
  return std::nullopt;
}

std::optional<Channel> ChannelFromName(std::string_view name) {
  for (Channel c : kAllChannels) {
    if (ChannelName(c) == name) return c;
  }
  return std::nullopt;
}

std::string_view StatusLabel(Status s) {
  switch (s) {
    case Status::kReceived: return "Ricevuta";
    case Status::kAcknowledged: return "Presa in carico";
    case Status::kAssigned: return "Assegnata";
    case Status::kInProgress: return "In lavorazione";
    case Status::kWaitingCitizen: return "In attesa del cittadino";
    case Status::kResolved: return "Risolta";
    case Status::kClosed: return "Chiusa";
    case Status::kRejected: return "Respinta";
    case Status::kDuplicate: return "Duplicata";
    case Status::kWithdrawn: return "Ritirata";
    case Status::kReopened: return "Riaperta";
    case Status::kForwarded: return "Inoltrata";
    case Status::kUnderReview: return "In riesame";
  }
  return "";
}

}  // namespace sportello::complaints
