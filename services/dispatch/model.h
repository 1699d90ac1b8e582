#pragma once
// The dispatch service's domain: official accounts, messages with a variant
// per account, their approval record, deliveries and blackout periods.
// Plain data, no gRPC, no SQL.
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace sportello::dispatch {

enum class Channel { kTelegram, kMastodon, kWebhook, kEmail, kFeed };
enum class AccountStatus { kActive, kSuspended, kNeedsCredentials };

// An official account of a tenant. The registry is public: any other account
// is unofficial. `credential` is sealed (see credentials.h) or "env:NAME"; it
// never leaves the service.
struct Account {
  std::string id;
  std::string tenant;
  Channel channel = Channel::kTelegram;
  std::string handle;       // "@comunemassafra", a chat id, a mailing list
  std::string public_url;   // where citizens find it
  std::string owner_office;
  AccountStatus status = AccountStatus::kActive;
  std::string endpoint;     // API base URL, webhook URL or smtp:// URL
  std::vector<std::string> recipients;  // e-mail: sent in Bcc, never public
  int max_characters = 0;   // Mastodon: the instance's limit (0: 500)
  bool second_tier = false; // messages need a second manager's approval
  std::string credential;   // sealed or env:NAME; never returned, never logged
};

enum class MessageState {
  kDraft,      // being written; editors change it
  kSubmitted,  // waiting for a manager (or a second one)
  kApproved,   // approved: deliveries queued (or waiting for its time)
  kHeld,       // approved inside an electoral blackout: back to a manager after it
  kWithdrawn,  // withdrawn before going out
};

// The text that goes to one account: derived from the canonical text or
// written by hand; its length as that channel counts it.
struct Variant {
  std::string account_id;
  std::string text;
  bool derived = true;    // made from the canonical text
  bool shortened = false; // derived and cut at a word: shown to the approver
  int length = 0;
  int limit = 0;
};

// One step of the legal record: who did what, when, on which text.
struct Step {
  std::string action;  // "create", "edit", "submit", "approve", "reject", "publish-urgent", "withdraw", ...
  std::string who;
  absl::Time at;
  std::string text;    // the canonical text at that step
  std::string note;    // reason, justification, rejection note
};

struct Message {
  std::string id;
  std::string tenant;
  std::string author;
  std::string title;
  std::string text;  // canonical text (plain)
  std::string link;  // canonical link, appended to shortened variants
  std::vector<std::string> account_ids;
  std::vector<Variant> variants;
  std::optional<absl::Time> scheduled_at;
  bool urgent = false;  // civil protection
  bool indispensable = false;  // law 28/2000 art. 9: may go out in a blackout
  std::string blackout_justification;
  MessageState state = MessageState::kDraft;
  std::vector<std::string> approvals;  // managers who approved this version
  std::vector<Step> history;
  absl::Time created_at;
  absl::Time updated_at;
  std::optional<absl::Time> published_at;
  bool sent = false;  // at least one delivery went out: no more edits
  std::string campaign_id;  // the plan's campaign, if any
  std::string origin;       // a draft made from an event: "<service>:<type>:<event id>"
};

enum class DeliveryState {
  kPending,    // waiting for a worker (or for next_attempt_at)
  kSending,    // claimed and marked before the call
  kSent,
  kDead,       // dead letter: an operator retries or discards
  kUncertain,  // the outcome cannot be known: an operator settles it
  kDiscarded,
  kHeld,       // due inside an electoral blackout the message may not pass: the message is held
};

struct Delivery {
  std::string id;  // a UUID: Idempotency-Key, webhook-id, Message-ID
  std::string tenant;
  std::string message_id;
  std::string account_id;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  absl::Time next_attempt_at;
  std::optional<absl::Time> first_sent_at;  // first call made (Mastodon's key lasts an hour)
  std::string remote_id;
  std::string last_error;
};

// An electoral blackout (law 28/2000 art. 9): from the calling of the
// election to the close of the polls, for the tenants listed.
struct Blackout {
  std::string id;
  std::string name;
  absl::Time starts_at;
  absl::Time ends_at;
  std::vector<std::string> tenants;
};

// A campaign of the tenant's annual communication plan.
struct Campaign {
  std::string id;
  std::string tenant;
  std::string name;
  std::string objective;
  absl::CivilDay start;
  absl::CivilDay end;
  std::string audience;
  std::vector<Channel> channels;
  std::string owner_office;
  absl::Time created_at;
  absl::Time updated_at;
};

// One version of the tenant's social-media policy; versions are never
// changed, a new one replaces the one in force.
struct PolicyVersion {
  std::string tenant;
  int version = 0;
  std::string title;
  std::string text;
  std::string author;
  absl::Time published_at;
};

// One line of the editorial calendar.
struct CalendarEntry {
  std::string kind;  // "message", "campaign", "blackout"
  std::string id;
  std::string title;
  absl::Time start;
  std::optional<absl::Time> end;
  std::string state;
  std::string campaign_id;
};

std::string_view ChannelName(Channel c);
std::optional<Channel> ChannelFromName(std::string_view name);
std::string_view AccountStatusName(AccountStatus s);
std::optional<AccountStatus> AccountStatusFromName(std::string_view name);
std::string_view MessageStateName(MessageState s);
std::optional<MessageState> MessageStateFromName(std::string_view name);
std::string_view DeliveryStateName(DeliveryState s);
std::optional<DeliveryState> DeliveryStateFromName(std::string_view name);

}  // namespace sportello::dispatch
