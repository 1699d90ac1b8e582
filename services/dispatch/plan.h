#pragma once
// The tenant's annual communication plan (campaigns), its editorial
// calendar and its social-media policy, and the drafts that other services'
// events become. Rules only: no gRPC, no SQL.
//
//   Campaign c{.name = "Raccolta differenziata", .objective = "...", .start = ..., .end = ...};
//   RETURN_IF_ERROR(CheckCampaign(c));
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/dispatch/model.h"

namespace sportello::dispatch {

// "YYYY-MM-DD" -> a day; nullopt when it is not one.
std::optional<absl::CivilDay> ParseDay(std::string_view s);
std::string FormatDay(absl::CivilDay d);

// INVALID_ARGUMENT with field violations (prefixed "campaign."): name and
// objective required, end not before start, a plan year between 2000 and
// 2100, at least one channel, each once.
absl::Status CheckCampaign(const Campaign& c);

// INVALID_ARGUMENT with field violations (prefixed "policy."): a title and
// a text of reasonable size.
absl::Status CheckPolicy(const PolicyVersion& p);

// The longest calendar window one request may ask for.
inline constexpr absl::Duration kMaxCalendarWindow = absl::Hours(24 * 400);

// INVALID_ARGUMENT unless from < to and the window is at most kMaxCalendarWindow.
absl::Status CheckCalendarWindow(absl::Time from, absl::Time to);

// The calendar's state of a message: "published", "scheduled", "held",
// "submitted", "draft" or "withdrawn".
std::string CalendarState(const Message& m, absl::Time now);

// An event another service sent us (sportello.v1.Event, flattened).
struct IncomingEvent {
  std::string id;
  std::string source;  // the producer, as the subscriber list names it ("opendata", "catalogue")
  std::string type;
  std::string tenant;
  std::string subject;
  absl::Time time;
  // Public string fields of the event's data.
  std::vector<std::pair<std::string, std::string>> data;
  std::string Field(std::string_view key) const;
};

// The draft an event becomes, or nullopt for an event dispatch does not turn
// into a message. The draft goes to the tenant's feed accounts (`feed_ids`),
// is authored by "sistema" and waits in draft for the communication team:
// it is never submitted or sent by itself. `origin` makes it idempotent.
//   opendata  dataset.published -> "Nuovi dati aperti: <title>"
//   catalogue office.closed     -> "Chiusura straordinaria: <office>"
std::optional<Message> DraftFromEvent(const IncomingEvent& e, const std::vector<std::string>& feed_ids,
                                      std::string_view public_base_url, absl::Time now);

}  // namespace sportello::dispatch
