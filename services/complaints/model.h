#pragma once
// The complaints service's domain model: citizens' requests (complaints,
// disservice reports, suggestions, praise, information and civic-access
// requests), their lifecycle and deadlines. Plain structs: no gRPC, no SQL.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace sportello::complaints {

// kCivicAccess is the generalised civic access (FOIA); with documentary and
// simple civic access they are the three kinds of access (access.h).
enum class Kind {
  kComplaint,
  kReport,
  kSuggestion,
  kPraise,
  kInformation,
  kCivicAccess,
  kDocumentaryAccess,
  kSimpleCivicAccess,
};

enum class Status {
  kReceived,
  kAcknowledged,
  kAssigned,
  kInProgress,
  kWaitingCitizen,
  kResolved,
  kClosed,
  kRejected,
  kDuplicate,
  kWithdrawn,
  kReopened,
  kForwarded,
  kUnderReview,  // FOIA review (riesame) by the transparency officer
};

enum class Channel { kWeb, kApp, kCounter, kPhone, kEmail, kSocial, kPartner };

// Who acts on a request.
enum class Actor {
  kOperator,  // URP operator (or admin) of the request's tenant
  kReferent,  // referent of the office the request is assigned to
  kCitizen,   // whoever holds the tracking token
  kSystem,    // the service itself (escalation, forwarding)
};

struct Reporter {
  std::string name, email, phone, fiscal_code;
  bool empty() const { return name.empty() && email.empty() && phone.empty() && fiscal_code.empty(); }
};

struct Location {
  double latitude = 0, longitude = 0;
};

// What the catalogue says about a reportable category (its Open311
// definition), fetched over gRPC when a request is submitted.
struct AttributeDefinition {
  enum class Type { kString, kNumber, kDatetime, kText, kSingleValueList, kMultiValueList };
  std::string code;
  Type type = Type::kString;
  bool required = false;
  std::vector<std::string> allowed_keys;  // for the list types
};

struct CategoryDefinition {
  std::string service_code;
  std::string name;
  std::string office_id;
  int legal_deadline_days = 0;  // 0: none stated
  std::vector<AttributeDefinition> attributes;
};

// The outcome of an access request; kSilentRefusal is never stored: a
// documentary access past its term without an answer (SilentRefusal).
enum class AccessOutcome { kNone, kGranted, kPartiallyGranted, kRefused, kPublished, kSilentRefusal };

// d.lgs. 33/2013 art. 5-bis: public interests (c.1 a-g), private interests (c.2 a-c).
enum class AccessException {
  kNone,
  kPublicSafety,
  kNationalSecurity,
  kDefence,
  kInternationalRelations,
  kPublicFinance,
  kCriminalInvestigations,
  kInspections,
  kPersonalData,
  kCorrespondence,
  kEconomicInterests,
};

enum class ReviewOutcome { kNone, kConfirmed, kGranted, kPartiallyGranted };

enum class NoticeChannel { kPec, kEmail, kPost };

// A counter-interested party: name and address are personal data.
struct CounterParty {
  long long id = 0;  // 0: not stored yet
  std::string name, address;
  NoticeChannel channel = NoticeChannel::kPec;
  absl::Time notify_time, objection_due;
  std::optional<absl::Time> objection_time;
  std::string objection;
};

struct CivicAccess {
  std::string object;
  std::string outcome;
  std::string decision_date;  // YYYY-MM-DD
  bool publish_proactively = false;
  AccessOutcome outcome_code = AccessOutcome::kNone;
  AccessException exception = AccessException::kNone;
  std::string interest;       // documentary access: the requester's interest
  std::string published_url;  // simple civic access
  ReviewOutcome review_outcome = ReviewOutcome::kNone;
  std::string review_decision_date;
  // While counter-interested parties may object, the request's clock is
  // paused (Request::paused_since) until this time at the latest.
  std::optional<absl::Time> suspended_until;
  std::vector<CounterParty> counter_parties;
};

struct Request {
  std::string id;      // UUID
  std::string number;  // "F027-2026-000123"
  std::string tenant;
  Kind kind = Kind::kReport;
  std::string category, category_name;
  std::string subject, description;
  std::optional<Location> location;
  std::string address;
  std::map<std::string, std::vector<std::string>> attributes;
  std::vector<std::string> media_urls;
  Channel channel = Channel::kWeb;
  bool is_public = false;
  Status status = Status::kReceived;
  std::string office_id;
  absl::Time create_time, update_time;
  absl::Time due_time;
  std::optional<absl::Time> paused_since;  // set while waiting for the citizen
  std::optional<absl::Time> first_answer_time, resolved_time, closed_time;
  std::string duplicate_of, forwarded_to, forwarded_from;
  CivicAccess civic_access;
  std::optional<Reporter> reporter;  // loaded only for staff views
};

enum class Visibility { kPublic, kInternal, kCitizen };

struct HistoryRecord {
  long long id = 0;
  absl::Time time;
  std::string actor;   // "cittadino", "sistema", or the operator's subject
  std::string action;  // submitted, status_changed, assigned, message, forwarded, escalated, decided
  std::optional<Status> from_status, to_status;
  Visibility visibility = Visibility::kPublic;
  std::string text;
  std::string office_id;
};

}  // namespace sportello::complaints
