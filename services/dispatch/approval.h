#pragma once
// The approval of a message: an editor (communication) drafts and submits; a
// communication manager approves, never their own message; an account may
// require a second manager; an edit sends the message back to draft; an
// urgent civil-protection message takes a short path, one manager publishing
// at once with a written reason. Every step is appended to the message's
// history (who, when, which text): the legal record.
//
//   Actor editor{"anna", .editor = true};
//   RETURN_IF_ERROR(Submit(msg, editor, now));
//   auto done = Approve(msg, Actor{"bruno", .manager = true}, /*tiers=*/1, now);  // kApproved
#include <string>

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/dispatch/model.h"

namespace sportello::dispatch {

struct Actor {
  std::string subject;
  bool editor = false;   // communication role
  bool manager = false;  // communication_manager role (or admin)
};

// The fields of an edit; an edit after a delivery went out is refused.
struct Edit {
  std::optional<std::string> title;
  std::optional<std::string> text;
  std::optional<std::string> link;
  std::optional<std::vector<std::string>> account_ids;
  std::optional<std::optional<absl::Time>> scheduled_at;
  std::optional<bool> indispensable;
  std::optional<std::string> blackout_justification;
  std::optional<std::string> campaign_id;
};

// Checks a new message (title, text, link, accounts, time not in the past,
// urgent only with a reason): INVALID_ARGUMENT with field violations.
absl::Status CheckDraft(const Message& m, absl::Time now);

void Create(Message& m, const Actor& who, absl::Time now);

// Any state before sending; the message goes back to draft and its
// approvals are cleared.
absl::Status ApplyEdit(Message& m, const Edit& edit, const Actor& who, absl::Time now);

// draft -> submitted.
absl::Status Submit(Message& m, const Actor& who, absl::Time now);

// submitted -> approved once `tiers` distinct managers, none of them the
// author, approved this version. Returns true when the message is approved.
absl::StatusOr<bool> Approve(Message& m, const Actor& who, int tiers, absl::Time now);

// submitted -> draft with the manager's note.
absl::Status Reject(Message& m, const Actor& who, const std::string& note, absl::Time now);

// The short path: draft or submitted -> approved by one manager (the author
// too) with a reason of at least 10 characters; the message becomes urgent.
absl::Status PublishUrgent(Message& m, const Actor& who, const std::string& reason, absl::Time now);

// Any state before sending -> withdrawn.
absl::Status Withdraw(Message& m, const Actor& who, absl::Time now);

// A held message (blackout over) back to submitted, for a manager.
void ReleaseHeld(Message& m, absl::Time now);

}  // namespace sportello::dispatch
