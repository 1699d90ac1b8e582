#include "services/complaints/convert.h"

#include <google/protobuf/util/time_util.h>

#include "common/tenancy.h"
#include "services/complaints/access.h"
#include "services/complaints/deadlines.h"
#include "services/complaints/lifecycle.h"

namespace sportello::complaints {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp Ts(absl::Time t) { return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t)); }
absl::Time FromTs(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

std::optional<Kind> KindFromProto(v1::RequestKind k) {
  switch (k) {
    case v1::REQUEST_KIND_COMPLAINT: return Kind::kComplaint;
    case v1::REQUEST_KIND_REPORT: return Kind::kReport;
    case v1::REQUEST_KIND_SUGGESTION: return Kind::kSuggestion;
    case v1::REQUEST_KIND_PRAISE: return Kind::kPraise;
    case v1::REQUEST_KIND_INFORMATION: return Kind::kInformation;
    case v1::REQUEST_KIND_CIVIC_ACCESS: return Kind::kCivicAccess;
    case v1::REQUEST_KIND_DOCUMENTARY_ACCESS: return Kind::kDocumentaryAccess;
    case v1::REQUEST_KIND_SIMPLE_CIVIC_ACCESS: return Kind::kSimpleCivicAccess;
    default: return std::nullopt;  // UNSPECIFIED, or a number this build does not know
  }
}

v1::RequestKind KindToProto(Kind k) {
  switch (k) {
    case Kind::kComplaint: return v1::REQUEST_KIND_COMPLAINT;
    case Kind::kReport: return v1::REQUEST_KIND_REPORT;
    case Kind::kSuggestion: return v1::REQUEST_KIND_SUGGESTION;
    case Kind::kPraise: return v1::REQUEST_KIND_PRAISE;
    case Kind::kInformation: return v1::REQUEST_KIND_INFORMATION;
    case Kind::kCivicAccess: return v1::REQUEST_KIND_CIVIC_ACCESS;
    case Kind::kDocumentaryAccess: return v1::REQUEST_KIND_DOCUMENTARY_ACCESS;
    case Kind::kSimpleCivicAccess: return v1::REQUEST_KIND_SIMPLE_CIVIC_ACCESS;
  }
  return v1::REQUEST_KIND_UNSPECIFIED;
}

std::optional<Status> StatusFromProto(v1::RequestStatus s) {
  switch (s) {
    case v1::REQUEST_STATUS_RECEIVED: return Status::kReceived;
    case v1::REQUEST_STATUS_ACKNOWLEDGED: return Status::kAcknowledged;
    case v1::REQUEST_STATUS_ASSIGNED: return Status::kAssigned;
    case v1::REQUEST_STATUS_IN_PROGRESS: return Status::kInProgress;
    case v1::REQUEST_STATUS_WAITING_CITIZEN: return Status::kWaitingCitizen;
    case v1::REQUEST_STATUS_RESOLVED: return Status::kResolved;
    case v1::REQUEST_STATUS_CLOSED: return Status::kClosed;
    case v1::REQUEST_STATUS_REJECTED: return Status::kRejected;
    case v1::REQUEST_STATUS_DUPLICATE: return Status::kDuplicate;
    case v1::REQUEST_STATUS_WITHDRAWN: return Status::kWithdrawn;
    case v1::REQUEST_STATUS_REOPENED: return Status::kReopened;
    case v1::REQUEST_STATUS_FORWARDED: return Status::kForwarded;
    case v1::REQUEST_STATUS_UNDER_REVIEW: return Status::kUnderReview;
    default: return std::nullopt;
  }
}

v1::RequestStatus StatusToProto(Status s) {
  switch (s) {
    case Status::kReceived: return v1::REQUEST_STATUS_RECEIVED;
    case Status::kAcknowledged: return v1::REQUEST_STATUS_ACKNOWLEDGED;
    case Status::kAssigned: return v1::REQUEST_STATUS_ASSIGNED;
    case Status::kInProgress: return v1::REQUEST_STATUS_IN_PROGRESS;
    case Status::kWaitingCitizen: return v1::REQUEST_STATUS_WAITING_CITIZEN;
    case Status::kResolved: return v1::REQUEST_STATUS_RESOLVED;
    case Status::kClosed: return v1::REQUEST_STATUS_CLOSED;
    case Status::kRejected: return v1::REQUEST_STATUS_REJECTED;
    case Status::kDuplicate: return v1::REQUEST_STATUS_DUPLICATE;
    case Status::kWithdrawn: return v1::REQUEST_STATUS_WITHDRAWN;
    case Status::kReopened: return v1::REQUEST_STATUS_REOPENED;
    case Status::kForwarded: return v1::REQUEST_STATUS_FORWARDED;
    case Status::kUnderReview: return v1::REQUEST_STATUS_UNDER_REVIEW;
  }
  return v1::REQUEST_STATUS_UNSPECIFIED;
}

std::optional<Channel> ChannelFromProto(v1::IntakeChannel c) {
  switch (c) {
    case v1::INTAKE_CHANNEL_WEB: return Channel::kWeb;
    case v1::INTAKE_CHANNEL_APP: return Channel::kApp;
    case v1::INTAKE_CHANNEL_COUNTER: return Channel::kCounter;
    case v1::INTAKE_CHANNEL_PHONE: return Channel::kPhone;
    case v1::INTAKE_CHANNEL_EMAIL: return Channel::kEmail;
    case v1::INTAKE_CHANNEL_SOCIAL: return Channel::kSocial;
    case v1::INTAKE_CHANNEL_PARTNER: return Channel::kPartner;
    default: return std::nullopt;
  }
}

v1::IntakeChannel ChannelToProto(Channel c) {
  switch (c) {
    case Channel::kWeb: return v1::INTAKE_CHANNEL_WEB;
    case Channel::kApp: return v1::INTAKE_CHANNEL_APP;
    case Channel::kCounter: return v1::INTAKE_CHANNEL_COUNTER;
    case Channel::kPhone: return v1::INTAKE_CHANNEL_PHONE;
    case Channel::kEmail: return v1::INTAKE_CHANNEL_EMAIL;
    case Channel::kSocial: return v1::INTAKE_CHANNEL_SOCIAL;
    case Channel::kPartner: return v1::INTAKE_CHANNEL_PARTNER;
  }
  return v1::INTAKE_CHANNEL_UNSPECIFIED;
}

std::optional<Visibility> VisibilityFromProto(v1::MessageVisibility v) {
  switch (v) {
    case v1::MESSAGE_VISIBILITY_PUBLIC: return Visibility::kPublic;
    case v1::MESSAGE_VISIBILITY_INTERNAL: return Visibility::kInternal;
    case v1::MESSAGE_VISIBILITY_CITIZEN: return Visibility::kCitizen;
    default: return std::nullopt;
  }
}

v1::MessageVisibility VisibilityToProto(Visibility v) {
  switch (v) {
    case Visibility::kPublic: return v1::MESSAGE_VISIBILITY_PUBLIC;
    case Visibility::kInternal: return v1::MESSAGE_VISIBILITY_INTERNAL;
    case Visibility::kCitizen: return v1::MESSAGE_VISIBILITY_CITIZEN;
  }
  return v1::MESSAGE_VISIBILITY_UNSPECIFIED;
}

void RequestToProto(const Request& r, bool staff_view, absl::Time now, v1::Request* p) {
  p->set_number(r.number);
  p->set_tenant(r.tenant);
  p->set_kind(KindToProto(r.kind));
  p->set_category(r.category);
  p->set_category_name(r.category_name);
  p->set_subject(r.subject);
  p->set_description(r.description);
  if (r.location) {
    p->mutable_location()->set_latitude(r.location->latitude);
    p->mutable_location()->set_longitude(r.location->longitude);
  }
  p->set_address(r.address);
  for (const auto& [code, values] : r.attributes) {
    auto* a = p->add_attributes();
    a->set_code(code);
    for (const auto& v : values) a->add_values(v);
  }
  for (const auto& m : r.media_urls) p->add_media_urls(m);
  p->set_channel(ChannelToProto(r.channel));
  p->set_public_(r.is_public);
  p->set_status(StatusToProto(r.status));
  p->set_status_label(std::string(StatusLabel(r.status)));
  p->set_office_id(r.office_id);
  *p->mutable_create_time() = Ts(r.create_time);
  *p->mutable_update_time() = Ts(r.update_time);
  *p->mutable_due_time() = Ts(r.due_time);
  p->set_overdue(IsOverdue(r, now));
  if (r.closed_time) *p->mutable_closed_time() = Ts(*r.closed_time);
  p->set_duplicate_of(r.duplicate_of);
  p->set_forwarded_to(r.forwarded_to);
  p->set_forwarded_from(r.forwarded_from);
  if (IsAccessKind(r.kind)) {
    const CivicAccess& a = r.civic_access;
    auto* c = p->mutable_civic_access();
    c->set_object(a.object);
    c->set_outcome(a.outcome);
    c->set_decision_date(a.decision_date);
    c->set_publish_proactively(a.publish_proactively);
    const AccessOutcome outcome = EffectiveOutcome(r, now);
    c->set_outcome_code(AccessOutcomeToProto(outcome));
    if (outcome == AccessOutcome::kSilentRefusal) c->set_outcome(std::string(AccessOutcomeLabel(outcome)));
    c->set_silent_refusal(outcome == AccessOutcome::kSilentRefusal);
    c->set_exception(AccessExceptionToProto(a.exception));
    c->set_published_url(a.published_url);
    c->set_review_outcome(ReviewOutcomeToProto(a.review_outcome));
    c->set_review_decision_date(a.review_decision_date);
    if (a.suspended_until) {
      c->set_suspended(true);
      *c->mutable_suspended_until() = Ts(*a.suspended_until);
    }
    // The interest and the parties' names, addresses and objections are personal data.
    if (staff_view) c->set_interest(a.interest);
    for (const CounterParty& party : a.counter_parties) CounterPartyToProto(party, staff_view, c->add_counter_parties());
  }
  if (staff_view && r.reporter) {
    auto* rep = p->mutable_reporter();
    rep->set_name(r.reporter->name);
    rep->set_email(r.reporter->email);
    rep->set_phone(r.reporter->phone);
    rep->set_fiscal_code(r.reporter->fiscal_code);
  }
}


void CounterPartyToProto(const CounterParty& party, bool staff_view, v1::CounterParty* p) {
  p->set_id(party.id);
  p->set_channel(NoticeChannelToProto(party.channel));
  *p->mutable_notify_time() = Ts(party.notify_time);
  *p->mutable_objection_due_time() = Ts(party.objection_due);
  p->set_objected(party.objection_time.has_value());
  if (party.objection_time) *p->mutable_objection_time() = Ts(*party.objection_time);
  if (staff_view) {
    p->set_name(party.name);
    p->set_address(party.address);
    p->set_objection(party.objection);
  }
}

// The access enums have the domain's order, UNSPECIFIED as kNone (NoticeChannel: one up).
std::optional<AccessOutcome> AccessOutcomeFromProto(v1::AccessOutcome o) {
  if (o < v1::ACCESS_OUTCOME_UNSPECIFIED || o > v1::ACCESS_OUTCOME_SILENT_REFUSAL) return std::nullopt;
  return static_cast<AccessOutcome>(o);
}
v1::AccessOutcome AccessOutcomeToProto(AccessOutcome o) { return static_cast<v1::AccessOutcome>(o); }
std::optional<AccessException> AccessExceptionFromProto(v1::AccessException e) {
  if (e < v1::ACCESS_EXCEPTION_UNSPECIFIED || e > v1::ACCESS_EXCEPTION_ECONOMIC_INTERESTS) return std::nullopt;
  return static_cast<AccessException>(e);
}
v1::AccessException AccessExceptionToProto(AccessException e) { return static_cast<v1::AccessException>(e); }
std::optional<ReviewOutcome> ReviewOutcomeFromProto(v1::ReviewOutcome o) {
  if (o < v1::REVIEW_OUTCOME_UNSPECIFIED || o > v1::REVIEW_OUTCOME_PARTIALLY_GRANTED) return std::nullopt;
  return static_cast<ReviewOutcome>(o);
}
v1::ReviewOutcome ReviewOutcomeToProto(ReviewOutcome o) { return static_cast<v1::ReviewOutcome>(o); }
std::optional<NoticeChannel> NoticeChannelFromProto(v1::NoticeChannel c) {
  switch (c) {
    case v1::NOTICE_CHANNEL_PEC: return NoticeChannel::kPec;
    case v1::NOTICE_CHANNEL_EMAIL: return NoticeChannel::kEmail;
    case v1::NOTICE_CHANNEL_POST: return NoticeChannel::kPost;
    default: return std::nullopt;
  }
}
v1::NoticeChannel NoticeChannelToProto(NoticeChannel c) {
  switch (c) {
    case NoticeChannel::kPec: return v1::NOTICE_CHANNEL_PEC;
    case NoticeChannel::kEmail: return v1::NOTICE_CHANNEL_EMAIL;
    case NoticeChannel::kPost: return v1::NOTICE_CHANNEL_POST;
  }
  return v1::NOTICE_CHANNEL_UNSPECIFIED;
}

void HistoryToProto(const HistoryRecord& h, bool staff_view, v1::HistoryEntry* p) {
  p->set_id(h.id);
  *p->mutable_time() = Ts(h.time);
  // Citizens see who acted as a role, never an operator's identity.
  p->set_actor(staff_view || h.actor == "cittadino" || h.actor == "sistema" ? h.actor : "ufficio");
  p->set_action(h.action);
  if (h.from_status) p->set_from_status(StatusToProto(*h.from_status));
  if (h.to_status) p->set_to_status(StatusToProto(*h.to_status));
  p->set_visibility(VisibilityToProto(h.visibility));
  p->set_text(h.text);
  p->set_office_id(h.office_id);
}

absl::StatusOr<RequestFilter> FilterFromProto(const v1::ListRequestsRequest& req) {
  RequestFilter f;
  auto tenant = CanonicalTenant(req.tenant());
  if (!tenant.ok()) return tenant.status();
  f.tenant = *std::move(tenant);
  f.kind = KindFromProto(req.kind());
  f.category = req.category();
  f.office_id = req.office_id();
  f.status = StatusFromProto(req.status());
  f.channel = ChannelFromProto(req.channel());
  f.overdue_only = req.overdue_only();
  if (req.has_created_after()) f.created_after = FromTs(req.created_after());
  if (req.has_created_before()) f.created_before = FromTs(req.created_before());
  f.text = req.q();
  return f;
}

}  // namespace sportello::complaints
