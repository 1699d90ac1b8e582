#pragma once
// The complaints service's SQL: the only code that talks to the `complaints`
// schema. Every change to a request writes its history and its outbox
// events in the same transaction, so nothing acknowledged is lost and every
// event is delivered at least once.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/group_commit.h"
#include "common/outbox/event.h"
#include "common/page_token.h"
#include "services/complaints/model.h"
#include "services/complaints/plan.h"

namespace sportello::db {
class Pool;
}

namespace sportello::complaints {

// The complaints schema: its outbox is common's (common/outbox/outbox.h).
inline constexpr std::string_view kSchema = "complaints";

// What a mutation adds besides the request's new state.
struct Mutation {
  std::vector<HistoryRecord> history;
  std::vector<outbox::NewEvent> events;  // public data only
};

struct NewRequest {
  Request request;                // number, id and times are filled in by the store
  std::string token_hash;         // SHA-256 hex of the tracking token
  std::string requester_key;      // SHA-256 hex of e-mail/fiscal code, or empty
  std::string idempotency_key;    // empty: none
  std::string fingerprint;        // SHA-256 hex of the submission
  std::string routed_office_id;   // from the catalogue's category, when no rule matches
  int deadline_days = 30;
};

struct Submitted {
  Request request;
  std::optional<std::string> replay;  // the first answer, when the idempotency key was seen
  std::vector<std::pair<Request, double>> possible_duplicates;  // with distance in metres
};

struct RequestFilter {
  std::string tenant;
  std::optional<Kind> kind;
  std::string category, office_id;
  std::optional<Status> status;
  std::optional<Channel> channel;
  bool overdue_only = false;
  std::optional<absl::Time> created_after, created_before;
  std::string text;
};

struct PublicFilter {
  std::string tenant;
  std::vector<std::string> numbers;
  std::string category;
  std::optional<absl::Time> created_after, created_before;
  bool open_only = false, closed_only = false;
};

struct PublicUpdate {
  long long id = 0;
  std::string number;
  Status status = Status::kReceived;
  std::string note;
  absl::Time time;
};

// A row of the register of accesses: the request as stored (counter parties
// not loaded), and the names to scrub from its object, never shown.
struct AccessEntry {
  Request request;
  std::string request_date;        // YYYY-MM-DD, Europe/Rome
  std::vector<std::string> names;  // the reporter's and the counter parties': for ScrubPersonalData only
  int counter_parties = 0;
  bool objected = false;
};

struct AccessFilter {
  std::string tenant;
  std::string from_date, to_date;  // YYYY-MM-DD, inclusive
  std::optional<Kind> kind;        // one of the access kinds; nullopt: all three
  std::optional<AccessOutcome> outcome;  // EffectiveOutcome; nullopt or kNone: any
};

struct Stats {
  long long total = 0;
  std::vector<std::pair<std::string, long long>> by_kind, by_category, by_office, by_channel, by_status, by_month;
  double median_hours_first_answer = 0, median_hours_resolution = 0, resolved_within_deadline = 0;
  long long overdue_now = 0;
};

using sportello::Page;

class RequestStore {
 public:
  // Every time the store writes or compares comes from `clock`, passed to
  // the SQL as a parameter: never the database's now().
  // `metrics`, when given, counts the submissions' shared transactions.
  RequestStore(db::Pool& pool, absl::TimeZone zone, const Clock& clock, MetricsRegistry* metrics = nullptr)
      : pool_(pool),
        zone_(zone),
        clock_(clock),
        submissions_("complaints.submit", kSubmissionsTogether, kSubmissionBatches,
                     [this](std::vector<SubmitJob*>& batch) { SubmitTogether(batch); }, metrics) {}

  // The pool, for common's outbox readers (partners' stream).
  db::Pool& pool() { return pool_; }

  // Numbers, routes and stores a new request with its reporter, history and
  // "request.created" event; `response_of` builds the answer that a retry
  // with the same idempotency key gets back.
  absl::StatusOr<Submitted> Submit(const NewRequest& request,
                                   const std::function<std::string(const Request&)>& response_of);

  // NOT_FOUND for an unknown number. The reporter is loaded when asked.
  absl::StatusOr<Request> Get(const std::string& number, bool with_reporter);
  // The number whose token hash this is; NOT_FOUND otherwise.
  absl::StatusOr<Request> GetByTokenHash(const std::string& token_hash);
  // True when `token_hash` is the request's.
  absl::StatusOr<bool> TokenMatches(const std::string& number, const std::string& token_hash);

  // Locks the request, lets `mutate` change it and describe the change, then
  // stores the new state, the history and the events in one transaction.
  // `written`, when given, receives the history entries with their ids.
  absl::StatusOr<Request> Update(const std::string& number,
                                 const std::function<absl::Status(Request&, Mutation&)>& mutate,
                                 std::vector<HistoryRecord>* written = nullptr);

  // Creates `copy` at another tenant (forwarding) and updates the original in one transaction.
  absl::StatusOr<Request> Forward(const std::string& number, const NewRequest& copy,
                                  const std::function<absl::Status(Request& original, const Request& created,
                                                                   Mutation&)>& mutate);

  absl::StatusOr<Page<Request>> List(const RequestFilter& filter, int page_size, const std::string& page_token);
  absl::StatusOr<Page<Request>> ListPublic(const PublicFilter& filter, int page_size, const std::string& page_token);
  absl::StatusOr<Page<PublicUpdate>> ListPublicUpdates(const std::string& tenant, absl::Time since, int page_size,
                                                       const std::string& page_token);
  // Oldest first. Paged like every list (common/page_token.h).
  absl::StatusOr<Page<HistoryRecord>> History(const std::string& number, bool include_internal, int page_size,
                                              const std::string& page_token);
  // The register of accesses, by request date (create_time, number).
  absl::StatusOr<Page<AccessEntry>> AccessRegister(const AccessFilter& filter, int page_size,
                                                   const std::string& page_token);
  // The link of a simple civic access (or FOIA) of the same object (normalised)
  // already published by the tenant; nullopt when none.
  absl::StatusOr<std::optional<std::string>> PublishedLink(const std::string& tenant, const std::string& object);
  absl::StatusOr<Stats> GetStats(const std::string& tenant, absl::Time from, absl::Time to);

  absl::Status SetRoutingRule(const RoutingRule& rule);
  absl::StatusOr<Page<RoutingRule>> ListRoutingRules(const std::string& tenant, int page_size,
                                                     const std::string& page_token);

  // Empties the reporter data of requests closed before `closed_before`; the
  // requests and their figures stay. `tenant` empty: every tenant. Returns
  // how many were purged.
  absl::StatusOr<long long> PurgePersonalData(const std::string& tenant, absl::Time closed_before);

  // Forgets idempotency keys (and the answers kept with them, tracking token
  // included) older than `before`; `tenant` empty: every tenant. Returns how many.
  absl::StatusOr<long long> ForgetIdempotencyKeys(const std::string& tenant, absl::Time before);

  // Flags up to `limit` requests that became overdue, each once, with an
  // "request.overdue" event and a history entry. Safe on N replicas.
  // `tenant` empty: every tenant.
  absl::StatusOr<int> EscalateOverdue(absl::Time now, int limit, const std::string& tenant = "");

 private:
  // A submission of Submit's common case, run with others (SubmitTogether).
  struct SubmitJob {
    const NewRequest* request;
    absl::StatusOr<Submitted> result = absl::UnknownError("not run");
    std::vector<std::pair<Request, double>> possible_duplicates;
  };
  void SubmitTogether(std::vector<SubmitJob*>& batch);

  // At most this many submissions share a transaction, and this many such
  // transactions run at once (each on a connection of the pool): while they
  // run, the next submissions gather.
  static constexpr size_t kSubmissionsTogether = 32;
  static constexpr int kSubmissionBatches = 2;

  db::Pool& pool_;
  absl::TimeZone zone_;
  const Clock& clock_;
  GroupCommit<SubmitJob> submissions_;
};

}  // namespace sportello::complaints
