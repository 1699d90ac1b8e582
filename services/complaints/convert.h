#pragma once
// Complaints' conversions between the wire (sportello.v1 messages) and the
// domain, in one place: explicit switches both ways (a new enum value the
// compiler flags), times as google.protobuf.Timestamp, tenants read through
// CanonicalTenant.
#include <optional>

#include <google/protobuf/timestamp.pb.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/complaints/model.h"
#include "services/complaints/store.h"
#include "sportello/v1/complaints.pb.h"

namespace sportello::complaints {

namespace v1 = ::sportello::v1;

google::protobuf::Timestamp Ts(absl::Time t);
absl::Time FromTs(const google::protobuf::Timestamp& t);

// nullopt for UNSPECIFIED (and unknown numbers).
std::optional<Kind> KindFromProto(v1::RequestKind k);
std::optional<Status> StatusFromProto(v1::RequestStatus s);
std::optional<Channel> ChannelFromProto(v1::IntakeChannel c);
std::optional<Visibility> VisibilityFromProto(v1::MessageVisibility v);

v1::RequestKind KindToProto(Kind k);
v1::RequestStatus StatusToProto(Status s);
v1::IntakeChannel ChannelToProto(Channel c);
v1::MessageVisibility VisibilityToProto(Visibility v);

// The public view never carries the reporter; staff views add it.
void RequestToProto(const Request& r, bool staff_view, absl::Time now, v1::Request* p);
// Names, addresses and objections of counter-interested parties: staff views only.
void CounterPartyToProto(const CounterParty& party, bool staff_view, v1::CounterParty* p);

// The access enums; nullopt for unknown numbers (UNSPECIFIED is kNone, but a
// notice channel must be given).
std::optional<AccessOutcome> AccessOutcomeFromProto(v1::AccessOutcome o);
v1::AccessOutcome AccessOutcomeToProto(AccessOutcome o);
std::optional<AccessException> AccessExceptionFromProto(v1::AccessException e);
v1::AccessException AccessExceptionToProto(AccessException e);
std::optional<ReviewOutcome> ReviewOutcomeFromProto(v1::ReviewOutcome o);
v1::ReviewOutcome ReviewOutcomeToProto(ReviewOutcome o);
std::optional<NoticeChannel> NoticeChannelFromProto(v1::NoticeChannel c);
v1::NoticeChannel NoticeChannelToProto(NoticeChannel c);

// Citizens see who acted as a role ("ufficio"), never an operator's identity.
void HistoryToProto(const HistoryRecord& h, bool staff_view, v1::HistoryEntry* p);

// The filters of a list or export; INVALID_ARGUMENT for a malformed tenant.
absl::StatusOr<RequestFilter> FilterFromProto(const v1::ListRequestsRequest& req);

}  // namespace sportello::complaints
