#pragma once
// The dispatch service's SQL: the only code that talks to the `dispatch`
// schema. A message changes under a row lock (UpdateMessage): the domain's
// change runs inside the transaction, and its new steps, the deliveries it
// queues and the outbox events are written with it. Workers claim due
// deliveries with FOR UPDATE SKIP LOCKED and mark them sending before the
// call, so two workers never send one delivery.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/outbox/event.h"
#include "common/page_token.h"
#include "services/dispatch/delivery.h"
#include "services/dispatch/model.h"

#include <pqxx/pqxx>

namespace sportello::db {
class Pool;
}

namespace sportello::dispatch {

inline constexpr std::string_view kSchema = "dispatch";

struct NewDelivery {
  std::string account_id;
  std::string text;
  absl::Time due;
};

// What a change to a message adds besides its new state.
struct MessageEffects {
  std::vector<NewDelivery> deliveries;
  std::vector<outbox::NewEvent> events;
  bool publish = false;  // set publish_time (the feeds show it from then on)
  absl::Time publish_time;
};

// A delivery a worker claimed, with what it needs to send it.
struct Claimed {
  Delivery delivery;
  absl::Time claimed_at;  // the claim's claimed_time: Renew compares it
  Account account;
  std::string text;
  std::string title;
  std::string link;
};

struct AttemptLog {
  absl::Time at;
  std::string outcome;
  int status = 0;
  std::string error;
};

struct DeliveryView {
  Delivery delivery;
  Channel channel = Channel::kTelegram;
  std::vector<AttemptLog> log;
};

class DispatchStore {
 public:
  DispatchStore(db::Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  db::Pool& pool() { return pool_; }

  absl::StatusOr<Account> CreateAccount(const Account& a);
  absl::StatusOr<Account> GetAccount(const std::string& id);
  // Replaces the account's row (the service merged the mask).
  absl::StatusOr<Account> SaveAccount(const Account& a);
  absl::StatusOr<Page<Account>> ListAccounts(const std::string& tenant, int page_size, const std::string& page_token);
  // The tenant's accounts with these ids; NOT_FOUND names the first unknown.
  absl::StatusOr<std::vector<Account>> AccountsOf(const std::string& tenant, const std::vector<std::string>& ids);

  absl::StatusOr<Message> CreateMessage(const Message& m);
  absl::StatusOr<Message> GetMessage(const std::string& id);
  absl::StatusOr<Page<Message>> ListMessages(const std::string& tenant, std::optional<MessageState> state,
                                             int page_size, const std::string& page_token);
  // Locks the message, runs `change` on it, writes what changed.
  absl::StatusOr<Message> UpdateMessage(
      const std::string& id, const std::function<absl::Status(Message&, MessageEffects&)>& change);
  absl::StatusOr<Page<Message>> ListPublished(const std::string& tenant, int page_size, const std::string& page_token);

  // Up to `limit` due deliveries, marked sending (attempts + 1) in one
  // committed transaction before anyone calls a platform.
  // `tenant` empty: every tenant (production); tests scope workers to their own.
  absl::StatusOr<std::vector<Claimed>> ClaimDue(int limit, const std::string& tenant = "");
  // Renews the claim of `c` just before its call: claimed_time = now, only
  // if it is still sending under this very claim. False: another replica
  // settled it as interrupted (a batch's later deliveries can wait longer
  // than the lease behind slow calls), so the call must not be made.
  absl::StatusOr<bool> Renew(Claimed& c);
  // Records the outcome of a claimed delivery (only while still sending).
  absl::Status Finish(const Delivery& d, const Decision& decision, const AttemptLog& attempt);
  // Deliveries left sending longer than `lease` (their worker died): resent
  // when safe, otherwise uncertain. Returns how many were settled.
  absl::StatusOr<int> RecoverInterrupted(absl::Duration lease, const RetryPolicy& policy,
                                         const std::string& tenant = "");

  absl::StatusOr<DeliveryView> GetDelivery(const std::string& id);
  absl::StatusOr<std::vector<DeliveryView>> DeliveriesOf(const std::string& message_id);
  absl::StatusOr<Page<DeliveryView>> ListDeliveries(const std::string& tenant, DeliveryState state, int page_size,
                                                    const std::string& page_token);
  // dead/uncertain -> pending now (retry) or discarded.
  absl::StatusOr<DeliveryView> Resolve(const std::string& id, bool retry, const std::string& who);

  absl::StatusOr<Blackout> CreateBlackout(const Blackout& b, const std::string& who);
  absl::StatusOr<std::vector<Blackout>> BlackoutsOf(const std::string& tenant);
  absl::StatusOr<Blackout> GetBlackout(const std::string& id);
  // Held messages of the tenants of `b` created during it, and messages published under it.
  absl::StatusOr<std::pair<std::vector<Message>, std::vector<Message>>> BlackoutReport(const Blackout& b,
                                                                                          const std::string& tenant);
  // Held messages whose tenant is no longer covered go back to submitted.
  absl::StatusOr<int> ReleaseHeld();

  absl::StatusOr<Campaign> CreateCampaign(const Campaign& c);
  absl::StatusOr<Campaign> GetCampaign(const std::string& id);
  absl::StatusOr<Campaign> SaveCampaign(const Campaign& c);
  // By start date; `year` (0: all) keeps the campaigns overlapping that year.
  absl::StatusOr<Page<Campaign>> ListCampaigns(const std::string& tenant, int year, int page_size,
                                               const std::string& page_token);

  struct CalendarRows {
    std::vector<Message> messages;  // scheduled or published in the window (not withdrawn)
    std::vector<Campaign> campaigns;  // overlapping the window's days in `zone`
    std::vector<Blackout> blackouts;  // overlapping the window
  };
  absl::StatusOr<CalendarRows> Calendar(const std::string& tenant, absl::Time from, absl::Time to,
                                        absl::TimeZone zone);

  // A new version (the previous number + 1); the old ones stay.
  absl::StatusOr<PolicyVersion> PublishPolicy(const PolicyVersion& p);
  // Newest first, at most `limit`.
  absl::StatusOr<std::vector<PolicyVersion>> Policies(const std::string& tenant, int limit);

  // The tenant's active feed accounts: where drafts made from events point.
  absl::StatusOr<std::vector<std::string>> FeedAccounts(const std::string& tenant);

 private:
  void HoldInBlackout(pqxx::work& tx, absl::Time now, const std::string& tenant);

  db::Pool& pool_;
  const Clock& clock_;
};

}  // namespace sportello::dispatch
